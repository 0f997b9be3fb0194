package io.otacancel.local;

import static io.otacancel.local.CliProcess.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otacancel.local.CliProcess.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a process: real HTTP requests to the port it reports, the way the README's
 * curl commands send them, and a clean stop on SIGTERM.
 */
class ServeProcessTest {
  private static final Pattern LISTENING =
      Pattern.compile("ota-cancel: listening on http://127\\.0\\.0\\.1:(\\d+)/ ");
  private static final String BEARER = "Bearer " + LocalEnvironment.DEMO_WEBHOOK_TOKEN;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  private static Process server;
  private static Path serverLog;
  private static int port;

  @BeforeAll
  static void startServer() throws IOException {
    serverLog = dir.resolve("serve.err");
    server = cli().start(serverLog, "serve", "--port", "0");
    port = awaitPort(server, serverLog);
  }

  @AfterAll
  static void stopServer() {
    CliProcess.destroy(server);
  }

  @Test
  void postWithTheDemoToken_cancels() throws IOException {
    Response response = send("POST", "/", BEARER,
        "{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}");

    assertEquals(200, response.status, response::toString);
    assertEquals("application/json", response.contentType, response::toString);
    assertEquals("demo-job-1", response.json().get("JobId").asText());
    assertTrue(response.json().get("Success").asBoolean(), response::toString);
  }

  @Test
  void getWithTheRequestInTheQueryString_cancels() throws IOException {
    Response response = send("GET", "/?JobId=demo-job-2&CancelQueuedTask=true", BEARER, null);

    assertEquals(200, response.status, response::toString);
    assertEquals("demo-job-2", response.json().get("JobId").asText());
    assertTrue(response.json().get("Success").asBoolean(), response::toString);
  }

  @Test
  void postWithoutAToken_isRefusedWith401() throws IOException {
    Response response = send("POST", "/", null,
        "{\"JobId\":\"demo-job-3\",\"CancelQueuedTask\":true}");

    assertEquals(401, response.status, response::toString);
    assertEquals("Unauthorized", response.json().get("Code").asText(), response::toString);
  }

  @Test
  void put_isRefusedWith405() throws IOException {
    Response response = send("PUT", "/", BEARER,
        "{\"JobId\":\"demo-job-4\",\"CancelQueuedTask\":true}");

    assertEquals(405, response.status, response::toString);
    assertEquals("MethodNotAllowed", response.json().get("Code").asText(), response::toString);
  }

  @Test
  void sigterm_stopsTheServer_withExitCodeZero() throws Exception {
    Path log = dir.resolve("stopped.err");
    Process serve = cli().start(log, "serve", "--port", "0");
    try {
      int ownPort = awaitPort(serve, log);
      assertEquals(200, send(ownPort, "GET", "/?JobId=demo-job-5&CancelQueuedTask=true", BEARER,
          null).status, () -> CliProcess.read(log));

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

  /** Reads the port from the "listening on" line, waiting for it as long as the process runs. */
  private static int awaitPort(Process process, Path log) {
    long deadline = System.nanoTime() + CliProcess.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher listening = LISTENING.matcher(CliProcess.read(log));
      if (listening.find()) {
        return Integer.parseInt(listening.group(1));
      }
      if (!process.isAlive()) {
        fail("serve ended with exit code " + process.exitValue() + " before listening:\n"
            + CliProcess.read(log));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
    return fail("serve did not report a port within " + CliProcess.WAIT + ":\n"
        + CliProcess.read(log));
  }

  private static Response send(String method, String pathAndQuery, String authorization,
      String body) throws IOException {
    return send(port, method, pathAndQuery, authorization, body);
  }

  private static Response send(int port, String method, String pathAndQuery,
      String authorization, String body) throws IOException {
    HttpURLConnection connection = (HttpURLConnection)
        new URL("http://127.0.0.1:" + port + pathAndQuery).openConnection();
    try {
      connection.setRequestMethod(method);
      connection.setConnectTimeout(10_000);
      connection.setReadTimeout((int) CliProcess.WAIT.toMillis());
      if (authorization != null) {
        connection.setRequestProperty("Authorization", authorization);
      }
      if (body != null) {
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body.getBytes(StandardCharsets.UTF_8));
        }
      }
      int status = connection.getResponseCode();
      InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
      String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, connection.getContentType(), answer);
    } finally {
      connection.disconnect();
    }
  }

  private record Response(int status, String contentType, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + body;
    }
  }
}
