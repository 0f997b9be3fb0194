package io.otacancel.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every job's result for one {@link CancelCommand}, and whether all of them succeeded. */
final class BatchResult {
  private final List<CancelResult> results;
  private final boolean batch;

  BatchResult(List<CancelResult> results, boolean batch) {
    this.results = Collections.unmodifiableList(new ArrayList<>(results));
    this.batch = batch;
  }

  public List<CancelResult> results() {
    return results;
  }

  /** True only when every job succeeded. */
  public boolean success() {
    for (CancelResult result : results) {
      if (!result.success()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The one outcome every job shares, or null when they differ (a batch with mixed outcomes).
   */
  public Outcome commonOutcome() {
    Outcome common = results.get(0).outcome();
    for (CancelResult result : results) {
      if (result.outcome() != common) {
        return null;
      }
    }
    return common;
  }

  /**
   * The HTTP status for a webhook caller: the shared outcome's status when every job ended the
   * same way; 207 when some succeeded and some did not; 502 when all failed, differently.
   */
  public int httpStatus() {
    Outcome common = commonOutcome();
    if (common != null) {
      return common.httpStatus();
    }
    for (CancelResult result : results) {
      if (result.success()) {
        return 207;
      }
    }
    return 502;
  }

  /**
   * The answer's JSON: the job's result for a single request, {@code {"Success", "Results"}} for
   * a batch.
   */
  public Map<String, Object> toJson() {
    if (!batch) {
      return results.get(0).toJson();
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("Success", success());
    List<Object> list = new ArrayList<>(results.size());
    for (CancelResult result : results) {
      list.add(result.toJson());
    }
    json.put("Results", list);
    return json;
  }
}
