package io.otacancel.core;

/** The answer to an {@link HttpRequest}: a status and a JSON body. */
public final class HttpResponse {
  private final int status;
  private final String body;

  private HttpResponse(int status, String body) {
    this.status = status;
    this.body = body;
  }

  static HttpResponse json(int status, String body) {
    return new HttpResponse(status, body);
  }

  public int status() {
    return status;
  }

  /** Always {@code application/json}. */
  public String contentType() {
    return "application/json";
  }

  public String body() {
    return body;
  }

  /**
   * The body of a timer or direct invocation that fully succeeded (status 200, or a dry run).
   *
   * @throws CancelFailedException otherwise, so the platform records a failed invocation
   */
  public String bodyOrThrow() {
    if (status != 200) {
      throw new CancelFailedException(this);
    }
    return body;
  }

  @Override
  public String toString() {
    return status + " " + body;
  }
}
