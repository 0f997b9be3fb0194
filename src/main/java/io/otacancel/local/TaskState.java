package io.otacancel.local;

/**
 * The states of a device's OTA task, as {@code ListOTATaskByJob} spells them, and the {@code
 * CancelOTATaskByJob} flag that cancels each.
 */
enum TaskState {
  /**
   * A task of a scheduled batch ({@code JobStatus=PLANNED}) whose time has not come. The docs name
   * no such task state; this name is the emulator's.
   */
  SCHEDULED("CancelScheduledTask"),
  QUEUED("CancelQueuedTask"),
  NOTIFIED("CancelNotifiedTask"),
  IN_PROGRESS("CancelInProgressTask"),
  /** Pending confirmation. Unverified: {@code CONFIRM} appears only in third-party code. */
  CONFIRM("CancelUnconfirmedTask"),
  SUCCEEDED(null),
  FAILED(null),
  CANCELED(null);

  private final String cancelFlag;

  TaskState(String cancelFlag) {
    this.cancelFlag = cancelFlag;
  }

  /** The request flag that cancels tasks in this state, or null when none can. */
  String cancelFlag() {
    return cancelFlag;
  }
}
