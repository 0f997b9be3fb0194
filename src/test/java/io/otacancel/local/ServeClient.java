package io.otacancel.local;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Talks to a {@code serve} process: finds its port in its log, sends it real HTTP requests. */
final class ServeClient {
  private static final Pattern LISTENING =
      Pattern.compile("ota-cancel: listening on http://127\\.0\\.0\\.1:(\\d+)/ ");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServeClient() {}

  /** Reads the port from the "listening on" line, waiting for it as long as the process runs. */
  static int awaitPort(Process process, Path log) {
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

  /** Sends one request with these headers and, unless null, this body; reads the answer. */
  static Response send(int port, String method, String pathAndQuery, Map<String, String> headers,
      String body) throws IOException {
    HttpURLConnection connection = (HttpURLConnection)
        new URL("http://127.0.0.1:" + port + pathAndQuery).openConnection();
    try {
      connection.setRequestMethod(method);
      connection.setConnectTimeout(10_000);
      connection.setReadTimeout((int) CliProcess.WAIT.toMillis());
      headers.forEach(connection::setRequestProperty);
      if (body != null) {
        connection.setDoOutput(true);
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

  record Response(int status, String contentType, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    @Override
    public String toString() {
      return status + " " + contentType + " " + body;
    }
  }
}
