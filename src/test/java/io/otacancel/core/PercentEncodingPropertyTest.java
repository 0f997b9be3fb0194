package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyuncs.auth.AcsURLEncoder;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/** {@link RpcSignature#percentEncode} over generated text, with the official SDK as oracle. */
class PercentEncodingPropertyTest {
  /** RFC 3986 unreserved characters, or a percent sign and two uppercase hex digits. */
  private static final Pattern ENCODED = Pattern.compile("([A-Za-z0-9_.~-]|%[0-9A-F]{2})*");

  @Property(tries = 200)
  void percentEncoding_roundTrips(@ForAll("unicode") String text) {
    // '+' is never emitted (asserted below), so URLDecoder's '+'-as-space rule cannot interfere.
    assertEquals(text, URLDecoder.decode(RpcSignature.percentEncode(text), StandardCharsets.UTF_8));
  }

  @Property(tries = 200)
  void percentEncoding_emitsOnlyUnreservedCharactersAndUppercaseEscapes(
      @ForAll("unicode") String text) {
    String encoded = RpcSignature.percentEncode(text);

    assertTrue(ENCODED.matcher(encoded).matches(), encoded);
  }

  @Property(tries = 200)
  void percentEncoding_agreesWithTheOfficialSdk(@ForAll("unicode") String text)
      throws UnsupportedEncodingException {
    assertEquals(AcsURLEncoder.percentEncode(text), RpcSignature.percentEncode(text));
  }

  /**
   * Ill-formed UTF-16 (a lone surrogate) cannot round-trip through UTF-8; both encoders turn it
   * into {@code ?} the same way, so a signature over it still matches the SDK's.
   */
  @Property(tries = 200)
  void percentEncoding_ofAnyCharSequence_agreesWithTheOfficialSdk(
      @ForAll("anyChars") String text) throws UnsupportedEncodingException {
    assertEquals(AcsURLEncoder.percentEncode(text), RpcSignature.percentEncode(text));
  }

  /**
   * Well-formed Unicode: code points of every plane (so surrogate pairs), weighted towards what
   * an encoder is most likely to get wrong: controls, reserved characters, '*', '~', space, '+'.
   */
  @Provide
  static Arbitrary<String> unicode() {
    Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
        weighted(3, Arbitraries.of(chars(" +*~%&=/?#[]@!$'(),;:\"<>\\^`{|}-_."))),
        weighted(2, Arbitraries.integers().between(0, 0x7F)),
        weighted(1, Arbitraries.of(0x80, 0x9F, 0xA0, 0xFF, 0x7FF, 0x800, 0xFEFF, 0xFFFD, 0xFFFF)),
        weighted(2, Arbitraries.integers().between(0x80, 0xFFFF)
            .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)),
        weighted(2, Arbitraries.integers().between(Character.MIN_SUPPLEMENTARY_CODE_POINT,
            Character.MAX_CODE_POINT)));
    return codePoints.list().ofMaxSize(40).map(PercentEncodingPropertyTest::text);
  }

  /** Any UTF-16 code units, lone surrogates included. */
  @Provide
  static Arbitrary<String> anyChars() {
    return Arbitraries.strings().all().ofMaxLength(40);
  }

  private static Tuple2<Integer, Arbitrary<? extends Integer>> weighted(int weight,
      Arbitrary<Integer> codePoints) {
    return Tuple.of(weight, codePoints);
  }

  private static Integer[] chars(String text) {
    return text.codePoints().boxed().toArray(Integer[]::new);
  }

  private static String text(List<Integer> codePoints) {
    StringBuilder text = new StringBuilder();
    codePoints.forEach(text::appendCodePoint);
    return text.toString();
  }
}
