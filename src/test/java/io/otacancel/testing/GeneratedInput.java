package io.otacancel.testing;

import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile and merely unusual input for the property tests: JSON text shaped like a
 * cancel request (the real field names with values of every type, unknown and near-miss names,
 * duplicated keys, nesting), JSON that is not well-formed, arbitrary bytes in every encoding
 * Jackson detects, form bodies and HTTP headers.
 *
 * <p>JSON is written here by hand rather than by a library, so that it can hold what a library
 * would refuse to write: duplicated keys and escaped lone surrogates (U+D800 to U+DFFF unpaired). Public only
 * because the core, aws and fc test packages share it.
 */
public final class GeneratedInput {
  /** The {@code WEBHOOK_TOKEN} that the generated {@code Authorization} headers mostly carry. */
  public static final String WEBHOOK_TOKEN = "property-webhook-token";

  private static final List<String> FLAGS = List.of("CancelScheduledTask", "CancelQueuedTask",
      "CancelNotifiedTask", "CancelInProgressTask", "CancelUnconfirmedTask");
  private static final List<String> FIELDS = fields();

  private GeneratedInput() {}

  private static List<String> fields() {
    List<String> fields = new ArrayList<>(List.of("JobId", "JobIds", "Jobs", "IotInstanceId"));
    fields.addAll(FLAGS);
    return List.copyOf(fields);
  }

  /** JSON text written as is into a tree rendered by {@link #json(Object)}. */
  public static final class Raw {
    private final String json;

    private Raw(String json) {
      this.json = json;
    }
  }

  public static Raw raw(String json) {
    return new Raw(json);
  }

  // --- Text --------------------------------------------------------------------------------

