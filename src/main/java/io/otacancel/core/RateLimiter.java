package io.otacancel.core;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Spaces calls evenly so the process never exceeds the IoT quota (5 calls per second per account
 * by default). One limiter per rate, shared by every call in the process: concurrent invocations
 * of a warm instance draw from the same budget.
 */
final class RateLimiter {
  private static final Map<Double, RateLimiter> SHARED = new HashMap<>();

  private final long intervalNanos;
  private long nextFreeNanos = Long.MIN_VALUE;

  RateLimiter(double callsPerSecond) {
    if (!(callsPerSecond > 0)) {
      throw new IllegalArgumentException("callsPerSecond must be > 0: " + callsPerSecond);
    }
    this.intervalNanos = (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) / callsPerSecond);
  }

  /** The process-wide limiter for this rate. */
  static RateLimiter shared(double callsPerSecond) {
    synchronized (SHARED) {
      RateLimiter limiter = SHARED.get(callsPerSecond);
      if (limiter == null) {
        limiter = new RateLimiter(callsPerSecond);
        SHARED.put(callsPerSecond, limiter);
      }
      return limiter;
    }
  }

  /**
   * Waits for the next free slot. Takes no slot, and returns false at once, when that slot is
   * after {@code latestStartNanos}.
   */
  boolean acquire(long latestStartNanos) throws InterruptedException {
    long slot;
    synchronized (this) {
      long now = System.nanoTime();
      slot = nextFreeNanos == Long.MIN_VALUE ? now : Math.max(now, nextFreeNanos);
      if (slot - latestStartNanos > 0) {
        return false;
      }
      nextFreeNanos = slot + intervalNanos;
    }
    long wait = slot - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
    return true;
  }
}
