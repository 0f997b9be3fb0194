package io.otacancel.local;

import io.otacancel.core.Credentials;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment a local run gives the function: the caller's own, or, when it names neither
 * credentials nor an endpoint, the built-in emulator's endpoint and demo credentials.
 */
final class LocalEnvironment implements AutoCloseable {
  static final String DEMO_WEBHOOK_TOKEN = "demo-token";

  private final Map<String, String> env;
  private final IotEmulator emulator;

  private LocalEnvironment(Map<String, String> env, IotEmulator emulator) {
    this.env = env;
    this.emulator = emulator;
  }

  /**
   * Starts the emulator when {@code system} has no credentials and no {@code IOT_ENDPOINT}, and
   * says so on {@code err} in one line. With credentials present the real endpoint is used.
   */
  static LocalEnvironment prepare(Map<String, String> system, boolean dryRun, PrintStream err) {
    Map<String, String> env = new HashMap<>(system);
    if (dryRun) {
      env.put("DRY_RUN", "true");
    }
    // Any credential variable means a real setup: a half-configured one must fail, not demo.
    if (isSet(env, "ALIBABA_CLOUD_ACCESS_KEY_ID") || isSet(env, "ALIBABA_CLOUD_ACCESS_KEY_SECRET")
        || isSet(env, "IOT_ENDPOINT")) {
      return new LocalEnvironment(env, null);
    }
    IotEmulator emulator = IotEmulator.builder().log(err::println).start();
    Credentials demo = emulator.demoCredentials();
    env.put("IOT_ENDPOINT", emulator.endpoint().toString());
    env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", demo.accessKeyId());
    env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", demo.accessKeySecret());
    env.remove("ALIBABA_CLOUD_SECURITY_TOKEN");
    String token = "";
    if (!isSet(env, "WEBHOOK_TOKEN") && !isSet(env, "WEBHOOK_SECRET")
        && !isSet(env, "WEBHOOK_AUTH")) {
      env.put("WEBHOOK_TOKEN", DEMO_WEBHOOK_TOKEN);
      token = "; webhook token " + DEMO_WEBHOOK_TOKEN;
    }
    err.println("ota-cancel: no Alibaba Cloud credentials and no IOT_ENDPOINT, so using the "
        + "built-in IoT emulator at " + emulator.endpoint() + " (demo batches only" + token + ")");
    return new LocalEnvironment(env, emulator);
  }

  private static boolean isSet(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.trim().isEmpty();
  }

  Map<String, String> env() {
    return env;
  }

  @Override
  public void close() {
    if (emulator != null) {
      emulator.close();
    }
  }
}
