package io.otacancel.aws;

/**
 * A non-HTTP invocation (EventBridge, direct invoke) that did not end with every job cancelled.
 * Thrown so that Lambda counts the invocation as failed; the message is the result JSON, the
 * same document a successful invocation returns, so the caller reads one shape either way.
 *
 * <p>No stack trace is captured: Lambda puts it in the error response and the log, where it
 * would only hide the result.
 */
final class CancelFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  CancelFailedException(int status, String resultJson) {
    super(resultJson, null, false, false);
    this.status = status;
  }

  /** The status the same request would have got over HTTP, e.g. 400, 502, 504. */
  int status() {
    return status;
  }
}
