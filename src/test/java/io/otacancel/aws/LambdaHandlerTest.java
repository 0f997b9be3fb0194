package io.otacancel.aws;

import static io.otacancel.aws.Fixtures.assertAnswer;
import static io.otacancel.aws.Fixtures.comparable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otacancel.core.CancelFailedException;
import io.otacancel.testing.LoopbackIot;
import io.otacancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LambdaHandlerTest {
  static final String WEBHOOK_TOKEN = "test-webhook-token";
  static final String WEBHOOK_SECRET = "test-webhook-secret";

  private LoopbackIot iot;
  private LambdaHandler handler;
  private TestContext context;

  @BeforeEach
  void start() throws IOException {
    iot = LoopbackIot.start();
    handler = new LambdaHandler(env());
    context = new TestContext(30_000);
  }

  @AfterEach
  void stop() {
    iot.close();
    assertEquals(List.of(), iot.refused(), "requests LoopbackIot refused");
  }

  private Map<String, String> env() {
    Map<String, String> env = iot.env();
    env.put("WEBHOOK_TOKEN", WEBHOOK_TOKEN);
    env.put("WEBHOOK_SECRET", WEBHOOK_SECRET);
    return env;
  }

  private byte[] invoke(byte[] event) throws IOException {
    return invoke(handler, event, context);
  }

  private static byte[] invoke(LambdaHandler handler, byte[] event, TestContext context)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), out, context);
    return out.toByteArray();
  }

  private byte[] invoke(String fixture) throws IOException {
    return invoke(Fixtures.bytes(fixture));
  }

  /** Invokes with an event that must fail, and returns the exception. */
  private CancelFailedException failing(byte[] event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CancelFailedException e = assertThrows(CancelFailedException.class,
        () -> handler.handleRequest(new ByteArrayInputStream(event), out, context));
    assertEquals(0, out.size(), "nothing is written before a failure");
    return e;
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // --- HTTP: API Gateway HTTP API 2.0, Function URL, REST API ---------------------------------

  @Test
  void httpApiPostJson_withBearerToken_cancelsTheJob() throws IOException {
    assertAnswer("http-api-post-json.json", invoke("events/http-api-post-json.json"));

    Map<String, String> sent = iot.received().get(0);
    assertEquals("job-http-1", sent.get("JobId"));
    assertEquals("true", sent.get("CancelQueuedTask"));
    assertEquals("true", sent.get("CancelNotifiedTask"));
    assertNull(sent.get("CancelInProgressTask"), "flags not asked for are not sent");
    assertEquals(LoopbackIot.ACCESS_KEY_ID, sent.get("AccessKeyId"));
    assertEquals(1, iot.received().size());
  }

  @Test
  void base64Body_isDecoded() throws IOException {
    assertAnswer("http-api-post-base64.json", invoke("events/http-api-post-base64.json"));

    assertEquals(2, iot.received().size());
    assertEquals("job-b64-1", iot.received().get(0).get("JobId"));
    assertEquals("true", iot.received().get(1).get("CancelInProgressTask"));
  }

  @Test
  void getWithQueryString_takesTheRequestFromTheDecodedRawQuery() throws IOException {
    assertAnswer("http-api-get-query.json", invoke("events/http-api-get-query.json"));

    Map<String, String> sent = iot.received().get(0);
    assertEquals("job.query-1", sent.get("JobId"));
    assertEquals("iot-cn-test_1", sent.get("IotInstanceId"));
  }

  @Test
  void repeatedQueryParameter_isRefused_notCommaJoinedIntoOneId() throws IOException {
    ObjectNode event = Fixtures.tree("events/http-api-get-query.json");
    event.put("rawQueryString", "JobId=job-a&JobId=job-b&CancelQueuedTask=true");
    event.putObject("queryStringParameters").put("JobId", "job-a,job-b")
        .put("CancelQueuedTask", "true");

    JsonNode answer = comparable(invoke(Fixtures.write(event)));

    assertEquals(400, answer.get("statusCode").asInt());
    assertEquals("JobId must be given once", answer.at("/body/Message").asText());
    assertEquals(List.of(), iot.received());
  }

  @Test
  void malformedPercentEncodingInQuery_is400() throws IOException {
    ObjectNode event = Fixtures.tree("events/http-api-get-query.json");
    event.put("rawQueryString", "JobId=job%zz");

    JsonNode answer = comparable(invoke(Fixtures.write(event)));

    assertEquals(400, answer.get("statusCode").asInt());
    assertEquals("Malformed form or query: bad percent-encoding",
        answer.at("/body/Message").asText());
  }

  @Test
  void restApiFormBody_isReadAsAForm() throws IOException {
    assertAnswer("rest-api-post-form.json", invoke("events/rest-api-post-form.json"));

    assertEquals(List.of("job-form-1", "job-form-2", "job-form-3"),
        iot.received().stream().map(p -> p.get("JobId")).toList());
    assertEquals("true", iot.received().get(2).get("CancelScheduledTask"));
  }

  @Test
  void restApiMultiValueQuery_keepsEveryValue() throws IOException {
    assertAnswer("rest-api-get-query.json", invoke("events/rest-api-get-query.json"));

    assertEquals(List.of("job-rest-1", "job-rest-2"),
        iot.received().stream().map(p -> p.get("JobId")).toList());
  }

  @Test
  void functionUrlPostJson_cancelsTheJob() throws IOException {
    assertAnswer("function-url-post-json.json", invoke("events/function-url-post-json.json"));

    assertEquals("job-url-1", iot.received().get(0).get("JobId"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"apigw_http_event.json", "HttpApi.rendered-defaults.json",
      "lambdaFunctionUrlEvent.json", "apigw_rest_event.json", "AwsProxy.rendered-defaults.json"})
  void platformSampleWithoutCredentials_is401_andSendsNothing(String sample) throws IOException {
    JsonNode answer = comparable(invoke("platform/" + sample));

    assertEquals(401, answer.get("statusCode").asInt());
    assertEquals("application/json", answer.at("/headers/Content-Type").asText());
    assertFalse(answer.get("isBase64Encoded").asBoolean());
    assertEquals("Unauthorized", answer.at("/body/Code").asText());
    assertEquals("Missing credentials: send Authorization: Bearer <token>, or X-Ota-Timestamp "
        + "and X-Ota-Signature", answer.at("/body/Message").asText());
    assertEquals(List.of(), iot.received());
  }

  @Test
  void invalidBearerToken_is401_andSendsNothing() throws IOException {
    ObjectNode event = Fixtures.tree("events/http-api-post-json.json");
    ((ObjectNode) event.get("headers")).put("authorization", "Bearer not-the-token");

    JsonNode answer = comparable(invoke(Fixtures.write(event)));

    assertEquals(401, answer.get("statusCode").asInt());
    assertEquals("Invalid bearer token", answer.at("/body/Message").asText());
    assertEquals(List.of(), iot.received());
  }

  /** The fixture's request without a bearer token, signed with WEBHOOK_SECRET at {@code time}. */
  private static ObjectNode hmacSigned(long time, String secret) throws Exception {
    ObjectNode event = Fixtures.tree("events/http-api-post-json.json");
    ObjectNode headers = (ObjectNode) event.get("headers");
    headers.remove("authorization");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] digest = mac.doFinal((time + "." + event.get("body").asText())
        .getBytes(StandardCharsets.UTF_8));
    headers.put("x-ota-timestamp", Long.toString(time));
    headers.put("x-ota-signature", "sha256=" + java.util.HexFormat.of().formatHex(digest));
    return event;
  }

  @Test
  void hmacSignature_good_isAccepted() throws Exception {
    long now = System.currentTimeMillis() / 1000;

    assertAnswer("http-api-post-json.json",
        invoke(Fixtures.write(hmacSigned(now, WEBHOOK_SECRET))));

    assertEquals(1, iot.received().size());
  }

  @Test
  void hmacSignature_withAnotherSecret_is401() throws Exception {
    long now = System.currentTimeMillis() / 1000;

    JsonNode answer = comparable(invoke(Fixtures.write(hmacSigned(now, "another-secret"))));

    assertEquals(401, answer.get("statusCode").asInt());
    assertEquals("Invalid X-Ota-Signature", answer.at("/body/Message").asText());
    assertEquals(List.of(), iot.received());
  }

  @Test
  void hmacSignature_stale_is401() throws Exception {
    long anHourAgo = System.currentTimeMillis() / 1000 - 3600;

    JsonNode answer = comparable(invoke(Fixtures.write(hmacSigned(anHourAgo, WEBHOOK_SECRET))));

    assertEquals(401, answer.get("statusCode").asInt());
    assertEquals("X-Ota-Timestamp is more than 5 minutes away from the server's clock",
        answer.at("/body/Message").asText());
    assertEquals(List.of(), iot.received());
  }

  @Test
  void putMethod_is405() throws IOException {
    assertAnswer("http-api-put.json", invoke("events/http-api-put.json"));

    assertEquals(List.of(), iot.received());
  }

  @Test
  void bodyOver64KiB_is413() throws IOException {
    ObjectNode event = Fixtures.tree("events/http-api-post-json.json");
    event.put("body", "{\"JobId\":\"" + "x".repeat(64 * 1024) + "\"}");

    JsonNode answer = comparable(invoke(Fixtures.write(event)));

    assertEquals(413, answer.get("statusCode").asInt());
    assertEquals("PayloadTooLarge", answer.at("/body/Code").asText());
    assertEquals(List.of(), iot.received());
  }

  @Test
  void unknownField_is400_namingIt_andSendsNothing() throws IOException {
    JsonNode answer = comparable(invoke("events/http-api-unknown-field.json"));

    assertEquals(400, answer.get("statusCode").asInt());
    assertEquals("InvalidParameter", answer.at("/body/Code").asText());
    assertTrue(answer.at("/body/Message").asText().startsWith(
        "Unknown field CancelQueuedTasks; expected JobId, "), answer.toString());
    assertEquals(List.of(), iot.received());
  }

  @Test
  void invalidBase64Body_is400() throws IOException {
    ObjectNode event = Fixtures.tree("events/http-api-post-base64.json");
    event.put("body", "not base64!");

    JsonNode answer = comparable(invoke(Fixtures.write(event)));

    assertEquals(400, answer.get("statusCode").asInt());
    assertEquals("The body is not valid Base64, although isBase64Encoded is true",
        answer.at("/body/Message").asText());
    assertEquals(List.of(), iot.received());
  }

  @Test
  void iotFailure_is502_withCodeErrorMessageAndRequestId() throws IOException {
    iot.answer("job-http-1", 200, "{\"RequestId\":\"req-failed\",\"Success\":false,"
        + "\"Code\":\"iot.ota.JobNotFound\",\"ErrorMessage\":\"The job does not exist.\"}");

    JsonNode answer = comparable(invoke("events/http-api-post-json.json"));

    assertEquals(502, answer.get("statusCode").asInt());
    JsonNode body = answer.get("body");
    assertFalse(body.get("Success").asBoolean());
    assertEquals("iot.ota.JobNotFound", body.get("Code").asText());
    assertEquals("The job does not exist.", body.get("ErrorMessage").asText());
    assertEquals("req-failed", body.get("RequestId").asText());
    assertEquals("REJECTED", body.get("Outcome").asText());
  }

  @Test
  void batchWithMixedOutcomes_is207() throws IOException {
    iot.answer("job-b64-2", 200, "{\"RequestId\":\"req-failed\",\"Success\":false,"
        + "\"Code\":\"iot.ota.JobNotFound\",\"ErrorMessage\":\"The job does not exist.\"}");

    JsonNode answer = comparable(invoke("events/http-api-post-base64.json"));

    assertEquals(207, answer.get("statusCode").asInt());
    assertFalse(answer.at("/body/Success").asBoolean());
    assertTrue(answer.at("/body/Results/0/Success").asBoolean());
    assertEquals("iot.ota.JobNotFound", answer.at("/body/Results/1/Code").asText());
    assertEquals(2, iot.received().size());
  }

  @Test
  void tinyRemainingTime_is504_withoutARequest() throws IOException {
    byte[] answer = invoke(handler, Fixtures.bytes("events/http-api-post-json.json"),
        new TestContext(100));

    JsonNode tree = comparable(answer);
    assertEquals(504, tree.get("statusCode").asInt());
    assertEquals("TIMED_OUT", tree.at("/body/Outcome").asText());
    assertEquals("DeadlineExceeded", tree.at("/body/Code").asText());
    assertEquals(List.of(), iot.received());
  }

  @Test
  void missingConfiguration_is500_overHttp() throws IOException {
    Map<String, String> env = env();
    env.remove("IOT_ENDPOINT");
    LambdaHandler unconfigured = new LambdaHandler(env);

    JsonNode answer = comparable(invoke(unconfigured,
        Fixtures.bytes("events/http-api-post-json.json"), context));

    assertEquals(500, answer.get("statusCode").asInt());
    assertEquals("ConfigurationError", answer.at("/body/Code").asText());
    assertTrue(String.join("", context.logged()).contains("IOT_REGION_ID"),
        "the log says what to set: " + context.logged());
  }

  @Test
  void logLines_goToTheLambdaLogger_oneLinePerCall() throws IOException {
    invoke("events/http-api-post-json.json");

    List<String> lines = context.logged();
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).endsWith("}\n"), lines.get(0));
    JsonNode line = Fixtures.read(lines.get(0));
    assertEquals("cancel", line.get("event").asText());
    assertEquals("job-http-1", line.get("JobId").asText());
  }

  // --- EventBridge rule events ----------------------------------------------------------------

  @Test
  void scheduledEventWithDetail_cancelsTheDetailsRequest() throws IOException {
    assertAnswer("scheduled-event-detail.json", invoke("events/scheduled-event-detail.json"));

    assertEquals("job-rule-1", iot.received().get(0).get("JobId"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cloudwatch_event.json", "ScheduledEvent.rendered-defaults.json"})
  void scheduledEventWithoutDetail_failsNamingWhatToConfigure(String sample) {
    CancelFailedException e = failing(Fixtures.bytes("platform/" + sample));

    assertEquals(400, e.status());
    JsonNode result = Fixtures.read(e.getMessage());
    assertEquals("InvalidParameter", result.get("Code").asText());
    assertEquals("The Scheduled Event carries no cancel request in detail: configure the rule's "
        + "target Input (constant JSON) with the cancel request, or use an EventBridge Scheduler "
        + "(ScheduleV2) Input", result.get("Message").asText());
    assertEquals(0, e.getStackTrace().length, "no stack trace noise");
    assertEquals(List.of(), iot.received());
  }

  @Test
  void customEventBridgeEvent_takesTheRequestFromDetail() throws IOException {
    ObjectNode event = Fixtures.tree("events/scheduled-event-detail.json");
    event.put("detail-type", "OtaCancelRequested");
    event.put("source", "com.example.fleet");

    assertAnswer("scheduled-event-detail.json", invoke(Fixtures.write(event)));
  }

  // --- EventBridge Scheduler input, console test events, aws lambda invoke -------------------

  @Test
  void schedulerInput_returnsTheResultJson() throws IOException {
    assertAnswer("scheduler-input-batch.json", invoke("events/scheduler-input-batch.json"));

    assertEquals(2, iot.received().size());
    assertEquals("true", iot.received().get(1).get("CancelInProgressTask"));
  }

  @Test
  void directInvocation_returnsTheResultJson() throws IOException {
    assertAnswer("direct-single.json", invoke("events/direct-single.json"));
  }

  @Test
  void directInvocation_withoutContext_stillWorks() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    handler.handleRequest(new ByteArrayInputStream(Fixtures.bytes("events/direct-single.json")),
        out, null);

    assertAnswer("direct-single.json", out.toByteArray());
  }

  @Test
  void failedDirectInvocation_throwsWithTheResultJson() {
    iot.answer("job-direct-1", 200, "{\"RequestId\":\"req-failed\",\"Success\":false,"
        + "\"Code\":\"iot.ota.JobNotFound\",\"ErrorMessage\":\"The job does not exist.\"}");

    CancelFailedException e = failing(Fixtures.bytes("events/direct-single.json"));

    assertEquals(502, e.status());
    JsonNode result = Fixtures.read(e.getMessage());
    assertEquals("job-direct-1", result.get("JobId").asText());
    assertEquals("iot.ota.JobNotFound", result.get("Code").asText());
    assertEquals("req-failed", result.get("RequestId").asText());
  }

  @Test
  void failedBatchInput_throwsWithEveryJobsResult() {
    iot.answer("job-sched-2", 503, "{\"RequestId\":\"req-busy\",\"Code\":\"ServiceUnavailable\","
        + "\"Message\":\"busy\"}");
    Map<String, String> env = env();
    env.put("IOT_MAX_ATTEMPTS", "1");
    handler = new LambdaHandler(env);

    CancelFailedException e = failing(Fixtures.bytes("events/scheduler-input-batch.json"));

    assertEquals(207, e.status());
    JsonNode result = Fixtures.read(e.getMessage());
    assertTrue(result.at("/Results/0/Success").asBoolean());
    assertEquals("ServiceUnavailable", result.at("/Results/1/Code").asText());
  }

  @Test
  void directInvocationWithUnknownField_fails400_andSendsNothing() {
    CancelFailedException e = failing(json("{\"JobId\":\"job-1\",\"CancelQueuedTasks\":true}"));

    assertEquals(400, e.status());
    assertTrue(Fixtures.read(e.getMessage()).get("Message").asText()
        .startsWith("Unknown field CancelQueuedTasks"), e.getMessage());
    assertEquals(List.of(), iot.received());
  }

  @Test
  void directInvocationWithTinyRemainingTime_failsTimedOut_withoutARequest() {
    context = new TestContext(100);

    CancelFailedException e = failing(Fixtures.bytes("events/direct-single.json"));

    assertEquals(504, e.status());
    assertEquals("TIMED_OUT", Fixtures.read(e.getMessage()).get("Outcome").asText());
    assertEquals(List.of(), iot.received());
  }

  @Test
  void directInvocationWithoutConfiguration_fails500() {
    Map<String, String> env = env();
    env.remove("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
    handler = new LambdaHandler(env);

    CancelFailedException e = failing(Fixtures.bytes("events/direct-single.json"));

    assertEquals(500, e.status());
    assertEquals("ConfigurationError", Fixtures.read(e.getMessage()).get("Code").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"JobId\"", "null", "{\"JobId\":", ""})
  void payloadThatIsNoJsonObject_fails400(String payload) {
    CancelFailedException e = failing(json(payload));

    assertEquals(400, e.status());
    assertEquals("InvalidParameter", Fixtures.read(e.getMessage()).get("Code").asText());
  }
}
