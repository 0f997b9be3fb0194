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
    String canonical = RpcSignature.canonicalQuery(signed);
    String signature = RpcSignature.sign(RpcSignature.stringToSign(method, canonical),
        credentials.accessKeySecret());
    String query = canonical + "&Signature=" + RpcSignature.percentEncode(signature);
    return new SignedRequest(method, URI.create(endpoint + "?" + query),
        Collections.emptyMap(), new Masked(method, endpoint, signed, credentials, signature));
  }

  /** The masked request line, built only for a dry run: every real attempt would waste it. */
  private static final class Masked implements SignedRequest.MaskedForm {
    private final String method;
    private final URI endpoint;
    private final TreeMap<String, String> signed;
    private final String maskedAccessKeyId;
    private final String signature;

    Masked(String method, URI endpoint, TreeMap<String, String> signed, Credentials credentials,
        String signature) {
      this.method = method;
      this.endpoint = endpoint;
      this.signed = signed;
      this.maskedAccessKeyId = credentials.maskedAccessKeyId();
      this.signature = signature;
    }

    @Override
    public String render() {
      TreeMap<String, String> shown = new TreeMap<>(signed);
      shown.put("AccessKeyId", maskedAccessKeyId);
      if (shown.containsKey("SecurityToken")) {
        shown.put("SecurityToken", "****");
      }
      // Not the whole signature either: with a long-lived key it would be a replayable request.
      return method + " " + endpoint + "?" + RpcSignature.canonicalQuery(shown)
          + "&Signature=" + RpcSignature.percentEncode(Credentials.mask(signature));
    }
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
