package io.otacancel.core;

/** A device update task state that {@code CancelOTATaskByJob} can cancel, with its API flag. */
public enum TaskState {
  /** Tasks of a batch scheduled with {@code ScheduleTime} that has not started yet. */
  SCHEDULED("CancelScheduledTask"),
  /** {@code QUEUED}: waiting to be pushed to the device. */
  QUEUED("CancelQueuedTask"),
  /** {@code NOTIFIED}: pushed to the device. */
  NOTIFIED("CancelNotifiedTask"),
  /** {@code IN_PROGRESS}: the device is updating. */
  IN_PROGRESS("CancelInProgressTask"),
  /** Pending the device's (or user's) confirmation. */
  UNCONFIRMED("CancelUnconfirmedTask");

  private final String flag;

  TaskState(String flag) {
    this.flag = flag;
  }

  /** The API parameter that selects this state, e.g. {@code CancelQueuedTask}. */
  public String flag() {
    return flag;
  }
}
