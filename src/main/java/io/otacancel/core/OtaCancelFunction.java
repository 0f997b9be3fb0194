package io.otacancel.core;

import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The function itself, the same on every platform: adapters take their platform's envelope off
 * an event and hand the request here; this validates, authenticates webhooks, cancels and answers
 * with a status and a JSON body.
 *
 * <p>Statuses: 200 every job succeeded (or a dry run); 207 a batch with mixed outcomes; 400
 * invalid input; 401 failed webhook authentication; 405 a method other than GET/POST; 413 a body
 * over 64 KiB; 415 a body that is neither JSON nor a form; 429 the quota still exhausted after
 * retries; 500 a configuration error; 502 IoT answered with a failure or could not be reached;
 * 504 the deadline ran out.
 */
public final class OtaCancelFunction {
  /** The largest webhook body accepted. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** What a webhook caller learns of a configuration error: the details are for operators. */
  private static final String MISCONFIGURED =
      "The function is not configured correctly; its log says why";

  private final OtaCancelConfig config;
  private final ConfigurationException configError;
  private final IotClient client;

  private OtaCancelFunction(OtaCancelConfig config, ConfigurationException configError) {
    this.config = config;
    this.configError = configError;
    this.client = config == null ? null : IotClient.create(config);
  }

  /**
   * The function configured from this environment. A configuration error does not throw: every
   * invocation then answers 500 and logs why, so the platform shows it where operators look.
   */
  public static OtaCancelFunction fromEnv(Map<String, String> env) {
    try {
      return new OtaCancelFunction(OtaCancelConfig.fromEnv(env), null);
    } catch (ConfigurationException e) {
      return new OtaCancelFunction(null, e);
    }
  }

  /**
   * Runs the invocation path once without the network, so its classes are loaded and its code
   * warmed: for a SnapStart snapshot or an FC initializer. Keeps nothing: no credentials, nonce
   * or timestamp outlives the call.
   */
  public void prime() {
    byte[] body = "{\"JobIds\":[\"prime-1\"],\"CancelQueuedTask\":\"true\"}"
        .getBytes(StandardCharsets.UTF_8);
    HttpRequest request = HttpRequest.of("POST", "/",
        Collections.singletonMap("Content-Type", "application/json"), Collections.emptyMap(),
        body);
    if (config != null) {
      config.webhookAuth().check(request, System.currentTimeMillis() / 1000);
    }
    RequestParser.parseParameters(HttpRequest.parseForm("JobId=prime&CancelQueuedTask=true"));
    Credentials throwaway = Credentials.of("prime", "prime", "prime");
    URI endpoint = config == null ? URI.create("https://localhost/") : config.endpoint();
    for (CancelRequest cancel : parse(request).requests()) {
      new RpcV2Signer().sign("POST", endpoint, cancel.apiParameters(), throwaway, Instant.now(),
          "prime");
    }
    UrlConnectionTransport.prime(endpoint);
    IotAnswer.read(200, "{\"RequestId\":\"prime\",\"Success\":true}"
        .getBytes(StandardCharsets.UTF_8), throwaway);
    Json.write(new BatchResult(Collections.singletonList(CancelResult.of("prime",
        Outcome.SUCCEEDED, null, null, "prime", 1, Duration.ZERO)), true).toJson());
  }

  /**
   * Everything {@link #prime} does, and for an https endpoint the TLS handshake code and trust
   * store too (a ClientHello written to a buffer, no connection). For an FC initializer: it
   * seeds TLS's random generator, so it must not run before a SnapStart snapshot.
   */
  public void primeWithTls() {
    prime();
    if (config != null) {
      UrlConnectionTransport.primeTls(config.endpoint());
    }
  }

  /** Why the configuration is invalid, or null when it is valid. */
  public String configurationProblem() {
    return configError == null ? null : configError.getMessage();
  }

  /** Serves a webhook call: method, size and authentication checks, then the cancel request. */
  public HttpResponse http(HttpRequest request, Invocation invocation) {
    OutcomeLog log = new OutcomeLog(invocation.log());
    if (configError != null) {
      log.refused(500, configError.code(), configError.getMessage());
      return error(500, configError.code(), MISCONFIGURED);
    }
    if (!request.method().equals("GET") && !request.method().equals("POST")) {
      return refuse(log, 405, "MethodNotAllowed",
          "Method " + request.method() + " is not allowed; use GET or POST");
    }
    if (request.body().length > MAX_BODY_BYTES) {
      return refuse(log, 413, "PayloadTooLarge",
          "The body is larger than " + MAX_BODY_BYTES + " bytes");
    }
    String denied = config.webhookAuth().check(request, System.currentTimeMillis() / 1000);
    if (denied != null) {
      return refuse(log, 401, "Unauthorized", denied);
    }
    CancelCommand command;
    try {
      command = parse(request);
    } catch (InvalidRequestException e) {
      return refuse(log, 400, e.code(), e.getMessage());
    } catch (UnsupportedMediaTypeException e) {
      return refuse(log, 415, e.code(), e.getMessage());
    }
    return run(command, invocation, log, true);
  }

