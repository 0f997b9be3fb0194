package io.otacancel.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.StreamRequestHandler;
import io.otacancel.core.CancelFailedException;
import io.otacancel.core.HttpRequest;
import io.otacancel.core.HttpResponse;
import io.otacancel.core.InvalidRequestException;
import io.otacancel.core.Invocation;
import io.otacancel.core.Json;
import io.otacancel.core.OtaCancelFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Alibaba Cloud Function Compute 3.0 entry point: handler {@code
 * io.otacancel.fc.FcHandler::handleRequest}, initializer {@code
 * io.otacancel.fc.FcHandler::initialize}.
 *
 * <p>One handler serves every trigger, told apart by the event's shape:
 *
 * <ul>
 *   <li>an HTTP trigger event ({@code requestContext.http} present) is a webhook call, answered
 *       with FC's HTTP response struct whatever the outcome;
 *   <li>a timer trigger event ({@code triggerTime} and {@code triggerName}) carries the cancel
 *       request as JSON text in {@code payload};
 *   <li>anything else (a console test event, {@code s invoke -e}) is the cancel request itself.
 * </ul>
 *
 * Timer and direct invocations answer with the result JSON when every job succeeded; otherwise
 * they throw {@link CancelFailedException} with that JSON as its message, so FC counts the
 * invocation as failed.
 *
 * <p>Credentials come from the context's execution role for each invocation, falling back to
 * the {@code ALIBABA_CLOUD_*} environment variables. The deadline is the function's time limit
 * counted from when the handler was entered.
 */
public final class FcHandler implements StreamRequestHandler, FunctionInitializer {
  private final OtaCancelFunction function;

  /** Configured from the process environment. */
  public FcHandler() {
    this(System.getenv());
  }

  /**
   * Configured from {@code env} instead of the process environment: for local runs ({@code
   * ota-cancel invoke}) and tests.
   *
   * <p>The function is built here rather than in {@link #initialize} so the handler also works
   * when no initializer is configured, and so concurrent invocations ({@code instanceConcurrency}
   * above 1) share one final field without locking. Building it needs neither the network nor
   * credentials, and a configuration error does not throw: each invocation then answers 500 and
   * logs why.
   */
  public FcHandler(Map<String, String> env) {
    this.function = OtaCancelFunction.fromEnv(env);
  }

  /**
   * Runs the invocation path once without the network or credentials, so the first real
   * request does not pay for class loading. FC runs this once per instance, before the first
   * invocation.
   */
  @Override
  public void initialize(Context context) {
    String problem = function.configurationProblem();
    if (problem != null) {
      // Said once per instance where operators look first; every invocation repeats it.
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("level", "ERROR");
      line.put("event", "configuration");
      line.put("Message", problem);
      FcInvocations.log(context).accept(Json.write(line));
    }
    // FC has no snapshot: the TLS randomness seeded here belongs to this instance alone.
    function.primeWithTls();
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    long started = System.nanoTime();
    byte[] event = input.readAllBytes();
    Invocation invocation = FcInvocations.of(context, started);
    output.write(serve(event, invocation).getBytes(StandardCharsets.UTF_8));
    output.flush();
  }

  private String serve(byte[] event, Invocation invocation) {
    Object tree;
    try {
      tree = Json.parse(event);
    } catch (InvalidRequestException e) {
      return OtaCancelFunction.invalidInput(e.getMessage(), invocation).bodyOrThrow();
    }
    Map<String, Object> object = Json.asObject(tree);
    if (object != null && FcHttpTrigger.matches(object)) {
      return FcHttpTrigger.response(http(object, invocation));
    }
    if (object != null && isTimer(object)) {
      return timer(object, invocation).bodyOrThrow();
    }
    // Only a thrown error makes FC mark a non-HTTP invocation as failed.
    return function.event(tree, invocation).bodyOrThrow();
  }

  private HttpResponse http(Map<String, Object> event, Invocation invocation) {
    HttpRequest request;
    try {
      request = FcHttpTrigger.request(event);
    } catch (InvalidRequestException e) {
      return OtaCancelFunction.invalidInput(e.getMessage(), invocation);
    }
    try {
      return function.http(request, invocation);
    } catch (RuntimeException e) {
      // A bug, not a caller's mistake: still answer HTTP (FC would put a stack trace in the
      // body), and leave the details in the log.
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("level", "ERROR");
      line.put("event", "unexpected");
      line.put("Message", e.toString());
      invocation.log().accept(Json.write(line));
      return OtaCancelFunction.internalError();
    }
  }

  private static boolean isTimer(Map<String, Object> event) {
    return event.containsKey("triggerTime") && event.containsKey("triggerName");
  }

  /**
   * The cancel request in the timer's {@code payload}. FC delivers the trigger's configured
   * payload as a string, so it is parsed a second time here; a payload that is already an
   * object (a hand-written test event) is taken as it is.
   */
  private HttpResponse timer(Map<String, Object> event, Invocation invocation) {
    Object payload = event.get("payload");
    if (Json.asObject(payload) != null) {
      return function.event(payload, invocation);
    }
    String trigger = "'" + event.get("triggerName") + "'";
    if (!(payload instanceof String) || ((String) payload).trim().isEmpty()) {
      return OtaCancelFunction.invalidInput("The timer trigger " + trigger
          + " has no payload: set its payload (triggerConfig.payload) to the cancel request JSON,"
          + " e.g. {\"JobIds\":[\"<job id>\"],\"CancelQueuedTask\":true}", invocation);
    }
    Object request;
    try {
      request = Json.parse((String) payload);
    } catch (InvalidRequestException e) {
      return OtaCancelFunction.invalidInput("The payload of the timer trigger " + trigger
          + " (triggerConfig.payload) must be the cancel request JSON: " + e.getMessage(),
          invocation);
    }
    if (Json.asObject(request) == null) {
      return OtaCancelFunction.invalidInput("The payload of the timer trigger " + trigger
          + " (triggerConfig.payload) must be a JSON object: the cancel request", invocation);
    }
    return function.event(request, invocation);
  }
}
