package io.otacancel.core;

/** The root of ota-cancel's own failures; each subclass is one failure mode. */
public abstract class OtaCancelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OtaCancelException(String message) {
    super(message, null, false, false);
  }

  /** The machine-readable error code put in JSON error bodies. */
  public abstract String code();
}
