package io.otacancel.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.otacancel.core.RpcSignature;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small stand-in for the IoT RPC endpoint on a loopback port: it checks each request's V2
 * signature with the known test secret, records the parameters of each well-signed request and
 * answers {@code {"RequestId": "req-<JobId>", "Success": true}}, or what a test programmed for
 * that job.
 *
 * <p>The handler tests use it rather than {@code io.otacancel.local.IotEmulator} because they pin
 * answers per job (and so their RequestIds, which the files under {@code expected/} hold); the
 * end-to-end test under the runtime client uses the emulator.
 */
final class LoopbackIot implements AutoCloseable {
  static final String ACCESS_KEY_ID = "LTAI5tTestKeyId";
  static final String ACCESS_KEY_SECRET = "test-access-key-secret";

  private final HttpServer server;
  private final List<Map<String, String>> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> refused = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String[]> answers = new ConcurrentHashMap<>();

  private LoopbackIot(HttpServer server) {
    this.server = server;
  }

  static LoopbackIot start() throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    LoopbackIot iot = new LoopbackIot(server);
    server.createContext("/", iot::serve);
    server.start();
    return iot;
  }

  /** The environment that points the function here with the test credentials. */
  Map<String, String> env() {
    Map<String, String> env = new TreeMap<>();
    env.put("IOT_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
    env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID);
    env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET);
    env.put("IOT_MAX_QPS", "1000"); // the default 5/s would make every multi-job test slow
    return env;
  }

  /** From now on, answer requests for {@code jobId} with this status and JSON body. */
  void answer(String jobId, int status, String body) {
    answers.put(jobId, new String[] {Integer.toString(status), body});
  }

  /** The parameters of every well-signed request, in arrival order. */
  List<Map<String, String>> requests() {
    synchronized (requests) {
      return new ArrayList<>(requests);
    }
  }

  /** Why each refused request was refused (bad signature, unknown key, wrong method). */
  List<String> refused() {
    synchronized (refused) {
      return new ArrayList<>(refused);
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> parameters = parameters(exchange.getRequestURI().getRawQuery());
      String problem = check(exchange.getRequestMethod(), parameters);
      if (problem != null) {
        refused.add(problem);
        send(exchange, 400, "{\"RequestId\":\"refused\",\"Code\":\"" + problem
            + "\",\"Message\":\"refused by LoopbackIot\"}");
        return;
      }
      requests.add(parameters);
      String jobId = parameters.get("JobId");
      String[] answer = answers.get(jobId);
      if (answer == null) {
        send(exchange, 200, "{\"RequestId\":\"req-" + jobId + "\",\"Success\":true}");
      } else {
        send(exchange, Integer.parseInt(answer[0]), answer[1]);
      }
    }
  }

  private static String check(String method, Map<String, String> parameters) {
    if (!method.equals("POST")) {
      return "MethodNotAllowed";
    }
    if (!ACCESS_KEY_ID.equals(parameters.get("AccessKeyId"))) {
      return "InvalidAccessKeyId.NotFound";
    }
    if (!"CancelOTATaskByJob".equals(parameters.get("Action"))
        || !"2018-01-20".equals(parameters.get("Version"))) {
      return "InvalidAction";
    }
    String expected = RpcSignature.signature("POST", new TreeMap<>(parameters),
        ACCESS_KEY_SECRET);
    return expected.equals(parameters.get("Signature")) ? null : "SignatureDoesNotMatch";
  }

  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> parameters = new TreeMap<>();
    if (rawQuery == null) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return parameters;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
