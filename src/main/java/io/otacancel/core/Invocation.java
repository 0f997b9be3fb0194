package io.otacancel.core;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * What a platform knows about one invocation: the time left, the credentials it hands the
 * function (FC's STS credentials; null elsewhere), where log lines go, and who else listens.
 */
public final class Invocation {
  /** Where log lines go when the platform hands the function no logger: one line each. */
  public static final Consumer<String> STDERR = new Stderr();

  private final Duration timeLeft;
  private final Credentials credentials;
  private final Consumer<String> log;

  private Invocation(Duration timeLeft, Credentials credentials, Consumer<String> log) {
    this.timeLeft = timeLeft;
    this.credentials = credentials;
    this.log = log;
  }

  /**
   * @param timeLeft the platform's remaining time; the configured margin is kept back from it
   * @param credentials the platform's credentials for this invocation, or null to use the
   *     environment's
   * @param log takes one JSON line per job outcome (the platform logger, or stderr)
   */
  public static Invocation of(Duration timeLeft, Credentials credentials, Consumer<String> log) {
    return new Invocation(timeLeft, credentials, log);
  }

  /**
   * This invocation with at most {@code limit} left: a caller in front of the function (API
   * Gateway's 29-30 s integration timeout) may give up before the platform's own deadline.
   */
  public Invocation withTimeLeftAtMost(Duration limit) {
    return timeLeft.compareTo(limit) <= 0 ? this : new Invocation(limit, credentials, log);
  }

  Duration timeLeft() {
    return timeLeft;
  }

  Credentials credentials() {
    return credentials;
  }

  /** Where this invocation's log lines go. */
  public Consumer<String> log() {
    return log;
  }

  /**
   * A class, not a lambda or method reference: the first lambda of a JVM costs its cold start a
   * noticeable bootstrap. It reads {@code System.err} on every line, not once, so a stream
   * swapped in later (by a runtime or a test) is the one written to.
   */
  private static final class Stderr implements Consumer<String> {
    @Override
    public void accept(String line) {
      System.err.println(line);
    }
  }
}
