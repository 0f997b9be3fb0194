package io.otacancel.core;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** RPC signature V2: HMAC-SHA1 over the sorted query, every parameter in the query string. */
final class RpcV2Signer implements RequestSigner {
  @Override
  public SignedRequest sign(String method, URI endpoint, Map<String, String> parameters,
      Credentials credentials, Instant now, String nonce) {
    TreeMap<String, String> signed = new TreeMap<>(parameters);
    signed.put("Format", "JSON");
    signed.put("AccessKeyId", credentials.accessKeyId());
    signed.put("SignatureMethod", "HMAC-SHA1");
    signed.put("SignatureVersion", "1.0");
    signed.put("SignatureNonce", nonce);
    signed.put("Timestamp", timestamp(now));
    if (credentials.securityToken() != null) {
      signed.put("SecurityToken", credentials.securityToken());
    }
    String signature =
        RpcSignature.signature(method, signed, credentials.accessKeySecret());
    String query = RpcSignature.canonicalQuery(signed)
        + "&Signature=" + RpcSignature.percentEncode(signature);

    TreeMap<String, String> shown = new TreeMap<>(signed);
    shown.put("AccessKeyId", credentials.maskedAccessKeyId());
    if (credentials.securityToken() != null) {
      shown.put("SecurityToken", "****");
    }
    // Not the whole signature either: with a long-lived key it would be a replayable request.
    String masked = method + " " + endpoint + "?" + RpcSignature.canonicalQuery(shown)
        + "&Signature=" + RpcSignature.percentEncode(Credentials.mask(signature));
    return new SignedRequest(method, URI.create(endpoint + "?" + query),
        Collections.emptyMap(), masked);
  }

  /**
   * {@code yyyy-MM-dd'T'HH:mm:ss'Z'} in UTC, built by hand: a DateTimeFormatter costs
   * milliseconds on a cold start.
   */
  static String timestamp(Instant now) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(now.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder out = new StringBuilder(20);
    pad(out, t.getYear(), 4).append('-');
    pad(out, t.getMonthValue(), 2).append('-');
    pad(out, t.getDayOfMonth(), 2).append('T');
    pad(out, t.getHour(), 2).append(':');
    pad(out, t.getMinute(), 2).append(':');
    pad(out, t.getSecond(), 2).append('Z');
    return out.toString();
  }

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }
}
