package io.otacancel.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.aliyun.fc.runtime.FunctionParam;
import io.otacancel.core.Credentials;
import io.otacancel.core.Invocation;
import java.time.Duration;
import java.util.function.Consumer;

/** Reads what the core needs to know about one invocation from FC's {@link Context}. */
final class FcInvocations {
  /**
   * The time limit assumed when the context does not say: FC's default function timeout (3 s),
   * the shortest limit a deployed function is likely to run under.
   */
  static final Duration UNKNOWN_TIME_LIMIT = Duration.ofSeconds(3);

  private FcInvocations() {}

  /**
   * The invocation that started at {@code startedNanos} ({@link System#nanoTime()}), as the
   * handler was entered.
   */
  static Invocation of(Context context, long startedNanos) {
    return Invocation.of(timeLeft(context, startedNanos), credentials(context), log(context));
  }

  /**
   * The function's execution-role credentials for this invocation, or null to let the core use
   * the {@code ALIBABA_CLOUD_*} environment variables.
   *
   * <p>The context comes first because its STS token is fresh for every invocation, while the
   * environment holds the token issued when the instance started, which a long-lived instance
   * outlives. They are read anew every time and never kept.
   */
  static Credentials credentials(Context context) {
    com.aliyun.fc.runtime.Credentials fc =
        context == null ? null : context.getExecutionCredentials();
    if (fc == null || isBlank(fc.getAccessKeyId()) || isBlank(fc.getAccessKeySecret())) {
      return null;
    }
    return Credentials.of(fc.getAccessKeyId(), fc.getAccessKeySecret(), fc.getSecurityToken());
  }

  /**
   * The function's time limit less the time since the handler was entered. FC has no
   * remaining-time API, and the invocation started a little before the handler did (instance
   * start-up, reading the event), so this is an upper bound: the core's {@code
   * DEADLINE_MARGIN_MS} covers the difference.
   */
  static Duration timeLeft(Context context, long startedNanos) {
    FunctionParam param = context == null ? null : context.getFunctionParam();
    int limitMillis = param == null ? 0 : param.getExecTimeLimitInMillis();
    Duration limit = limitMillis > 0 ? Duration.ofMillis(limitMillis) : UNKNOWN_TIME_LIMIT;
    return limit.minusNanos(System.nanoTime() - startedNanos);
  }

  /** The context's logger; stderr when there is none (a context built by hand, a test). */
  static Consumer<String> log(Context context) {
    FunctionComputeLogger logger = context == null ? null : context.getLogger();
    return logger == null ? Invocation.STDERR : new FcLog(logger);
  }

  /**
   * One log line to the FC logger at INFO. A class, not a lambda: the first lambda of a JVM costs
   * its cold start a noticeable bootstrap.
   */
  private static final class FcLog implements Consumer<String> {
    private final FunctionComputeLogger logger;

    FcLog(FunctionComputeLogger logger) {
      this.logger = logger;
    }

    @Override
    public void accept(String line) {
      logger.info(line);
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.trim().isEmpty();
  }
}
