package io.otacancel.local;

import io.otacancel.aws.LambdaHandler;
import io.otacancel.core.CancelFailedException;
import io.otacancel.core.InvalidRequestException;
import io.otacancel.core.Json;
import io.otacancel.fc.FcHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@code invoke}: one event through the real handler of a platform, the way that platform would
 * call it, with the handler's response on stdout and its logs, as progress, on stderr.
 */
final class LocalInvoker {
  private LocalInvoker() {}

  static int invoke(String eventFile, String platform, Duration timeout,
      Map<String, String> system, boolean dryRun, PrintStream out, PrintStream err) {
    byte[] event;
    try {
      event = read(eventFile);
    } catch (FileNotFoundException e) {
      err.println("ota-cancel: no such event file: " + eventFile);
      return ExitCode.USAGE.value;
    } catch (IOException e) {
      err.println("ota-cancel: cannot read " + eventFile + ": " + e.getMessage());
      return ExitCode.USAGE.value;
    }
    String chosen = platform.equals("auto") ? detect(event) : platform;
    try (LocalEnvironment local = LocalEnvironment.prepare(system, dryRun, err)) {
      ProgressPrinter progress = new ProgressPrinter(err);
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      try {
        if (chosen.equals("fc")) {
          FcHandler handler = new FcHandler(local.env());
          LocalFcContext context = new LocalFcContext(timeout, progress);
          handler.initialize(context);
          handler.handleRequest(new ByteArrayInputStream(event), response, context);
        } else {
          new LambdaHandler(local.env()).handleRequest(new ByteArrayInputStream(event), response,
              new LocalLambdaContext(timeout, progress));
        }
      } catch (CancelFailedException e) {
        out.println(e.getMessage());
        return ExitCode.ofStatus(e.status()).value;
      } catch (IOException | RuntimeException e) {
        err.println("ota-cancel: the " + chosen + " handler failed: " + e);
        return ExitCode.INTERNAL.value;
      }
      String answer = new String(response.toByteArray(), StandardCharsets.UTF_8);
      out.println(answer);
      return ExitCode.ofStatus(statusOf(answer)).value;
    }
  }

  private static byte[] read(String eventFile) throws IOException {
    if (eventFile.equals("-")) {
      InputStream in = System.in;
      return in.readAllBytes();
    }
    // A stream, not Files: NIO channels cost the cold start classes it needs nowhere else.
    try (InputStream in = new FileInputStream(eventFile)) {
      return in.readAllBytes();
    }
  }

  /**
   * FC's HTTP and timer events have shapes of their own; everything else (AWS events, a bare
   * cancel request) goes to the AWS handler, which serves a bare request the same way.
   */
  static String detect(byte[] event) {
    Map<String, Object> json;
    try {
      json = Json.asObject(Json.parse(event));
    } catch (InvalidRequestException e) {
      return "aws"; // the handler answers with the parse error
    }
    if (json == null) {
      return "aws";
    }
    boolean fcHttp = "v1".equals(json.get("version")) && json.containsKey("requestContext")
        && json.containsKey("rawPath") && !json.containsKey("routeKey");
    boolean fcTimer = json.containsKey("triggerTime") && json.containsKey("triggerName");
    return fcHttp || fcTimer ? "fc" : "aws";
  }

  /** An HTTP trigger's answer carries its status; any other answer is a success. */
  private static int statusOf(String answer) {
    try {
      Map<String, Object> json = Json.asObject(Json.parse(answer));
      Object status = json == null ? null : json.get("statusCode");
      return status instanceof Number ? ((Number) status).intValue() : 200;
    } catch (InvalidRequestException e) {
      return 200;
    }
  }
}
