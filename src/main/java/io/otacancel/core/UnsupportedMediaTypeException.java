package io.otacancel.core;

/** A webhook body whose {@code Content-Type} is neither JSON nor a form, or contradicts it. */
final class UnsupportedMediaTypeException extends OtaCancelException {
  private static final long serialVersionUID = 1L;

  UnsupportedMediaTypeException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "UnsupportedMediaType";
  }
}
