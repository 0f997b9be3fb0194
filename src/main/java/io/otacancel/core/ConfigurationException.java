package io.otacancel.core;

/** The function's configuration (environment, credentials) is missing or invalid. */
public final class ConfigurationException extends OtaCancelException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }

  @Override
  public String code() {
    return "ConfigurationError";
  }
}
