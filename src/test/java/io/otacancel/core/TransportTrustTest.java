package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.otacancel.local.IotEmulator;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the function's requests may go: only to the configured endpoint, never on to where an
 * answer points, and over TLS only to a server whose certificate the JDK's trust store vouches
 * for.
 */
class TransportTrustTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String PASSWORD = "test-only";

  @AutoClose
  private final IotEmulator elsewhere = IotEmulator.start();

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void redirect_isNotFollowed_andFailsTheJobWithoutRetry(int status) throws Exception {
    String location = elsewhere.endpoint() + "?Action=CancelOTATaskByJob";
    // A body that would read as a success, were the status not a redirect.
    String body = "{\"RequestId\":\"R\",\"Success\":true}";
    try (ScriptedSocketServer redirecting = ScriptedSocketServer.start(ScriptedSocketServer.answer(
        ScriptedSocketServer.http(status + " Moved", "Location: " + location + "\r\n", body)))) {
      JsonNode result = cancel(redirecting.endpoint());

      assertTrue(elsewhere.calls().isEmpty(), "the other host received nothing");
      assertEquals(1, redirecting.nonces().size(), "a redirect is not retried");
      assertFalse(result.get("Success").asBoolean());
      assertEquals("UnexpectedRedirect", result.get("Code").asText(), result.toString());
      assertEquals("UNREACHABLE", result.get("Outcome").asText());
      assertEquals("The endpoint answered HTTP " + status + ", a redirect; redirects are not"
          + " followed: check IOT_ENDPOINT", result.get("ErrorMessage").asText());
    }
  }

  @Test
  void selfSignedCertificate_failsTheHandshake_andNoRequestIsSent(@TempDir Path dir)
      throws Exception {
    HttpsServer server = HttpsServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(selfSigned(dir)));
    AtomicInteger requests = new AtomicInteger();
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    try {
      JsonNode result = cancel("https://127.0.0.1:" + server.getAddress().getPort() + "/");

      assertEquals(0, requests.get(), "no HTTP request got through");
      assertFalse(result.get("Success").asBoolean());
      assertEquals("UNREACHABLE", result.get("Outcome").asText(), result.toString());
      assertEquals("IOError", result.get("Code").asText());
      assertTrue(result.get("ErrorMessage").asText().startsWith("SSLHandshakeException"),
          result.toString());
    } finally {
      server.stop(0);
    }
  }

  private JsonNode cancel(String endpoint) throws Exception {
    HttpResponse response = OtaCancelFunction.fromEnv(Map.of(
            "IOT_ENDPOINT", endpoint,
            "ALIBABA_CLOUD_ACCESS_KEY_ID", elsewhere.demoCredentials().accessKeyId(),
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET", elsewhere.demoCredentials().accessKeySecret(),
            "IOT_MAX_QPS", "1000"))
        .event(Map.of("JobId", "demo-job-1", "CancelQueuedTask", true),
            Invocation.of(Duration.ofSeconds(10), null, line -> { }));
    assertEquals(502, response.status(), response.body());
    return MAPPER.readTree(response.body());
  }

  /** A server context with a fresh self-signed certificate for 127.0.0.1, made by keytool. */
  private static SSLContext selfSigned(Path dir) throws Exception {
    Path keystore = dir.resolve("self-signed.p12");
    Process keytool = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "iot", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    String output;
    try (InputStream out = keytool.getInputStream()) {
      output = new String(out.readAllBytes());
    }
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, output);
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(
        KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