  /**
   * Strings a parser may trip on: empty, blank, booleans in disguise, ids at and over the length
   * limit, controls, NUL, lone surrogates, parameter injection, and any UTF-16 at all.
   */
  public static Arbitrary<String> text() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.of("", " ", "true", "false", "TRUE", " true ", "yes", "1", "0",
            "null", "demo-job-1", "job-1,job-2", " job-1", "job-1\n", "x&Action=DeleteProduct",
            "x%26Action%3DDeleteProduct", "a\u0000b", "\u0007", "\ud800", "x\udc00",
            "\u00e9\u4e2d\ud83d\ude80", "*~+ %", "%zz", "{}", "[]", "\u2028")),
        Tuple.of(3, Arbitraries.strings().all().ofMaxLength(20)),
        Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars("-_.*")
            .ofMinLength(1).ofMaxLength(130)),
        Tuple.of(1, Arbitraries.of(127, 128, 129, 10_000).map("j"::repeat)));
  }

  /** Mostly a well-formed job id, sometimes anything {@link #text()} makes. */
  public static Arbitrary<String> jobId() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.strings().alpha().numeric().withChars("-_").ofMinLength(1)
            .ofMaxLength(24)),
        Tuple.of(1, text()));
  }

  // --- JSON --------------------------------------------------------------------------------

  /**
   * A JSON object built from the request's own field names (and some that are not), each with a
   * value of the type it wants most of the time and of any type otherwise; keys may repeat.
   */
  public static Arbitrary<String> requestJson() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, plausible(Arbitraries.of("JobId", "JobIds", "Jobs"),
            GeneratedInput::topLevelValue)),
        Tuple.of(1, entry(GeneratedInput::topLevelValue).list().ofMaxSize(6)
            .map(GeneratedInput::object)));
  }

  /**
   * An object with one of {@code names}, some flags and perhaps an {@code IotInstanceId}: the
   * shape of a valid request or job, so that many of them are valid.
   */
  private static Arbitrary<String> plausible(Arbitrary<String> names,
      Function<String, Arbitrary<String>> valueOf) {
    Arbitrary<Map.Entry<String, String>> job =
        names.flatMap(name -> valueOf.apply(name).map(value -> Map.entry(name, value)));
    Arbitrary<List<String>> flags = flag().injectNull(0.5).list().ofSize(FLAGS.size());
    return Combinators.combine(job, flags, mostly(jobId().map(GeneratedInput::quote))
            .injectNull(0.7))
        .as((first, flagValues, instance) -> {
          List<Map.Entry<String, String>> entries = new ArrayList<>(List.of(first));
          for (int i = 0; i < FLAGS.size(); i++) {
            if (flagValues.get(i) != null) {
              entries.add(Map.entry(FLAGS.get(i), flagValues.get(i)));
            }
          }
          if (instance != null) {
            entries.add(Map.entry("IotInstanceId", instance));
          }
          return object(entries);
        });
  }

  /** Any JSON value, nested a little or (rarely) beyond what the parser allows. */
  public static Arbitrary<String> anyJson() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, value(3)),
        Tuple.of(1, Arbitraries.integers().between(1, 1500)
            .map(depth -> "[".repeat(depth) + "]".repeat(depth))),
        Tuple.of(1, Arbitraries.integers().between(1, 1500)
            .map(depth -> "{\"Jobs\":".repeat(depth) + "1" + "}".repeat(depth))));
  }

  /** JSON that is not well-formed: a valid document cut short, or with a character spliced in. */
  private static Arbitrary<String> malformedJson() {
    Arbitrary<String> document = Arbitraries.oneOf(requestJson(), anyJson());
    return Arbitraries.oneOf(
        document.flatMap(json -> Arbitraries.integers().between(0, json.length())
            .map(cut -> json.substring(0, cut))),
        Combinators.combine(document, Arbitraries.of('{', '}', '[', ']', ',', ':', '"', '\\',
                '\u0000', 'x'), Arbitraries.integers().between(0, 1000))
            .as((json, c, at) -> {
              int i = Math.min(at, json.length());
              return json.substring(0, i) + c + json.substring(i);
            }));
  }

  /** Any JSON-ish text: a request, any value, or broken JSON. */
  public static Arbitrary<String> jsonish() {
    return Arbitraries.frequencyOf(Tuple.of(4, requestJson()), Tuple.of(2, anyJson()),
        Tuple.of(2, malformedJson()));
  }

  /**
   * Bytes: random ones, JSON in every encoding Jackson detects (UTF-8 with or without a BOM,
   * UTF-16 and UTF-32 of either byte order), and JSON behind bytes that fake an encoding.
   */
  public static Arbitrary<byte[]> anyBytes() {
    Arbitrary<Charset> charsets = Arbitraries.of(StandardCharsets.UTF_8,
        StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE, Charset.forName("UTF-32BE"),
        Charset.forName("UTF-32LE"));
    Arbitrary<byte[]> prefixes = Arbitraries.of(new byte[0], new byte[] {(byte) 0xEF,
        (byte) 0xBB, (byte) 0xBF}, new byte[] {(byte) 0xFE, (byte) 0xFF}, new byte[] {0, 0, 0},
        new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF}, new byte[] {(byte) 0xFF});
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(48);
    return Arbitraries.oneOf(random,
        Combinators.combine(jsonish(), charsets).as((json, charset) -> json.getBytes(charset)),
        Combinators.combine(prefixes, Arbitraries.oneOf(random, jsonish().map(GeneratedInput::utf8)))
            .as(GeneratedInput::concat));
  }

  private static Arbitrary<Map.Entry<String, String>> entry(
      Function<String, Arbitrary<String>> valueOf) {
    return key().flatMap(name -> valueOf.apply(name).map(value -> Map.entry(name, value)));
  }

  /** A field name: mostly the API's, sometimes a near miss or anything. */
  private static Arbitrary<String> key() {
    return Arbitraries.frequencyOf(
        Tuple.of(8, Arbitraries.of(FIELDS)),
        Tuple.of(1, Arbitraries.of("jobId", "JOBID", "JobId ", "CancelQueuedTasks", "Job", "")),
        Tuple.of(1, text()));
  }

  private static Arbitrary<String> topLevelValue(String name) {
    switch (name) {
      case "JobId":
      case "IotInstanceId":
        return mostly(jobId().map(GeneratedInput::quote));
      case "JobIds":
        return mostly(Arbitraries.frequencyOf(
            Tuple.of(8, jobId().map(GeneratedInput::quote).list().ofMaxSize(5)
                .map(GeneratedInput::array)),
            Tuple.of(1, Arbitraries.just(array(ids(101))))));
      case "Jobs":
        return mostly(Arbitraries.oneOf(
                plausible(Arbitraries.just("JobId"), GeneratedInput::jobValue),
                entry(GeneratedInput::jobValue).list().ofMaxSize(4).map(GeneratedInput::object))
            .list().ofMaxSize(3).map(GeneratedInput::array));
      default:
        return FLAGS.contains(name) ? flag() : value(1);
    }
  }

  private static Arbitrary<String> jobValue(String name) {
    return name.equals("JobId") || name.equals("IotInstanceId")
        ? mostly(jobId().map(GeneratedInput::quote))
        : FLAGS.contains(name) ? flag() : value(1);
  }

  private static Arbitrary<String> flag() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.of("true", "false")),
        Tuple.of(2, Arbitraries.of("true", "false", "TRUE", " false ", "yes", "1", "")
            .map(GeneratedInput::quote)),
        Tuple.of(1, value(1)));
  }

  /** The expected kind of value most of the time, any value otherwise. */
  private static Arbitrary<String> mostly(Arbitrary<String> expected) {
    return Arbitraries.frequencyOf(Tuple.of(6, expected), Tuple.of(1, value(1)));
  }

  private static Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar = Arbitraries.oneOf(
        text().map(GeneratedInput::quote),
        Arbitraries.of("true", "false", "null", "0", "-1", "1.5", "-0", "1e999", "1E-400",
            "123456789012345678901234567890", "9223372036854775808"));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> inner = value(depth - 1);
    return Arbitraries.frequencyOf(
        Tuple.of(4, scalar),
        Tuple.of(1, inner.list().ofMaxSize(4).map(GeneratedInput::array)),
        Tuple.of(1, Combinators.combine(key(), inner).as(Map::entry).list().ofMaxSize(4)
            .map(GeneratedInput::object)));
  }

  private static List<String> ids(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(quote("job-" + i));
    }
    return ids;
  }

  /** A JSON string literal; a lone surrogate is escaped, since UTF-8 cannot carry it. */
  private static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1));
      if (pair) {
        out.append(c).append(text.charAt(++i));
      } else if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static String array(List<String> items) {
    return "[" + String.join(",", items) + "]";
  }

  private static String object(List<Map.Entry<String, String>> entries) {
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, String> entry : entries) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append(quote(entry.getKey())).append(':').append(entry.getValue());
    }
    return out.append('}').toString();
  }

  /**
   * A tree of maps, lists, strings, numbers, booleans, nulls and {@link Raw} fragments as JSON
   * text: for building platform events around generated parts.
   */
  public static String json(Object tree) {
    if (tree instanceof Raw) {
      return ((Raw) tree).json;
    }
    if (tree instanceof Map) {
      List<Map.Entry<String, String>> entries = new ArrayList<>();
      ((Map<?, ?>) tree).forEach((name, value) -> entries.add(Map.entry((String) name,
          json(value))));
      return object(entries);
    }
    if (tree instanceof List) {
      List<String> items = new ArrayList<>();
      ((List<?>) tree).forEach(item -> items.add(json(item)));
      return array(items);
    }
    if (tree instanceof String) {
      return quote((String) tree);
    }
    return String.valueOf(tree);
  }

  // --- HTTP --------------------------------------------------------------------------------

  /**
   * A form body or query string: the request's fields and others, percent-encoded or raw, and
   * sometimes broken percent-encoding.
   */
  public static Arbitrary<String> form() {
    Arbitrary<String> value = Arbitraries.oneOf(jobId(), text(),
        Arbitraries.of("true", "false", "job-1,job-2"));
    Arbitrary<String> pair = Combinators.combine(key(), value, Arbitraries.of(true, false))
        .as((name, v, encoded) -> encoded
            ? URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)
            : name + "=" + v);
    return Arbitraries.oneOf(pair.list().ofMaxSize(5).map(pairs -> String.join("&", pairs)),
        text());
  }

  /**
   * An HTTP body as text: a request, a form, broken JSON, nothing, or more than the function
   * accepts.
   */
  private static Arbitrary<String> body() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, requestJson()),
        Tuple.of(2, form()),
        Tuple.of(2, jsonish()),
        Tuple.of(1, Arbitraries.of("", " ", "\n")),
        Tuple.of(1, requestJson().map(json -> json + " ".repeat(70 * 1024))));
  }

  /**
   * Request headers: mostly the right bearer token under a name of any case, sometimes a wrong
   * one, junk webhook signatures, every content type the function reads and others.
   */
  public static Arbitrary<Map<String, String>> headers() {
    Arbitrary<String> authorizationName = Arbitraries.of("Authorization", "authorization",
        "AUTHORIZATION");
    Arbitrary<String> authorization = Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.just("Bearer " + WEBHOOK_TOKEN)),
        Tuple.of(1, Arbitraries.of("Bearer wrong", "bearer " + WEBHOOK_TOKEN, "Basic abc",
            "Bearer", "")),
        Tuple.of(1, text()));
    Arbitrary<String> contentType = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just("application/json")),
        Tuple.of(1, Arbitraries.of("application/x-www-form-urlencoded",
            "Application/X-WWW-Form-Urlencoded; charset=UTF-8", "text/plain", "",
            "multipart/form-data; boundary=x")));
    return Combinators.combine(authorizationName, authorization.injectNull(0.15),
            contentType.injectNull(0.2), Arbitraries.of("X-Ota-Signature", "x-ota-signature"),
            text().injectNull(0.8), text().injectNull(0.8), text())
        .as((name, auth, type, signatureName, signature, timestamp, other) -> {
          Map<String, String> headers = new LinkedHashMap<>();
          if (auth != null) {
            headers.put(name, auth);
          }
          if (type != null) {
            headers.put("Content-Type", type);
          }
          if (signature != null) {
            headers.put(signatureName, signature);
          }
          if (timestamp != null) {
            headers.put("X-Ota-Timestamp", timestamp);
          }
          headers.put("X-" + other, other);
          return headers;
        });
  }

  /**
   * The {@code body} and {@code isBase64Encoded} fields of an HTTP event (AWS and FC name them
   * alike): a {@link #body()} as text or as Base64, text that is not Base64 but says it is, or a
   * body that is not text at all.
   */
  public static Arbitrary<Map<String, Object>> bodyFields() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, body().map(text -> bodyFields(text, false))),
        Tuple.of(3, body().map(text ->
            bodyFields(Base64.getEncoder().encodeToString(utf8(text)), true))),
        Tuple.of(1, Arbitraries.of("not base64!", "QUJD=", "%%", "e30")
            .map(text -> bodyFields(text, true))),
        Tuple.of(1, Arbitraries.of(42, true, List.of("{}"), Map.of())
            .map(body -> bodyFields(body, "true"))));
  }

  private static Map<String, Object> bodyFields(Object body, Object base64) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("body", body);
    fields.put("isBase64Encoded", base64);
    return fields;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
