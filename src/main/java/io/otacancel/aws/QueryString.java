package io.otacancel.aws;

import io.otacancel.core.InvalidRequestException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes a raw query string ({@code a=1&b=x%2Fy}) into names and their values, in order. */
final class QueryString {
  private QueryString() {}

  /**
   * @throws InvalidRequestException when a percent-escape is malformed
   */
  static Map<String, List<String>> parse(String raw) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return parameters;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      parameters.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }
    return parameters;
  }

  private static String decode(String text) {
    try {
      // URLDecoder also reads '+' as a space: what HTML forms and most clients mean by it.
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(null, "Malformed query string: bad percent-encoding");
    }
  }
}
