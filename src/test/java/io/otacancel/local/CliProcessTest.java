package io.otacancel.local;

import static io.otacancel.local.CliProcess.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otacancel.core.Credentials;
import io.otacancel.local.CliProcess.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line as a process: exit codes, what goes to stdout (the handler's answer, nothing
 * else) and to stderr (notices and progress), and that no secret is ever printed.
 */
class CliProcessTest {
  private static final String DIRECT = "events/aws/direct.json";
  private static final String EMULATOR_NOTICE = "ota-cancel: no Alibaba Cloud credentials and "
      + "no IOT_ENDPOINT, so using the built-in IoT emulator at http://127.0.0.1:";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void invoke_withNoCredentials_cancelsOnTheBuiltInEmulator_answerOnStdout_progressOnStderr() {
    assertCanceledDemoJob1OnTheBuiltInEmulator(cli().run("invoke", DIRECT));
  }

  @Test
  void anEventFileWithoutACommand_isInvoked() {
    assertCanceledDemoJob1OnTheBuiltInEmulator(cli().run(DIRECT));
  }

  @Test
  void aDash_readsTheEventFromStandardInput() throws IOException {
    byte[] event = Files.readAllBytes(CliProcess.projectDirectory().resolve(DIRECT));

    assertCanceledDemoJob1OnTheBuiltInEmulator(cli().stdin(event).run("invoke", "-"));
  }

  private static void assertCanceledDemoJob1OnTheBuiltInEmulator(Result result) {
    result.assertExit(0);
    JsonNode answer = result.json();
    assertEquals("demo-job-1", answer.get("JobId").asText(), result::toString);
    assertTrue(answer.get("Success").asBoolean(), result::toString);

    assertEquals(1, result.stderrLines().stream()
        .filter(line -> line.startsWith(EMULATOR_NOTICE)).count(), result::toString);
    assertTrue(result.stderrLine("emulator: demo-job-1: ")
        .startsWith("emulator: demo-job-1: canceled 12 task(s) "), result::toString);
    assertTrue(result.stderrLine("ota-cancel: [1/1] ")
        .startsWith("ota-cancel: [1/1] demo-job-1: SUCCEEDED"), result::toString);
    for (String stderrOnly : List.of("ota-cancel:", "emulator:", "[1/1]", "canceled")) {
      assertFalse(result.stdout().contains(stderrOnly), () -> stderrOnly + " on stdout: " + result);
    }
    result.assertNoStackTrace();
  }

