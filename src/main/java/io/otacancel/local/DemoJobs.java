package io.otacancel.local;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emulator's OTA batches: task counts per state, kept in memory.
 *
 * <p>Every demo batch exists from the start, so the set is generated rather than stored: a batch
 * gets its own counts the first time a call touches it, and {@link #reset()} forgets them all.
 * Only counts are kept because no supported call lists devices.
 */
final class DemoJobs {
  private static final String SCHEDULED_JOB = "demo-job-scheduled";
  private static final String DONE_JOB = "demo-job-done";
  private static final int NUMBERED_JOBS = 100;

  private static final Pattern NUMBERED_JOB = Pattern.compile("demo-job-([1-9][0-9]{0,2})");

  private final ConcurrentMap<String, EnumMap<TaskState, Integer>> touched =
      new ConcurrentHashMap<>();

  /**
   * Cancels the batch's tasks that are in one of {@code states}.
   *
   * @return what changed, e.g. {@code canceled 3 task(s) (QUEUED 3); left 1 (FAILED 1)}, or null
   *     when no such batch exists
   */
  String cancel(String jobId, Set<TaskState> states) {
    EnumMap<TaskState, Integer> counts = job(jobId);
    if (counts == null) {
      return null;
    }
    EnumMap<TaskState, Integer> canceled = new EnumMap<>(TaskState.class);
    EnumMap<TaskState, Integer> left;
    synchronized (counts) {
      for (TaskState state : states) {
        Integer count = counts.remove(state);
        if (count != null) {
          canceled.put(state, count);
        }
      }
      left = new EnumMap<>(counts);
      int total = sum(canceled);
      if (total > 0) {
        counts.merge(TaskState.CANCELED, total, Integer::sum);
      }
    }
    return "canceled " + sum(canceled) + " task(s)" + describe(canceled)
        + "; left " + sum(left) + describe(left);
  }

  /**
   * The batch's task counts by state name, in state order, without empty states.
   *
   * @throws IllegalArgumentException when no such batch exists
   */
  Map<String, Integer> counts(String jobId) {
    EnumMap<TaskState, Integer> counts = job(jobId);
    if (counts == null) {
      throw new IllegalArgumentException("No such demo batch: " + jobId);
    }
    Map<String, Integer> byName = new LinkedHashMap<>();
    synchronized (counts) {
      counts.forEach((state, count) -> byName.put(state.name(), count));
    }
    return Collections.unmodifiableMap(byName);
  }

  /** Puts every batch back in its initial state. */
  void reset() {
    touched.clear();
  }

  private EnumMap<TaskState, Integer> job(String jobId) {
    EnumMap<TaskState, Integer> initial = initialCounts(jobId);
    return initial == null ? null : touched.computeIfAbsent(jobId, id -> initial);
  }

  /** The counts a batch starts with, or null when {@code jobId} names no demo batch. */
  private static EnumMap<TaskState, Integer> initialCounts(String jobId) {
    EnumMap<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    if (jobId.equals(SCHEDULED_JOB)) {
      counts.put(TaskState.SCHEDULED, 6);
      return counts;
    }
    if (jobId.equals(DONE_JOB)) {
      counts.put(TaskState.SUCCEEDED, 5);
      counts.put(TaskState.FAILED, 2);
      return counts;
    }
    Matcher numbered = NUMBERED_JOB.matcher(jobId);
    if (!numbered.matches() || Integer.parseInt(numbered.group(1)) > NUMBERED_JOBS) {
      return null;
    }
    // Distinct counts per state, so a test can tell from a count which states were canceled.
    counts.put(TaskState.QUEUED, 4);
    counts.put(TaskState.NOTIFIED, 3);
    counts.put(TaskState.IN_PROGRESS, 5);
    counts.put(TaskState.CONFIRM, 2);
    counts.put(TaskState.SUCCEEDED, 6);
    counts.put(TaskState.FAILED, 7);
    counts.put(TaskState.CANCELED, 1);
    return counts;
  }

  private static int sum(Map<TaskState, Integer> counts) {
    int sum = 0;
    for (int count : counts.values()) {
      sum += count;
    }
    return sum;
  }

  private static String describe(Map<TaskState, Integer> counts) {
    if (counts.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(" (");
    counts.forEach((state, count) -> {
      if (out.length() > 2) {
        out.append(", ");
      }
      out.append(state.name()).append(' ').append(count);
    });
    return out.append(')').toString();
  }
}
