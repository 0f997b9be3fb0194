package io.otacancel.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small JSON trees ({@code Map}, {@code List}, {@code String}, {@code Boolean}, {@code Number},
 * null) read and written with jackson-core's streaming API.
 *
 * <p>Why not databind: its start-up alone was measured at ~90 ms, more than the rest of a cold
 * invocation; the shapes here are small and fixed.
 */
public final class Json {
  /**
   * How deep a document may nest. A cancel request needs 3 levels and the platforms' events
   * fewer than 10; Jackson's own limit (1,000) would let a hostile body recurse far deeper.
   */
  static final int MAX_DEPTH = 64;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Json() {}

  /**
   * Parses one JSON document.
   *
   * @throws InvalidRequestException when it is not well-formed JSON, or is empty
   */
  public static Object parse(byte[] json) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      return parseDocument(parser);
    } catch (StreamConstraintsException e) {
      // Jackson's message names its own settings, which mean nothing to a caller.
      throw malformed("a number, string or field name is longer than accepted");
    } catch (JsonProcessingException e) {
      throw malformed(e.getOriginalMessage());
    } catch (CharConversionException e) {
      // Bytes that look like UTF-16 or UTF-32 are read through Jackson's own Readers, which
      // report a bad or cut-short character this way rather than as a JsonProcessingException.
      throw malformed(e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses one JSON document held in a string; see {@link #parse(byte[])}. */
  public static Object parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Object parseDocument(JsonParser parser) throws IOException {
    if (parser.nextToken() == null) {
      throw new InvalidRequestException(null, "The request is empty: expected a JSON object");
    }
    Object value = readValue(parser, 1);
    if (parser.nextToken() != null) {
      throw new InvalidRequestException(null, "Malformed JSON: unexpected data after the value");
    }
    return value;
  }

  private static Object readValue(JsonParser parser, int depth) throws IOException {
    JsonToken token = parser.currentToken();
    if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth > MAX_DEPTH) {
      throw new InvalidRequestException(null,
          "The JSON is nested more than " + MAX_DEPTH + " levels deep");
    }
    switch (token) {
      case START_OBJECT:
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          object.put(name, readValue(parser, depth + 1));
        }
        return object;
      case START_ARRAY:
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser, depth + 1));
        }
        return array;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return parser.getNumberValue();
      case VALUE_NULL:
        return null;
      default:
        throw new InvalidRequestException(null, "Malformed JSON: unexpected " + token);
    }
  }

  private static InvalidRequestException malformed(String jacksonReason) {
    String reason = jacksonReason;
    // Keep Jackson's reason, not its location and source notes.
    for (String tail : new String[] {"\n", " at [Source", " (start marker", ", at char #"}) {
      int cut = reason.indexOf(tail);
      if (cut >= 0) {
        reason = reason.substring(0, cut);
      }
    }
    if (reason.length() > 200) {
      reason = reason.substring(0, 200) + "…";
    }
    return new InvalidRequestException(null, "Malformed JSON: " + reason);
  }

  /** Writes a tree as compact JSON. Map keys keep their order. */
  public static String write(Object tree) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      writeValue(generator, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void writeValue(JsonGenerator generator, Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof Map) {
      generator.writeStartObject();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        generator.writeFieldName(String.valueOf(entry.getKey()));
        writeValue(generator, entry.getValue());
      }
      generator.writeEndObject();
    } else if (value instanceof List) {
      generator.writeStartArray();
      for (Object element : (List<?>) value) {
        writeValue(generator, element);
      }
      generator.writeEndArray();
    } else if (value instanceof Boolean) {
      generator.writeBoolean((Boolean) value);
    } else if (value instanceof Integer || value instanceof Long) {
      generator.writeNumber(((Number) value).longValue());
    } else if (value instanceof Number) {
      generator.writeNumber(value.toString());
    } else {
      generator.writeString(value.toString());
    }
  }

  /** The object at {@code tree}, or null when it is not a JSON object. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asObject(Object tree) {
    return tree instanceof Map ? (Map<String, Object>) tree : null;
  }
}
