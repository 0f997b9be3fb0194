package io.otacancel.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.otacancel.core.Credentials;
import io.otacancel.core.RpcSignature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The emulated IoT OpenAPI endpoint: checks each call as the API gateway does, then runs {@code
 * CancelOTATaskByJob} on the demo batches. {@link IotEmulator} documents the answers.
 */
final class RpcEndpoint implements HttpHandler {
  private static final String ACTION = "CancelOTATaskByJob";
  // The emulator's choice: no OTA error code is documented.
  private static final String JOB_NOT_FOUND = "iot.ota.JobNotFound";

  // The documents give a 15-minute clock skew (InvalidTimeStamp.Expired) and a 31-minute
  // validity; a Timestamp up to 15 minutes either side of the clock covers both.
  private static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT)
          .withResolverStyle(ResolverStyle.STRICT);
  private static final List<String> COMMON_PARAMETERS = List.of("Action", "Version",
      "AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp",
      "Signature");
  private static final String FORM_TYPE = "application/x-www-form-urlencoded";

  private final String hostId;
  private final Clock clock;
  private final Consumer<String> log;
  private final Map<String, Credentials> keys;
  private final TokenBucket quota;
  // A nonce is only worth remembering while a request carrying it could still be on time.
  private final NonceLedger nonces = new NonceLedger(MAX_SKEW.multipliedBy(2));
  private final DemoJobs jobs = new DemoJobs();
  private final ArrayDeque<Fault> faults = new ArrayDeque<>();
  private final List<Call> calls = new ArrayList<>();

  RpcEndpoint(String hostId, Clock clock, Consumer<String> log, List<Credentials> keys,
      TokenBucket quota) {
    this.hostId = hostId;
    this.clock = clock;
    this.log = log;
    Map<String, Credentials> byId = new TreeMap<>();
    for (Credentials key : keys) {
      byId.put(key.accessKeyId(), key);
    }
    this.keys = byId;
    this.quota = quota;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      answer(exchange);
    } finally {
      exchange.close();
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    Instant receivedAt = clock.instant();
    String method = exchange.getRequestMethod();
    SortedMap<String, String> parameters = new TreeMap<>();
    Fault fault = null;
    Answer answer;
    try {
      parameters.putAll(readParameters(exchange));
      authenticate(exchange, parameters, receivedAt);
      fault = nextFault();
      answer = fault == null || fault.kind() == Fault.Kind.DELAY ? cancel(parameters)
          : fault.answer();
    } catch (Rejection rejection) {
      answer = rejection.answer;
    }
    record(receivedAt, method, parameters, answer, fault);

    if (fault != null && fault.kind() == Fault.Kind.DELAY) {
      try {
        Thread.sleep(fault.delay().toMillis());
      } catch (InterruptedException e) {
        // The emulator is closing: leave without an answer.
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (answer == null) {
      // A dropped connection: closing the exchange before any answer closes the socket.
      return;
    }
    String requestId = UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    byte[] body = answer.body(requestId, hostId);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.getResponseHeaders().set("x-acs-request-id", requestId);
    exchange.sendResponseHeaders(answer.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** The query parameters, over those of a form body as the official SDKs merge them. */
  private static Map<String, String> readParameters(HttpExchange exchange)
      throws IOException, Rejection {
    String method = exchange.getRequestMethod();
    if (!(method.equals("GET") || method.equals("POST"))
        || !exchange.getRequestURI().getPath().equals("/")) {
      throw apiNotFound();
    }
    Map<String, String> parameters = new TreeMap<>();
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (method.equals("POST") && contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith(FORM_TYPE)) {
      try (InputStream body = exchange.getRequestBody()) {
        decode(new String(body.readAllBytes(), StandardCharsets.UTF_8), parameters);
      }
    }
    decode(exchange.getRequestURI().getRawQuery(), parameters);
    return parameters;
  }

  private static void decode(String form, Map<String, String> into) throws Rejection {
    if (form == null || form.isEmpty()) {
      return;
    }
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        into.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new Rejection(Answer.gatewayError(400, "InvalidParameter",
            "The request has a malformed percent-encoding: " + pair));
      }
    }
  }

  /** Checks the call as the gateway does: parameters, timestamp, key, signature, nonce, quota. */
  private void authenticate(HttpExchange exchange, SortedMap<String, String> parameters,
      Instant now) throws Rejection {
    for (String name : COMMON_PARAMETERS) {
      if (isEmpty(parameters.get(name))) {
        throw missing(name);
      }
    }
    if (!parameters.get("Action").equals(ACTION)) {
      throw apiNotFound();
    }
    expect(parameters, "Version", "2018-01-20");
    expect(parameters, "SignatureMethod", "HMAC-SHA1");
    expect(parameters, "SignatureVersion", "1.0");
    String format = parameters.get("Format");
    if (format != null && !format.equalsIgnoreCase("JSON") && !format.equalsIgnoreCase("XML")) {
      throw invalid("Format");
    }
    Instant timestamp = timestamp(parameters.get("Timestamp"));
    if (Duration.between(timestamp, now).abs().compareTo(MAX_SKEW) > 0) {
      throw new Rejection(Answer.gatewayError(400, "InvalidTimeStamp.Expired",
          "Specified time stamp or date value is expired."));
    }
    Credentials key = keys.get(parameters.get("AccessKeyId"));
    if (key == null) {
      throw new Rejection(Answer.gatewayError(404, "InvalidAccessKeyId.NotFound",
          "Specified access key is not found."));
    }
    String stringToSign = RpcSignature.stringToSign(exchange.getRequestMethod(), parameters);
    if (!MessageDigest.isEqual(
        RpcSignature.sign(stringToSign, key.accessKeySecret()).getBytes(StandardCharsets.UTF_8),
        parameters.get("Signature").getBytes(StandardCharsets.UTF_8))) {
      throw new Rejection(Answer.gatewayError(400, "SignatureDoesNotMatch",
          "Specified signature is not matched with our calculation. server string to sign is:"
              + stringToSign));
    }
    // Emulator's choice: the real code for a missing or wrong token is not documented.
    if (!Objects.equals(key.securityToken(), parameters.get("SecurityToken"))) {
      throw new Rejection(Answer.gatewayError(400, "InvalidSecurityToken.MismatchWithAccessKey",
          "Specified SecurityToken mismatch with the AccessKey."));
    }
    if (!nonces.firstUse(key.accessKeyId(), parameters.get("SignatureNonce"), now)) {
      throw new Rejection(Answer.gatewayError(400, "SignatureNonceUsed",
          "Specified signature nonce was used already."));
    }
    if (!quota.tryTake()) {
      throw new Rejection(Fault.throttling().answer());
    }
  }

  private Answer cancel(Map<String, String> parameters) throws Rejection {
    String jobId = parameters.get("JobId");
    if (isEmpty(jobId)) {
      throw missing("JobId");
    }
    Set<TaskState> states = EnumSet.noneOf(TaskState.class);
    for (TaskState state : TaskState.values()) {
      if (state.cancelFlag() != null && flag(parameters, state.cancelFlag())) {
        states.add(state);
      }
    }
    if (states.isEmpty()) {
      return Answer.businessError("iot.system.IllegalRequest", "At least one of"
          + " CancelScheduledTask, CancelQueuedTask, CancelNotifiedTask, CancelInProgressTask"
          + " and CancelUnconfirmedTask must be true.");
    }
    String report = jobs.cancel(jobId, states);
    return report == null
        ? Answer.businessError(JOB_NOT_FOUND, "The OTA batch does not exist: " + jobId)
        : Answer.success(report);
  }

  private Fault nextFault() {
    synchronized (faults) {
      return faults.poll();
    }
  }

  private void record(Instant receivedAt, String method, Map<String, String> parameters,
      Answer answer, Fault fault) {
    synchronized (calls) {
      calls.add(Call.of(receivedAt, method, parameters,
          answer == null ? 0 : answer.status(), answer == null ? null : answer.code()));
    }
    String subject = parameters.getOrDefault("JobId", parameters.getOrDefault("Action", "request"));
    String line = "emulator: " + subject + ": "
        + (answer == null ? "connection dropped" : answer.report());
    if (fault != null) {
      // Only a delay leaves the answer itself silent about the fault.
      line += fault.kind() == Fault.Kind.DELAY ? " (injected " + fault + ")" : " (injected)";
    }
    log.accept(line);
  }

  void inject(int calls, Fault fault) {
    synchronized (faults) {
      for (int i = 0; i < calls; i++) {
        faults.add(fault);
      }
    }
  }

  Map<String, Integer> taskCounts(String jobId) {
    return jobs.counts(jobId);
  }

  List<Call> calls() {
    synchronized (calls) {
      return Collections.unmodifiableList(new ArrayList<>(calls));
    }
  }

  void reset() {
    synchronized (faults) {
      faults.clear();
    }
    synchronized (calls) {
      calls.clear();
    }
    nonces.clear();
    quota.refill();
    jobs.reset();
  }

  private static Instant timestamp(String value) throws Rejection {
    try {
      return LocalDateTime.parse(value, TIMESTAMP).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new Rejection(Answer.gatewayError(400, "InvalidTimeStamp.Format",
          "Specified time stamp or date value is not well formatted."));
    }
  }

  private static boolean flag(Map<String, String> parameters, String name) throws Rejection {
    String value = parameters.get(name);
    if (value == null || value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    throw invalid(name);
  }

  private static void expect(Map<String, String> parameters, String name, String value)
      throws Rejection {
    if (!parameters.get(name).equals(value)) {
      throw invalid(name);
    }
  }

  private static Rejection missing(String name) {
    return new Rejection(Answer.gatewayError(400, "MissingParameter", "The input parameter \""
        + name + "\" that is mandatory for processing this request is not supplied."));
  }

  private static Rejection invalid(String name) {
    return new Rejection(Answer.gatewayError(400, "InvalidParameter",
        "The specified parameter \"" + name + "\" is not valid."));
  }

  private static Rejection apiNotFound() {
    return new Rejection(Answer.gatewayError(404, "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method."));
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  /** A call the endpoint turns down; thrown to leave the checks at the first failure. */
  private static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    final transient Answer answer;

    Rejection(Answer answer) {
      super(answer.report(), null, false, false);
      this.answer = answer;
    }
  }
}
