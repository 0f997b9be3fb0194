package io.otacancel.local;

import io.otacancel.core.InvalidRequestException;
import io.otacancel.core.Json;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns the function's JSON log lines into progress a person reads on stderr: "n of N done",
 * throttled retries, refusals. Lines that are not the function's JSON pass through as they are.
 */
final class ProgressPrinter implements Consumer<String> {
  private final PrintStream err;

  ProgressPrinter(PrintStream err) {
    this.err = err;
  }

  @Override
  public void accept(String line) {
    Map<String, Object> event = parse(line);
    Object kind = event == null ? null : event.get("event");
    if ("cancel".equals(kind)) {
      err.println("ota-cancel: [" + event.get("Index") + "/" + event.get("Total") + "] "
          + event.get("JobId") + ": " + event.get("Outcome")
          + (event.get("Code") == null ? "" : " " + event.get("Code"))
          + " (" + event.get("Attempts") + " attempt(s), " + event.get("LatencyMs") + " ms)");
    } else if ("retrying".equals(kind)) {
      err.println("ota-cancel: " + event.get("JobId") + ": " + event.get("Code") + " on attempt "
          + event.get("Attempt") + ", retrying in " + event.get("BackoffMs") + " ms");
    } else if ("refused".equals(kind)) {
      err.println("ota-cancel: refused (" + event.get("Status") + " " + event.get("Code") + "): "
          + event.get("Message"));
    } else {
      err.println(line);
    }
  }

  private static Map<String, Object> parse(String line) {
    if (!line.startsWith("{")) {
      return null;
    }
    try {
      return Json.asObject(Json.parse(line));
    } catch (InvalidRequestException e) {
      return null;
    }
  }
}
