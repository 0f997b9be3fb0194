package io.otacancel.core;

import java.time.Duration;

/** Hears how a command progresses: for progress lines and logs. Called on the caller's thread. */
interface CancelListener {
  /** Nothing to hear. */
  CancelListener NONE = new CancelListener() {};

  /** An attempt failed in a way worth retrying; the next starts after {@code backoff}. */
  default void retrying(String jobId, int attempt, String code, Duration backoff) {}

  /** Job {@code index} (from 1) of {@code total} has its result. */
  default void finished(CancelResult result, int index, int total) {}
}
