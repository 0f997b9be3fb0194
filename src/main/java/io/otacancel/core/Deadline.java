package io.otacancel.core;

import java.time.Duration;

/**
 * The moment an invocation must have answered by: the platform's remaining time minus a safety
 * margin. No attempt starts that cannot finish before it.
 */
public final class Deadline {
  private final long deadlineNanos;

  private Deadline(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  /** A deadline {@code timeLeft} from now. */
  public static Deadline after(Duration timeLeft) {
    return new Deadline(System.nanoTime() + timeLeft.toNanos());
  }

  /** The time left; zero or negative once passed. */
  public Duration remaining() {
    return Duration.ofNanos(deadlineNanos - System.nanoTime());
  }

  /** True when at least {@code needed} is left. */
  public boolean allows(Duration needed) {
    return deadlineNanos - System.nanoTime() >= needed.toNanos();
  }

  long nanos() {
    return deadlineNanos;
  }

  @Override
  public String toString() {
    return "Deadline{remaining=" + remaining() + "}";
  }
}
