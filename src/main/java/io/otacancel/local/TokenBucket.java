package io.otacancel.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket holding one second's worth of calls, refilled continuously: {@code
 * callsPerSecond} calls may come in a burst, then one more every {@code 1/callsPerSecond} s.
 */
final class TokenBucket {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final long capacityNanos;
  private final int callsPerSecond;
  private final Clock clock;
  // Tokens are counted in units of 1e-9 call so that refills stay exact.
  private long tokensNanos;
  private Instant refilledAt;

  TokenBucket(int callsPerSecond, Clock clock) {
    this.callsPerSecond = callsPerSecond;
    this.capacityNanos = callsPerSecond * NANOS_PER_SECOND;
    this.clock = clock;
    refill();
  }

  /** Takes a token if there is one. */
  synchronized boolean tryTake() {
    Instant now = clock.instant();
    if (now.isAfter(refilledAt)) {
      Duration elapsed = Duration.between(refilledAt, now);
      tokensNanos = elapsed.getSeconds() >= 1
          ? capacityNanos
          : Math.min(capacityNanos, tokensNanos + elapsed.getNano() * (long) callsPerSecond);
      refilledAt = now;
    }
    if (tokensNanos < NANOS_PER_SECOND) {
      return false;
    }
    tokensNanos -= NANOS_PER_SECOND;
    return true;
  }

  /** Fills the bucket up. */
  synchronized void refill() {
    tokensNanos = capacityNanos;
    refilledAt = clock.instant();
  }
}
