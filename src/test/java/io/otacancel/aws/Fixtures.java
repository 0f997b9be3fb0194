package io.otacancel.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * The files under {@code src/test/resources/aws/}: platform samples ({@code platform/}), events
 * adapted from them ({@code events/}) and the responses expected for those ({@code expected/}).
 *
 * <p>An expected file holds a proxy response's {@code body} as a JSON object rather than a
 * string, for readability; {@code LatencyMs} is left out of it, since it varies.
 */
final class Fixtures {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  static byte[] bytes(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/aws/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("No test resource aws/" + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fixture as a tree a test may change before sending it. */
  static ObjectNode tree(String path) {
    return (ObjectNode) read(bytes(path));
  }

  static byte[] write(JsonNode tree) {
    try {
      return MAPPER.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(String json) {
    return read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * The answer as a tree: a proxy response with its body parsed, or the result JSON itself; in
   * both, without {@code LatencyMs}.
   */
  static JsonNode comparable(byte[] answer) {
    JsonNode tree = read(answer);
    if (tree.has("statusCode") && tree.path("body").isTextual()) {
      ((ObjectNode) tree).set("body", read(tree.get("body").asText()));
    }
    stripLatency(tree);
    return tree;
  }

  /** Asserts that the answer is the one in {@code expected/<name>}. */
  static void assertAnswer(String name, byte[] answer) {
    assertEquals(read(bytes("expected/" + name)).toPrettyString(),
        comparable(answer).toPrettyString(), "answer compared with expected/" + name);
  }

  private static void stripLatency(JsonNode node) {
    if (node.isObject()) {
      ((ObjectNode) node).remove("LatencyMs");
    }
    for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
      stripLatency(children.next());
    }
  }
}
