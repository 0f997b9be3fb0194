package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otacancel.local.Call;
import io.otacancel.local.Fault;
import io.otacancel.local.IotEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the emulator: a real HTTP server on loopback that checks signatures. */
class IotClientTest {
  @AutoClose
  private static final IotEmulator emulator = IotEmulator.start();
  private final List<String> retries = new ArrayList<>();
  private final CancelListener recorder = new CancelListener() {
    @Override
    public void retrying(String jobId, int attempt, String code, Duration backoff) {
      retries.add(jobId + " " + attempt + " " + code);
    }
  };

  @BeforeEach
  void resetEmulator() {
    emulator.reset();
  }

  @Test
  void cancel_succeeds_andOnlyTheSelectedStatesAreCanceled() {
    CancelResult result = cancelOne(client(Map.of()), "demo-job-1",
        EnumSet.of(TaskState.QUEUED, TaskState.IN_PROGRESS));

    assertTrue(result.success());
    assertEquals(Outcome.SUCCEEDED, result.outcome());
    assertEquals(1, result.attempts());
    assertNotNull(result.requestId());
    assertNull(result.code());
    Map<String, Integer> counts = emulator.taskCounts("demo-job-1");
    assertNull(counts.get("QUEUED"));
    assertNull(counts.get("IN_PROGRESS"));
    assertEquals(3, counts.get("NOTIFIED"));
    Map<String, String> sent = emulator.calls().get(0).parameters();
    assertEquals("true", sent.get("CancelQueuedTask"));
    assertEquals("true", sent.get("CancelInProgressTask"));
    assertFalse(sent.containsKey("CancelNotifiedTask"), "false flags are not sent");
    assertEquals("JSON", sent.get("Format"));
    assertEquals("POST", emulator.calls().get(0).method());
  }

  @Test
  void defaultInstanceId_isSent_unlessTheRequestNamesOne() {
    IotClient client = client(Map.of("IOT_INSTANCE_ID", "iot-cn-default"));
    cancelOne(client, "demo-job-1", EnumSet.of(TaskState.QUEUED));
    client.cancelOne(CancelRequest.of("demo-job-2", EnumSet.of(TaskState.QUEUED), "iot-cn-own"),
        emulator.demoCredentials(), Deadline.after(Duration.ofSeconds(10)), recorder);

    assertEquals("iot-cn-default", emulator.calls().get(0).parameters().get("IotInstanceId"));
    assertEquals("iot-cn-own", emulator.calls().get(1).parameters().get("IotInstanceId"));
  }

  @Test
  void stsCredentials_sendTheSecurityToken() {
    CancelResult result = client(Map.of()).cancelOne(
        CancelRequest.of("demo-job-1", EnumSet.of(TaskState.QUEUED)),
        emulator.demoStsCredentials(), Deadline.after(Duration.ofSeconds(10)), recorder);

    assertTrue(result.success(), result.toString());
    assertEquals(emulator.demoStsCredentials().securityToken(),
        emulator.calls().get(0).parameters().get("SecurityToken"));
  }

  @Test
  void throttling_isRetried_withAFreshNonceAndTimestampEachTime() {
    emulator.inject(2, Fault.throttling());

    CancelResult result = cancelOne(client(Map.of()), "demo-job-1", EnumSet.of(TaskState.QUEUED));

    assertTrue(result.success(), result.toString());
    assertEquals(3, result.attempts());
    assertEquals(List.of("demo-job-1 1 Throttling.User", "demo-job-1 2 Throttling.User"),
        retries);
    Set<String> nonces = new HashSet<>();
    for (Call call : emulator.calls()) {
      nonces.add(call.parameters().get("SignatureNonce"));
    }
    assertEquals(3, nonces.size(), "every attempt is signed afresh");
  }

  @Test
  void throttlingThatOutlastsTheRetries_isReportedAsThrottled() {
    emulator.inject(3, Fault.throttling());

    CancelResult result = cancelOne(client(Map.of("IOT_MAX_ATTEMPTS", "3")), "demo-job-1",
        EnumSet.of(TaskState.QUEUED));

    assertEquals(Outcome.THROTTLED, result.outcome());
    assertEquals("Throttling.User", result.code());
    assertEquals(3, result.attempts());
    assertEquals(429, new BatchResult(List.of(result), false).httpStatus());
  }

  @Test
  void signatureDoesNotMatch_isNotRetried() {
    CancelResult result = client(Map.of()).cancelOne(
        CancelRequest.of("demo-job-1", EnumSet.of(TaskState.QUEUED)),
        Credentials.of(emulator.demoCredentials().accessKeyId(), "wrong-secret"),
        Deadline.after(Duration.ofSeconds(10)), recorder);

    assertEquals(Outcome.REJECTED, result.outcome());
    assertEquals("SignatureDoesNotMatch", result.code());
    assertEquals(1, result.attempts());
    assertTrue(retries.isEmpty());
    assertEquals(4, emulator.taskCounts("demo-job-1").get("QUEUED"), "nothing changed");
  }

