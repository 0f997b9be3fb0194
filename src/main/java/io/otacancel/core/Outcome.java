package io.otacancel.core;

/** How one job's cancellation ended. */
public enum Outcome {
  /** IoT answered {@code Success: true}. */
  SUCCEEDED(200),
  /** IoT or its gateway answered with a failure that retrying would not fix (or retries ran out). */
  REJECTED(502),
  /** The quota was still exhausted after retries. */
  THROTTLED(429),
  /** The deadline ran out before an answer came. */
  TIMED_OUT(504),
  /** The endpoint could not be reached, or did not answer in IoT's shape. */
  UNREACHABLE(502),
  /** Dry run: the request was signed and shown, not sent. */
  NOT_SENT(200);

  private final int httpStatus;

  Outcome(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The HTTP status a webhook caller gets when every job ended like this. */
  public int httpStatus() {
    return httpStatus;
  }
}