  /**
   * Serves a timer or direct invocation whose request is already parsed JSON (a console test
   * event, an EventBridge input, the payload of an FC timer).
   */
  public HttpResponse event(Object requestTree, Invocation invocation) {
    OutcomeLog log = new OutcomeLog(invocation.log());
    if (configError != null) {
      return refuse(log, 500, configError.code(), configError.getMessage());
    }
    CancelCommand command;
    try {
      command = RequestParser.parseTree(requestTree);
    } catch (InvalidRequestException e) {
      return refuse(log, 400, e.code(), e.getMessage());
    }
    return run(command, invocation, log, false);
  }

  /** The answer to a webhook caller when the function failed unexpectedly (a bug). */
  public static HttpResponse internalError() {
    return error(500, "InternalError",
        "An unexpected error occurred; the function's log has the details");
  }

  /** An answer for input that an adapter refuses before it reaches the function. */
  public static HttpResponse invalidInput(String message, Invocation invocation) {
    return refuse(new OutcomeLog(invocation.log()), 400,
        "InvalidParameter", message);
  }

  private static CancelCommand parse(HttpRequest request) {
    if (request.body().length == 0) {
      if (request.query().isEmpty()) {
        throw new InvalidRequestException("JobId",
            "JobId is required: send a JSON body, a form or query parameters");
      }
      return RequestParser.parseParameters(request.query());
    }
    // Exactly one source may count. X-Ota-Signature covers the body alone: a signed body sent
    // again as a GET, or with a query beside it, would otherwise carry an unsigned request.
    if (request.method().equals("GET")) {
      throw new InvalidRequestException(null, "A GET request must not have a body: send the "
          + "cancel request in the query, or POST it as the body");
    }
    if (!request.query().isEmpty()) {
      throw new InvalidRequestException(null,
          "Send the cancel request either in the body or in the query, not both");
    }
    // A body is read only as what its Content-Type says, so a WAF that inspects JSON bodies
    // cannot be passed by labelling one text/plain.
    String type = mediaType(request.header("Content-Type"));
    if (type == null || type.equals("application/json")) {
      return RequestParser.parseJson(request.body());
    }
    if (!type.equals("application/x-www-form-urlencoded")) {
      throw new UnsupportedMediaTypeException("Content-Type " + RequestParser.shown(type)
          + " is not supported: send application/json or application/x-www-form-urlencoded");
    }
    String form = new String(request.body(), StandardCharsets.UTF_8);
    if (form.trim().startsWith("{")) {
      throw new UnsupportedMediaTypeException("The body is JSON but its Content-Type is "
          + "application/x-www-form-urlencoded (curl's default for --data): send "
          + "Content-Type: application/json");
    }
    return RequestParser.parseParameters(HttpRequest.parseForm(form));
  }

  /** The media type of a Content-Type header, lower case and without parameters; null if none. */
  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.isEmpty() ? null : type.toLowerCase(Locale.ROOT);
  }

  private HttpResponse run(CancelCommand command, Invocation invocation, OutcomeLog log,
      boolean webhook) {
    Credentials credentials;
    try {
      credentials = Credentials.resolve(invocation.credentials(), config.environment());
    } catch (ConfigurationException e) {
      log.refused(500, e.code(), e.getMessage());
      return error(500, e.code(), webhook ? MISCONFIGURED : e.getMessage());
    }
    Duration budget = invocation.timeLeft().minus(config.deadlineMargin());
    BatchResult result = client.cancel(command, credentials, Deadline.after(budget), log);
    return HttpResponse.json(result.httpStatus(), Json.write(result.toJson()));
  }

  private static HttpResponse refuse(OutcomeLog log, int status, String code, String message) {
    log.refused(status, code, message);
    return error(status, code, message);
  }

  private static HttpResponse error(int status, String code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Code", code);
    body.put("Message", message);
    return HttpResponse.json(status, Json.write(body));
  }
}
