package io.otacancel.local;

/** The CLI's exit codes: one per kind of failure, so scripts can tell them apart. */
enum ExitCode {
  OK(0),
  USAGE(1),
  INVALID_INPUT(2),
  UNAUTHORIZED(3),
  UPSTREAM_FAILURE(4),
  TIMED_OUT(5),
  THROTTLED(6),
  CONFIGURATION(7),
  /** A bug: the handler failed in a way it should have answered. */
  INTERNAL(8);

  final int value;

  ExitCode(int value) {
    this.value = value;
  }

  /** The exit code for an answer with this HTTP(-equivalent) status. */
  static ExitCode ofStatus(int status) {
    switch (status) {
      case 200:
        return OK;
      case 400:
      case 405:
      case 413:
      case 415:
        return INVALID_INPUT;
      case 401:
        return UNAUTHORIZED;
      case 429:
        return THROTTLED;
      case 504:
        return TIMED_OUT;
      case 500:
        return CONFIGURATION;
      default:
        return UPSTREAM_FAILURE;
    }
  }
}
