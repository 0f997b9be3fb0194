package io.otacancel.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The part of the Lambda Runtime API a runtime client talks to, on a loopback port: it hands out
 * queued events from {@code GET /2018-06-01/runtime/invocation/next} and records what the client
 * posts back to {@code .../invocation/<id>/response}, {@code .../invocation/<id>/error} and
 * {@code /2018-06-01/runtime/init/error}.
 *
 * <p>With no event left, {@code next} keeps the client waiting (as Lambda does while an instance
 * is idle) until {@link #close()}.
 */
final class FakeRuntimeApi implements AutoCloseable {
  private static final String PREFIX = "/2018-06-01/runtime/";

  /** One call the runtime client made back: what it posted, and where. */
  static final class Post {
    final String path;
    final String errorType;
    final byte[] body;

    Post(String path, String errorType, byte[] body) {
      this.path = path;
      this.errorType = errorType;
      this.body = body;
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "POST " + path + (errorType == null ? "" : " [" + errorType + "]") + " " + text();
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "fake-runtime-api");
    thread.setDaemon(true);
    return thread;
  });
  private final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();
  private final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  private FakeRuntimeApi(HttpServer server) {
    this.server = server;
  }

  static FakeRuntimeApi start() throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeRuntimeApi api = new FakeRuntimeApi(server);
    server.setExecutor(api.threads);
    server.createContext(PREFIX, api::serve);
    server.start();
    return api;
  }

  /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Queues an invocation. */
  void invoke(String requestId, byte[] event) {
    events.add(new String[] {requestId, new String(event, StandardCharsets.UTF_8)});
  }

  /** The next thing the client posted back, or null after {@code seconds}. */
  Post nextPost(long seconds) throws InterruptedException {
    return posts.poll(seconds, TimeUnit.SECONDS);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (exchange.getRequestMethod().equals("GET") && path.equals(PREFIX + "invocation/next")) {
        next(exchange);
      } else if (exchange.getRequestMethod().equals("POST")) {
        posts.add(new Post(path,
            exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"),
            exchange.getRequestBody().readAllBytes()));
        exchange.sendResponseHeaders(202, -1);
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  private void next(HttpExchange exchange) throws IOException {
    String[] event = null;
    try {
      while (event == null && !closed) {
        event = events.poll(200, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (event == null) {
      exchange.sendResponseHeaders(500, -1);
      return;
    }
    exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", event[0]);
    exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms",
        Long.toString(System.currentTimeMillis() + 30_000));
    exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn",
        "arn:aws:lambda:us-east-1:123456789012:function:ota-cancel");
    exchange.getResponseHeaders().set("Lambda-Runtime-Trace-Id",
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0");
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    byte[] body = event[1].getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    threads.shutdownNow();
  }
}
