package io.otacancel.fc;

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
 * A stand-in for the IoT RPC endpoint on a loopback port, for tests only (to be replaced by
 * {@code io.otacancel.local.IotEmulator} once it lands). It checks every request the way IoT
 * would (a known AccessKeyId, a V2 signature recomputed with that key's secret, a fresh
 * nonce), records its parameters, and answers {@code
 * {"RequestId":"loopback-<n>","Success":true}} unless told to answer something else.
 */
final class LoopbackIot implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, String> secrets;
  private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
  private final Set<String> nonces = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requestIds = new AtomicInteger();
  private final Map<String, Map.Entry<Integer, String>> answersByJob = new ConcurrentHashMap<>();
  private volatile Map.Entry<Integer, String> answer;

  private LoopbackIot(Map<String, String> secrets) throws IOException {
    this.secrets = Map.copyOf(secrets);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** An endpoint that accepts these AccessKey ids, each signing with its secret. */
  static LoopbackIot start(Map<String, String> secretsByAccessKeyId) throws IOException {
    return new LoopbackIot(secretsByAccessKeyId);
  }

  /** The value for {@code IOT_ENDPOINT}. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /**
   * Answers every later well-signed request with this instead of success; {@code {id}} in the
   * body becomes the request's RequestId.
   */
  void answer(int status, String body) {
    this.answer = Map.entry(status, body);
  }

  /** Like {@link #answer(int, String)}, for requests with this {@code JobId} only. */
  void answer(String jobId, int status, String body) {
    answersByJob.put(jobId, Map.entry(status, body));
  }

  /** The query parameters of every request received, in order, signed or not. */
  List<Map<String, String>> received() {
    return List.copyOf(received);
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
      String requestId = "loopback-" + requestIds.incrementAndGet();
      String refusal = refusal(exchange.getRequestMethod(), parameters);
      if (refusal != null) {
        reply(exchange, 400, refusal.replace("{id}", requestId));
      } else if (programmed(parameters) != null) {
        Map.Entry<Integer, String> programmed = programmed(parameters);
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

  /** IoT's gateway error for a request it would not accept, or null. */
  private String refusal(String method, Map<String, String> parameters) {
    if (!"CancelOTATaskByJob".equals(parameters.get("Action"))
        || !"2018-01-20".equals(parameters.get("Version"))) {
      return gatewayError("InvalidAction.NotFound", "Specified api is not found");
    }
    String secret = secrets.get(parameters.get("AccessKeyId"));
    if (secret == null) {
      return gatewayError("InvalidAccessKeyId.NotFound", "Specified access key is not found.");
    }
    TreeMap<String, String> signed = new TreeMap<>(parameters);
    signed.remove("Signature");
    if (!RpcSignature.signature(method, signed, secret).equals(parameters.get("Signature"))) {
      return gatewayError("SignatureDoesNotMatch", "Specified signature is not matched.");
    }
    if (!nonces.add(String.valueOf(parameters.get("SignatureNonce")))) {
      return gatewayError("SignatureNonceUsed", "Specified signature nonce was used already.");
    }
    return null;
  }

  private static String gatewayError(String code, String message) {
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