  @Test
  void wrongSecurityToken_isNotRetried() {
    Credentials sts = emulator.demoStsCredentials();
    CancelResult result = client(Map.of()).cancelOne(
        CancelRequest.of("demo-job-1", EnumSet.of(TaskState.QUEUED)),
        Credentials.of(sts.accessKeyId(), sts.accessKeySecret(), "expired-token"),
        Deadline.after(Duration.ofSeconds(10)), recorder);

    assertEquals(Outcome.REJECTED, result.outcome());
    assertTrue(result.code().startsWith("InvalidSecurityToken"), result.code());
    assertEquals(1, result.attempts());
  }

  @Test
  void unknownAccessKey_isNotRetried() {
    CancelResult result = client(Map.of()).cancelOne(
        CancelRequest.of("demo-job-1", EnumSet.of(TaskState.QUEUED)),
        Credentials.of("LTAIunknown", "secret"), Deadline.after(Duration.ofSeconds(10)), recorder);

    assertEquals("InvalidAccessKeyId.NotFound", result.code());
    assertEquals(1, result.attempts());
  }

  @Test
  void businessFailure_isNotASuccess_andKeepsIotsAnswer() {
    CancelResult result = cancelOne(client(Map.of()), "no-such-job", EnumSet.of(TaskState.QUEUED));

    assertEquals(Outcome.REJECTED, result.outcome());
    assertFalse(result.success());
    assertEquals("iot.ota.JobNotFound", result.code());
    assertEquals("The OTA batch does not exist: no-such-job", result.errorMessage());
    assertNotNull(result.requestId());
    assertEquals(1, result.attempts());
  }

  @Test
  void iotSystemException_isRetried() {
    emulator.inject(1, Fault.systemException());

    CancelResult result = cancelOne(client(Map.of()), "demo-job-1", EnumSet.of(TaskState.QUEUED));

    assertTrue(result.success());
    assertEquals(2, result.attempts());
  }

  @Test
  void gatewayErrorShape_isRead_and5xxIsRetried() {
    emulator.inject(2, Fault.gatewayError(503, "ServiceUnavailable", "The service is busy."));

    CancelResult result = cancelOne(client(Map.of("IOT_MAX_ATTEMPTS", "2")), "demo-job-1",
        EnumSet.of(TaskState.QUEUED));

    assertEquals(Outcome.REJECTED, result.outcome());
    assertEquals("ServiceUnavailable", result.code());
    assertEquals("The service is busy.", result.errorMessage());
    assertNotNull(result.requestId());
    assertEquals(2, result.attempts());
  }

  @Test
  void nonJsonAnswer_isNeverASuccess() {
    emulator.inject(2, Fault.malformed());

    CancelResult result = cancelOne(client(Map.of("IOT_MAX_ATTEMPTS", "2")), "demo-job-1",
        EnumSet.of(TaskState.QUEUED));

    assertEquals(Outcome.UNREACHABLE, result.outcome());
    assertEquals("InvalidResponse", result.code());
    assertEquals("The endpoint answered HTTP 502 with a body that is not IoT's JSON",
        result.errorMessage());
  }

  @Test
  void droppedConnection_isRetried() {
    emulator.inject(1, Fault.dropConnection());

    CancelResult result = cancelOne(client(Map.of()), "demo-job-1", EnumSet.of(TaskState.QUEUED));

    assertTrue(result.success(), result.toString());
    assertEquals(2, result.attempts());
    assertEquals(List.of("demo-job-1 1 IOError"), retries);
  }

  @Test
  void deadlineWithNoTimeLeft_sendsNothing() {
    CancelResult result = client(Map.of()).cancelOne(
        CancelRequest.of("demo-job-1", EnumSet.of(TaskState.QUEUED)), emulator.demoCredentials(),
        Deadline.after(Duration.ofMillis(100)), recorder);

    assertEquals(Outcome.TIMED_OUT, result.outcome());
    assertEquals("DeadlineExceeded", result.code());
    assertEquals("The deadline left no time to call IoT", result.errorMessage());
    assertEquals(0, result.attempts());
    assertTrue(emulator.calls().isEmpty());
  }

  @Test
  void slowAnswer_isCutOffAtTheDeadline_andNotRetriedPastIt() {
    emulator.inject(5, Fault.delay(Duration.ofSeconds(5)));
    Duration budget = Duration.ofMillis(1200);

    CancelResult result = client(Map.of()).cancelOne(
        CancelRequest.of("demo-job-1", EnumSet.of(TaskState.QUEUED)), emulator.demoCredentials(),
        Deadline.after(budget), recorder);

    assertEquals(Outcome.TIMED_OUT, result.outcome());
    assertEquals("DeadlineExceeded", result.code());
    assertEquals(1, result.attempts());
    assertTrue(result.latency().compareTo(budget.plusMillis(250)) < 0,
        "answered within the deadline: " + result.latency());
  }

