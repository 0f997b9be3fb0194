package io.otacancel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.otacancel.local.SignedRequest.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IotEmulatorTest {
  private static final Clock CLOCK = Clock.systemUTC();
  private static final Pattern REQUEST_ID =
      Pattern.compile("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}");
  private static final Map<String, Integer> INITIAL = counts("QUEUED", 4, "NOTIFIED", 3,
      "IN_PROGRESS", 5, "CONFIRM", 2, "SUCCEEDED", 6, "FAILED", 7, "CANCELED", 1);

  private static final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
  // A quota that these tests never reach; IotEmulatorAuthTest covers the real one.
  @AutoClose
  private static final IotEmulator emulator =
      IotEmulator.builder().callsPerSecond(1_000).log(log::add).start();

  @BeforeEach
  void reset() {
    emulator.reset();
    log.clear();
  }

  @Test
  void cancel_changesOnlyTheSelectedStates() {
    Response response = cancel("demo-job-1", "CancelQueuedTask", "CancelInProgressTask").post();

    assertEquals(200, response.status());
    assertTrue(response.success(), response.toString());
    assertEquals(2, response.json().size(), "only RequestId and Success: " + response);
    assertTrue(REQUEST_ID.matcher(response.json().get("RequestId").asText()).matches());
    assertEquals(counts("NOTIFIED", 3, "CONFIRM", 2, "SUCCEEDED", 6, "FAILED", 7, "CANCELED", 10),
        emulator.taskCounts("demo-job-1"));
    assertEquals(INITIAL, emulator.taskCounts("demo-job-2"));
    assertEquals(List.of("emulator: demo-job-1: canceled 9 task(s) (QUEUED 4, IN_PROGRESS 5);"
        + " left 19 (NOTIFIED 3, CONFIRM 2, SUCCEEDED 6, FAILED 7, CANCELED 1)"), List.copyOf(log));
  }

  @Test
  void everyFlag_cancelsEveryUnfinishedTask() {
    Response response = cancel("demo-job-100", "CancelQueuedTask", "CancelNotifiedTask",
        "CancelInProgressTask", "CancelUnconfirmedTask", "CancelScheduledTask").post();

    assertTrue(response.success(), response.toString());
    assertEquals(counts("SUCCEEDED", 6, "FAILED", 7, "CANCELED", 15),
        emulator.taskCounts("demo-job-100"));
  }

  @Test
  void unconfirmedFlag_cancelsPendingConfirmationTasks() {
    cancel("demo-job-3", "CancelUnconfirmedTask").post();

    Map<String, Integer> expected = new LinkedHashMap<>(INITIAL);
    expected.remove("CONFIRM");
    expected.put("CANCELED", 3);
    assertEquals(expected, emulator.taskCounts("demo-job-3"));
  }

  @Test
  void scheduledBatch_isCanceledOnlyByCancelScheduledTask() {
    Response others = cancel("demo-job-scheduled", "CancelQueuedTask", "CancelNotifiedTask",
        "CancelInProgressTask", "CancelUnconfirmedTask").post();
    assertTrue(others.success(), others.toString());
    assertEquals(counts("SCHEDULED", 6), emulator.taskCounts("demo-job-scheduled"));

    Response scheduled = cancel("demo-job-scheduled", "CancelScheduledTask").post();
    assertTrue(scheduled.success(), scheduled.toString());
    assertEquals(counts("CANCELED", 6), emulator.taskCounts("demo-job-scheduled"));
  }

  @Test
  void scheduledFlag_leavesAStartedBatchAlone() {
    assertTrue(cancel("demo-job-4", "CancelScheduledTask").post().success());

    assertEquals(INITIAL, emulator.taskCounts("demo-job-4"));
  }

  @Test
  void finishedBatch_succeedsWithNothingToCancel() {
    Response response = cancel("demo-job-done", "CancelQueuedTask", "CancelInProgressTask").post();

    assertTrue(response.success(), response.toString());
    assertEquals(counts("SUCCEEDED", 5, "FAILED", 2), emulator.taskCounts("demo-job-done"));
    assertEquals(List.of("emulator: demo-job-done: canceled 0 task(s); left 7 (SUCCEEDED 5,"
        + " FAILED 2)"), List.copyOf(log));
  }

  @Test
  void secondCancel_findsNothingLeftToCancel() {
    cancel("demo-job-5", "CancelQueuedTask").post();
    Response again = cancel("demo-job-5", "CancelQueuedTask").post();

    assertTrue(again.success(), again.toString());
    assertTrue(List.copyOf(log).get(1).startsWith("emulator: demo-job-5: canceled 0 task(s); "),
        log.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo-job-101", "demo-job-0", "demo-job-01", "no-such-job"})
  void unknownJob_isBusinessFailureWithHttp200(String jobId) {
    Response response = cancel(jobId, "CancelQueuedTask").post();

    assertEquals(200, response.status());
    assertFalse(response.success());
    assertEquals("iot.ota.JobNotFound", response.code());
    assertEquals("The OTA batch does not exist: " + jobId,
        response.json().get("ErrorMessage").asText());
    assertTrue(REQUEST_ID.matcher(response.json().get("RequestId").asText()).matches());
  }

  @Test
  void noFlagSet_isIllegalRequest() {
    Response none = cancel("demo-job-1").post();
    Response allFalse = cancel("demo-job-1").with("CancelQueuedTask", "false")
        .with("CancelInProgressTask", "FALSE").post();

    for (Response response : List.of(none, allFalse)) {
      assertEquals(200, response.status());
      assertFalse(response.success());
      assertEquals("iot.system.IllegalRequest", response.code());
      assertEquals("At least one of CancelScheduledTask, CancelQueuedTask, CancelNotifiedTask,"
          + " CancelInProgressTask and CancelUnconfirmedTask must be true.",
          response.json().get("ErrorMessage").asText());
    }
    assertEquals(INITIAL, emulator.taskCounts("demo-job-1"));
  }

  @Test
  void missingJobId_isMissingParameter() {
    Response response = cancel("demo-job-1", "CancelQueuedTask").without("JobId").post();

    assertGatewayError(response, 400, "MissingParameter");
    assertEquals("The input parameter \"JobId\" that is mandatory for processing this request is"
        + " not supplied.", response.json().get("Message").asText());
  }

  @Test
  void flagThatIsNotBoolean_isInvalidParameter() {
    Response response = cancel("demo-job-1").with("CancelQueuedTask", "yes").post();

    assertGatewayError(response, 400, "InvalidParameter");
    assertEquals("The specified parameter \"CancelQueuedTask\" is not valid.",
        response.json().get("Message").asText());
    assertEquals(INITIAL, emulator.taskCounts("demo-job-1"));
  }

  @Test
  void flags_areCaseInsensitive() {
    assertTrue(cancel("demo-job-1").with("CancelQueuedTask", "True").post().success());

    assertEquals(5, emulator.taskCounts("demo-job-1").get("CANCELED"));
  }

  @Test
  void get_isAccepted() {
    assertTrue(cancel("demo-job-1", "CancelQueuedTask").get().success());
    assertEquals("GET", emulator.calls().get(0).method());
  }

  @Test
  void formBody_isAccepted() {
    assertTrue(cancel("demo-job-1", "CancelQueuedTask").postForm().success());
    assertEquals(5, emulator.taskCounts("demo-job-1").get("CANCELED"));
  }

  @Test
  void formBodyAndQuery_areMergedForSigning() {
    Response response = cancel("demo-job-1", "CancelQueuedTask")
        .with("IotInstanceId", "iot-cn-0pp1n8t****")
        .postForm("JobId", "CancelQueuedTask", "IotInstanceId");

    assertTrue(response.success(), response.toString());
    assertEquals("iot-cn-0pp1n8t****",
        emulator.calls().get(0).parameters().get("IotInstanceId"));
  }

  @Test
  void stsCredentials_withTheirToken_areAccepted() {
    Response response = SignedRequest.cancel(emulator, emulator.demoStsCredentials(), CLOCK,
        "demo-job-1", "CancelQueuedTask").post();

    assertTrue(response.success(), response.toString());
    assertEquals("emulator-demo-security-token",
        emulator.calls().get(0).parameters().get("SecurityToken"));
  }

  @Test
  void stsCredentials_withoutToken_areRejected() {
    Response response = SignedRequest.cancel(emulator, emulator.demoStsCredentials(), CLOCK,
        "demo-job-1", "CancelQueuedTask").without("SecurityToken").post();

    assertGatewayError(response, 400, "InvalidSecurityToken.MismatchWithAccessKey");
    assertEquals("Specified SecurityToken mismatch with the AccessKey.",
        response.json().get("Message").asText());
  }

  @Test
  void stsCredentials_withAnotherToken_areRejected() {
    Response response = SignedRequest.cancel(emulator, emulator.demoStsCredentials(), CLOCK,
        "demo-job-1", "CancelQueuedTask").with("SecurityToken", "someone-elses-token").post();

    assertGatewayError(response, 400, "InvalidSecurityToken.MismatchWithAccessKey");
  }

  @Test
  void longLivedKey_withToken_isRejected() {
    Response response = cancel("demo-job-1", "CancelQueuedTask")
        .with("SecurityToken", "emulator-demo-security-token").post();

    assertGatewayError(response, 400, "InvalidSecurityToken.MismatchWithAccessKey");
    assertEquals(INITIAL, emulator.taskCounts("demo-job-1"));
  }

  @Test
  void unknownAction_isNotFound() {
    Response response = cancel("demo-job-1", "CancelQueuedTask")
        .with("Action", "CancelOTAStrategyByJob").post();

    assertGatewayError(response, 404, "InvalidAction.NotFound");
    assertEquals("Specified api is not found, please check your url and method.",
        response.json().get("Message").asText());
  }

  @Test
  void otherPathOrMethod_isNotFound() throws IOException {
    HttpURLConnection put =
        (HttpURLConnection) emulator.endpoint().resolve("/").toURL().openConnection();
    put.setRequestMethod("PUT");
    HttpURLConnection path =
        (HttpURLConnection) emulator.endpoint().resolve("/v1/cancel").toURL().openConnection();

    assertEquals(404, put.getResponseCode());
    assertEquals(404, path.getResponseCode());
    assertEquals(List.of("InvalidAction.NotFound", "InvalidAction.NotFound"),
        emulator.calls().stream().map(Call::code).toList());
  }

  @Test
  void gatewayError_carriesRequestIdHostIdAndHeader() {
    Response response = cancel("demo-job-1", "CancelQueuedTask").signedWith("wrong").post();

    JsonNode json = response.json();
    assertEquals(List.of("RequestId", "HostId", "Code", "Message"), fieldNames(json));
    assertTrue(REQUEST_ID.matcher(json.get("RequestId").asText()).matches());
    assertEquals(json.get("RequestId").asText(), response.requestIdHeader());
    assertEquals(emulator.endpoint().getAuthority(), json.get("HostId").asText());
    assertEquals("application/json;charset=utf-8", response.contentType());
  }

  @Test
  void calls_showParametersWithoutSignature_andTheAnswer() {
    SignedRequest request = cancel("demo-job-1", "CancelQueuedTask");
    request.post();
    cancel("demo-job-404", "CancelQueuedTask").get();

    List<Call> calls = emulator.calls();
    assertEquals(2, calls.size());
    Call first = calls.get(0);
    assertEquals("CancelOTATaskByJob", first.action());
    assertEquals("POST", first.method());
    assertFalse(first.parameters().containsKey("Signature"));
    assertEquals(request.parameter("SignatureNonce"), first.parameters().get("SignatureNonce"));
    assertEquals(200, first.status());
    assertNull(first.code());
    assertEquals("iot.ota.JobNotFound", calls.get(1).code());
    assertFalse(calls.get(1).receivedAt().isBefore(first.receivedAt()));
  }

  @Test
  void reset_restoresBatchesAndForgetsCalls() {
    cancel("demo-job-1", "CancelQueuedTask").post();

    emulator.reset();

    assertEquals(INITIAL, emulator.taskCounts("demo-job-1"));
    assertEquals(List.of(), emulator.calls());
  }

  @Test
  void taskCounts_ofUnknownJob_throws() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> emulator.taskCounts("demo-job-101"));
    assertEquals("No such demo batch: demo-job-101", e.getMessage());
  }

  @Test
  void concurrentCancels_ofOneBatch_cancelEachTaskOnce() throws Exception {
    List<Response> responses = inParallel(8, i -> cancel("demo-job-7", "CancelQueuedTask"));

    responses.forEach(response -> assertTrue(response.success(), response.toString()));
    assertEquals(5, emulator.taskCounts("demo-job-7").get("CANCELED"));
    int canceled = 0;
    for (String line : log) {
      Matcher count = Pattern.compile("canceled (\\d+) task").matcher(line);
      assertTrue(count.find(), line);
      canceled += Integer.parseInt(count.group(1));
    }
    assertEquals(4, canceled);
  }

  @Test
  void concurrentCancels_ofManyBatches_allSucceed() throws Exception {
    List<Response> responses =
        inParallel(50, i -> cancel("demo-job-" + (i + 1), "CancelInProgressTask"));

    responses.forEach(response -> assertTrue(response.success(), response.toString()));
    for (int i = 1; i <= 50; i++) {
      assertEquals(6, emulator.taskCounts("demo-job-" + i).get("CANCELED"));
    }
    assertEquals(50, emulator.calls().size());
  }

  @Test
  void answers_areNotHeldBackByNagle() {
    // With Nagle's algorithm on, each answer waits ~40 ms for the client's delayed ACK; the
    // benchmark measures the effect, this only checks the switch.
    assertEquals("true", System.getProperty("sun.net.httpserver.nodelay"));
  }

  @Test
  void serverThreads_areDaemons() {
    List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("HTTP-Dispatcher")
            || t.getName().startsWith("iot-emulator"))
        .toList();

    assertFalse(threads.isEmpty());
    threads.forEach(t -> assertTrue(t.isDaemon(), t.getName()));
  }

  @Test
  void endpoint_isLoopback() {
    assertEquals("http", emulator.endpoint().getScheme());
    assertEquals("127.0.0.1", emulator.endpoint().getHost());
    assertEquals("/", emulator.endpoint().getPath());
    assertTrue(emulator.endpoint().getPort() > 0);
  }

  @Test
  void closedEmulator_refusesConnections() {
    IotEmulator closed = IotEmulator.start();
    closed.close();

    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> SignedRequest.cancel(closed, CLOCK, "demo-job-1", "CancelQueuedTask").post());
    assertTrue(e.getCause() instanceof java.net.ConnectException, e.toString());
  }

  private static SignedRequest cancel(String jobId, String... flags) {
    return SignedRequest.cancel(emulator, CLOCK, jobId, flags);
  }

  static void assertGatewayError(Response response, int status, String code) {
    assertEquals(status, response.status(), response.toString());
    assertEquals(code, response.code(), response.toString());
    assertFalse(response.json().has("Success"), response.toString());
  }

  private interface RequestFactory {
    SignedRequest request(int index);
  }

  private static List<Response> inParallel(int count, RequestFactory requests) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Response>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        SignedRequest request = requests.request(i);
        futures.add(pool.submit(request::post));
      }
      List<Response> responses = new ArrayList<>();
      for (Future<Response> future : futures) {
        responses.add(future.get());
      }
      return responses;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> fieldNames(JsonNode json) {
    List<String> names = new ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static Map<String, Integer> counts(Object... stateThenCount) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < stateThenCount.length; i += 2) {
      counts.put((String) stateThenCount[i], (Integer) stateThenCount[i + 1]);
    }
    return counts;
  }
}
