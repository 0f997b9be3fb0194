package io.otacancel.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Which failures are worth another attempt, and how long to wait before it.
 *
 * <p>Only what can succeed later is retried: throttling, service unavailability, internal and
 * IoT system errors, HTTP 408/429/5xx, I/O errors and timeouts. A signature, AccessKey, token,
 * permission or parameter error would fail the same way again.
 */
final class RetryPolicy {
  private static final Duration BASE = Duration.ofMillis(200);
  private static final Duration CAP = Duration.ofSeconds(5);

  private RetryPolicy() {}

  static boolean isTransient(String code) {
    return code.startsWith("Throttling")
        || code.equals("ServiceUnavailable")
        || code.equals("InternalError")
        || code.equals("iot.system.SystemException");
  }

  static boolean isPermanent(String code) {
    return code.startsWith("Signature")
        || code.equals("IncompleteSignature")
        || code.startsWith("InvalidAccessKeyId")
        || code.startsWith("InvalidSecurityToken")
        || code.startsWith("InvalidTimeStamp")
        || code.startsWith("Forbidden")
        || code.startsWith("Missing")
        || code.startsWith("InvalidParameter")
        || code.startsWith("InvalidAction")
        || code.equals("iot.common.RamActionPermissionDeny");
  }

  /**
   * Exponential backoff with jitter before attempt {@code attempt + 1}: a random wait between
   * half and all of {@code 200 ms * 2^(attempt-1)}, at most 5 s, so callers sharing a quota do not
   * retry in step.
   */
  static Duration backoff(int attempt) {
    long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(attempt - 1, 10));
    return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
  }
}
