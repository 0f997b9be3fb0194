package io.otacancel.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One job's outcome: IoT's answer ({@code RequestId}, {@code Success}, {@code Code}, {@code
 * ErrorMessage}) and how it was reached (attempts, latency).
 */
final class CancelResult {
  private final String jobId;
  private final Outcome outcome;
  private final String code;
  private final String errorMessage;
  private final String requestId;
  private final int attempts;
  private final Duration latency;
  private final String preparedRequest;

  private CancelResult(String jobId, Outcome outcome, String code, String errorMessage,
      String requestId, int attempts, Duration latency, String preparedRequest) {
    this.jobId = jobId;
    this.outcome = outcome;
    this.code = code;
    this.errorMessage = errorMessage;
    this.requestId = requestId;
    this.attempts = attempts;
    this.latency = latency;
    this.preparedRequest = preparedRequest;
  }

  static CancelResult of(String jobId, Outcome outcome, String code, String errorMessage,
      String requestId, int attempts, Duration latency) {
    return new CancelResult(jobId, outcome, code, errorMessage, requestId, attempts, latency,
        null);
  }

  static CancelResult notSent(String jobId, String maskedRequest, Duration latency) {
    return new CancelResult(jobId, Outcome.NOT_SENT, "DryRun",
        "Dry run: the request was signed but not sent", null, 0, latency, maskedRequest);
  }

  public String jobId() {
    return jobId;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** True only when IoT answered {@code Success: true}. */
  public boolean success() {
    return outcome == Outcome.SUCCEEDED;
  }

  /** IoT's or the gateway's error code, or ours ({@code DeadlineExceeded}, ...); null on success. */
  public String code() {
    return code;
  }

  public String errorMessage() {
    return errorMessage;
  }

  /** The {@code RequestId} of the last answer, or null when none came. */
  public String requestId() {
    return requestId;
  }

  /** HTTP requests sent for this job. */
  public int attempts() {
    return attempts;
  }

  public Duration latency() {
    return latency;
  }

  /** For a dry run, the request that would have been sent, secrets masked; otherwise null. */
  public String preparedRequest() {
    return preparedRequest;
  }

  /** The result as the JSON fields callers see, in a stable order. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("JobId", jobId);
    json.put("Success", success());
    putIfPresent(json, "Code", code);
    putIfPresent(json, "ErrorMessage", errorMessage);
    putIfPresent(json, "RequestId", requestId);
    json.put("Outcome", outcome.name());
    json.put("Attempts", attempts);
    json.put("LatencyMs", latency.toMillis());
    putIfPresent(json, "DryRunRequest", preparedRequest);
    return json;
  }

  private static void putIfPresent(Map<String, Object> json, String name, Object value) {
    if (value != null) {
      json.put(name, value);
    }
  }

  @Override
  public String toString() {
    return "CancelResult" + toJson();
  }
}
