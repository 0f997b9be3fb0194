package io.otacancel.local;

import io.otacancel.core.Credentials;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code emulator}: only the built-in IoT emulator, on a fixed loopback port, for other tools (a
 * benchmark's SDK function, a script) to call. Its demo credentials are public by design.
 */
final class EmulatorCommand {
  private EmulatorCommand() {}

  static int run(int port, PrintStream err) {
    IotEmulator emulator;
    try {
      emulator = IotEmulator.builder().port(port).log(err::println).start();
    } catch (RuntimeException e) {
      err.println("ota-cancel: cannot start the emulator on 127.0.0.1:" + port + ": "
          + e.getMessage());
      return ExitCode.USAGE.value;
    }
    Credentials demo = emulator.demoCredentials();
    err.println("ota-cancel: IoT emulator at " + emulator.endpoint() + " with demo AccessKeyId "
        + demo.accessKeyId() + " and secret " + demo.accessKeySecret() + " (Ctrl-C to stop)");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      emulator.close();
      stopped.countDown();
    }, "ota-cancel-stop"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCode.OK.value;
  }
}
