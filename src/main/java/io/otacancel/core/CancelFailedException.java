package io.otacancel.core;

/**
 * A timer or direct invocation did not fully succeed. Adapters throw it so the platform records
 * a failed invocation (AWS: the Errors metric, EventBridge retries and dead-letter queues; FC: an
 * error result and async retry/destination). Its message is the JSON answer, so the failure shows
 * every job's outcome; it carries no stack trace, which would say nothing more.
 */
public final class CancelFailedException extends OtaCancelException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public CancelFailedException(HttpResponse response) {
    super(response.body());
    this.status = response.status();
  }

  /** The HTTP status the same failure would have had on a webhook. */
  public int status() {
    return status;
  }

  @Override
  public String code() {
    return "CancelFailed";
  }
}
