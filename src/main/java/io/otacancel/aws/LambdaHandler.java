package io.otacancel.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
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
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.crac.Core;
import org.crac.Resource;

/**
 * The AWS Lambda entry point, handler {@code io.otacancel.aws.LambdaHandler::handleRequest}.
 *
 * <p>One handler serves every trigger; it tells them apart by the event's shape:
 *
 * <ul>
 *   <li><b>API Gateway HTTP API</b> (payload 2.0), <b>Lambda Function URL</b> and <b>API Gateway
 *       REST API</b> (proxy integration): the HTTP request is served as a webhook (method, size
 *       and authentication checks, then the cancel request from the JSON body, the form body or
 *       the query). The answer is always a proxy response, {@code {"statusCode", "headers",
 *       "body", "isBase64Encoded"}}, whatever went wrong: these invocations never fail.
 *   <li><b>EventBridge event</b> (an envelope with {@code detail-type}, {@code source} and {@code
 *       detail}, e.g. a rule's {@code "Scheduled Event"}): the cancel request is the {@code
 *       detail}. A scheduled rule's detail is empty unless configured, so that case is answered
 *       with what to configure.
 *   <li><b>Anything else</b> (EventBridge Scheduler's or a rule's constant Input, a console test
 *       event, {@code aws lambda invoke}): the event itself is the cancel request.
 * </ul>
 *
 * <p><b>How non-HTTP invocations report failure.</b> When every job succeeded (status 200, or a
 * dry run) the result JSON is returned. Otherwise the handler throws an exception whose message
 * is that same result JSON (error type {@code io.otacancel.core.CancelFailedException}, the
 * same as on FC, no stack
 * trace). Returning the failure as a normal result would hide it: Lambda would count a success,
 * the {@code Errors} metric and alarms would stay quiet, and asynchronous invokers (EventBridge
 * rules and EventBridge Scheduler both invoke asynchronously) would neither retry nor send the
 * event to the function's on-failure destination or dead-letter queue. Invalid input (400) throws
 * too, although a retry cannot fix it: a misconfigured schedule must show up as failing, and its
 * retries are cheap because nothing is sent to IoT. A batch with mixed outcomes (207) throws, and
 * a retry sends the whole batch again, including the jobs already cancelled.
 *
 * <p><b>SnapStart.</b> The constructor registers a CRaC resource whose {@code beforeCheckpoint}
 * primes the invocation path without the network; nothing needs refreshing after a restore
 * (see {@code SnapStartPriming}).
 *
 * <p>Configuration is read once per instance, from the environment, by the constructor. Thread
 * safe: one instance may serve concurrent invocations.
 */
public final class LambdaHandler implements RequestStreamHandler {
  /** API Gateway's integration timeout (REST APIs 29 s by default, HTTP APIs at most 30 s). */
  private static final Duration API_GATEWAY_TIME_LIMIT = Duration.ofSeconds(29);

  /** Lambda's longest timeout: the budget when no {@link Context} says otherwise. */
  private static final Duration NO_CONTEXT_TIME_LEFT = Duration.ofMinutes(15);

  static final String SCHEDULED_EVENT_WITHOUT_REQUEST = "The Scheduled Event carries no cancel "
      + "request in detail: configure the rule's target Input (constant JSON) with the cancel "
      + "request, or use an EventBridge Scheduler (ScheduleV2) Input";

  private final OtaCancelFunction function;
  /** CRaC keeps only weak references to registered resources: this one must stay reachable. */
  private final SnapStartPriming priming;

  /** The handler Lambda instantiates: configured from the process environment. */
  public LambdaHandler() {
    this(System.getenv());
  }

  /**
   * A handler configured from {@code env} rather than the process environment: for local runs
   * ({@code ota-cancel invoke}) and tests.
   */
  public LambdaHandler(Map<String, String> env) {
    this(env, Core.getGlobalContext());
  }

  /** A handler configured from {@code env} that registers its SnapStart hook with {@code crac}. */
  LambdaHandler(Map<String, String> env, org.crac.Context<Resource> crac) {
    this.function = OtaCancelFunction.fromEnv(env);
    this.priming = new SnapStartPriming(function);
    crac.register(priming);
  }

  /** The registered SnapStart hook, for tests. */
  SnapStartPriming priming() {
    return priming;
  }

