package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otacancel.local.Fault;
import io.otacancel.local.IotEmulator;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The platform-free function: statuses, bodies and logs as every trigger sees them. */
class OtaCancelFunctionTest {
  private static final String TOKEN = "webhook-token-value";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @AutoClose
  private static final IotEmulator emulator = IotEmulator.start();
  private final List<String> log = new ArrayList<>();

  @BeforeEach
  void resetEmulator() {
    emulator.reset();
  }

  @Test
  void authenticatedWebhook_cancels_andAnswers200WithIotsAnswer() throws Exception {
    HttpResponse response = function(Map.of()).http(
        post("{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}", "Bearer " + TOKEN),
        invocation());

    assertEquals(200, response.status());
    JsonNode body = MAPPER.readTree(response.body());
    assertEquals("demo-job-1", body.get("JobId").asText());
    assertTrue(body.get("Success").asBoolean());
    assertFalse(body.get("RequestId").asText().isEmpty());
    assertEquals(1, emulator.calls().size());
  }

  @Test
  void unauthenticatedWebhook_gets401_andNothingIsSent() throws Exception {
    HttpResponse response = function(Map.of()).http(
        post("{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}", "Bearer wrong"),
        invocation());

    assertEquals(401, response.status());
    assertEquals("{\"Code\":\"Unauthorized\",\"Message\":\"Invalid bearer token\"}",
        response.body());
    assertTrue(emulator.calls().isEmpty());
  }

  @Test
  void invalidInput_gets400NamingTheField_andNothingIsSent() {
    HttpResponse response = function(Map.of()).http(
        post("{\"JobId\":\"demo-job-1\",\"CancelQueuedTasks\":true}", "Bearer " + TOKEN),
        invocation());

    assertEquals(400, response.status());
    assertTrue(response.body().startsWith(
        "{\"Code\":\"InvalidParameter\",\"Message\":\"Unknown field CancelQueuedTasks;"),
        response.body());
    assertTrue(emulator.calls().isEmpty());
  }

  @Test
  void otherMethods_get405_andHugeBodies413() {
    HttpRequest put = HttpRequest.of("PUT", "/", Map.of("Authorization", "Bearer " + TOKEN),
        Map.of(), new byte[0]);
    assertEquals(405, function(Map.of()).http(put, invocation()).status());

    byte[] huge = new byte[OtaCancelFunction.MAX_BODY_BYTES + 1];
    HttpRequest big = HttpRequest.of("POST", "/", Map.of("Authorization", "Bearer " + TOKEN),
        Map.of(), huge);
    HttpResponse response = function(Map.of()).http(big, invocation());
    assertEquals(413, response.status());
    assertEquals("{\"Code\":\"PayloadTooLarge\",\"Message\":\"The body is larger than 65536 bytes\"}",
        response.body());
  }