  static Stream<String> sampleEvents() throws IOException {
    Path events = CliProcess.projectDirectory().resolve("events");
    try (Stream<Path> aws = Files.list(events.resolve("aws"));
        Stream<Path> fc = Files.list(events.resolve("fc"))) {
      return Stream.concat(aws, fc).filter(file -> file.toString().endsWith(".json"))
          .map(file -> events.getParent().relativize(file).toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleEvents")
  void everySampleEvent_succeedsOnTheBuiltInEmulator(String event) {
    Result result = cli().run("invoke", event).assertExit(0);

    assertSucceeded(result);
  }

  @ParameterizedTest(name = "--platform {0} {1}")
  @CsvSource({"fc, events/fc/http.json", "aws, events/aws/http-api.json"})
  void platformOption_runsTheEventThroughThatPlatformsHandler(String platform, String event) {
    Result result = cli().run("invoke", "--platform", platform, event).assertExit(0);

    assertSucceeded(result);
  }

  /** A direct answer says Success itself; an HTTP trigger's answer says it in its body. */
  private static void assertSucceeded(Result result) {
    JsonNode answer = result.json();
    if (answer.has("statusCode")) {
      assertEquals(200, answer.get("statusCode").asInt(), result::toString);
      answer = read(answer.get("body").asText());
    }
    assertTrue(answer.get("Success").asBoolean(), result::toString);
  }

  @Test
  void invalidEvent_exitsTwo_withTheErrorNamingTheFieldOnStdout() {
    Result result = cli().run("invoke", fixture("misspelt-flag.json")).assertExit(2);

    JsonNode error = result.json();
    assertEquals("InvalidParameter", error.get("Code").asText(), result::toString);
    assertTrue(error.get("Message").asText().startsWith("Unknown field CancelQueuedTasks"),
        result::toString);
    assertTrue(result.stderrLine("ota-cancel: refused ").contains("CancelQueuedTasks"),
        result::toString);
  }

  @Test
  void httpEventWithAWrongBearerToken_exitsThree_withThe401ProxyResponseOnStdout()
      throws IOException {
    String sample = Files.readString(
        CliProcess.projectDirectory().resolve("events/aws/http-api.json"));
    Path event = dir.resolve("wrong-token.json");
    Files.writeString(event, sample.replace("Bearer demo-token", "Bearer not-the-demo-token"));

    Result result = cli().run("invoke", event.toString()).assertExit(3);

    JsonNode response = result.json();
    assertEquals(401, response.get("statusCode").asInt(), result::toString);
    assertEquals("Unauthorized", read(response.get("body").asText()).get("Code").asText());
    assertFalse(result.stderr().contains("emulator: "), () -> "nothing sent: " + result);
  }

  @Test
  void unknownJob_exitsFour_withIotsAnswerOnStdout() {
    Result result = cli().run("invoke", fixture("unknown-job.json")).assertExit(4);

    JsonNode answer = result.json();
    assertEquals("no-such-job", answer.get("JobId").asText(), result::toString);
    assertFalse(answer.get("Success").asBoolean(), result::toString);
    assertEquals("iot.ota.JobNotFound", answer.get("Code").asText(), result::toString);
  }

  @Test
  void answerTooSlowForTheTimeout_exitsFive() {
    try (IotEmulator iot = IotEmulator.start()) {
      iot.inject(1, Fault.delay(Duration.ofSeconds(30)));

      Result result = cli().against(iot, iot.demoCredentials())
          .run("invoke", "--timeout", "2", DIRECT).assertExit(5);

      assertFalse(result.json().get("Success").asBoolean(), result::toString);
      assertEquals(1, iot.calls().size(), "the one call was sent, its answer came too late");
    }
  }

  @Test
  void throttledOnEveryAttempt_exitsSix_afterRetrying() {
    try (IotEmulator iot = IotEmulator.start()) {
      iot.inject(2, Fault.throttling());

      Result result = cli().against(iot, iot.demoCredentials()).env("IOT_MAX_ATTEMPTS", "2")
          .run("invoke", DIRECT).assertExit(6);

      assertEquals("Throttling.User", result.json().get("Code").asText(), result::toString);
      assertTrue(result.stderrLine("ota-cancel: demo-job-1: Throttling.User on attempt 1")
          .contains("retrying"), result::toString);
      assertEquals(2, iot.calls().size(), iot.calls()::toString);
    }
  }

  @Test
  void configurationError_exitsSeven_namingTheVariable() {
    Result result = cli().env("IOT_ENDPOINT", "http://10.0.0.1/")
        .env("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIconfigTest")
        .env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "config-test-secret")
        .run("invoke", DIRECT).assertExit(7);

    JsonNode error = result.json();
    assertEquals("ConfigurationError", error.get("Code").asText(), result::toString);
    assertTrue(error.get("Message").asText().contains("IOT_ENDPOINT"), result::toString);
    assertFalse(result.stderr().contains(EMULATOR_NOTICE), result::toString);
  }

  static Stream<Arguments> usageErrors() {
    return Stream.of(
        Arguments.of(List.of("--platform", "gcp", DIRECT),
            "ota-cancel: --platform must be aws, fc or auto, not gcp"),
        Arguments.of(List.of("--frobnicate", DIRECT), "ota-cancel: unknown option --frobnicate"),
        Arguments.of(List.of("-x", DIRECT), "ota-cancel: unknown option -x"),
        Arguments.of(List.of("invoke"),
            "ota-cancel: invoke needs an EVENT_FILE (or - for standard input)"),
        Arguments.of(List.of("--timeout", "soon", DIRECT),
            "ota-cancel: --timeout must be a whole number from 1 to 900, not soon"),
        Arguments.of(List.of("invoke", "no-such-event.json"),
            "ota-cancel: no such event file: no-such-event.json"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usageErrors")
  void usageError_exitsOne_withOneLineOnStderr_andNoStackTrace(List<String> args,
      String message) {
    Result result = cli().run(args.toArray(String[]::new)).assertExit(1);

    assertEquals(message, result.stderrLines().get(0), result::toString);
    assertEquals("", result.stdout(), result::toString);
    result.assertNoStackTrace();
  }

  @Test
  void help_exitsZero_withTheUsageOnStdout() {
    Result result = cli().run("--help").assertExit(0);

    assertTrue(result.stdout().startsWith("Usage: "), result::toString);
    assertTrue(result.stdout().contains("Exit codes: 0 success"), result::toString);
    assertEquals("", result.stderr(), result::toString);
  }

  @Test
  void version_exitsZero_withTheVersionOnStdout() {
    Result result = cli().run("--version").assertExit(0);

    assertTrue(result.stdout().matches("ota-cancel \\S+\\R"), result::toString);
    assertEquals("", result.stderr(), result::toString);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"--dry-run", "DRY_RUN=true"})
  void dryRun_showsTheSignedRequestWithSecretsMasked_andSendsNothing(String how) {
    try (IotEmulator iot = IotEmulator.start()) {
      Credentials sts = iot.demoStsCredentials();
      CliProcess cli = cli().against(iot, sts);
      Result result = how.equals("--dry-run") ? cli.run("invoke", "--dry-run", DIRECT)
          : cli.env("DRY_RUN", "true").run("invoke", DIRECT);

      result.assertExit(0);
      String request = result.json().get("DryRunRequest").asText();
      assertTrue(request.startsWith("POST " + iot.endpoint() + "?"), result::toString);
      Map<String, String> parameters = queryOf(request.substring("POST ".length()));
      assertEquals("CancelOTATaskByJob", parameters.get("Action"), request);
      assertEquals("demo-job-1", parameters.get("JobId"), request);
      assertFalse(parameters.get("Signature").isEmpty(), request);
      assertEquals("STS.****", parameters.get("AccessKeyId"), request);
      assertEquals("****", parameters.get("SecurityToken"), request);
      assertNotPrinted(result, sts.accessKeyId(), sts.accessKeySecret(), sts.securityToken());
      assertEquals(List.of(), iot.calls(), "a dry run sends nothing");
    }
  }

  @Test
  void secrets_areNotPrinted_whenTheCancelSucceeds() throws IOException {
    try (IotEmulator iot = IotEmulator.start()) {
      Credentials sts = iot.demoStsCredentials();

      Result result = withWebhookSecrets(cli().against(iot, sts))
          .run("invoke", signedHttpEvent().toString()).assertExit(0);

      assertSucceeded(result);
      assertNotPrinted(result, sts.accessKeySecret(), sts.securityToken(), WEBHOOK_SECRET,
          WEBHOOK_TOKEN);
    }
  }

  @Test
  void secrets_areNotPrinted_whenIotRejectsTheSignature() throws IOException {
    try (IotEmulator iot = IotEmulator.start()) {
      Credentials key = iot.demoCredentials();
      String wrongSecret = "not-" + key.accessKeySecret();

      Result result = withWebhookSecrets(
          cli().against(iot, Credentials.of(key.accessKeyId(), wrongSecret)))
          .run("invoke", signedHttpEvent().toString()).assertExit(4);

      JsonNode answer = read(result.json().get("body").asText());
      assertEquals("SignatureDoesNotMatch", answer.get("Code").asText(), result::toString);
      assertNotPrinted(result, wrongSecret, key.accessKeySecret(), WEBHOOK_SECRET,
          WEBHOOK_TOKEN);
    }
  }

  @Test
  void securityToken_isNotPrinted_whenIotRejectsTheSignature() throws IOException {
    try (IotEmulator iot = IotEmulator.start()) {
      Credentials sts = iot.demoStsCredentials();
      Credentials wrong = Credentials.of(sts.accessKeyId(), "not-" + sts.accessKeySecret(),
          sts.securityToken());

      Result result = withWebhookSecrets(cli().against(iot, wrong))
          .run("invoke", signedHttpEvent().toString()).assertExit(4);

      assertNotPrinted(result, sts.securityToken());
    }
  }

  private static final String WEBHOOK_SECRET = "cli-test-webhook-secret";
  private static final String WEBHOOK_TOKEN = "cli-test-webhook-token";

  private static CliProcess withWebhookSecrets(CliProcess cli) {
    return cli.env("WEBHOOK_SECRET", WEBHOOK_SECRET).env("WEBHOOK_TOKEN", WEBHOOK_TOKEN);
  }

  /**
   * The HTTP API sample without its bearer token, signed with {@link #WEBHOOK_SECRET} now (a
   * signature is only good for five minutes, so no sample file carries one).
   */
  private Path signedHttpEvent() throws IOException {
    ObjectNode event = (ObjectNode) JSON.readTree(
        CliProcess.projectDirectory().resolve("events/aws/http-api.json").toFile());
    String body = event.get("body").asText();
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    ObjectNode headers = (ObjectNode) event.get("headers");
    headers.remove("authorization");
    headers.put("x-ota-timestamp", timestamp);
    headers.put("x-ota-signature", "sha256=" + hmacSha256(WEBHOOK_SECRET, timestamp + "." + body));
    Path file = dir.resolve("signed-http-api.json");
    JSON.writeValue(file.toFile(), event);
    return file;
  }

  private static String hmacSha256(String key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertNotPrinted(Result result, String... secrets) {
    for (String secret : secrets) {
      assertFalse(result.stdout().contains(secret), () -> secret + " on stdout: " + result);
      assertFalse(result.stderr().contains(secret), () -> secret + " on stderr: " + result);
    }
  }

  private static Map<String, String> queryOf(String url) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : URI.create(url).getRawQuery().split("&")) {
      int equals = pair.indexOf('=');
      parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return parameters;
  }

  private static String fixture(String name) {
    try {
      return Path.of(CliProcessTest.class.getResource("/cli/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
