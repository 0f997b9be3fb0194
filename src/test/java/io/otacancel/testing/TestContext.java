package io.otacancel.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Lambda {@link Context} with a fixed remaining time and a logger that keeps its lines. Public
 * only because tests outside the aws package invoke the Lambda handler too.
 */
public final class TestContext implements Context {
  private final int remainingMillis;
  private final List<String> logged;

  public TestContext(int remainingMillis) {
    this(remainingMillis, new ArrayList<>());
  }

  /** A context whose logger adds its lines to {@code logged}. */
  public TestContext(int remainingMillis, List<String> logged) {
    this.remainingMillis = remainingMillis;
    this.logged = Collections.synchronizedList(logged);
  }

  /** What was logged, as the logger received it. */
  public List<String> logged() {
    synchronized (logged) {
      return new ArrayList<>(logged);
    }
  }

  @Override
  public String getAwsRequestId() {
    return "test-request-id";
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/ota-cancel";
  }

  @Override
  public String getLogStreamName() {
    return "2026/01/01/[$LATEST]test";
  }

  @Override
  public String getFunctionName() {
    return "ota-cancel";
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:123456789012:function:ota-cancel";
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return remainingMillis;
  }

  @Override
  public int getMemoryLimitInMB() {
    return 512;
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        logged.add(message);
      }

      @Override
      public void log(byte[] message) {
        logged.add(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
