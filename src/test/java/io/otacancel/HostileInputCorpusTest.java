package io.otacancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.aliyun.fc.runtime.FunctionParam;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otacancel.aws.LambdaHandler;
import io.otacancel.core.CancelFailedException;
import io.otacancel.fc.FcHandler;
import io.otacancel.testing.LoopbackIot;
import io.otacancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of the hostile input corpus ({@code src/test/resources/hostile/cases.json})
 * through the real AWS or FC handler, with {@code IOT_ENDPOINT} pointed at {@link LoopbackIot}.
 *
 * <p>A case names a trigger and changes that trigger's envelope (an event under {@code aws/} or
 * {@code fc/} adapted from the platform's own samples): the body, method, headers, query, Base64
 * flag, an HMAC signature computed at run time, the environment. It expects a status and a
 * {@code Code}, and a fragment of the {@code Message}. Every refused case must answer JSON without
 * a stack trace or a secret and send nothing to IoT; the positive controls must reach IoT exactly
 * as often as they say, which proves the runner can see a request at all.
 *
 * <p>In a body, {@code {{N*text}}} stands for {@code text} repeated N times (a 2 MB body, 5,000
 * levels of nesting), so such cases stay one line of the index.
 */
class HostileInputCorpusTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNode INDEX = readIndex();
  private static final Pattern REPEAT = Pattern.compile("\\{\\{(\\d+)\\*(.*?)}}");
  /** Where a raw {@code detail} goes in an EventBridge envelope, which may not be JSON at all. */
  private static final String RAW_DETAIL = "\"@@detail@@\"";

  private LoopbackIot iot;
  private final List<String> logged = new ArrayList<>();

  @BeforeEach
  void startIot() throws IOException {
    iot = LoopbackIot.start();
  }

  @AfterEach
  void stopIot() {
    iot.close();
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : INDEX.get("cases")) {
      cases.add(Arguments.of(c.get("case").asText(), c));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostileEvent_getsItsExpectedAnswer_andNothingElseReachesIot(String name, JsonNode c)
      throws Exception {
    JsonNode expect = c.get("expect");
    Map<String, String> env = env(c);
    Object handler = handler(c, env);
    byte[] event = event(c, env);
    if (c.path("replay").asBoolean()) {
      Answer first = invoke(handler, c, event);
      assertEquals(200, first.status, "the first time: " + first.body);
      assertEquals(1, iot.received().size(), "the first time reaches IoT");
    }
    int before = iot.received().size();

    Answer answer = invoke(handler, c, event);

    assertEquals(expect.get("status").asInt(), answer.status, answer.body);
    JsonNode body = MAPPER.readTree(answer.body);
    assertTrue(body.isObject(), "a JSON object: " + answer.body);
    assertFalse(answer.body.contains("Exception") || answer.body.contains("\tat "),
        "no stack trace: " + answer.body);
    for (String secret : secrets(env)) {
      assertFalse(answer.body.contains(secret), "the answer shows a secret");
      assertFalse(String.join("\n", logged).contains(secret), "the log shows a secret");
    }
    int sent = iot.received().size() - before;
    int expectedCalls = expect.path("iotCalls").asInt(0);
    assertEquals(expectedCalls, sent, "requests that reached IoT");
    if (expectedCalls > 0) {
      assertTrue(body.path("Success").asBoolean(), answer.body);
      Iterator<Map.Entry<String, JsonNode>> fields = expect.path("sent").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        assertEquals(field.getValue().asText(), iot.received().get(before).get(field.getKey()),
            "IoT received " + field.getKey());
      }
    } else {
      assertEquals(expect.get("Code").asText(), body.path("Code").asText(), answer.body);
      String message = body.path("Message").asText();
      assertTrue(message.contains(expect.get("MessageContains").asText()), message);
      assertTrue(message.length() <= 512, "a message bounded in length: " + message.length());
    }
  }

  /** The table in docs/RELIABILITY.md is the index's, so a case cannot go undocumented. */
  @Test
  void reliabilityDoc_listsEveryCase_withItsExpectedAnswer() throws IOException {
    String doc = Files.readString(Path.of("docs", "RELIABILITY.md"));
    int start = doc.indexOf("## Hostile input corpus");
    assertTrue(start >= 0, "docs/RELIABILITY.md has a '## Hostile input corpus' section");
    int end = doc.indexOf("\n## ", start + 1);
    String section = doc.substring(start, end < 0 ? doc.length() : end + 1).trim();
    String table = table();
    if (!section.contains(table)) {
      Path generated = Path.of("target", "hostile-corpus-table.md");
      Files.createDirectories(generated.getParent());
      Files.writeString(generated, table + "\n");
      fail("docs/RELIABILITY.md's hostile input table differs from hostile/cases.json; "
          + "the table to paste is in " + generated);
    }
  }

  /** The corpus table: one row per case, grouped by category in the index's order. */
  private static String table() {
    Map<String, List<JsonNode>> byCategory = new LinkedHashMap<>();
    for (JsonNode c : INDEX.get("cases")) {
      byCategory.computeIfAbsent(c.get("category").asText(), k -> new ArrayList<>()).add(c);
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, List<JsonNode>> category : byCategory.entrySet()) {
      out.append("### ").append(category.getKey()).append("\n\n")
          .append("| case | trigger | what is sent | status | code |\n")
          .append("|---|---|---|---:|---|\n");
      for (JsonNode c : category.getValue()) {
        JsonNode expect = c.get("expect");
        String code = expect.has("Code") ? expect.get("Code").asText()
            : "reaches IoT " + expect.get("iotCalls").asInt() + "×";
        out.append("| `").append(c.get("case").asText()).append("` | ")
            .append(c.get("trigger").asText()).append(" | ")
            .append(c.get("about").asText().replace("|", "\\|")).append(" | ")
            .append(expect.get("status").asInt()).append(" | ").append(code).append(" |\n");
      }
      out.append('\n');
    }
    return out.toString().trim();
  }

  // --- Building the event ----------------------------------------------------------------

  private static JsonNode envelope(JsonNode c) {
    JsonNode envelope = INDEX.get("envelopes").get(c.get("trigger").asText());
    assertNotNull(envelope, "unknown trigger " + c.get("trigger"));
    return envelope;
  }

  private Map<String, String> env(JsonNode c) {
    Map<String, String> env = iot.env();
    apply(env, INDEX.get("env"));
    apply(env, c.get("env"));
    return env;
  }

  private static void apply(Map<String, String> env, JsonNode overrides) {
    if (overrides == null) {
      return;
    }
    overrides.fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        env.remove(e.getKey());
      } else {
        env.put(e.getKey(), e.getValue().asText());
      }
    });
  }

  private static List<String> secrets(Map<String, String> env) {
    List<String> secrets = new ArrayList<>();
    for (String name : List.of("WEBHOOK_TOKEN", "WEBHOOK_SECRET",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET")) {
      if (env.get(name) != null) {
        secrets.add(env.get(name));
      }
    }
    return secrets;
  }

  private static byte[] event(JsonNode c, Map<String, String> env) throws Exception {
    JsonNode envelope = envelope(c);
    String kind = envelope.get("kind").asText();
    String body = c.has("body") ? expand(c.get("body").asText())
        : envelope.has("body") ? envelope.get("body").asText() : null;
    switch (kind) {
      case "raw":
        return body.getBytes(StandardCharsets.UTF_8);
      case "eventbridge": {
        ObjectNode event = resource(envelope.get("event").asText());
        event.put("detail", "@@detail@@");
        return MAPPER.writeValueAsString(event).replace(RAW_DETAIL, body)
            .getBytes(StandardCharsets.UTF_8);
      }
      case "fc-timer": {
        ObjectNode event = resource(envelope.get("event").asText());
        event.put("payload", body);
        return MAPPER.writeValueAsBytes(event);
      }
      default:
        return MAPPER.writeValueAsBytes(http(c, envelope, kind, body, env));
    }
  }

  private static ObjectNode http(JsonNode c, JsonNode envelope, String kind, String body,
      Map<String, String> env) throws Exception {
    ObjectNode event = resource(envelope.get("event").asText());
    if (body != null) {
      event.put("body", body);
    }
    String raw = event.path("body").asText("");
    if (c.path("base64").asBoolean()) {
      event.put("body", Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
    }
    if (c.has("isBase64Encoded")) {
      event.put("isBase64Encoded", c.get("isBase64Encoded").asBoolean());
    } else {
      event.put("isBase64Encoded", c.path("base64").asBoolean());
    }
    Map<String, String> headers = new LinkedHashMap<>();
    putHeaders(headers, envelope.get("headers"));
    putHeaders(headers, c.get("headers"));
    if (c.has("sign")) {
      sign(headers, c.get("sign"), raw, env);
    }
    String method = c.path("method").asText("POST");
    String query = c.path("query").asText("");
    switch (kind) {
      case "http-api":
        setHeaders(event, "headers", headers, false);
        ((ObjectNode) event.get("requestContext").get("http")).put("method", method);
        event.put("rawQueryString", query);
        event.set("queryStringParameters", joined(query));
        break;
      case "rest-api":
        setHeaders(event, "headers", headers, false);
        setHeaders(event, "multiValueHeaders", headers, true);
        event.put("httpMethod", method);
        ((ObjectNode) event.get("requestContext")).put("httpMethod", method);
        event.set("queryStringParameters", lastValues(query));
        event.set("multiValueQueryStringParameters", allValues(query));
        break;
      case "fc-http":
        setHeaders(event, "headers", headers, false);
        ((ObjectNode) event.get("requestContext").get("http")).put("method", method);
        event.set("queryParameters", joined(query));
        break;
      default:
        throw new IllegalArgumentException("unknown envelope kind " + kind);
    }
    return event;
  }

  /** Sets or (for null) removes headers, replacing a header of the same name in any case. */
  private static void putHeaders(Map<String, String> headers, JsonNode changes) {
    if (changes == null) {
      return;
    }
    changes.fields().forEachRemaining(e -> {
      headers.keySet().removeIf(name -> name.equalsIgnoreCase(e.getKey()));
      if (!e.getValue().isNull()) {
        headers.put(e.getKey(), e.getValue().asText());
      }
    });
  }

  private static void setHeaders(ObjectNode event, String field, Map<String, String> changes,
      boolean multi) {
    ObjectNode headers = event.putObject(field);
    changes.forEach((name, value) -> {
      if (multi) {
        headers.putArray(name).add(value);
      } else {
        headers.put(name, value);
      }
    });
  }

  /**
   * {@code X-Ota-Timestamp} and {@code X-Ota-Signature} over the body, made now: the time, the
   * secret, the body signed or the header values may be changed by the case.
   */
  private static void sign(Map<String, String> headers, JsonNode sign, String body,
      Map<String, String> env) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String timestamp = sign.has("timestamp") ? sign.get("timestamp").asText()
        : Long.toString(now + sign.path("offsetSeconds").asLong(0));
    String secret = sign.path("secret").asText(env.get("WEBHOOK_SECRET"));
    String signed = sign.has("signedBody") ? sign.get("signedBody").asText() : body;
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature = "sha256=" + HexFormat.of().formatHex(
        mac.doFinal((timestamp + "." + signed).getBytes(StandardCharsets.UTF_8)));
    headers.put(sign.path("timestampHeader").asText("X-Ota-Timestamp"), timestamp);
    headers.put(sign.path("signatureHeader").asText("X-Ota-Signature"),
        sign.path("signature").asText(signature));
  }

  /** Query parameters as HTTP API 2.0 and FC deliver them: decoded, repeats comma-joined. */
  private static ObjectNode joined(String query) {
    ObjectNode parameters = MAPPER.createObjectNode();
    decode(query).forEach((name, values) -> parameters.put(name, String.join(",", values)));
    return parameters;
  }

  /** REST API's queryStringParameters: the last value of each, or null when there are none. */
  private static JsonNode lastValues(String query) {
    if (query.isEmpty()) {
      return MAPPER.nullNode();
    }
    ObjectNode parameters = MAPPER.createObjectNode();
    decode(query).forEach((name, values) -> parameters.put(name, values.get(values.size() - 1)));
    return parameters;
  }

  private static JsonNode allValues(String query) {
    if (query.isEmpty()) {
      return MAPPER.nullNode();
    }
    ObjectNode parameters = MAPPER.createObjectNode();
    decode(query).forEach((name, values) -> {
      ArrayNode array = parameters.putArray(name);
      values.forEach(array::add);
    });
    return parameters;
  }

  private static Map<String, List<String>> decode(String query) {
    Map<String, List<String>> parameters = new TreeMap<>();
    for (String pair : query.split("&")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        parameters.computeIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
            StandardCharsets.UTF_8), k -> new ArrayList<>())
            .add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return parameters;
  }

  /** {@code {{N*text}}} replaced by text repeated N times. */
  static String expand(String body) {
    Matcher m = REPEAT.matcher(body);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out,
          Matcher.quoteReplacement(m.group(2).repeat(Integer.parseInt(m.group(1)))));
    }
    return m.appendTail(out).toString();
  }

  // --- Invoking ----------------------------------------------------------------------------

  private Object handler(JsonNode c, Map<String, String> env) {
    return c.get("trigger").asText().startsWith("aws-") ? new LambdaHandler(env)
        : new FcHandler(env);
  }

  /** What the caller sees: an HTTP trigger's status and body, or a failed invocation's. */
  private record Answer(int status, String body) {}

  private Answer invoke(Object handler, JsonNode c, byte[] event) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (handler instanceof LambdaHandler) {
        ((LambdaHandler) handler).handleRequest(new ByteArrayInputStream(event), out,
            new TestContext(30_000, logged));
      } else {
        ((FcHandler) handler).handleRequest(new ByteArrayInputStream(event), out, fcContext());
      }
    } catch (CancelFailedException e) {
      assertFalse(envelope(c).path("http").asBoolean(), "an HTTP trigger never fails: " + e);
      assertEquals(0, e.getStackTrace().length, "a failed invocation carries no stack trace");
      assertEquals(0, out.size(), "nothing is written before a failure");
      return new Answer(e.status(), e.getMessage());
    }
    String written = out.toString(StandardCharsets.UTF_8);
    if (!envelope(c).path("http").asBoolean()) {
      return new Answer(200, written);
    }
    JsonNode response = MAPPER.readTree(written);
    assertEquals("application/json", response.path("headers").path("Content-Type").asText());
    assertFalse(response.path("isBase64Encoded").asBoolean());
    return new Answer(response.get("statusCode").asInt(), response.get("body").asText());
  }

  private com.aliyun.fc.runtime.Context fcContext() {
    com.aliyun.fc.runtime.Context context = mock(com.aliyun.fc.runtime.Context.class);
    FunctionParam param = mock(FunctionParam.class);
    when(param.getExecTimeLimitInMillis()).thenReturn(30_000);
    when(context.getFunctionParam()).thenReturn(param);
    FunctionComputeLogger logger = mock(FunctionComputeLogger.class);
    org.mockito.Mockito.doAnswer(call -> logged.add(call.getArgument(0)))
        .when(logger).info(org.mockito.ArgumentMatchers.anyString());
    when(context.getLogger()).thenReturn(logger);
    return context;
  }

  // --- Resources ---------------------------------------------------------------------------

  private static JsonNode readIndex() {
    try (InputStream in = resourceStream("hostile/cases.json")) {
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode resource(String path) throws IOException {
    try (InputStream in = resourceStream(path)) {
      return (ObjectNode) MAPPER.readTree(in);
    }
  }

  private static InputStream resourceStream(String path) {
    InputStream in = HostileInputCorpusTest.class.getResourceAsStream("/" + path);
    if (in == null) {
      throw new IllegalArgumentException("No test resource " + path);
    }
    return in;
  }
}
