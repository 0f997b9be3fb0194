package io.otacancel.core;

/** A cancel request failed validation; the message names the offending field. */
public final class InvalidRequestException extends OtaCancelException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The request field at fault, e.g. {@code JobId}; null when the whole request is at fault. */
  public String field() {
    return field;
  }

  @Override
  public String code() {
    return "InvalidParameter";
  }
}
