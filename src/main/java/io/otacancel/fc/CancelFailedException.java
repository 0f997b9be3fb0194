package io.otacancel.fc;

/**
 * Thrown by {@link FcHandler} when a timer or direct invocation did not fully succeed, so that
 * Function Compute records the invocation as failed: it counts as an error in the metrics, and
 * an asynchronous invocation (every timer trigger is one) follows the function's async policy
 * (retries, on-failure destination).
 *
 * <p>The message is the result JSON the function would otherwise have answered, e.g. {@code
 * {"JobId":"...","Success":false,"Code":"...",...}} or {@code {"Code":"InvalidParameter",
 * "Message":"..."}}; FC shows it as {@code errorMessage}. It carries no stack trace: the message
 * says all there is to say, and a trace would only bury it in the logs.
 */
public final class CancelFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  CancelFailedException(int status, String resultJson) {
    super(resultJson, null, false, false);
    this.status = status;
  }

  /** The HTTP status the result maps to: 400, 429, 500, 502, 504, or 207 for a mixed batch. */
  public int status() {
    return status;
  }
}
