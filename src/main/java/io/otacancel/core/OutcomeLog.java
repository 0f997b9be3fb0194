package io.otacancel.core;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One structured JSON line per event worth a log line. Lines carry ids, codes and timings only,
 * never credentials: no field of a result holds one.
 */
final class OutcomeLog implements CancelListener {
  private final Consumer<String> sink;

  OutcomeLog(Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public void retrying(String jobId, int attempt, String code, Duration backoff) {
    Map<String, Object> line = line("WARN", "retrying");
    line.put("JobId", jobId);
    line.put("Attempt", attempt);
    line.put("Code", code);
    line.put("BackoffMs", backoff.toMillis());
    sink.accept(Json.write(line));
  }

  @Override
  public void finished(CancelResult result, int index, int total) {
    boolean fine = result.success() || result.outcome() == Outcome.NOT_SENT;
    Map<String, Object> line = line(fine ? "INFO" : "ERROR", "cancel");
    line.put("JobId", result.jobId());
    line.put("Outcome", result.outcome().name());
    putIfPresent(line, "Code", result.code());
    line.put("Attempts", result.attempts());
    line.put("LatencyMs", result.latency().toMillis());
    putIfPresent(line, "RequestId", result.requestId());
    line.put("Index", index);
    line.put("Total", total);
    sink.accept(Json.write(line));
  }

  void refused(int status, String code, String message) {
    Map<String, Object> line = line(status >= 500 ? "ERROR" : "WARN", "refused");
    line.put("Status", status);
    line.put("Code", code);
    line.put("Message", message);
    sink.accept(Json.write(line));
  }

  private static void putIfPresent(Map<String, Object> line, String name, Object value) {
    if (value != null) {
      line.put(name, value);
    }
  }

  private static Map<String, Object> line(String level, String event) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("level", level);
    line.put("event", event);
    return line;
  }
}
