package io.otacancel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otacancel.core.CancelFailedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.statistics.Statistics;

/**
 * What both platform handlers promise for any event, checked against {@link LoopbackIot}: an
 * HTTP event is always answered with an HTTP response struct ({@code statusCode} and a JSON
 * {@code body}); any other event with the result JSON when every job succeeded, else with a
 * {@link CancelFailedException} whose message is the JSON answer. A status of 400 or more carries
 * a {@code Code} and means nothing reached IoT; a 200 means IoT accepted every call. With an
 * endpoint that accepts every well-signed call, no other status can occur.
 */
public final class HandlerContract {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private HandlerContract() {}

  /** A platform handler's stream entry point, with its context bound. */
  public interface Handler {
    void handle(InputStream input, OutputStream output) throws IOException;
  }

  /** An event as the platform would deliver it, and whether it was made as an HTTP one. */
  public record Event(byte[] bytes, boolean http) {
    public static Event http(String json) {
      return new Event(json.getBytes(StandardCharsets.UTF_8), true);
    }

    public static Event other(String json) {
      return new Event(json.getBytes(StandardCharsets.UTF_8), false);
    }

    @Override
    public String toString() {
      return (http ? "HTTP " : "") + new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** The environment the handlers run with: pointed at {@code iot}, webhooks with either proof. */
  public static Map<String, String> environment(LoopbackIot iot) {
    Map<String, String> env = iot.env();
    env.put("WEBHOOK_TOKEN", GeneratedInput.WEBHOOK_TOKEN);
    env.put("WEBHOOK_SECRET", "property-webhook-secret");
    return env;
  }

  /** Invokes the handler with the event and asserts the contract; statistics by status. */
  public static void assertKept(Handler handler, Event event, LoopbackIot iot) throws IOException {
    // A generated envelope may still not be JSON: Jackson refuses a lone surrogate in a name.
    boolean http = event.http() && isJson(event.bytes());
    int before = iot.received().size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status;
    JsonNode body;
    try {
      handler.handle(new ByteArrayInputStream(event.bytes()), out);
      JsonNode answer = MAPPER.readTree(out.toByteArray());
      if (http) {
        status = answer.get("statusCode").asInt();
        body = MAPPER.readTree(answer.get("body").asText());
      } else {
        status = 200;
        body = answer;
      }
    } catch (CancelFailedException e) {
      assertFalse(http, "an HTTP event is always answered with an HTTP response");
      assertEquals(0, out.size(), "nothing is written before a failure");
      status = e.status();
      body = MAPPER.readTree(e.getMessage());
    }

    Statistics.collect(http ? "HTTP" : "other", status);
    boolean reached = iot.received().size() > before;
    if (status == 200) {
      assertTrue(body.get("Success").asBoolean(), body::toString);
      assertTrue(reached, "a success that IoT never saw");
    } else {
      assertTrue(status >= 400 && status < 600, "status " + status);
      assertTrue(body.hasNonNull("Code"), body::toString);
      assertFalse(reached, "refused input reached IoT: " + body);
    }
    assertEquals(List.of(), iot.refused(), "requests LoopbackIot refused");
  }

  private static boolean isJson(byte[] bytes) {
    try {
      MAPPER.readTree(bytes);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