  @Test
  void getWithQueryParameters_andFormBodies_areRequests() {
    HttpRequest get = HttpRequest.of("GET", "/", Map.of("Authorization", "Bearer " + TOKEN),
        HttpRequest.parseForm("JobId=demo-job-1&CancelQueuedTask=true"), new byte[0]);
    assertEquals(200, function(Map.of()).http(get, invocation()).status());

    HttpRequest form = HttpRequest.of("POST", "/", Map.of("Authorization", "Bearer " + TOKEN,
        "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), Map.of(),
        "JobIds=demo-job-2%2Cdemo-job-3&CancelNotifiedTask=true".getBytes(StandardCharsets.UTF_8));
    HttpResponse response = function(Map.of()).http(form, invocation());
    assertEquals(200, response.status(), response.body());
    assertEquals(3, emulator.calls().size());
  }

  @Test
  void aGetWithABody_orABodyBesideAQuery_is400_andNothingIsSent() {
    byte[] body = "{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}"
        .getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = Map.of("Authorization", "Bearer " + TOKEN);
    HttpResponse get = function(Map.of()).http(HttpRequest.of("GET", "/", headers,
        HttpRequest.parseForm("JobId=demo-job-2&CancelQueuedTask=true"), body), invocation());
    HttpResponse both = function(Map.of()).http(HttpRequest.of("POST", "/", headers,
        HttpRequest.parseForm("JobId=demo-job-2&CancelQueuedTask=true"), body), invocation());

    assertEquals("{\"Code\":\"InvalidParameter\",\"Message\":\"A GET request must not have a "
        + "body: send the cancel request in the query, or POST it as the body\"}", get.body());
    assertEquals("{\"Code\":\"InvalidParameter\",\"Message\":\"Send the cancel request either in "
        + "the body or in the query, not both\"}", both.body());
    assertEquals(400, both.status());
    assertTrue(emulator.calls().isEmpty());
  }

  @Test
  void aBodyIsReadOnlyAsItsContentTypeSays_otherTypesGet415() {
    String json = "{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}";
    HttpResponse plain = function(Map.of()).http(typed("Text/Plain; charset=utf-8", json),
        invocation());
    HttpResponse jsonAsForm = function(Map.of()).http(
        typed("application/x-www-form-urlencoded", json), invocation());

    assertEquals(415, plain.status());
    assertEquals("{\"Code\":\"UnsupportedMediaType\",\"Message\":\"Content-Type text/plain is "
        + "not supported: send application/json or application/x-www-form-urlencoded\"}",
        plain.body());
    assertEquals(415, jsonAsForm.status());
    assertEquals("{\"Code\":\"UnsupportedMediaType\",\"Message\":\"The body is JSON but its "
        + "Content-Type is application/x-www-form-urlencoded (curl's default for --data): send "
        + "Content-Type: application/json\"}", jsonAsForm.body());
    assertTrue(emulator.calls().isEmpty());

    assertEquals(200, function(Map.of()).http(typed("APPLICATION/JSON", json), invocation())
        .status());
    assertEquals(200, function(Map.of()).http(HttpRequest.of("POST", "/",
        Map.of("Authorization", "Bearer " + TOKEN), Map.of(),
        json.getBytes(StandardCharsets.UTF_8)), invocation()).status(), "no Content-Type: JSON");
  }

  private static HttpRequest typed(String contentType, String body) {
    return HttpRequest.of("POST", "/", Map.of("Authorization", "Bearer " + TOKEN,
        "Content-Type", contentType), Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void mixedBatch_gets207_withEveryJobsResult() throws Exception {
    HttpResponse response = function(Map.of()).http(post(
        "{\"JobIds\":[\"demo-job-1\",\"no-such-job\"],\"CancelQueuedTask\":true}",
        "Bearer " + TOKEN), invocation());

    assertEquals(207, response.status());
    JsonNode body = MAPPER.readTree(response.body());
    assertFalse(body.get("Success").asBoolean());
    assertTrue(body.get("Results").get(0).get("Success").asBoolean());
    assertEquals("iot.ota.JobNotFound", body.get("Results").get(1).get("Code").asText());
  }

  @Test
  void iotFailure_gets502_withItsCodeMessageAndRequestId() throws Exception {
    emulator.inject(1, Fault.businessError("iot.system.IllegalRequest", "Bad job."));

    HttpResponse response = function(Map.of()).http(
        post("{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}", "Bearer " + TOKEN),
        invocation());

    assertEquals(502, response.status());
    JsonNode body = MAPPER.readTree(response.body());
    assertEquals("iot.system.IllegalRequest", body.get("Code").asText());
    assertEquals("Bad job.", body.get("ErrorMessage").asText());
    assertFalse(body.get("RequestId").asText().isEmpty());
  }

  @Test
  void persistentThrottling_gets429_andAnExhaustedDeadline504() {
    emulator.inject(2, Fault.throttling());
    HttpResponse throttled = function(Map.of("IOT_MAX_ATTEMPTS", "2")).http(
        post("{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}", "Bearer " + TOKEN),
        invocation());
    assertEquals(429, throttled.status());

    HttpResponse late = function(Map.of()).http(
        post("{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}", "Bearer " + TOKEN),
        Invocation.of(Duration.ofMillis(600), null, log::add));
    assertEquals(504, late.status());
  }

  @Test
  void timerOrDirectEvent_needsNoToken() throws Exception {
    HttpResponse response = function(Map.of()).event(
        Json.parse("{\"JobIds\":[\"demo-job-1\"],\"CancelQueuedTask\":true}"), invocation());

    assertEquals(200, response.status());
    JsonNode body = MAPPER.readTree(response.body());
    assertTrue(body.get("Success").asBoolean());
    assertEquals(1, body.get("Results").size());
  }

  @Test
  void configurationError_isA500_thatKeepsTheDetailInTheLogForWebhooks() {
    OtaCancelFunction broken = OtaCancelFunction.fromEnv(Map.of("IOT_ENDPOINT", "http://10.1.1.1/"));

    HttpResponse webhook = broken.http(post("{}", "Bearer x"), invocation());
    assertEquals(500, webhook.status());
    assertFalse(webhook.body().contains("10.1.1.1"));
    assertTrue(log.get(0).contains("IOT_ENDPOINT may use plain http only for a loopback host"));

    HttpResponse direct = broken.event(Json.parse("{}"), invocation());
    assertEquals(500, direct.status());
    assertTrue(direct.body().contains("IOT_ENDPOINT may use plain http only"));
  }

  @Test
  void missingCredentials_overAWebhook_keepsTheDetailInTheLog() {
    OtaCancelFunction function = OtaCancelFunction.fromEnv(Map.of(
        "IOT_ENDPOINT", emulator.endpoint().toString(), "WEBHOOK_TOKEN", TOKEN));

    HttpResponse response = function.http(
        post("{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}", "Bearer " + TOKEN),
        invocation());

    assertEquals(500, response.status());
    assertFalse(response.body().contains("ALIBABA_CLOUD"), response.body());
    assertTrue(log.get(0).contains("No Alibaba Cloud credentials"));
  }

  @Test
  void missingCredentials_isAConfigurationError_andNothingIsSent() {
    OtaCancelFunction function = OtaCancelFunction.fromEnv(Map.of(
        "IOT_ENDPOINT", emulator.endpoint().toString(), "WEBHOOK_AUTH", "none"));

    HttpResponse response = function.event(
        Json.parse("{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}"), invocation());

    assertEquals(500, response.status());
    assertTrue(response.body().contains("No Alibaba Cloud credentials"));
    assertTrue(emulator.calls().isEmpty());
  }

  @Test
  void logsAndAnswers_neverCarryASecret() {
    Credentials sts = emulator.demoStsCredentials();
    String webhookSecret = "hmac-secret-never-logged";
    Map<String, String> env = new HashMap<>();
    env.put("WEBHOOK_SECRET", webhookSecret);
    OtaCancelFunction function = function(env);
    List<String> answers = new ArrayList<>();
    emulator.inject(1, Fault.throttling());

    answers.add(function.http(post("{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}",
        "Bearer " + TOKEN), Invocation.of(Duration.ofSeconds(10), sts, log::add)).body());
    answers.add(function.event(Json.parse(
        "{\"JobIds\":[\"demo-job-1\",\"no-such-job\"],\"CancelQueuedTask\":true}"),
        Invocation.of(Duration.ofSeconds(10), sts, log::add)).body());
    answers.add(function(Map.of("DRY_RUN", "true")).event(Json.parse(
        "{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}"),
        Invocation.of(Duration.ofSeconds(10), sts, log::add)).body());

    List<String> everything = new ArrayList<>(log);
    everything.addAll(answers);
    assertTrue(log.size() >= 4, "a line per outcome and retry: " + log);
    for (String text : everything) {
      for (String secret : List.of(sts.accessKeySecret(), sts.securityToken(), TOKEN,
          webhookSecret, emulator.demoCredentials().accessKeySecret())) {
        assertFalse(text.contains(secret), "a secret leaked into: " + text);
      }
    }
    assertTrue(answers.get(2).contains("SecurityToken=%2A%2A%2A%2A"), answers.get(2));
  }

  @Test
  void everyJobOutcome_isOneStructuredLogLine() throws Exception {
    function(Map.of()).event(Json.parse(
        "{\"JobIds\":[\"demo-job-1\",\"no-such-job\"],\"CancelQueuedTask\":true}"), invocation());

    assertEquals(2, log.size(), log.toString());
    JsonNode first = MAPPER.readTree(log.get(0));
    assertEquals("INFO", first.get("level").asText());
    assertEquals("cancel", first.get("event").asText());
    assertEquals("demo-job-1", first.get("JobId").asText());
    assertEquals("SUCCEEDED", first.get("Outcome").asText());
    assertEquals(1, first.get("Attempts").asInt());
    assertTrue(first.has("LatencyMs") && first.has("RequestId"));
    JsonNode second = MAPPER.readTree(log.get(1));
    assertEquals("ERROR", second.get("level").asText());
    assertEquals("iot.ota.JobNotFound", second.get("Code").asText());
    assertEquals(2, second.get("Index").asInt());
  }

  @Test
  void primeWithTls_opensNoConnection() throws Exception {
    try (ServerSocket endpoint = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      OtaCancelFunction function = OtaCancelFunction.fromEnv(Map.of(
          "IOT_ENDPOINT", "https://127.0.0.1:" + endpoint.getLocalPort() + "/"));

      function.primeWithTls();

      endpoint.setSoTimeout(200);
      assertThrows(SocketTimeoutException.class,
          endpoint::accept, "no one connected");
    }
  }

  @Test
  void prime_sendsNothing() {
    function(Map.of()).prime();
    assertTrue(emulator.calls().isEmpty());
  }

  private OtaCancelFunction function(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("IOT_ENDPOINT", emulator.endpoint().toString());
    env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", emulator.demoCredentials().accessKeyId());
    env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", emulator.demoCredentials().accessKeySecret());
    env.put("WEBHOOK_TOKEN", TOKEN);
    return OtaCancelFunction.fromEnv(env);
  }

  private Invocation invocation() {
    return Invocation.of(Duration.ofSeconds(10), null, log::add);
  }

  private static HttpRequest post(String body, String authorization) {
    return HttpRequest.of("POST", "/", Map.of("Authorization", authorization,
        "Content-Type", "application/json"), Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }
}
