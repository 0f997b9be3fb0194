package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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

  /**
   * The head completing just as the cut-off fires: the timer's disconnect used to reach into the
   * JDK's connection mid-read, which then failed with a NullPointerException (escaping as a bug)
   * or handed back a 200 with an empty body. Whichever wins, the attempt must end whole: the
   * answer, or a timeout. Many runs, each landing the end of the head at a jittered moment
   * around the cut-off, so that some hit the window.
   */
  @Test
  void headCompletingAsTheCutOffFires_endsAsTheAnswerOrATimeout_neverAnythingElse()
      throws IOException {
    Duration connect = Duration.ofMillis(20);
    Duration read = Duration.ofMillis(80); // the cut-off: 100 ms after the attempt starts
    String rest = ScriptedSocketServer.http("200 OK", "Content-Type: application/json\r\n", BODY)
        .substring("HTTP/1.1 200 OK\r\n".length());
    ScriptedSocketServer.Reply nearTheCutOff = socket -> {
      long started = System.nanoTime();
      OutputStream out = socket.getOutputStream();
      Thread.sleep(40); // the status line halfway: no silence reaches the read timeout
      out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      long restAt = started + TimeUnit.MILLISECONDS.toNanos(92)
          + ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(8));
      while (System.nanoTime() < restAt) {
        Thread.onSpinWait(); // sleep() is too coarse to land within a millisecond
      }
      out.write(rest.getBytes(StandardCharsets.UTF_8));
      out.flush();
      Thread.sleep(5);
    };
    Map<String, Integer> outcomes = new TreeMap<>();
    try (ScriptedSocketServer server = ScriptedSocketServer.start(nearTheCutOff)) {
      SignedRequest request = new SignedRequest("POST",
          URI.create(server.endpoint() + "?a=b"), Map.of(), () -> "masked");
      for (int run = 0; run < 120; run++) {
        String outcome;
        try {
          Transport.Answer answer = new UrlConnectionTransport("test").send(request, connect, read);
          outcome = answer.status + " " + new String(answer.body, StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
          outcome = "timeout";
        } catch (IOException | RuntimeException e) {
          outcome = e.toString();
        }
        outcomes.merge(outcome, 1, Integer::sum);
      }
    }
    outcomes.remove("200 " + BODY);
    outcomes.remove("timeout");
    assertEquals(Map.of(), outcomes, "outcomes other than the answer or a timeout, with counts");
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
