package io.otacancel.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.otacancel.core.HttpRequest;
import io.otacancel.core.HttpResponse;
import io.otacancel.core.InvalidRequestException;
import io.otacancel.core.Invocation;
import io.otacancel.core.OtaCancelFunction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code serve}: answers webhooks on 127.0.0.1 through the same HTTP path the cloud triggers
 * take ({@link OtaCancelFunction#http}), authentication included, like {@code sam local
 * start-api}. Stops cleanly on Ctrl-C or SIGTERM.
 */
final class LocalServer {
  /** What a cloud HTTP trigger allows an invocation by default; ample for a local batch. */
  private static final Duration TIME_PER_REQUEST = Duration.ofSeconds(60);

  private LocalServer() {}

  static int serve(int port, Map<String, String> system, boolean dryRun, PrintStream err) {
    LocalEnvironment local = LocalEnvironment.prepare(system, dryRun, err);
    OtaCancelFunction function = OtaCancelFunction.fromEnv(local.env());
    if (function.configurationProblem() != null) {
      local.close();
      err.println("ota-cancel: " + function.configurationProblem());
      return ExitCode.CONFIGURATION.value;
    }
    ProgressPrinter progress = new ProgressPrinter(err);
    HttpServer server;
    try {
      server = HttpServer.create(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      local.close();
      err.println("ota-cancel: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
      return ExitCode.USAGE.value;
    }
    ExecutorService workers = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "ota-cancel-serve");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(workers);
    server.createContext("/", exchange -> answer(exchange, function, progress));
    server.start();
    err.println("ota-cancel: listening on http://127.0.0.1:" + server.getAddress().getPort()
        + "/ (Ctrl-C to stop)");
    UntilStopped.await(() -> {
      server.stop(1);
      workers.shutdownNow();
      local.close();
      err.println("ota-cancel: stopped");
    });
    return ExitCode.OK.value;
  }

  private static void answer(HttpExchange exchange, OtaCancelFunction function,
      ProgressPrinter progress) throws IOException {
    try {
      Invocation invocation = Invocation.of(TIME_PER_REQUEST, null, progress);
      HttpResponse response;
      try {
        response = function.http(HttpRequest.of(exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(), headers(exchange),
            HttpRequest.parseForm(exchange.getRequestURI().getRawQuery()),
            body(exchange.getRequestBody())), invocation);
      } catch (InvalidRequestException e) {
        response = OtaCancelFunction.invalidInput(e.getMessage(), invocation);
      }
      byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.sendResponseHeaders(response.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      headers.put(header.getKey(), String.join(",", header.getValue()));
    }
    return headers;
  }

  /** Reads one byte past the limit at most: enough for the function to answer 413. */
  private static byte[] body(InputStream in) throws IOException {
    byte[] limited = in.readNBytes(OtaCancelFunction.MAX_BODY_BYTES + 1);
    in.close();
    return limited;
  }
}
