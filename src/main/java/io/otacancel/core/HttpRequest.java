package io.otacancel.core;

import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP request as every trigger delivers it once its platform's envelope is taken off: method,
 * path, headers (looked up case-insensitively), query parameters and the raw body.
 */
public final class HttpRequest {
  private final String method;
  private final String path;
  private final Map<String, String> headers;
  private final Map<String, List<String>> query;
  private final byte[] body;

  private HttpRequest(String method, String path, Map<String, String> headers,
      Map<String, List<String>> query, byte[] body) {
    this.method = method;
    this.path = path;
    this.headers = headers;
    this.query = query;
    this.body = body;
  }

  /**
   * A request.
   *
   * @param headers header values; repeated headers comma-joined, as API Gateway and FC deliver them
   * @param query query parameters; a name may repeat
   * @param body the raw body, after any Base64 decoding; empty when there is none
   */
  public static HttpRequest of(String method, String path, Map<String, String> headers,
      Map<String, List<String>> query, byte[] body) {
    Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byName.putAll(headers);
    return new HttpRequest(method == null ? "" : method.toUpperCase(Locale.ROOT),
        path == null ? "/" : path, Collections.unmodifiableMap(byName),
        Collections.unmodifiableMap(new LinkedHashMap<>(query)), body == null ? new byte[0] : body);
  }

  /**
   * Decodes {@code application/x-www-form-urlencoded} text: a form body or a raw query string.
   *
   * @throws InvalidRequestException on bad percent-encoding
   */
  public static Map<String, List<String>> parseForm(String text) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    if (text == null) {
      return parameters;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      List<String> values = parameters.get(name);
      if (values == null) {
        values = new ArrayList<>(1);
        parameters.put(name, values);
      }
      values.add(value);
    }
    return parameters;
  }

  /**
   * The raw body an HTTP event carries as text: Base64-decoded when the event says so, UTF-8
   * otherwise; empty when there is none. Every platform's HTTP event marks it the same way.
   *
   * @throws InvalidRequestException when it is marked Base64 but is not
   */
  public static byte[] decodeBody(String body, boolean base64Encoded) {
    if (body == null) {
      return new byte[0];
    }
    if (!base64Encoded) {
      return body.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(null,
          "The body is not valid Base64, although isBase64Encoded is true");
    }
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, "UTF-8");
    } catch (IllegalArgumentException | UnsupportedEncodingException e) {
      throw new InvalidRequestException(null, "Malformed form or query: bad percent-encoding");
    }
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  /** The value of a header, its name in any case, or null. */
  public String header(String name) {
    return headers.get(name);
  }

  public Map<String, List<String>> query() {
    return query;
  }

  /** The raw body; callers must not change it. */
  public byte[] body() {
    return body;
  }
}
