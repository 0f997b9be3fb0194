package io.otacancel.core;

/** The version of this build, from the jar's manifest. */
public final class Version {
  private Version() {}

  /** E.g. {@code 1.0.0}; {@code dev} when not run from the jar. */
  public static String current() {
    String version = Version.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
