package io.otacancel.core;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.SortedMap;

/**
 * Alibaba Cloud's RPC signature "V2" ({@code SignatureMethod=HMAC-SHA1}, {@code SignatureVersion=1.0}).
 *
 * <p>Public because both sides of the protocol need it: the client signs with it and the local
 * emulator verifies with it. Everything here is a pure function of its arguments.
 */
public final class RpcSignature {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private RpcSignature() {}

  /**
   * RFC 3986 percent-encoding of the UTF-8 bytes: only {@code A-Z a-z 0-9 - _ . ~} stay as they
   * are, so a space is {@code %20} and {@code *} is {@code %2A}.
   */
  public static String percentEncode(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  /**
   * The canonical query: every parameter but {@code Signature}, sorted by name (ordinal order),
   * each as {@code encode(name)=encode(value)}, joined with {@code &}.
   */
  public static String canonicalQuery(SortedMap<String, String> parameters) {
    StringBuilder query = new StringBuilder(512);
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      if (parameter.getKey().equals("Signature")) {
        continue;
      }
      if (query.length() > 0) {
        query.append('&');
      }
      query.append(percentEncode(parameter.getKey())).append('=')
          .append(percentEncode(parameter.getValue()));
    }
    return query.toString();
  }

  /** {@code METHOD&%2F&encode(canonicalQuery)}. */
  public static String stringToSign(String httpMethod, SortedMap<String, String> parameters) {
    return stringToSign(httpMethod, canonicalQuery(parameters));
  }

  /** The string to sign for an already built {@link #canonicalQuery}. */
  public static String stringToSign(String httpMethod, String canonicalQuery) {
    return httpMethod + "&%2F&" + percentEncode(canonicalQuery);
  }

  /** Base64 HMAC-SHA1 of the string to sign, keyed with {@code secret + "&"}. */
  public static String sign(String stringToSign, String accessKeySecret) {
    return Base64.getEncoder().encodeToString(Hmac.sha1(
        (accessKeySecret + "&").getBytes(StandardCharsets.UTF_8),
        stringToSign.getBytes(StandardCharsets.UTF_8)));
  }

  /** The signature of a request with these parameters. */
  public static String signature(
      String httpMethod, SortedMap<String, String> parameters, String accessKeySecret) {
    return sign(stringToSign(httpMethod, parameters), accessKeySecret);
  }
}
