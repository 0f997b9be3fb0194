package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otacancel.local.Call;
import io.otacancel.local.Fault;
import io.otacancel.local.IotEmulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault matrix: what the function answers when the IoT endpoint misbehaves, one row per
 * fault, each run through the public entry point ({@link OtaCancelFunction#event}) against a
 * real server on loopback: the emulator with an injected fault, or a raw socket server for
 * faults below HTTP. Every row checks that nothing reports a success that did not happen, that
 * no attempt reused a nonce, and that the answer came by the deadline (plus generous slack for a
 * loaded machine: an overrun bug is measured in whole read timeouts, not milliseconds).
 *
 * <p>The rows, with their figures, are written to {@code target/reliability/fault-matrix.md};
 * {@code docs/RELIABILITY.md} quotes a run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMatrixTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  /** For the rows where the deadline is what ends the call. */
  private static final Duration SHORT_DEADLINE = Duration.ofSeconds(3);
  private static final Duration SLACK = Duration.ofMillis(1500);
  /** Longer than any deadline here: the answer that never comes in time. */
  private static final Duration HANG = Duration.ofSeconds(10);
  private static final Path REPORT = Path.of("target", "reliability", "fault-matrix.md");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<Row> rows = new CopyOnWriteArrayList<>();
  private static final List<String> batchRows = new CopyOnWriteArrayList<>();

  @AutoClose
  private final IotEmulator emulator = IotEmulator.builder().callsPerSecond(1_000).start();

  @Test
  @Order(1)
  void throttlingOnce_thenSuccess_succeedsOnTheSecondAttempt() {
    emulator.inject(1, Fault.throttling());

    Row row = run("throttling x1, then success", emulator, Map.of(), single(), DEADLINE);

    assertRow(row, 2, 200, null, "SUCCEEDED");
    assertCanceled("demo-job-1");
  }

  @Test
  @Order(2)
  void throttlingTwice_thenSuccess_succeedsOnTheThirdAttempt() {
    emulator.inject(2, Fault.throttling());

    Row row = run("throttling x2, then success", emulator, Map.of(), single(), DEADLINE);

    assertRow(row, 3, 200, null, "SUCCEEDED");
    assertCanceled("demo-job-1");
  }

  @Test
  @Order(3)
  void endlessThrottling_isReportedAsThrottled_afterEveryAttempt() {
    emulator.inject(100, Fault.throttling());

    Row row = run("throttling without end", emulator, Map.of(), single(), DEADLINE);

    assertRow(row, 4, 429, "Throttling.User", "THROTTLED");
    assertUntouched("demo-job-1");
  }

  @Test
  @Order(4)
  void http500_isRetried_thenRejected() {
    gatewayErrorRow(500, "InternalError");
  }

  @Test
  @Order(5)
  void http502_isRetried_thenRejected() {
    gatewayErrorRow(502, "BadGateway");
  }

  @Test
  @Order(6)
  void http503_isRetried_thenRejected() {
    gatewayErrorRow(503, "ServiceUnavailable");
  }

  @Test
  @Order(7)
  void http504_isRetried_thenRejected() {
    gatewayErrorRow(504, "GatewayTimeout");
  }

  @Test
  @Order(8)
  void connectionRefused_isRetried_thenUnreachable() throws IOException {
    String closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = "http://127.0.0.1:" + socket.getLocalPort() + "/";
    }
    Row row = run("connection refused (closed port)", closedPort, List::of, Map.of(), single(),
        DEADLINE);

    assertEquals(0, row.serverAttempts);
    assertEquals(4, row.clientAttempts);
    assertEquals(502, row.status);
    assertEquals("IOError", row.code);
    assertEquals("UNREACHABLE", row.outcome);
  }

  @Test
  @Order(9)
  void resetInTheStatusLine_isRetried_thenUnreachable() throws IOException {
    resetRow("connection reset in the status line", "HTTP/1.1 20");
  }

  @Test
  @Order(10)
  void resetInTheHeaders_isRetried_thenUnreachable() throws IOException {
    resetRow("connection reset in the headers",
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Le");
  }

  @Test
  @Order(11)
  void resetInTheBody_isRetried_thenUnreachable() throws IOException {
    resetRow("connection reset in the body", "HTTP/1.1 200 OK\r\nContent-Type: application/json"
        + "\r\nContent-Length: 40\r\n\r\n{\"RequestId\":\"R\",\"Succ");
  }

  @Test
  @Order(12)
  void answerHeldPastTheDeadline_isTimedOut_thoughTheCancelWasApplied() {
    emulator.inject(100, Fault.delay(HANG));

    Row row = run("answer held back 10 s (cancel applied)", emulator, Map.of(), single(),
        SHORT_DEADLINE);

    assertEquals(row.serverAttempts, row.clientAttempts);
    assertEquals(504, row.status);
    assertEquals("TIMED_OUT", row.outcome);
    assertFalse(row.body.get("Success").asBoolean());
    assertCanceled("demo-job-1"); // the client cannot know; it must not claim it
  }

  @Test
  @Order(13)
  void answerTricklingIn_isCutOffAtTheDeadline() throws IOException {
    String success = ScriptedSocketServer.http("200 OK", "Content-Type: application/json\r\n",
        "{\"RequestId\":\"TRICKLE\",\"Success\":true}");
    try (ScriptedSocketServer server =
        ScriptedSocketServer.start(ScriptedSocketServer.trickle("", success, 200))) {
      Row row = run("success answer trickling in, 1 byte / 200 ms", server.endpoint(),
          server::nonces, Map.of(), single(), SHORT_DEADLINE);

      assertEquals(504, row.status);
      assertEquals("TIMED_OUT", row.outcome);
      assertEquals(row.serverAttempts, row.clientAttempts);
    }
  }

  @Test
  @Order(14)
  void htmlErrorPage_isRetried_andNeverASuccess() {
    emulator.inject(100, Fault.malformed());

    Row row = run("HTML page, HTTP 502", emulator, Map.of(), single(), DEADLINE);

    assertRow(row, 4, 502, "InvalidResponse", "UNREACHABLE");
    assertUntouched("demo-job-1");
  }

  @Test
  @Order(15)
  void emptyAnswerWith200_isNotASuccess() throws IOException {
    rawAnswerRow("HTTP 200, empty body", ScriptedSocketServer.http("200 OK", "", ""));
  }

  @Test
  @Order(16)
  void truncatedJsonWith200_isNotASuccess() throws IOException {
    rawAnswerRow("HTTP 200, truncated JSON", ScriptedSocketServer.http("200 OK",
        "Content-Type: application/json\r\n", "{\"RequestId\":\"R\",\"Success\":tr"));
  }

  @Test
  @Order(17)
  void redirectToAnotherHost_isNotFollowed() throws IOException {
    String elsewhere = emulator.endpoint() + "?Action=CancelOTATaskByJob";
    try (ScriptedSocketServer server = ScriptedSocketServer.start(ScriptedSocketServer.answer(
        ScriptedSocketServer.http("302 Found", "Location: " + elsewhere + "\r\n", "")))) {
      Row row = run("HTTP 302 to another (loopback) host", server.endpoint(), server::nonces,
          Map.of(), single(), DEADLINE);

      assertRow(row, 1, 502, "UnexpectedRedirect", "UNREACHABLE");
      assertTrue(emulator.calls().isEmpty(), "the other host received nothing");
    }
  }

  @Test
  @Order(18)
  void systemExceptionOnce_isRetried_thenSucceeds() {
    emulator.inject(1, Fault.systemException());

    Row row = run("Success:false iot.system.SystemException x1, then success", emulator,
        Map.of(), single(), DEADLINE);

    assertRow(row, 2, 200, null, "SUCCEEDED");
    assertCanceled("demo-job-1");
  }

  @Test
  @Order(19)
  void endlessSystemException_isRejected_afterEveryAttempt() {
    emulator.inject(100, Fault.systemException());

    Row row = run("Success:false iot.system.SystemException without end", emulator, Map.of(),
        single(), DEADLINE);

    assertRow(row, 4, 502, "iot.system.SystemException", "REJECTED");
  }

  @Test
  @Order(20)
  void instanceNotFound_isNotRetried() {
    emulator.inject(100, Fault.businessError("iot.system.InstanceNotFound",
        "The specified instance does not exist."));

    Row row = run("Success:false iot.system.InstanceNotFound", emulator, Map.of(), single(),
        DEADLINE);

    assertRow(row, 1, 502, "iot.system.InstanceNotFound", "REJECTED");
  }

  @Test
  @Order(21)
  void unknownJob_isNotRetried() {
    Row row = run("Success:false iot.ota.JobNotFound (real)", emulator, Map.of(),
        Map.of("JobId", "no-such-job", "CancelQueuedTask", true), DEADLINE);

    assertRow(row, 1, 502, "iot.ota.JobNotFound", "REJECTED");
  }

  @Test
  @Order(22)
  void wrongSecret_givesSignatureDoesNotMatch_notRetried() {
    Row row = run("SignatureDoesNotMatch (real: wrong secret)", emulator,
        Map.of("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "not-the-secret"), single(), DEADLINE);

    assertRow(row, 1, 502, "SignatureDoesNotMatch", "REJECTED");
    assertUntouched("demo-job-1");
  }

  @Test
  @Order(23)
  void skewedClock_givesInvalidTimeStampExpired_notRetried() {
    // The server's clock is skewed rather than the signer's: the same 20 minutes apart, and no
    // clock knob in production code.
    try (IotEmulator skewed = IotEmulator.builder().callsPerSecond(1_000)
        .clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20))).start()) {
      Row row = run("InvalidTimeStamp.Expired (real: clocks 20 min apart)", skewed, Map.of(),
          single(), DEADLINE);

      assertRow(row, 1, 502, "InvalidTimeStamp.Expired", "REJECTED");
    }
  }

  @Test
  @Order(24)
  void expiredStsToken_isNotRetried() {
    Credentials sts = emulator.demoStsCredentials();
    emulator.inject(100, Fault.gatewayError(400, "InvalidSecurityToken.Expired",
        "Specified SecurityToken is expired."));

    Row row = run("InvalidSecurityToken.Expired, HTTP 400 (injected)", emulator,
        Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", sts.accessKeyId(),
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET", sts.accessKeySecret(),
            "ALIBABA_CLOUD_SECURITY_TOKEN", sts.securityToken()),
        single(), DEADLINE);

    assertRow(row, 1, 502, "InvalidSecurityToken.Expired", "REJECTED");
    assertFalse(row.body.toString().contains(sts.securityToken()), "the token is not echoed");
  }

  @Test
  @Order(25)
  void batchWithMixedFaults_reportsEveryJob_evenThoseTheDeadlineLeftUnattempted() {
    // The emulator's faults hit calls in order, whatever the job; a job that must pass cleanly
    // between faulted ones needs the next fault queued only once the previous call is in. Each
    // call is logged as it arrives, so the log hook queues the fault for the call after it.
    List<Fault> script = Arrays.asList(
        null, // call 1: demo-job-1 passes
        Fault.throttling(), // call 2: demo-job-2, first attempt
        null, // call 3: demo-job-2 passes on its retry
        Fault.businessError("iot.system.InstanceNotFound", "The instance does not exist."),
        null); // call 5: no-such-job, refused by the emulator itself
    AtomicReference<IotEmulator> self = new AtomicReference<>();
    AtomicInteger callsIn = new AtomicInteger();
    try (IotEmulator scripted = IotEmulator.builder().callsPerSecond(1_000).log(line -> {
      int next = callsIn.incrementAndGet();
      // From call 6 on, demo-job-4: its answers are held past the deadline.
      Fault fault = next < script.size() ? script.get(next) : Fault.delay(HANG);
      if (fault != null) {
        self.get().inject(1, fault);
      }
    }).start()) {
      self.set(scripted);
      List<String> jobs = List.of("demo-job-1", "demo-job-2", "demo-job-3", "no-such-job",
          "demo-job-4", "demo-job-5", "demo-job-6");

      Row row = run("batch of 7: ok, throttled+ok, InstanceNotFound, JobNotFound, hang, 2 never"
          + " sent", scripted, Map.of(), Map.of("JobIds", jobs, "CancelQueuedTask", true),
          SHORT_DEADLINE);

      assertEquals(207, row.status, "some succeeded, some did not");
      assertFalse(row.body.get("Success").asBoolean());
      JsonNode results = row.body.get("Results");
      assertEquals(jobs.size(), results.size(), "every job has a result");
      String[][] expected = {
          {"SUCCEEDED", null}, {"SUCCEEDED", null}, {"REJECTED", "iot.system.InstanceNotFound"},
          {"REJECTED", "iot.ota.JobNotFound"}, {"TIMED_OUT", null},
          {"TIMED_OUT", "DeadlineExceeded"}, {"TIMED_OUT", "DeadlineExceeded"}};
      for (int i = 0; i < jobs.size(); i++) {
        JsonNode result = results.get(i);
        batchRows.add("| " + jobs.get(i) + " | " + result.get("Outcome").asText() + " | "
            + (result.has("Code") ? result.get("Code").asText() : "–") + " | " + result.get("Attempts").asInt() + " | "
            + result.get("Success").asBoolean() + " |");
        assertEquals(jobs.get(i), result.get("JobId").asText());
        assertEquals(expected[i][0], result.get("Outcome").asText(), result.toString());
        assertEquals(expected[i][0].equals("SUCCEEDED"), result.get("Success").asBoolean());
        if (expected[i][1] != null) {
          assertEquals(expected[i][1], result.get("Code").asText(), result.toString());
        }
        assertTrue(result.has("Attempts") && result.has("LatencyMs"), result.toString());
      }
      assertEquals(0, results.get(5).get("Attempts").asInt(), "never sent");
      assertEquals(0, results.get(6).get("Attempts").asInt(), "never sent");
      for (String applied : List.of("demo-job-1", "demo-job-2", "demo-job-4")) {
        assertEquals(5, scripted.taskCounts(applied).get("CANCELED"), applied);
      }
      for (String untouched : List.of("demo-job-3", "demo-job-5", "demo-job-6")) {
        assertEquals(1, scripted.taskCounts(untouched).get("CANCELED"), untouched);
      }
    }
  }

  @AfterAll
  static void writeReport() throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("Run on ").append(LocalDate.now(ZoneOffset.UTC)).append(" (UTC), Java ")
        .append(System.getProperty("java.runtime.version")).append(" (")
        .append(System.getProperty("java.vendor")).append("), ")
        .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
        .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs.\n\n")
        .append("| case | server attempts | client attempts | final status | Code | Outcome"
            + " | elapsed ms | deadline ms | nonces unique |\n")
        .append("|---|---:|---:|---:|---|---|---:|---:|---|\n");
    for (Row row : rows) {
      md.append("| ").append(row.label).append(" | ").append(row.serverAttempts).append(" | ")
          .append(row.clientAttempts).append(" | ").append(row.status).append(" | ")
          .append(row.code == null ? "–" : "`" + row.code + "`").append(" | ")
          .append(row.outcome).append(" | ").append(row.elapsed.toMillis()).append(" | ")
          .append(row.deadline.toMillis()).append(" | ")
          // With fewer than two requests received there was nothing to reuse.
          .append(row.serverAttempts < 2 ? "–" : row.noncesUnique ? "yes" : "**NO**")
          .append(" |\n");
    }
    if (!batchRows.isEmpty()) {
      md.append("\nThe batch, job by job:\n\n| JobId | Outcome | Code | Attempts | Success |\n"
          + "|---|---|---|---:|---|\n");
      for (String line : batchRows) {
        md.append(line).append('\n');
      }
    }
    Files.createDirectories(REPORT.getParent());
    Files.writeString(REPORT, md.toString(), StandardCharsets.UTF_8);
  }

  private void gatewayErrorRow(int status, String code) {
    emulator.inject(100, Fault.gatewayError(status, code, "Injected " + status + "."));

    Row row = run("HTTP " + status + " " + code + " without end", emulator, Map.of(), single(),
        DEADLINE);

    assertRow(row, 4, 502, code, "REJECTED");
    assertUntouched("demo-job-1");
  }

  private static void resetRow(String label, String written) throws IOException {
    try (ScriptedSocketServer server =
        ScriptedSocketServer.start(ScriptedSocketServer.resetAfter(written))) {
      Row row = run(label, server.endpoint(), server::nonces, Map.of(), single(), DEADLINE);

      assertRow(row, 4, 502, "IOError", "UNREACHABLE");
    }
  }

  private static void rawAnswerRow(String label, String answer) throws IOException {
    try (ScriptedSocketServer server =
        ScriptedSocketServer.start(ScriptedSocketServer.answer(answer))) {
      Row row = run(label, server.endpoint(), server::nonces, Map.of(), single(), DEADLINE);

      assertRow(row, 1, 502, "InvalidResponse", "UNREACHABLE");
    }
  }

  private static Map<String, Object> single() {
    return Map.of("JobId", "demo-job-1", "CancelQueuedTask", true);
  }

  private static Row run(String label, IotEmulator server, Map<String, String> env,
      Object request, Duration deadline) {
    Map<String, String> withKey = new HashMap<>();
    withKey.put("ALIBABA_CLOUD_ACCESS_KEY_ID", server.demoCredentials().accessKeyId());
    withKey.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", server.demoCredentials().accessKeySecret());
    withKey.putAll(env);
    return run(label, server.endpoint().toString(), () -> nonces(server.calls()), withKey,
        request, deadline);
  }

  /**
   * Runs one invocation and records its row, after the checks that hold for every fault: the
   * answer is JSON without a stack trace, came by the deadline, claims success only when it
   * says 200, and no nonce was sent twice.
   */
  private static Row run(String label, String endpoint, Supplier<List<String>> nonces,
      Map<String, String> env, Object request, Duration deadline) {
    Map<String, String> all = new HashMap<>();
    all.put("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIdemoEmulatorKey");
    all.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "emulator-demo-secret");
    all.putAll(env);
    all.put("IOT_ENDPOINT", endpoint);
    all.put("IOT_MAX_QPS", "1000"); // the emulators allow it; 5/s would only slow the matrix
    all.put("DEADLINE_MARGIN_MS", "0"); // the deadline given is the deadline used
    List<String> log = new CopyOnWriteArrayList<>();
    OtaCancelFunction function = OtaCancelFunction.fromEnv(all);

    long started = System.nanoTime();
    HttpResponse response = function.event(request, Invocation.of(deadline, null, log::add));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    JsonNode body = json(response.body());
    List<String> sent = nonces.get();
    Row row = new Row(label, sent.size(), attempts(body), response.status(),
        text(body.get("Code")), outcome(body), elapsed, deadline,
        new HashSet<>(sent).size() == sent.size(), body);
    rows.add(row);

    assertTrue(row.noncesUnique, "a nonce was sent twice: " + sent);
    assertTrue(elapsed.compareTo(deadline.plus(SLACK)) <= 0,
        "answered " + elapsed.toMillis() + " ms after the start, deadline " + deadline);
    assertEquals(response.status() == 200, body.get("Success").asBoolean(), response.body());
    for (String line : concat(log, response.body())) {
      assertFalse(line.contains("\tat ") || line.contains("Exception in"),
          "a stack trace escaped: " + line);
    }
    return row;
  }

  private static void assertRow(Row row, int attempts, int status, String code,
      String outcome) {
    assertEquals(attempts, row.serverAttempts, "attempts the server saw: " + row.body);
    assertEquals(attempts, row.clientAttempts, "attempts reported: " + row.body);
    assertEquals(status, row.status, row.body.toString());
    assertEquals(code, row.code, row.body.toString());
    assertEquals(outcome, row.outcome, row.body.toString());
  }

  private void assertCanceled(String jobId) {
    assertEquals(5, emulator.taskCounts(jobId).get("CANCELED"), "1 before, 4 QUEUED canceled");
  }

  private void assertUntouched(String jobId) {
    assertEquals(1, emulator.taskCounts(jobId).get("CANCELED"), "nothing was canceled");
  }

  private static List<String> nonces(List<Call> calls) {
    List<String> nonces = new ArrayList<>();
    for (Call call : calls) {
      nonces.add(call.parameters().get("SignatureNonce"));
    }
    return nonces;
  }

  /** The attempts of the one job, or of every job of a batch together. */
  private static int attempts(JsonNode body) {
    if (!body.has("Results")) {
      return body.get("Attempts").asInt();
    }
    int sum = 0;
    for (JsonNode result : body.get("Results")) {
      sum += result.get("Attempts").asInt();
    }
    return sum;
  }

  /** The one job's Outcome, or the batch's outcomes when they differ. */
  private static String outcome(JsonNode body) {
    if (!body.has("Results")) {
      return body.get("Outcome").asText();
    }
    List<String> outcomes = new ArrayList<>();
    for (JsonNode result : body.get("Results")) {
      if (!outcomes.contains(result.get("Outcome").asText())) {
        outcomes.add(result.get("Outcome").asText());
      }
    }
    return String.join(", ", outcomes);
  }

  private static List<String> concat(List<String> lines, String last) {
    List<String> all = new ArrayList<>(lines);
    all.add(last);
    return all;
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("The answer is not JSON: " + text, e);
    }
  }

  private static String text(JsonNode node) {
    return node == null ? null : node.asText();
  }

  /** One line of the matrix. */
  private static final class Row {
    final String label;
    final int serverAttempts;
    final int clientAttempts;
    final int status;
    final String code;
    final String outcome;
    final Duration elapsed;
    final Duration deadline;
    final boolean noncesUnique;
    final JsonNode body;

    Row(String label, int serverAttempts, int clientAttempts, int status, String code,
        String outcome, Duration elapsed, Duration deadline, boolean noncesUnique,
        JsonNode body) {
      this.label = label;
      this.serverAttempts = serverAttempts;
      this.clientAttempts = clientAttempts;
      this.status = status;
      this.code = code;
      this.outcome = outcome;
      this.elapsed = elapsed;
      this.deadline = deadline;
      this.noncesUnique = noncesUnique;
      this.body = body;
    }
  }
}
