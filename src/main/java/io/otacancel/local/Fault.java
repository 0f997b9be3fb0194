package io.otacancel.local;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour of the IoT endpoint, injected into the emulator with {@link
 * IotEmulator#inject(int, Fault)} to test how a client copes.
 *
 * <p>A fault hits a call only once the call has passed authentication and the quota: its nonce
 * is then used up, as it would be on the real service, so a client that retries with the same
 * nonce gets {@code SignatureNonceUsed}.
 */
public final class Fault {
  enum Kind { ANSWER, DELAY, DROP }

  private static final Fault THROTTLING = gatewayError(
      400, "Throttling.User", "Request was denied due to user flow control.");
  // "系统异常" (system exception): the example in CancelOTATaskByJob's documentation.
  private static final Fault SYSTEM_EXCEPTION =
      businessError("iot.system.SystemException", "\u7cfb\u7edf\u5f02\u5e38");
  private static final Fault MALFORMED = new Fault(Kind.ANSWER, Answer.badGatewayPage(), null);
  private static final Fault DROP = new Fault(Kind.DROP, null, null);

  private final Kind kind;
  private final Answer answer;
  private final Duration delay;

  private Fault(Kind kind, Answer answer, Duration delay) {
    this.kind = kind;
    this.answer = answer;
    this.delay = delay;
  }

  /** {@code Throttling.User} with HTTP 400, as when the quota runs out. */
  public static Fault throttling() {
    return THROTTLING;
  }

  /**
   * An API gateway error: {@code {"RequestId","HostId","Code","Message"}} with this HTTP status,
   * e.g. {@code 500 InternalError}, {@code 503 ServiceUnavailable} or {@code 400
   * InvalidSecurityToken.Expired}.
   */
  public static Fault gatewayError(int status, String code, String message) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("A gateway error has a 4xx or 5xx status, not " + status);
    }
    return new Fault(Kind.ANSWER, Answer.gatewayError(status,
        Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message")), null);
  }

  /** {@code iot.system.SystemException}: HTTP 200 with {@code Success:false}. */
  public static Fault systemException() {
    return SYSTEM_EXCEPTION;
  }

  /**
   * An IoT business failure: {@code {"RequestId","Success":false,"Code","ErrorMessage"}} with
   * HTTP 200, e.g. {@code iot.system.InstanceNotFound}.
   */
  public static Fault businessError(String code, String message) {
    return new Fault(Kind.ANSWER, Answer.businessError(
        Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message")), null);
  }

  /**
   * The call takes effect at once but its answer comes {@code delay} later, like a slow network:
   * a client that gives up first cannot know that its cancel went through.
   */
  public static Fault delay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("Negative delay: " + delay);
    }
    return new Fault(Kind.DELAY, null, delay);
  }

  /** A front proxy's HTML error page with HTTP 502 instead of JSON; the call has no effect. */
  public static Fault malformed() {
    return MALFORMED;
  }

  /** The connection closes without an answer; the call has no effect. */
  public static Fault dropConnection() {
    return DROP;
  }

  Kind kind() {
    return kind;
  }

  /** The answer given instead of the real one; only for {@link Kind#ANSWER}. */
  Answer answer() {
    return answer;
  }

  /** Only for {@link Kind#DELAY}. */
  Duration delay() {
    return delay;
  }

  @Override
  public String toString() {
    switch (kind) {
      case DELAY:
        return "delay " + delay;
      case DROP:
        return "dropped connection";
      default:
        return answer.report();
    }
  }
}
