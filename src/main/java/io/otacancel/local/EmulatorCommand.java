package io.otacancel.local;

import io.otacancel.core.Credentials;
import java.io.PrintStream;

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
    UntilStopped.await(emulator::close);
    return ExitCode.OK.value;
  }
}
