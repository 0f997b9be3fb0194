package io.otacancel.core;

import java.util.Map;

/**
 * What one HTTP answer from IoT says, read from either shape: IoT's own {@code {"RequestId",
 * "Success", "Code", "ErrorMessage"}} or the API gateway's {@code {"RequestId", "HostId", "Code",
 * "Message"}} on 4xx/5xx. Anything else is an invalid answer, never a success.
 */
final class IotAnswer {
  static final String INVALID_RESPONSE = "InvalidResponse";
  static final String UNEXPECTED_REDIRECT = "UnexpectedRedirect";

  final int httpStatus;
  final boolean success;
  final String code;
  final String message;
  final String requestId;

  private IotAnswer(int httpStatus, boolean success, String code, String message,
      String requestId) {
    this.httpStatus = httpStatus;
    this.success = success;
    this.code = code;
    this.message = message;
    this.requestId = requestId;
  }

  /**
   * Reads an answer; any echo of the credentials in IoT's message (a signature error quotes the
   * string to sign, token included) is redacted.
   */
  static IotAnswer read(int httpStatus, byte[] body, Credentials credentials) {
    if (httpStatus / 100 == 3) {
      // Whatever its body says, a redirect is not IoT's answer. It is not followed: the endpoint
      // comes from configuration only, never from an answer. Nor retried: the endpoint would
      // point the same way a moment later.
      return new IotAnswer(httpStatus, false, UNEXPECTED_REDIRECT, "The endpoint answered HTTP "
          + httpStatus + ", a redirect; redirects are not followed: check IOT_ENDPOINT", null);
    }
    Map<String, Object> json;
    try {
      json = Json.asObject(Json.parse(body));
    } catch (InvalidRequestException e) {
      json = null;
    }
    if (json == null) {
      return new IotAnswer(httpStatus, false, INVALID_RESPONSE,
          "The endpoint answered HTTP " + httpStatus + " with a body that is not IoT's JSON",
          null);
    }
    String requestId = text(json.get("RequestId"));
    Object success = json.get("Success");
    boolean succeeded = httpStatus / 100 == 2
        && (Boolean.TRUE.equals(success) || "true".equals(success));
    String code = text(json.get("Code"));
    String message = credentials.redact(text(json.containsKey("ErrorMessage")
        ? json.get("ErrorMessage") : json.get("Message")));
    if (!succeeded && code == null) {
      code = success == null ? INVALID_RESPONSE : "UnknownError";
      if (message == null) {
        message = success == null
            ? "The endpoint answered HTTP " + httpStatus + " without Success or Code"
            : "IoT answered Success: false without a Code";
      }
    }
    return new IotAnswer(httpStatus, succeeded, succeeded ? null : code,
        succeeded ? null : message, requestId);
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  /** True for failures that may pass on a later attempt. */
  boolean retryable() {
    if (success) {
      return false;
    }
    if (code != null && RetryPolicy.isPermanent(code)) {
      return false;
    }
    return (code != null && RetryPolicy.isTransient(code))
        || httpStatus == 408 || httpStatus == 429 || httpStatus >= 500;
  }

  /** True when the answer is not in IoT's shape at all: the endpoint was not IoT. */
  boolean notFromIot() {
    return INVALID_RESPONSE.equals(code) || UNEXPECTED_REDIRECT.equals(code);
  }

  boolean throttled() {
    return code != null && code.startsWith("Throttling") || httpStatus == 429;
  }
}
