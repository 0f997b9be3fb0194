package io.otacancel.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.codec.DecoderException;
import org.apache.commons.codec.binary.Hex;

/**
 * How HTTP (webhook) callers prove who they are. On by default:
 *
 * <ul>
 *   <li>{@code WEBHOOK_TOKEN}: {@code Authorization: Bearer <token>};
 *   <li>{@code WEBHOOK_SECRET}: {@code X-Ota-Timestamp: <unix seconds>} and {@code
 *       X-Ota-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">}, within 5 minutes,
 *       each signature accepted once per instance;
 *   <li>both set: either proof is accepted;
 *   <li>neither set: every HTTP request is refused, unless {@code WEBHOOK_AUTH=none} says the
 *       cloud's own trigger authentication guards the function.
 * </ul>
 *
 * Comparisons take constant time. The token and secret never leave this class.
 */
final class WebhookAuth {
  /** How far {@code X-Ota-Timestamp} may be from the function's clock. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(5);

  /**
   * How many accepted signatures an instance remembers. Only valid signatures are remembered, so
   * only the holder of the secret can fill it; past this the oldest are forgotten first.
   */
  static final int REMEMBERED_SIGNATURES = 10_000;

  private final byte[] tokenDigest;
  private final byte[] secret;
  private final boolean disabled;
  /** Signatures accepted within the window (hex, to the timestamp they carry), oldest first. */
  private final Map<String, Long> accepted = new LinkedHashMap<>();

  private WebhookAuth(byte[] tokenDigest, byte[] secret, boolean disabled) {
    this.tokenDigest = tokenDigest;
    this.secret = secret;
    this.disabled = disabled;
  }

  static WebhookAuth fromEnv(Map<String, String> env) {
    // A bearer token has no spaces (RFC 6750), so surrounding whitespace (a secrets file's
    // trailing newline) is trimmed as the presented token is. The HMAC secret is taken as it is.
    String token = OtaCancelConfig.blankToNull(env.get("WEBHOOK_TOKEN"));
    String secret = blankToNull(env.get("WEBHOOK_SECRET"));
    String mode = OtaCancelConfig.blankToNull(env.get("WEBHOOK_AUTH"));
    boolean disabled = false;
    if (mode != null) {
      if (!mode.equalsIgnoreCase("none")) {
        throw new ConfigurationException("WEBHOOK_AUTH may only be 'none': " + mode);
      }
      if (token != null || secret != null) {
        throw new ConfigurationException(
            "WEBHOOK_AUTH=none contradicts WEBHOOK_TOKEN / WEBHOOK_SECRET: unset one of them");
      }
      disabled = true;
    }
    return new WebhookAuth(token == null ? null : sha256(token.getBytes(StandardCharsets.UTF_8)),
        secret == null ? null : secret.getBytes(StandardCharsets.UTF_8), disabled);
  }

  /**
   * Checks one HTTP request.
   *
   * @param request the request; its body exactly as received (after Base64 decoding)
   * @param nowEpochSeconds the function's clock
   * @return null when the request may proceed, otherwise why it may not
   */
  public String check(HttpRequest request, long nowEpochSeconds) {
    if (disabled) {
      return null;
    }
    if (tokenDigest == null && secret == null) {
      return "Webhook authentication is not configured: set WEBHOOK_TOKEN or WEBHOOK_SECRET "
          + "(or WEBHOOK_AUTH=none when the trigger itself authenticates callers)";
    }
    // A signature is checked first: with both configured, an Authorization header meant for
    // someone else (a gateway's JWT) must not hide a valid signature.
    if (secret != null && request.header("X-Ota-Signature") != null) {
      return checkSignature(request, nowEpochSeconds);
    }
    String bearer = bearer(request.header("Authorization"));
    if (tokenDigest != null && bearer != null) {
      return MessageDigest.isEqual(tokenDigest, sha256(bearer.getBytes(StandardCharsets.UTF_8)))
          ? null : "Invalid bearer token";
    }
    if (secret != null && tokenDigest != null) {
      return "Missing credentials: send Authorization: Bearer <token>, or X-Ota-Timestamp and "
          + "X-Ota-Signature";
    }
    return secret != null ? "Missing X-Ota-Signature header"
        : "Missing Authorization: Bearer <token> header";
  }

  private String checkSignature(HttpRequest request, long nowEpochSeconds) {
    if (request.body().length == 0) {
      // The signature covers the body only: a request read from the query would be unsigned.
      return "X-Ota-Signature signs the body: send the cancel request as the POST body, "
          + "not in the query";
    }
    String timestamp = request.header("X-Ota-Timestamp");
    if (timestamp == null) {
      return "Missing X-Ota-Timestamp header";
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return "X-Ota-Timestamp must be Unix seconds";
    }
    // Compared without subtracting sentAt, which a caller could pick to overflow.
    if (sentAt < nowEpochSeconds - MAX_SKEW.getSeconds()
        || sentAt > nowEpochSeconds + MAX_SKEW.getSeconds()) {
      return "X-Ota-Timestamp is more than 5 minutes away from the server's clock";
    }
    String signature = request.header("X-Ota-Signature").trim();
    if (!signature.startsWith("sha256=")) {
      return "X-Ota-Signature must be sha256=<hex>";
    }
    byte[] given;
    try {
      given = Hex.decodeHex(signature.substring("sha256=".length()));
    } catch (DecoderException e) {
      return "X-Ota-Signature must be sha256=<hex>";
    }
    byte[] expected = hmacSha256(secret, timestamp.trim(), request.body());
    if (!MessageDigest.isEqual(expected, given)) {
      return "Invalid X-Ota-Signature";
    }
    return firstUse(Hex.encodeHexString(expected), sentAt, nowEpochSeconds) ? null
        : "X-Ota-Signature was already used: sign each request afresh, with a new X-Ota-Timestamp";
  }

  /**
   * Remembers a valid signature until its timestamp leaves the window, so that a captured request
   * cannot be sent to this instance again. Other instances do not share the memory: this narrows
   * replays, the timestamp window bounds them.
   */
  private synchronized boolean firstUse(String signature, long sentAt, long nowEpochSeconds) {
    long oldestValid = nowEpochSeconds - MAX_SKEW.getSeconds();
    // No lambda: the first one of a JVM costs the cold start tens of milliseconds.
    for (Iterator<Long> timestamps = accepted.values().iterator(); timestamps.hasNext(); ) {
      if (timestamps.next() < oldestValid) {
        timestamps.remove();
      }
    }
    if (accepted.containsKey(signature)) {
      return false;
    }
    if (accepted.size() >= REMEMBERED_SIGNATURES) {
      accepted.remove(accepted.keySet().iterator().next());
    }
    accepted.put(signature, sentAt);
    return true;
  }

  /** HMAC-SHA256 of {@code "<timestamp>.<body>"}: what callers compute. */
  static byte[] hmacSha256(byte[] key, String timestamp, byte[] body) {
    return Hmac.sha256(key, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
  }

  private static String blankToNull(String value) {
    return value == null || value.trim().isEmpty() ? null : value;
  }

  private static String bearer(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.trim();
    if (value.length() > 7 && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return value.substring(7).trim();
    }
    return null;
  }

  private static byte[] sha256(byte[] value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    if (disabled) {
      return "none";
    }
    if (tokenDigest == null && secret == null) {
      return "unconfigured";
    }
    return (tokenDigest != null ? "token" : "") + (tokenDigest != null && secret != null
        ? "+" : "") + (secret != null ? "hmac" : "");
  }
}
