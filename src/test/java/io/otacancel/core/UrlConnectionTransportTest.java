package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The transport against raw loopback sockets. An attempt may take its connect timeout plus its
 * read timeout in all, however the answer arrives; the slack on top is generous, as the bug this
 * guards against overran by the length of the whole answer (25 s for one of 3 s).
 */
class UrlConnectionTransportTest {
  private static final Duration CONNECT = Duration.ofMillis(500);
  private static final Duration READ = Duration.ofMillis(1500);
  private static final Duration SLACK = Duration.ofMillis(1500);
  private static final String BODY = "{\"RequestId\":\"R\",\"Success\":true}";

  @Test
  void answer_isReadWhole() throws IOException {
    try (ScriptedSocketServer server = ScriptedSocketServer.start(ScriptedSocketServer.answer(
        ScriptedSocketServer.http("200 OK", "Content-Type: application/json\r\n", BODY)))) {
      Transport.Answer answer = send(server);

      assertEquals(200, answer.status);
      assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), answer.body);
    }
  }

  @Test
  void headTricklingIn_isCutOffWhenTheAttemptsTimeIsUp() throws IOException {
    try (ScriptedSocketServer server = ScriptedSocketServer.start(ScriptedSocketServer.trickle("",
        ScriptedSocketServer.http("200 OK", "Content-Type: application/json\r\n", BODY), 100))) {
      assertCutOff(server);
    }
  }

  @Test
  void bodyTricklingIn_isCutOffWhenTheAttemptsTimeIsUp() throws IOException {
    String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n";
    try (ScriptedSocketServer server = ScriptedSocketServer.start(
        ScriptedSocketServer.trickle(head, BODY.repeat(12), 100))) {
      assertCutOff(server);
    }
  }

  private static void assertCutOff(ScriptedSocketServer server) {
    long started = System.nanoTime();
    SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class,
        () -> send(server));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    assertEquals("The answer did not complete within 2000 ms", timeout.getMessage());
    assertTrue(elapsed.compareTo(CONNECT.plus(READ).plus(SLACK)) <= 0, "took " + elapsed);
  }

  private static Transport.Answer send(ScriptedSocketServer server) throws IOException {
    SignedRequest request = new SignedRequest("POST", URI.create(server.endpoint() + "?a=b"),
        Map.of(), () -> "masked");
    return new UrlConnectionTransport("test").send(request, CONNECT, READ);
  }
}
