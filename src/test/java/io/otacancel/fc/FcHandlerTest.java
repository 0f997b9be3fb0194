package io.otacancel.fc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.aliyun.fc.runtime.FunctionParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otacancel.core.CancelFailedException;
import io.otacancel.testing.LoopbackIot;
import io.otacancel.testing.LoopbackIot.RequestIds;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

class FcHandlerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final String CONTEXT_KEY = "STS.ctx-key-1";
  private static final String CONTEXT_SECRET = "ctx-secret-1";
  private static final String CONTEXT_TOKEN = "ctx-token-1";
  private static final String ENV_KEY = "STS.env-key";
  private static final String ENV_SECRET = "env-secret";
  private static final String ENV_TOKEN = "env-token";
  /** IoT's answer to a request it refuses for good: not retried. */
  private static final String ILLEGAL_REQUEST = "{\"RequestId\":\"{id}\",\"Success\":false,"
      + "\"Code\":\"iot.system.IllegalRequest\",\"ErrorMessage\":\"The request is illegal.\"}";

  private LoopbackIot iot;
  private Map<String, String> env;
  private FunctionComputeLogger logger;

  @BeforeEach
  void startIot() throws IOException {
    iot = LoopbackIot.start(RequestIds.COUNTED, Map.of(CONTEXT_KEY, CONTEXT_SECRET,
        "STS.ctx-key-2", "ctx-secret-2", ENV_KEY, ENV_SECRET));
    env = new HashMap<>();
    env.put("IOT_ENDPOINT", iot.endpoint());
    env.put("IOT_MAX_QPS", "1000"); // the default 5 per second would only slow the tests down
    env.put("WEBHOOK_TOKEN", "demo-token");
    env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", ENV_KEY);
    env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ENV_SECRET);
    env.put("ALIBABA_CLOUD_SECURITY_TOKEN", ENV_TOKEN);
    logger = mock(FunctionComputeLogger.class);
  }

  @AfterEach
  void stopIot() {
    iot.close();
  }

  // --- Fixtures paired with the answer FC's caller sees ------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {
      "http-post-json", "http-get-query", "http-get-repeated-job-id", "http-post-base64",
      "http-comma-joined-headers", "http-repeated-authorization", "http-no-token", "http-put",
      "http-post-unknown-field", "timer-batch", "timer-empty-payload", "timer-go-sdk-sample",
      "direct"})
  void event_getsItsExpectedAnswer(String name) throws IOException {
    assertEquals(expected(name), answerSeen(new FcHandler(env), read(name), stsContext()));
  }

  /** The samples shipped in the project's events/fc/ for users to try must work as shown. */
  @ParameterizedTest
  @ValueSource(strings = {"http.json", "http-get.json", "timer.json", "direct.json"})
  void shippedSampleEvent_isServed(String file) throws IOException {
    String event = Files.readString(Path.of("events", "fc", file));

    JsonNode answer = invoke(new FcHandler(env), event, stsContext());

    if (answer.has("statusCode")) {
      assertEquals(200, answer.get("statusCode").asInt(), answer.toString());
      answer = body(answer);
    }
    assertTrue(answer.get("Success").asBoolean(), answer.toString());
    assertFalse(iot.received().isEmpty());
  }

  @Test
  void fcApiInvocation_withFunctionAuth_isServed_whenWebhookAuthIsNone() throws IOException {
    env.remove("WEBHOOK_TOKEN");
    env.put("WEBHOOK_AUTH", "none");

    assertEquals(expected("http-fc-api-invoke"),
        answerSeen(new FcHandler(env), read("http-fc-api-invoke"), stsContext()));
  }

  // --- Credentials -------------------------------------------------------------------------

  @Test
  void stsCredentials_fromContext_areSent_notTheEnvironments() throws IOException {
    JsonNode answer = invoke(new FcHandler(env), read("http-post-json"), stsContext());

    assertEquals(200, answer.get("statusCode").asInt());
    Map<String, String> sent = onlyRequest();
    assertEquals(CONTEXT_KEY, sent.get("AccessKeyId"));
    assertEquals(CONTEXT_TOKEN, sent.get("SecurityToken"));
    assertEquals("demo-job-1", sent.get("JobId"));
    assertEquals("true", sent.get("CancelQueuedTask"));
    assertEquals("true", sent.get("CancelInProgressTask"));
    assertFalse(sent.containsKey("CancelNotifiedTask"));
  }

  @Test
  void stsCredentials_areReadAgain_forEveryInvocation() throws IOException {
    FcHandler handler = new FcHandler(env);
    invoke(handler, read("http-post-json"), stsContext());
    invoke(handler, read("http-post-json"),
        context(credentials("STS.ctx-key-2", "ctx-secret-2", "ctx-token-2"), 60_000));

    List<Map<String, String>> sent = iot.received();
    assertEquals(2, sent.size());
    assertEquals(CONTEXT_KEY, sent.get(0).get("AccessKeyId"));
    assertEquals("STS.ctx-key-2", sent.get(1).get("AccessKeyId"));
    assertEquals("ctx-token-2", sent.get(1).get("SecurityToken"));
  }

  @Test
  void envCredentials_areSent_whenTheContextHasNone() throws IOException {
    JsonNode answer = invoke(new FcHandler(env), read("http-post-json"), context(null, 60_000));

    assertEquals(200, answer.get("statusCode").asInt());
    Map<String, String> sent = onlyRequest();
    assertEquals(ENV_KEY, sent.get("AccessKeyId"));
    assertEquals(ENV_TOKEN, sent.get("SecurityToken"));
  }

  @Test
  void incompleteContextCredentials_fallBackToTheEnvironment() throws IOException {
    invoke(new FcHandler(env), read("http-post-json"),
        context(credentials(CONTEXT_KEY, null, CONTEXT_TOKEN), 60_000));

    assertEquals(ENV_KEY, onlyRequest().get("AccessKeyId"));
  }

  @Test
  void noCredentialsAnywhere_answers500_andCallsNoIot() throws IOException {
    env.remove("ALIBABA_CLOUD_ACCESS_KEY_ID");
    env.remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    env.remove("ALIBABA_CLOUD_SECURITY_TOKEN");

    JsonNode answer = invoke(new FcHandler(env), read("http-post-json"), context(null, 60_000));

    assertEquals(500, answer.get("statusCode").asInt());
    assertEquals("ConfigurationError", body(answer).get("Code").asText());
    assertTrue(iot.received().isEmpty());
  }

  @Test
  void credentialsWithTheWrongSecret_areRefusedByIot() throws IOException {
    // Proves the loopback really checks signatures, so the tests above mean something.
    JsonNode answer = invoke(new FcHandler(env), read("http-post-json"),
        context(credentials(CONTEXT_KEY, "not-the-secret", CONTEXT_TOKEN), 60_000));

    assertEquals(502, answer.get("statusCode").asInt());
    assertEquals("SignatureDoesNotMatch", body(answer).get("Code").asText());
  }

  // --- HTTP trigger --------------------------------------------------------------------------

  @Test
  void base64Body_isDecoded_beforeTheHmacSignatureIsChecked() throws Exception {
    env.remove("WEBHOOK_TOKEN");
    env.put("WEBHOOK_SECRET", "demo-secret");
    ObjectNode event = (ObjectNode) MAPPER.readTree(read("http-post-base64"));
    byte[] body = java.util.Base64.getDecoder().decode(event.get("body").asText());
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    ObjectNode headers = (ObjectNode) event.get("headers");
    headers.remove("Authorization");
    headers.put("X-Ota-Timestamp", timestamp);
    headers.put("X-Ota-Signature", "sha256=" + hmacSha256("demo-secret", timestamp + ".", body));

    JsonNode answer = invoke(new FcHandler(env), MAPPER.writeValueAsString(event), stsContext());

    assertEquals(200, answer.get("statusCode").asInt(), answer.toString());
    assertEquals("true", onlyRequest().get("CancelNotifiedTask"));
  }

  @Test
  void bodyMarkedBase64_thatIsNot_answers400() throws IOException {
    ObjectNode event = (ObjectNode) MAPPER.readTree(read("http-post-base64"));
    event.put("body", "{not base64}");

    JsonNode answer = invoke(new FcHandler(env), MAPPER.writeValueAsString(event), stsContext());

    assertEquals(400, answer.get("statusCode").asInt());
    assertEquals("The body is not valid Base64, although isBase64Encoded is true",
        body(answer).get("Message").asText());
    assertTrue(iot.received().isEmpty());
  }

  @Test
  void bodyOver64KiB_answers413_andCallsNoIot() throws IOException {
    ObjectNode event = (ObjectNode) MAPPER.readTree(read("http-post-json"));
    event.put("body", "{\"JobId\":\"" + "x".repeat(64 * 1024) + "\"}");

    JsonNode answer = invoke(new FcHandler(env), MAPPER.writeValueAsString(event), stsContext());

    assertEquals(413, answer.get("statusCode").asInt());
    assertEquals("PayloadTooLarge", body(answer).get("Code").asText());
    assertTrue(iot.received().isEmpty());
  }

  @Test
  void iotFailure_answers502_withIotsCode() throws IOException {
    iot.answer(200, ILLEGAL_REQUEST);

    JsonNode answer = invoke(new FcHandler(env), read("http-post-json"), stsContext());

    assertEquals(502, answer.get("statusCode").asInt());
    assertEquals("application/json", answer.get("headers").get("Content-Type").asText());
    JsonNode result = body(answer);
    assertEquals("iot.system.IllegalRequest", result.get("Code").asText());
    assertEquals("The request is illegal.", result.get("ErrorMessage").asText());
    assertEquals("REJECTED", result.get("Outcome").asText());
    assertEquals("loopback-1", result.get("RequestId").asText());
  }

  @Test
  void httpFailure_isAnsweredNotThrown() throws IOException {
    iot.answer(200, ILLEGAL_REQUEST);

    String raw = invokeRaw(new FcHandler(env), read("http-post-json"), stsContext());

    assertEquals(502, MAPPER.readTree(raw).get("statusCode").asInt());
  }

  // --- Timer and direct invocations ----------------------------------------------------------

  @Test
  void timer_withBatchPayload_answersTheResultJsonItself() throws IOException {
    JsonNode answer = invoke(new FcHandler(env), read("timer-batch"), stsContext());

    assertTrue(answer.get("Success").asBoolean());
    assertFalse(answer.has("statusCode"));
    assertEquals(List.of("demo-job-1", "demo-job-2"),
        iot.received().stream().map(p -> p.get("JobId")).toList());
    assertEquals(CONTEXT_KEY, iot.received().get(0).get("AccessKeyId"));
  }

  @Test
  void timer_withEmptyPayload_failsNamingTheTimerPayload() throws IOException {
    CancelFailedException failure = assertThrows(CancelFailedException.class,
        () -> invoke(new FcHandler(env), read("timer-empty-payload"), stsContext()));

    assertEquals(400, failure.status());
    assertTrue(MAPPER.readTree(failure.getMessage()).get("Message").asText()
        .contains("triggerConfig.payload"), failure.getMessage());
    assertTrue(iot.received().isEmpty());
  }

  @Test
  void timer_withPayloadObject_isTakenAsTheRequest() throws IOException {
    String event = "{\"triggerTime\":\"2022-07-29T10:02:58Z\",\"triggerName\":\"t\","
        + "\"payload\":{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}}";

    JsonNode answer = invoke(new FcHandler(env), event, stsContext());

    assertEquals("demo-job-1", answer.get("JobId").asText());
  }

  @Test
  void timer_withPayloadThatIsNoObject_failsNamingTheTimerPayload() {
    String event = "{\"triggerTime\":\"2022-07-29T10:02:58Z\",\"triggerName\":\"t\","
        + "\"payload\":\"[\\\"demo-job-1\\\"]\"}";

    CancelFailedException failure = assertThrows(CancelFailedException.class,
        () -> invoke(new FcHandler(env), event, stsContext()));

    assertEquals(400, failure.status());
    assertTrue(failure.getMessage().contains("triggerConfig.payload"), failure.getMessage());
  }

  @Test
  void direct_invocation_answersTheResultJson() throws IOException {
    JsonNode answer = invoke(new FcHandler(env), read("direct"), stsContext());

    assertTrue(answer.get("Success").asBoolean());
    assertEquals("iot-cn-demoinstance1", onlyRequest().get("IotInstanceId"));
  }

  @Test
  void failedDirectInvocation_throws_withTheResultJsonAsMessage_andNoStackTrace() {
    iot.answer(200, ILLEGAL_REQUEST);

    CancelFailedException failure = assertThrows(CancelFailedException.class,
        () -> invoke(new FcHandler(env), read("direct"), stsContext()));

    assertEquals(502, failure.status());
    assertTrue(failure.getMessage().startsWith("{\"JobId\":\"demo-job-1\",\"Success\":false,"
        + "\"Code\":\"iot.system.IllegalRequest\""), failure.getMessage());
    assertEquals(0, failure.getStackTrace().length);
  }

  @Test
  void partlyFailedBatch_throws_with207() {
    iot.answer("demo-job-2", 200, ILLEGAL_REQUEST);

    CancelFailedException failure = assertThrows(CancelFailedException.class,
        () -> invoke(new FcHandler(env), read("timer-batch"), stsContext()));

    assertEquals(207, failure.status());
    assertTrue(failure.getMessage().startsWith("{\"Success\":false,\"Results\":["),
        failure.getMessage());
    assertEquals(2, iot.received().size());
  }

  @Test
  void eventThatIsNotJson_failsAs400() {
    CancelFailedException failure = assertThrows(CancelFailedException.class,
        () -> invoke(new FcHandler(env), "JobId=demo-job-1", stsContext()));

    assertEquals(400, failure.status());
    assertTrue(failure.getMessage().contains("Malformed JSON"), failure.getMessage());
  }

  // --- Deadline, logging, initializer --------------------------------------------------------

  @Test
  void execTimeLimit_boundsTheDeadline() throws IOException {
    env.put("DEADLINE_MARGIN_MS", "500");
    // 600 ms less the 500 ms margin leaves less than one attempt needs: nothing is sent.
    JsonNode answer = invoke(new FcHandler(env), read("http-post-json"),
        context(credentials(CONTEXT_KEY, CONTEXT_SECRET, CONTEXT_TOKEN), 600));

    assertEquals(504, answer.get("statusCode").asInt());
    assertEquals("DeadlineExceeded", body(answer).get("Code").asText());
    assertTrue(iot.received().isEmpty());
  }

  @Test
  void contextWithoutFunctionParam_isServed() throws IOException {
    Context context = context(credentials(CONTEXT_KEY, CONTEXT_SECRET, CONTEXT_TOKEN), 0);
    when(context.getFunctionParam()).thenReturn(null);

    JsonNode answer = invoke(new FcHandler(env), read("http-post-json"), context);

    assertEquals(200, answer.get("statusCode").asInt());
  }

  @Test
  void nullContext_isServed_withTheEnvironmentsCredentials() throws IOException {
    JsonNode answer = invoke(new FcHandler(env), read("direct"), null);

    assertTrue(answer.get("Success").asBoolean());
    assertEquals(ENV_KEY, onlyRequest().get("AccessKeyId"));
  }

  @Test
  void outcomeLines_goToTheContextsLogger_withoutSecrets() throws IOException {
    invoke(new FcHandler(env), read("http-post-json"), stsContext());

    ArgumentCaptor<String> lines = ArgumentCaptor.forClass(String.class);
    verify(logger, atLeastOnce()).info(lines.capture());
    String all = String.join("\n", lines.getAllValues());
    assertTrue(all.contains("\"JobId\":\"demo-job-1\""), all);
    for (String secret :
        List.of(CONTEXT_SECRET, CONTEXT_TOKEN, ENV_SECRET, ENV_TOKEN, "demo-token")) {
      assertFalse(all.contains(secret), secret + " leaked into " + all);
    }
  }

  @Test
  void initializer_primesWithoutAnyNetworkCall_orCredentials() throws IOException {
    FcHandler handler = new FcHandler(env);
    Context context = mock(Context.class);

    handler.initialize(context);

    assertTrue(iot.received().isEmpty());
    verify(context, never()).getExecutionCredentials();
    assertEquals(200, invoke(handler, read("http-post-json"), stsContext())
        .get("statusCode").asInt());
  }

  @Test
  void initializer_withBrokenConfiguration_doesNotThrow_andRequestsAnswer500() throws IOException {
    env.remove("IOT_ENDPOINT");
    FcHandler handler = new FcHandler(env);

    handler.initialize(mock(Context.class));

    JsonNode answer = invoke(handler, read("http-post-json"), stsContext());
    assertEquals(500, answer.get("statusCode").asInt());
    verify(logger, atLeastOnce()).info(anyString());
  }

  // --- Helpers -------------------------------------------------------------------------------

  private Context stsContext() {
    return context(credentials(CONTEXT_KEY, CONTEXT_SECRET, CONTEXT_TOKEN), 60_000);
  }

  private Context context(Credentials credentials, int timeLimitMillis) {
    Context context = mock(Context.class);
    FunctionParam param = mock(FunctionParam.class);
    when(param.getExecTimeLimitInMillis()).thenReturn(timeLimitMillis);
    when(context.getFunctionParam()).thenReturn(param);
    when(context.getExecutionCredentials()).thenReturn(credentials);
    when(context.getLogger()).thenReturn(logger);
    when(context.getRequestId()).thenReturn("fc-request-1");
    return context;
  }

  private static Credentials credentials(String id, String secret, String token) {
    return new Credentials() {
      @Override
      public String getAccessKeyId() {
        return id;
      }

      @Override
      public String getAccessKeySecret() {
        return secret;
      }

      @Override
      public String getSecurityToken() {
        return token;
      }
    };
  }

  private Map<String, String> onlyRequest() {
    List<Map<String, String>> received = iot.received();
    assertEquals(1, received.size(), "requests received: " + received);
    return received.get(0);
  }

  private static String invokeRaw(FcHandler handler, String event, Context context)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
        context);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static JsonNode invoke(FcHandler handler, String event, Context context)
      throws IOException {
    return MAPPER.readTree(invokeRaw(handler, event, context));
  }

  /**
   * What the invoker sees, in the form the {@code *.expected.json} files use: the answer, or
   * {@code {"errorType", "errorMessage"}} when the handler throws (FC's error fields); JSON held
   * in a string ({@code body}, {@code errorMessage}) parsed; {@code LatencyMs} dropped.
   */
  private static JsonNode answerSeen(FcHandler handler, String event, Context context)
      throws IOException {
    JsonNode seen;
    try {
      seen = invoke(handler, event, context);
      if (seen.has("statusCode")) {
        ((ObjectNode) seen).set("body", MAPPER.readTree(seen.get("body").asText()));
      }
    } catch (CancelFailedException e) {
      ObjectNode error = MAPPER.createObjectNode();
      error.put("errorType", e.getClass().getName());
      error.set("errorMessage", MAPPER.readTree(e.getMessage()));
      seen = error;
    }
    dropLatency(seen);
    return seen;
  }

  private static void dropLatency(JsonNode node) {
    if (node.isObject()) {
      ((ObjectNode) node).remove("LatencyMs");
    }
    node.forEach(FcHandlerTest::dropLatency);
  }

  private static JsonNode body(JsonNode httpAnswer) throws IOException {
    return MAPPER.readTree(httpAnswer.get("body").asText());
  }

  private static String read(String name) throws IOException {
    return resource("fc/" + name + ".json");
  }

  private static JsonNode expected(String name) throws IOException {
    return MAPPER.readTree(resource("fc/" + name + ".expected.json"));
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = FcHandlerTest.class.getClassLoader().getResourceAsStream(path)) {
      assertNotNull(in, path + " is missing");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String hmacSha256(String key, String prefix, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update(prefix.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }
}
