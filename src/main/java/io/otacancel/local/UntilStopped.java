package io.otacancel.local;

import java.util.concurrent.CountDownLatch;

/** Blocks a long-running command ({@code serve}, {@code emulator}) until Ctrl-C or SIGTERM. */
final class UntilStopped {
  private UntilStopped() {}

  /** Runs {@code close} when the process is told to stop, then exits with status 0. */
  static void await(Runnable close) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close.run();
      stopped.countDown();
      // Stopping is how these commands end: exit 0, not the JVM's 128+signal (130 for Ctrl-C,
      // 143 for SIGTERM). Once shutdown has begun, halt is the only way to choose the status;
      // everything is closed by now, and no other hook of this process has work.
      Runtime.getRuntime().halt(ExitCode.OK.value);
    }, "ota-cancel-stop"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