  @Test
  void throttledJobThatRunsOutOfTime_staysThrottled_notTimedOut() {
    emulator.inject(5, Fault.throttling());

    // 300 ms: room for one attempt, not for the backoff and a second one.
    CancelResult result = client(Map.of()).cancelOne(
        CancelRequest.of("demo-job-1", EnumSet.of(TaskState.QUEUED)), emulator.demoCredentials(),
        Deadline.after(Duration.ofMillis(300)), recorder);

    assertEquals(Outcome.THROTTLED, result.outcome());
    assertEquals("Throttling.User", result.code());
    assertEquals(1, result.attempts());
  }

  @Test
  void interruptDuringTheBackoff_endsTheJobWithTheLastAnswer_andKeepsTheInterrupt() {
    emulator.inject(5, Fault.throttling());
    Thread.currentThread().interrupt();
    try {
      CancelResult result = cancelOne(client(Map.of()), "demo-job-1", EnumSet.of(TaskState.QUEUED));

      assertEquals(Outcome.THROTTLED, result.outcome());
      assertEquals(1, result.attempts());
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void interruptWhileWaitingForTheRateLimiter_sendsNothing_andKeepsTheInterrupt() {
    IotClient client = client(Map.of("IOT_MAX_QPS", "1"));
    cancelOne(client, "demo-job-1", EnumSet.of(TaskState.QUEUED));
    Thread.currentThread().interrupt();
    try {
      CancelResult result = cancelOne(client, "demo-job-2", EnumSet.of(TaskState.QUEUED));

      assertEquals(0, result.attempts());
      assertEquals(1, emulator.calls().size(), "only the first job was sent");
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void requestTimeout_endsAnAttempt() {
    emulator.inject(1, Fault.delay(Duration.ofSeconds(3)));

    CancelResult result = cancelOne(client(Map.of("IOT_REQUEST_TIMEOUT_MS", "300",
        "IOT_MAX_ATTEMPTS", "1")), "demo-job-1", EnumSet.of(TaskState.QUEUED));

    assertEquals(Outcome.TIMED_OUT, result.outcome());
    assertEquals("Timeout", result.code());
  }

  @Test
  void limiter_keepsABatchOf20WithinFivePerSecond() {
    IotClient client = client(Map.of());
    List<CancelRequest> requests = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      requests.add(CancelRequest.of("demo-job-" + i, EnumSet.of(TaskState.QUEUED)));
    }

    BatchResult result = client.cancel(CancelCommand.batch(requests), emulator.demoCredentials(),
        Deadline.after(Duration.ofSeconds(30)), recorder);

    // The emulator enforces the quota (a bucket of 5 refilled at 5/s) and answers
    // Throttling.User beyond it: not one call was refused, none needed a retry.
    assertTrue(result.success(), "no call was throttled: " + retries);
    assertTrue(retries.isEmpty());
    List<Call> calls = emulator.calls();
    assertEquals(20, calls.size());
    Duration span = Duration.between(calls.get(0).receivedAt(), calls.get(19).receivedAt());
    assertTrue(span.toMillis() >= 3_600, "20 calls spaced 200 ms apart, not bursts: " + span);
  }

  @Test
  void batch_goesOnAfterAFailure_andReportsEveryJob() {
    BatchResult result = client(Map.of()).cancel(CancelCommand.batch(List.of(
            CancelRequest.of("demo-job-1", EnumSet.of(TaskState.QUEUED)),
            CancelRequest.of("no-such-job", EnumSet.of(TaskState.QUEUED)),
            CancelRequest.of("demo-job-2", EnumSet.of(TaskState.QUEUED)))),
        emulator.demoCredentials(), Deadline.after(Duration.ofSeconds(10)), recorder);

    assertFalse(result.success());
    assertEquals(3, result.results().size());
    assertTrue(result.results().get(2).success());
    assertEquals(207, result.httpStatus());
  }

  @Test
  void dryRun_signsButSendsNothing() {
    CancelResult result = cancelOne(client(Map.of("DRY_RUN", "true")), "demo-job-1",
        EnumSet.of(TaskState.QUEUED));

    assertEquals(Outcome.NOT_SENT, result.outcome());
    assertFalse(result.success());
    assertTrue(result.preparedRequest().startsWith("POST " + emulator.endpoint() + "?"));
    assertTrue(result.preparedRequest().contains("Signature="));
    assertTrue(emulator.calls().isEmpty());
    assertEquals(200, new BatchResult(List.of(result), false).httpStatus());
  }

  private IotClient client(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("IOT_ENDPOINT", emulator.endpoint().toString());
    OtaCancelConfig config = OtaCancelConfig.fromEnv(env);
    return new IotClient(config, new UrlConnectionTransport("test"), new RpcV2Signer(),
        new RateLimiter(config.maxQps()));
  }

  private CancelResult cancelOne(IotClient client, String jobId, Set<TaskState> states) {
    return client.cancelOne(CancelRequest.of(jobId, states), emulator.demoCredentials(),
        Deadline.after(Duration.ofSeconds(10)), recorder);
  }
}
