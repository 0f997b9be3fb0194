package io.otacancel.local;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.aliyun.fc.runtime.FunctionParam;
import com.aliyun.fc.runtime.OpenTracing;
import com.aliyun.fc.runtime.Service;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The FC {@link Context} of a local invocation: the time limit and a logger. It hands out no
 * execution credentials, so the function falls back to the environment's, as it would on FC
 * without a role.
 */
final class LocalFcContext implements Context {
  private final String requestId = UUID.randomUUID().toString();
  private final int timeLimitMillis;
  private final Consumer<String> log;

  LocalFcContext(Duration timeout, Consumer<String> log) {
    this.timeLimitMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    this.log = log;
  }

  @Override
  public String getRequestId() {
    return requestId;
  }

  @Override
  public Credentials getExecutionCredentials() {
    return null;
  }

  @Override
  public FunctionParam getFunctionParam() {
    return new FunctionParam() {
      @Override
      public String getFunctionName() {
        return "ota-cancel-local";
      }

      @Override
      public String getFunctionHandler() {
        return "io.otacancel.fc.FcHandler::handleRequest";
      }

      @Override
      public String getFunctionInitializer() {
        return "io.otacancel.fc.FcHandler::initialize";
      }

      @Override
      public int getExecTimeLimitInMillis() {
        return timeLimitMillis;
      }

      @Override
      public int getMemoryLimitInMB() {
        return 512;
      }
    };
  }

  @Override
  public Service getService() {
    return null;
  }

  @Override
  public FunctionComputeLogger getLogger() {
    return new FunctionComputeLogger() {
      @Override
      public void trace(String message) {
        log.accept(message);
      }

      @Override
      public void debug(String message) {
        log.accept(message);
      }

      @Override
      public void info(String message) {
        log.accept(message);
      }

      @Override
      public void warn(String message) {
        log.accept(message);
      }

      @Override
      public void error(String message) {
        log.accept(message);
      }

      @Override
      public void fatal(String message) {
        log.accept(message);
      }

      @Override
      public void setLogLevel(Level level) {}
    };
  }

  @Override
  public OpenTracing getTracing() {
    return null;
  }

  @Override
  public int getRetryCount() {
    return 0;
  }
}
