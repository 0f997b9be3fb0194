package io.otacancel.core;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code CancelOTATaskByJob} call: the batch ({@code JobId}), the task states to cancel, and
 * optionally the Enterprise instance ({@code IotInstanceId}). Always valid once built.
 */
final class CancelRequest {
  static final int MAX_ID_LENGTH = 128;

  private final String jobId;
  private final Set<TaskState> states;
  private final String iotInstanceId;

  private CancelRequest(String jobId, Set<TaskState> states, String iotInstanceId) {
    this.jobId = jobId;
    this.states = states;
    this.iotInstanceId = iotInstanceId;
  }

  /**
   * A validated request.
   *
   * @param iotInstanceId null for the configured default (or none)
   * @throws InvalidRequestException naming the field that is wrong
   */
  public static CancelRequest of(String jobId, Set<TaskState> states, String iotInstanceId) {
    checkId("JobId", jobId);
    if (iotInstanceId != null) {
      checkId("IotInstanceId", iotInstanceId);
    }
    checkStates(states);
    return new CancelRequest(jobId, Collections.unmodifiableSet(EnumSet.copyOf(states)),
        iotInstanceId);
  }

  /** A validated request without an explicit {@code IotInstanceId}. */
  public static CancelRequest of(String jobId, Set<TaskState> states) {
    return of(jobId, states, null);
  }

  /** The API fails when no state is selected, so such a request is refused before sending. */
  static void checkStates(Set<TaskState> states) {
    if (states == null || states.isEmpty()) {
      throw new InvalidRequestException(null, "At least one of CancelScheduledTask, "
          + "CancelQueuedTask, CancelNotifiedTask, CancelInProgressTask, CancelUnconfirmedTask "
          + "must be true");
    }
  }

  private static void checkId(String field, String value) {
    if (value == null || value.trim().isEmpty()) {
      throw new InvalidRequestException(field, field + " is required and must not be blank");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw new InvalidRequestException(field,
          field + " is longer than " + MAX_ID_LENGTH + " characters");
    }
    if (!value.equals(value.trim())) {
      throw new InvalidRequestException(field, field + " must not start or end with whitespace");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new InvalidRequestException(field, field + " contains a control character");
      }
    }
    // IoT generates both ids from this alphabet (e.g. wahVIzGkCMuAUE2gDERM02, iot-cn-0pp1n8t),
    // so anything else ('&', '=', '%', '/', spaces) is a mistake or an attack: refused before
    // IoT is asked, though the signer would have encoded it harmlessly.
    for (int i = 0; i < value.length(); i++) {
      if (!isIdCharacter(value.charAt(i))) {
        throw new InvalidRequestException(field,
            field + " may contain only letters, digits, '-', '_' and '.'");
      }
    }
  }

  private static boolean isIdCharacter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '_' || c == '.';
  }

  public String jobId() {
    return jobId;
  }

  /** The states to cancel; never empty. */
  public Set<TaskState> states() {
    return states;
  }

  /** The explicit {@code IotInstanceId}, or null to use the configured default. */
  public String iotInstanceId() {
    return iotInstanceId;
  }

  /** This request with {@code defaultInstanceId} when it names no instance itself. */
  CancelRequest withDefaultInstance(String defaultInstanceId) {
    if (iotInstanceId != null || defaultInstanceId == null) {
      return this;
    }
    return new CancelRequest(jobId, states, defaultInstanceId);
  }

  /** The API parameters, without the common ones. Flags left false are not sent. */
  Map<String, String> apiParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("JobId", jobId);
    if (iotInstanceId != null) {
      parameters.put("IotInstanceId", iotInstanceId);
    }
    for (TaskState state : states) {
      parameters.put(state.flag(), "true");
    }
    return parameters;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CancelRequest)) {
      return false;
    }
    CancelRequest other = (CancelRequest) o;
    return jobId.equals(other.jobId) && states.equals(other.states)
        && Objects.equals(iotInstanceId, other.iotInstanceId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobId, states, iotInstanceId);
  }

  @Override
  public String toString() {
    return "CancelRequest{JobId=" + jobId + ", states=" + states
        + (iotInstanceId == null ? "" : ", IotInstanceId=" + iotInstanceId) + "}";
  }
}
