package io.otacancel.local;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One HTTP request the emulator received and how it answered, for tests to check what a client
 * sent: that every retry had a fresh nonce, or that nothing was sent for invalid input.
 */
public final class Call {
  private final Instant receivedAt;
  private final String method;
  private final SortedMap<String, String> parameters;
  private final int status;
  private final String code;

  private Call(Instant receivedAt, String method, SortedMap<String, String> parameters,
      int status, String code) {
    this.receivedAt = receivedAt;
    this.method = method;
    this.parameters = parameters;
    this.status = status;
    this.code = code;
  }

  static Call of(Instant receivedAt, String method, Map<String, String> parameters, int status,
      String code) {
    SortedMap<String, String> shown = new TreeMap<>(parameters);
    shown.remove("Signature");
    return new Call(receivedAt, method, Collections.unmodifiableSortedMap(shown), status, code);
  }

  /** The time on the emulator's clock when the call arrived. */
  public Instant receivedAt() {
    return receivedAt;
  }

  /** The HTTP method, {@code GET} or {@code POST}. */
  public String method() {
    return method;
  }

  /** The {@code Action} parameter, or null when there was none. */
  public String action() {
    return parameters.get("Action");
  }

  /** The query and form parameters, merged, by name; without {@code Signature}. */
  public SortedMap<String, String> parameters() {
    return parameters;
  }

  /** The HTTP status of the answer; 0 when the connection was dropped without one. */
  public int status() {
    return status;
  }

  /**
   * The {@code Code} of the answer (a gateway or IoT error code), or null when the answer had
   * none: a success, an HTML page, or no answer at all.
   */
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return "Call{" + method + " " + parameters + " -> " + status
        + (code == null ? "" : " " + code) + "}";
  }
}
