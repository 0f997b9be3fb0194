package io.otacancel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otacancel.core.RpcSignature;
import io.otacancel.testing.LoopbackIot;
import io.otacancel.testing.LoopbackIot.RequestIds;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every path of every trigger on both platforms, run with recognisable secrets: whatever
 * happens (success, each kind of failure, a dry run, a refusal, a misconfiguration), no secret
 * appears in the answer, the logs, stdout or stderr, raw or encoded. The handlers run in process
 * the way {@code invoke} runs them, then the CLI as a process: {@code invoke}, and {@code serve}
 * sent every kind of webhook request.
 */
class SecretsNeverLeakTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String ACCESS_KEY_ID = "STS.LeakTestKeyId";
  // Base64-like, as real ones are: '+', '/' and '=' make their encoded forms differ from them.
  private static final String ACCESS_KEY_SECRET = "AkSecret+Canary/0001=";
  private static final String SECURITY_TOKEN = "CAISStsToken+Canary/0002==";
  private static final String WEBHOOK_TOKEN = "WebhookTokenCanary0003";
  private static final String WEBHOOK_SECRET = "Webhook Hmac Secret Canary 0004";
  private static final List<String> SECRETS =
      List.of(ACCESS_KEY_SECRET, SECURITY_TOKEN, WEBHOOK_TOKEN, WEBHOOK_SECRET);

  private static final String VALID = "{\"JobIds\":[\"job-1\",\"job-2\"],\"CancelQueuedTask\":true}";
  private static final String INVALID = "{\"JobIds\":[\"job-1\"],\"CancelQueuedTask\":\"maybe\"}";

  /** Where the cancel request goes in each trigger's event, and which sample event carries it. */
  enum Trigger {
    AWS_HTTP_API("aws", "events/aws/http-api.json"),
    AWS_FUNCTION_URL("aws", "events/aws/function-url.json"),
    AWS_REST_API("aws", "events/aws/rest-api.json"),
    AWS_SCHEDULED_EVENT("aws", "events/aws/scheduled-event.json"),
    AWS_DIRECT("aws", "events/aws/direct.json"),
    FC_HTTP("fc", "events/fc/http.json"),
    FC_TIMER("fc", "events/fc/timer.json"),
    FC_DIRECT("fc", "events/fc/direct.json");

    final String platform;
    final String sample;

    Trigger(String platform, String sample) {
      this.platform = platform;
      this.sample = sample;
    }

    boolean isHttp() {
      return name().endsWith("HTTP") || name().endsWith("API") || name().endsWith("URL");
    }
  }

  /** What happens to the invocation, and the exit code that proves it happened. */
  enum Scenario {
    SUCCEEDS(0),
    IOT_ECHOES_THE_STRING_TO_SIGN(4),
    THROTTLED_UNTIL_ATTEMPTS_RUN_OUT(6),
    IOT_UNAVAILABLE(4),
    NO_TIME_LEFT(5),
    INVALID_REQUEST(2),
    DRY_RUN(0),
    MISCONFIGURED(7),
    WRONG_WEBHOOK_TOKEN(3),
    SIGNED_WEBHOOK_SUCCEEDS(0);

    final int exitCode;

    Scenario(int exitCode) {
      this.exitCode = exitCode;
    }

    boolean isHttpOnly() {
      return this == WRONG_WEBHOOK_TOKEN || this == SIGNED_WEBHOOK_SUCCEEDS;
    }
  }

  @TempDir Path directory;
  private LoopbackIot iot;
  private Map<String, String> env;

  @BeforeEach
  void start() throws IOException {
    iot = LoopbackIot.start(RequestIds.COUNTED, Map.of(ACCESS_KEY_ID, ACCESS_KEY_SECRET));
    env = new HashMap<>();
    env.put("IOT_ENDPOINT", iot.endpoint());
    env.put("IOT_MAX_QPS", "1000");
    env.put("IOT_MAX_ATTEMPTS", "2");
    env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID);
    env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET);
    env.put("ALIBABA_CLOUD_SECURITY_TOKEN", SECURITY_TOKEN);
    env.put("WEBHOOK_TOKEN", WEBHOOK_TOKEN);
    env.put("WEBHOOK_SECRET", WEBHOOK_SECRET);
  }

  @AfterEach
  void stop() {
    iot.close();
  }

  static Stream<Arguments> everyPath() {
    List<Arguments> paths = new ArrayList<>();
    for (Trigger trigger : Trigger.values()) {
      for (Scenario scenario : EnumSet.allOf(Scenario.class)) {
        if (trigger.isHttp() || !scenario.isHttpOnly()) {
          paths.add(Arguments.of(trigger, scenario));
        }
      }
    }
    return paths.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyPath")
  void noSecret_isEverWritten(Trigger trigger, Scenario scenario) throws IOException {
    String request = scenario == Scenario.INVALID_REQUEST ? INVALID : VALID;
    Duration timeout = Duration.ofSeconds(20);
    boolean dryRun = false;
    String auth = "Bearer " + WEBHOOK_TOKEN;
    switch (scenario) {
      case IOT_ECHOES_THE_STRING_TO_SIGN:
        // IoT's real message carries its string to sign, in which the token is encoded twice.
        String encodedOnce = RpcSignature.percentEncode(SECURITY_TOKEN);
        iot.answer(400, "{\"RequestId\":\"{id}\",\"Code\":\"SignatureDoesNotMatch\",\"Message\":"
            + "\"Specified signature is not matched with our calculation. server string to sign "
            + "is:POST&%2F&AccessKeyId%3D" + ACCESS_KEY_ID + "%26SecurityToken%3D"
            + RpcSignature.percentEncode(encodedOnce) + " token " + SECURITY_TOKEN + " "
            + encodedOnce + " secret " + ACCESS_KEY_SECRET + "\"}");
        break;
      case THROTTLED_UNTIL_ATTEMPTS_RUN_OUT:
        iot.answer(400, "{\"RequestId\":\"{id}\",\"Code\":\"Throttling.User\","
            + "\"Message\":\"Request was denied due to user flow control.\"}");
        break;
      case IOT_UNAVAILABLE:
        iot.answer(503, "{\"RequestId\":\"{id}\",\"Code\":\"ServiceUnavailable\","
            + "\"Message\":\"The request has failed due to a temporary failure of the server.\"}");
        break;
      case NO_TIME_LEFT:
        timeout = Duration.ofMillis(600); // less than the 500 ms margin and one attempt's 250 ms
        break;
      case DRY_RUN:
        dryRun = true;
        break;
      case MISCONFIGURED:
        env.remove("ALIBABA_CLOUD_ACCESS_KEY_ID"); // the secret and token stay, half a key pair
        break;
      case WRONG_WEBHOOK_TOKEN:
        auth = "Bearer " + WEBHOOK_TOKEN + "-but-wrong";
        break;
      case SIGNED_WEBHOOK_SUCCEEDS:
        auth = null;
        break;
      default:
        break;
    }
    Path event = write(trigger, request, auth);

    StringBuilder written = new StringBuilder();
    int exit = invoke(trigger, event, timeout, dryRun, written);

    assertEquals(scenario.exitCode, exit, written.toString());
    if (scenario == Scenario.IOT_ECHOES_THE_STRING_TO_SIGN) {
      assertTrue(written.indexOf("server string to sign is:") >= 0,
          "the message itself reaches the caller, only its secrets are masked: " + written);
    }
    assertNoSecretIn(written.toString());
  }

  @Test
  void theCliProcess_printsNoSecret_onSuccessFailureAndDryRun() throws IOException {
    CliProcess cli = CliProcess.cli();
    env.forEach(cli::env);
    Path direct = write(Trigger.AWS_DIRECT, VALID, null);

    CliProcess.Result succeeded = cli.run("invoke", direct.toString());
    CliProcess.Result dryRun = cli.run("invoke", "--dry-run", direct.toString());
    iot.answer(400, "{\"RequestId\":\"{id}\",\"Code\":\"SignatureDoesNotMatch\",\"Message\":"
        + "\"string to sign is: SecurityToken=" + SECURITY_TOKEN + "\"}");
    CliProcess.Result refused = cli.run("invoke", "--platform", "fc",
        write(Trigger.FC_HTTP, VALID, "Bearer " + WEBHOOK_TOKEN).toString());

    assertEquals(0, succeeded.exitCode(), succeeded.toString());
    assertEquals(0, dryRun.exitCode(), dryRun.toString());
    assertEquals(4, refused.exitCode(), refused.toString());
    for (CliProcess.Result result : List.of(succeeded, dryRun, refused)) {
      assertNoSecretIn(result.stdout() + result.stderr());
    }
  }

  @Test
  void theServeProcess_answersAndPrintsNoSecret_whateverItIsSent() throws IOException {
    CliProcess cli = CliProcess.cli();
    env.forEach(cli::env);
    Path log = directory.resolve("serve.err");
    Process serve = cli.start(log, "serve", "--port", "0");
    StringBuilder written = new StringBuilder();
    try {
      int port = ServeClient.awaitPort(serve, log);
      String timestamp = Long.toString(System.currentTimeMillis() / 1000);
      Map<String, String> signed = Map.of("Content-Type", "application/json",
          "X-Ota-Timestamp", timestamp, "X-Ota-Signature", "sha256=" + hmac(timestamp + "." + VALID));
      Map<String, String> bearer = Map.of("Content-Type", "application/json",
          "Authorization", "Bearer " + WEBHOOK_TOKEN);
      Map<String, String> wrong = Map.of("Content-Type", "application/json",
          "Authorization", "Bearer " + WEBHOOK_TOKEN + "-but-wrong");
      Map<String, String> text = Map.of("Content-Type", "text/plain",
          "Authorization", "Bearer " + WEBHOOK_TOKEN);
      String echo = "{\"RequestId\":\"{id}\",\"Code\":\"SignatureDoesNotMatch\",\"Message\":"
          + "\"string to sign is: SecurityToken=" + SECURITY_TOKEN + "\"}";

      expect(written, 200, ServeClient.send(port, "POST", "/", bearer, VALID));
      expect(written, 200, ServeClient.send(port, "POST", "/", signed, VALID));
      expect(written, 401, ServeClient.send(port, "POST", "/", signed, VALID)); // the replay
      expect(written, 401, ServeClient.send(port, "POST", "/", wrong, VALID));
      expect(written, 400, ServeClient.send(port, "POST", "/", bearer, INVALID));
      expect(written, 405, ServeClient.send(port, "PUT", "/", bearer, VALID));
      expect(written, 413, ServeClient.send(port, "POST", "/", bearer, " ".repeat(70_000)));
      expect(written, 415, ServeClient.send(port, "POST", "/", text, VALID));
      iot.answer(400, echo);
      expect(written, 502, ServeClient.send(port, "POST", "/", bearer, VALID));
    } finally {
      CliProcess.destroy(serve);
    }
    written.append(CliProcess.read(log));
    assertNoSecretIn(written.toString());
  }

  private static void expect(StringBuilder written, int status, ServeClient.Response response) {
    written.append(response).append('\n');
    assertEquals(status, response.status(), response.toString());
  }

  /** Runs the event through its platform's real handler, collecting everything written. */
  private int invoke(Trigger trigger, Path event, Duration timeout, boolean dryRun,
      StringBuilder written) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture); // a stray print anywhere on the path is caught too
    int exit;
    try {
      exit = LocalInvoker.invoke(event.toString(), trigger.platform, timeout, env, dryRun,
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
    } finally {
      System.setOut(systemOut);
      System.setErr(systemErr);
    }
    written.append(out.toString(StandardCharsets.UTF_8)).append(err.toString(StandardCharsets.UTF_8))
        .append(console.toString(StandardCharsets.UTF_8));
    return exit;
  }

  /**
   * The trigger's sample event carrying {@code request}; for HTTP, authenticated with {@code
   * authorization}, or with an X-Ota-Signature when that is null.
   */
  private Path write(Trigger trigger, String request, String authorization) throws IOException {
    ObjectNode event = (ObjectNode) MAPPER.readTree(Files.readString(Path.of(trigger.sample)));
    if (trigger.isHttp()) {
      event.put("body", request);
      event.put("isBase64Encoded", false);
      setHeader(event, "Content-Type", "application/json");
      String timestamp = Long.toString(System.currentTimeMillis() / 1000);
      setHeader(event, "Authorization", authorization);
      setHeader(event, "X-Ota-Timestamp", authorization == null ? timestamp : null);
      setHeader(event, "X-Ota-Signature",
          authorization == null ? "sha256=" + hmac(timestamp + "." + request) : null);
    } else if (trigger == Trigger.AWS_SCHEDULED_EVENT) {
      event.set("detail", MAPPER.readTree(request));
    } else if (trigger == Trigger.FC_TIMER) {
      event.put("payload", request);
    } else {
      event = (ObjectNode) MAPPER.readTree(request);
    }
    Path file = directory.resolve(trigger + "-" + System.nanoTime() + ".json");
    Files.writeString(file, MAPPER.writeValueAsString(event));
    return file;
  }

  /** Sets (or with null removes) a header in every header map of the event, in any case. */
  private static void setHeader(ObjectNode event, String name, String value) {
    for (String map : List.of("headers", "multiValueHeaders")) {
      JsonNode headers = event.get(map);
      if (!(headers instanceof ObjectNode)) {
        continue;
      }
      for (Iterator<String> names = headers.fieldNames(); names.hasNext(); ) {
        if (names.next().equalsIgnoreCase(name)) {
          names.remove();
        }
      }
      if (value != null && map.equals("headers")) {
        ((ObjectNode) headers).put(name, value);
      } else if (value != null) {
        ((ObjectNode) headers).putArray(name).add(value);
      }
    }
  }

  private static String hmac(String signed) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Each secret raw, percent-encoded once and twice, JSON-escaped and Base64-encoded. */
  private static void assertNoSecretIn(String written) {
    assertFalse(written.isEmpty(), "the run wrote nothing at all");
    for (String secret : SECRETS) {
      String once = RpcSignature.percentEncode(secret);
      for (String form : List.of(secret, once, RpcSignature.percentEncode(once),
          secret.replace("/", "\\/"),
          Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)))) {
        assertFalse(written.contains(form), "a secret (" + form + ") leaked into:\n" + written);
      }
    }
    assertTrue(!written.contains("\tat "), "a stack trace was written:\n" + written);
  }
}
