package io.otacancel.local;

import static io.otacancel.local.CliProcess.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otacancel.local.CliProcess.Result;
import io.otacancel.local.ServeClient.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a process: real HTTP requests to the port it reports, the way the README's
 * curl commands send them, and a clean stop on SIGTERM.
 */
class ServeProcessTest {
  private static final String BEARER = "Bearer " + LocalEnvironment.DEMO_WEBHOOK_TOKEN;

  @TempDir
  static Path dir;

  private static Process server;
  private static Path serverLog;
  private static int port;

  @BeforeAll
  static void startServer() throws IOException {
    serverLog = dir.resolve("serve.err");
    server = cli().start(serverLog, "serve", "--port", "0");
    port = ServeClient.awaitPort(server, serverLog);
  }

  @AfterAll
  static void stopServer() {
    CliProcess.destroy(server);
  }

  @Test
  void postWithTheDemoToken_cancels() throws IOException {
    Response response = send("POST", "/", BEARER,
        "{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}");

    assertEquals(200, response.status(), response::toString);
    assertEquals("application/json", response.contentType(), response::toString);
    assertEquals("demo-job-1", response.json().get("JobId").asText());
    assertTrue(response.json().get("Success").asBoolean(), response::toString);
  }

  @Test
  void getWithTheRequestInTheQueryString_cancels() throws IOException {
    Response response = send("GET", "/?JobId=demo-job-2&CancelQueuedTask=true", BEARER, null);

    assertEquals(200, response.status(), response::toString);
    assertEquals("demo-job-2", response.json().get("JobId").asText());
    assertTrue(response.json().get("Success").asBoolean(), response::toString);
  }

  @Test
  void postWithoutAToken_isRefusedWith401() throws IOException {
    Response response = send("POST", "/", null,
        "{\"JobId\":\"demo-job-3\",\"CancelQueuedTask\":true}");

    assertEquals(401, response.status(), response::toString);
    assertEquals("Unauthorized", response.json().get("Code").asText(), response::toString);
  }

  @Test
  void put_isRefusedWith405() throws IOException {
    Response response = send("PUT", "/", BEARER,
        "{\"JobId\":\"demo-job-4\",\"CancelQueuedTask\":true}");

    assertEquals(405, response.status(), response::toString);
    assertEquals("MethodNotAllowed", response.json().get("Code").asText(), response::toString);
  }

  @Test
  void sigterm_stopsTheServer_withExitCodeZero() throws Exception {
    Path log = dir.resolve("stopped.err");
    Process serve = cli().start(log, "serve", "--port", "0");
    try {
      int ownPort = ServeClient.awaitPort(serve, log);
      assertEquals(200, send(ownPort, "GET", "/?JobId=demo-job-5&CancelQueuedTask=true", BEARER,
          null).status(), () -> CliProcess.read(log));

      serve.destroy(); // SIGTERM, as from kill or a service manager

      assertTrue(serve.waitFor(CliProcess.WAIT.toSeconds(), TimeUnit.SECONDS),
          () -> "still running after SIGTERM:\n" + CliProcess.read(log));
      assertEquals(0, serve.exitValue(), () -> CliProcess.read(log));
      String stderr = CliProcess.read(log);
      assertTrue(stderr.lines().anyMatch("ota-cancel: stopped"::equals), stderr);
      assertFalse(stderr.contains("\tat "), stderr);
    } finally {
      CliProcess.destroy(serve);
    }
  }

  @Test
  void portInUse_exitsOne_sayingSo() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String busy = Integer.toString(taken.getLocalPort());

      Result result = cli().run("serve", "--port", busy).assertExit(1);

      result.stderrLine("ota-cancel: cannot listen on 127.0.0.1:" + busy + ": ");
      result.assertNoStackTrace();
    }
  }

  @Test
  void configurationError_exitsSeven_beforeListening() {
    Result result = cli().env("IOT_ENDPOINT", "http://10.0.0.1/")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIconfigTest")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "config-test-secret")
        .run("serve", "--port", "0").assertExit(7);

    assertTrue(result.stderrLine("ota-cancel: ").contains("IOT_ENDPOINT"), result::toString);
    assertFalse(result.stderr().contains("listening"), result::toString);
    result.assertNoStackTrace();
  }

  private static Response send(String method, String pathAndQuery, String authorization,
      String body) throws IOException {
    return send(port, method, pathAndQuery, authorization, body);
  }

  private static Response send(int port, String method, String pathAndQuery,
      String authorization, String body) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    if (authorization != null) {
      headers.put("Authorization", authorization);
    }
    if (body != null) {
      headers.put("Content-Type", "application/json");
    }
    return ServeClient.send(port, method, pathAndQuery, headers, body);
  }
}
