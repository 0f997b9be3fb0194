package io.otacancel.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What one invocation asks for: a single cancel request, or a batch of them (from {@code JobIds}
 * or {@code Jobs}). The distinction decides the shape of the answer.
 */
final class CancelCommand {
  /** The most jobs one invocation may cancel. */
  public static final int MAX_JOBS = 100;

  private final List<CancelRequest> requests;
  private final boolean batch;

  private CancelCommand(List<CancelRequest> requests, boolean batch) {
    this.requests = requests;
    this.batch = batch;
  }

  /** A single-job command, answered with that job's result. */
  public static CancelCommand single(CancelRequest request) {
    return new CancelCommand(Collections.singletonList(request), false);
  }

  /**
   * A batch command, answered with every job's result. Exact duplicates are dropped, keeping
   * the first occurrence's order.
   *
   * @throws InvalidRequestException when empty or over {@link #MAX_JOBS}
   */
  public static CancelCommand batch(List<CancelRequest> requests) {
    return batch(requests, "JobIds");
  }

  /** A batch whose jobs came from the request field {@code field} ({@code JobIds} or {@code Jobs}). */
  static CancelCommand batch(List<CancelRequest> requests, String field) {
    List<CancelRequest> unique = new ArrayList<>(new LinkedHashSet<>(requests));
    if (unique.isEmpty()) {
      throw new InvalidRequestException(field, "A batch needs at least one job");
    }
    if (unique.size() > MAX_JOBS) {
      throw new InvalidRequestException(field,
          "A batch may hold at most " + MAX_JOBS + " jobs, got " + unique.size());
    }
    return new CancelCommand(Collections.unmodifiableList(unique), true);
  }

  public List<CancelRequest> requests() {
    return requests;
  }

  /** True when the caller used the batch form, even for one job. */
  public boolean isBatch() {
    return batch;
  }

  @Override
  public String toString() {
    return (batch ? "batch" : "single") + requests;
  }
}
