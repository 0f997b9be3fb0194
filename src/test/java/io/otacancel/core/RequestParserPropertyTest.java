package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otacancel.testing.GeneratedInput;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever arrives, the parsers either build a valid command or refuse the input with an {@link
 * InvalidRequestException}; nothing else escapes them.
 */
class RequestParserPropertyTest {
  private static final Pattern ID =
      Pattern.compile("[A-Za-z0-9._-]{1," + CancelRequest.MAX_ID_LENGTH + "}");

  @Property(tries = 200)
  void parseJson_onAnyBytes_buildsAValidCommandOrRefusesTheInput(
      @ForAll("anyBytes") byte[] input) {
    parsedOrRefused(() -> RequestParser.parseJson(input));
  }

  @Property(tries = 200)
  void parseJson_onRequestShapedJson_buildsAValidCommandOrRefusesTheInput(
      @ForAll("jsonish") String input) {
    parsedOrRefused(() -> RequestParser.parseJson(input.getBytes(StandardCharsets.UTF_8)));
  }

  @Property(tries = 200)
  void parseParameters_onAnyMap_buildsAValidCommandOrRefusesTheInput(
      @ForAll("parameters") Map<String, List<String>> parameters) {
    parsedOrRefused(() -> RequestParser.parseParameters(parameters));
  }

  @Property(tries = 200)
  void parseForm_onAnyText_decodesOrRefusesTheInput(@ForAll("forms") String text) {
    try {
      Map<String, List<String>> parameters = HttpRequest.parseForm(text);
      parameters.forEach((name, values) -> assertFalse(values.isEmpty(), name));
    } catch (InvalidRequestException e) {
      assertTrue(e.getMessage().startsWith("Malformed form or query"), e.getMessage());
    }
  }

  @Property(tries = 200)
  void parseForm_decodesWhatAFormEncoderWrote(
      @ForAll("parameters") Map<String, List<String>> parameters) {
    List<String> pairs = new ArrayList<>();
    Map<String, List<String>> expected = new LinkedHashMap<>();
    parameters.forEach((name, values) -> values.forEach(value -> {
      pairs.add(encode(name) + "=" + encode(value));
      expected.computeIfAbsent(wellFormed(name), n -> new ArrayList<>()).add(wellFormed(value));
    }));

    assertEquals(expected, HttpRequest.parseForm(String.join("&", pairs)));
  }

  @Property(tries = 200)
  void decodeBody_onAnyText_decodesOrRefusesTheInput(@ForAll("forms") String body,
      @ForAll boolean base64) {
    try {
      byte[] decoded = HttpRequest.decodeBody(body, base64);
      if (!base64) {
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), decoded);
      }
    } catch (InvalidRequestException e) {
      assertTrue(base64, "only a Base64 body can be refused");
    }
  }

  @Property(tries = 200)
  void decodeBody_returnsTheBytesThatWereBase64Encoded(@ForAll byte[] bytes) {
    assertArrayEquals(bytes,
        HttpRequest.decodeBody(Base64.getEncoder().encodeToString(bytes), true));
  }

  /** Runs a parser: a command it builds must be valid; a refusal must say why. */
  private static void parsedOrRefused(Parser parser) {
    CancelCommand command;
    try {
      command = parser.parse();
    } catch (InvalidRequestException e) {
      assertFalse(e.getMessage() == null || e.getMessage().isEmpty(), "a refusal says why");
      Statistics.collect("refused");
      return;
    }
    Statistics.collect("parsed");
    List<CancelRequest> requests = command.requests();
    assertTrue(requests.size() >= 1 && requests.size() <= CancelCommand.MAX_JOBS, command::toString);
    assertEquals(requests.size(), requests.stream().distinct().count(), "duplicates are dropped");
    for (CancelRequest request : requests) {
      assertValidId(request.jobId());
      if (request.iotInstanceId() != null) {
        assertValidId(request.iotInstanceId());
      }
      assertFalse(request.states().isEmpty(), request::toString);
    }
  }

  /** The validator's rules, restated: 1 to 128 letters, digits, '-', '_' and '.'. */
  private static void assertValidId(String id) {
    assertTrue(ID.matcher(id).matches(), id);
  }

  private interface Parser {
    CancelCommand parse();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** What survives a trip through UTF-8: a lone surrogate becomes '?'. */
  private static String wellFormed(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  @Provide
  Arbitrary<byte[]> anyBytes() {
    return GeneratedInput.anyBytes();
  }

  @Provide
  Arbitrary<String> jsonish() {
    return GeneratedInput.jsonish();
  }

  @Provide
  Arbitrary<String> forms() {
    return Arbitraries.oneOf(GeneratedInput.form(), GeneratedInput.text(),
        Arbitraries.strings().withChars("%&=+,;aZ09\u00e9").ofMaxLength(12));
  }

  /** Parameter maps as the adapters build them: the request's names and others, 0-3 values. */
  @Provide
  Arbitrary<Map<String, List<String>>> parameters() {
    Arbitrary<String> name = Arbitraries.oneOf(
        Arbitraries.of("JobId", "JobIds", "Jobs", "IotInstanceId", "CancelScheduledTask",
            "CancelQueuedTask", "CancelNotifiedTask", "CancelInProgressTask",
            "CancelUnconfirmedTask"),
        GeneratedInput.text());
    Arbitrary<String> value = Arbitraries.oneOf(GeneratedInput.jobId(), GeneratedInput.text(),
        Arbitraries.of("true", "false", "job-1,job-2", "job-1, ,job-2"));
    return Arbitraries.maps(name, value.list().ofMaxSize(3)).ofMaxSize(5);
  }
}