  /**
   * Serves one invocation.
   *
   * @throws CancelFailedException for a non-HTTP invocation that did not end with every job
   *     cancelled; its message is the result JSON
   */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    Consumer<String> log = log(context);
    Duration timeLeft = context == null ? NO_CONTEXT_TIME_LEFT
        : Duration.ofMillis(context.getRemainingTimeInMillis());
    byte[] answer = answer(input.readAllBytes(), Invocation.of(timeLeft, null, log), log);
    output.write(answer);
  }

  private byte[] answer(byte[] payload, Invocation invocation, Consumer<String> log) {
    Object event;
    try {
      event = Json.parse(payload);
    } catch (InvalidRequestException e) {
      return result(OtaCancelFunction.invalidInput(e.getMessage(), invocation));
    }
    Map<String, Object> fields = Json.asObject(event);
    if (fields != null) {
      if (HttpEvents.isHttpApi(fields)) {
        // A Function URL waits for the function; API Gateway gives up at its 30 s limit, and
        // the caller must get our answer (504 and each job's result), not the gateway's 503.
        return http(fields, true, HttpEvents.isFunctionUrl(fields) ? invocation
            : invocation.withTimeLeftAtMost(API_GATEWAY_TIME_LIMIT), log);
      }
      if (HttpEvents.isRestApi(fields)) {
        return http(fields, false, invocation.withTimeLeftAtMost(API_GATEWAY_TIME_LIMIT), log);
      }
      if (isEventBridgeEvent(fields)) {
        return result(eventBridge(fields, invocation));
      }
    }
    return result(function.event(event, invocation));
  }

  private byte[] http(Map<String, Object> event, boolean httpApi, Invocation invocation,
      Consumer<String> log) {
    HttpResponse response;
    try {
      HttpRequest request;
      try {
        request = httpApi ? HttpEvents.fromHttpApi(event) : HttpEvents.fromRestApi(event);
      } catch (InvalidRequestException e) {
        HttpResponse refused = OtaCancelFunction.invalidInput(e.getMessage(), invocation);
        return HttpEvents.proxyResponse(refused.status(), refused.body());
      }
      response = function.http(request, invocation);
    } catch (RuntimeException e) {
      // A bug, not a caller's mistake: still answer HTTP (API Gateway would say only "Internal
      // server error"), and leave the details in the log.
      log.accept(unexpected(e));
      HttpResponse failed = OtaCancelFunction.internalError();
      return HttpEvents.proxyResponse(failed.status(), failed.body());
    }
    return HttpEvents.proxyResponse(response.status(), response.body());
  }

  private static boolean isEventBridgeEvent(Map<String, Object> event) {
    return event.get("detail-type") instanceof String && event.get("source") instanceof String
        && event.containsKey("detail");
  }

  private HttpResponse eventBridge(Map<String, Object> event, Invocation invocation) {
    Map<String, Object> detail = Json.asObject(event.get("detail"));
    if (detail != null && !detail.isEmpty()) {
      return function.event(detail, invocation);
    }
    Object type = event.get("detail-type");
    Object source = event.get("source");
    if (event.get("detail") instanceof String) {
      // A common slip: the rule's Input or a PutEvents caller serialised the request twice.
      return OtaCancelFunction.invalidInput("The EventBridge event's detail is a string: send the "
          + "cancel request in detail as a JSON object, not as a JSON string", invocation);
    }
    String message = "Scheduled Event".equals(type) && "aws.events".equals(source)
        ? SCHEDULED_EVENT_WITHOUT_REQUEST
        : "The EventBridge event (detail-type '" + type + "', source '" + source
            + "') carries no cancel request in detail: send the cancel request as the event's "
            + "detail, or configure the rule's target Input (constant JSON) with it";
    return OtaCancelFunction.invalidInput(message, invocation);
  }

  /** The result JSON of a non-HTTP invocation, or the exception that fails the invocation. */
  private static byte[] result(HttpResponse response) {
    return response.bodyOrThrow().getBytes(StandardCharsets.UTF_8);
  }

  /** The context's logger; stderr when there is none (a direct call, a test). */
  private static Consumer<String> log(Context context) {
    LambdaLogger logger = context == null ? null : context.getLogger();
    return logger == null ? Invocation.STDERR : new LambdaLog(logger);
  }

  /**
   * One log line to the Lambda logger. A class, not a lambda: the first lambda of a JVM costs its
   * cold start a noticeable bootstrap.
   */
  private static final class LambdaLog implements Consumer<String> {
    private final LambdaLogger logger;

    LambdaLog(LambdaLogger logger) {
      this.logger = logger;
    }

    @Override
    public void accept(String line) {
      logger.log(line + "\n");
    }
  }

  /** A log line for an unexpected exception, stack trace included. */
  private static String unexpected(RuntimeException e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("level", "ERROR");
    line.put("event", "unexpected");
    line.put("Error", e.toString());
    line.put("StackTrace", trace.toString());
    return Json.write(line);
  }
}
