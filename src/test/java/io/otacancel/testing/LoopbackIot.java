package io.otacancel.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.otacancel.core.RpcSignature;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the IoT RPC endpoint on a loopback port, for the adapter tests. It checks every
 * request the way IoT would (a POST of {@code CancelOTATaskByJob} 2018-01-20, a known
 * AccessKeyId, a V2 signature recomputed with that key's secret, a fresh nonce), records its
 * parameters, and answers {@code {"RequestId":…,"Success":true}} unless told to answer something
 * else.
 *
 * <p>The handler tests use it rather than {@code io.otacancel.local.IotEmulator} because they pin
 * answers per job and predictable RequestIds, which their expected files hold. Public only
 * because the aws and fc test packages share it.
 */
public final class LoopbackIot implements AutoCloseable {
  /** The test AccessKey that {@link #start()} accepts and {@link #env()} signs with. */
  public static final String ACCESS_KEY_ID = "LTAI5tTestKeyId";

  public static final String ACCESS_KEY_SECRET = "test-access-key-secret";

  /** How the RequestIds of the answers are made; {@code {id}} in a programmed body becomes one. */
  public enum RequestIds {
    /** {@code req-<JobId>}: the same whatever order a batch's requests arrive in. */
    BY_JOB,
    /** {@code loopback-<n>}, counting every request received: shows how many came before. */
    COUNTED
  }

  private final HttpServer server;
  private final RequestIds requestIds;
  private final Map<String, String> secrets;
  private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private final Set<String> nonces = ConcurrentHashMap.newKeySet();
  private final AtomicInteger count = new AtomicInteger();
  private final Map<String, Map.Entry<Integer, String>> answersByJob = new ConcurrentHashMap<>();
  private volatile Map.Entry<Integer, String> answer;

  private LoopbackIot(RequestIds requestIds, Map<String, String> secrets) throws IOException {
    this.requestIds = requestIds;
    this.secrets = Map.copyOf(secrets);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** An endpoint that accepts the test AccessKey {@link #ACCESS_KEY_ID}, answering by job. */
  public static LoopbackIot start() throws IOException {
    return start(RequestIds.BY_JOB, Map.of(ACCESS_KEY_ID, ACCESS_KEY_SECRET));
  }

  /** An endpoint that accepts these AccessKey ids (STS ones too), each signing with its secret. */
  public static LoopbackIot start(RequestIds requestIds, Map<String, String> secretsByAccessKeyId)
      throws IOException {
    return new LoopbackIot(requestIds, secretsByAccessKeyId);
  }

  /** The value for {@code IOT_ENDPOINT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** The environment that points the function here, signing with {@link #ACCESS_KEY_ID}. */
  public Map<String, String> env() {
    Map<String, String> env = new TreeMap<>();
    env.put("IOT_ENDPOINT", endpoint());
    env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID);
    env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET);
    env.put("IOT_MAX_QPS", "1000"); // the default 5/s would make every multi-job test slow
    return env;
  }

  /** Answers every later well-signed request with this status and JSON body instead of success. */
  public void answer(int status, String body) {
    this.answer = Map.entry(status, body);
  }

  /** Like {@link #answer(int, String)}, for requests with this {@code JobId} only. */
  public void answer(String jobId, int status, String body) {
    answersByJob.put(jobId, Map.entry(status, body));
  }

  /** The query parameters of every request received, in order, signed or not. */
  public List<Map<String, String>> received() {
    return List.copyOf(received);
  }

  /** The error code of each request refused (bad signature, unknown key, reused nonce, …). */
  public List<String> refused() {
    return List.copyOf(refused);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      Map<String, String> parameters = parse(exchange.getRequestURI().getRawQuery());
      received.add(parameters);
      String requestId = requestIds == RequestIds.BY_JOB ? "req-" + parameters.get("JobId")
          : "loopback-" + count.incrementAndGet();
      String refusal = refusal(exchange.getRequestMethod(), parameters);
      if (refusal != null) {
        refused.add(refusal);
        reply(exchange, 400, gatewayError(refusal).replace("{id}", requestId));
        return;
      }
      Map.Entry<Integer, String> programmed = programmed(parameters);
      if (programmed != null) {
        reply(exchange, programmed.getKey(), programmed.getValue().replace("{id}", requestId));
      } else {
        reply(exchange, 200, "{\"RequestId\":\"" + requestId + "\",\"Success\":true}");
      }
    }
  }

  private Map.Entry<Integer, String> programmed(Map<String, String> parameters) {
    Map.Entry<Integer, String> forJob = answersByJob.get(String.valueOf(parameters.get("JobId")));
    return forJob != null ? forJob : answer;
  }

  /** The code of IoT's gateway error for a request it would not accept, or null. */
  private String refusal(String method, Map<String, String> parameters) {
    if (!method.equals("POST")) {
      return "MethodNotAllowed"; // the client always POSTs: anything else is a bug in it
    }
    if (!"CancelOTATaskByJob".equals(parameters.get("Action"))
        || !"2018-01-20".equals(parameters.get("Version"))) {
      return "InvalidAction.NotFound";
    }
    String secret = secrets.get(parameters.get("AccessKeyId"));
    if (secret == null) {
      return "InvalidAccessKeyId.NotFound";
    }
    TreeMap<String, String> signed = new TreeMap<>(parameters);
    signed.remove("Signature");
    if (!RpcSignature.signature(method, signed, secret).equals(parameters.get("Signature"))) {
      return "SignatureDoesNotMatch";
    }
    if (!nonces.add(String.valueOf(parameters.get("SignatureNonce")))) {
      return "SignatureNonceUsed";
    }
    return null;
  }

  /** IoT's gateway answer to a refused request, with IoT's message for the code. */
  private static String gatewayError(String code) {
    String message = switch (code) {
      case "InvalidAction.NotFound" -> "Specified api is not found";
      case "InvalidAccessKeyId.NotFound" -> "Specified access key is not found.";
      case "SignatureDoesNotMatch" -> "Specified signature is not matched.";
      case "SignatureNonceUsed" -> "Specified signature nonce was used already.";
      default -> "Refused by LoopbackIot.";
    };
    return "{\"RequestId\":\"{id}\",\"HostId\":\"iot.loopback\",\"Code\":\"" + code
        + "\",\"Message\":\"" + message + "\"}";
  }

  private static Map<String, String> parse(String rawQuery) {
    Map<String, String> parameters = new TreeMap<>();
    if (rawQuery == null) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      // The signer never sends '+' (it percent-encodes it), so URLDecoder's '+' rule is moot.
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return parameters;
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
