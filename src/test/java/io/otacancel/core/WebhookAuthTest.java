package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.codec.binary.Hex;
import org.junit.jupiter.api.Test;

class WebhookAuthTest {
  private static final long NOW = 1_764_400_000L;
  private static final String BODY = "{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}";

  @Test
  void rightBearerToken_passes_inAnyHeaderCase() {
    assertNull(auth("WEBHOOK_TOKEN", "tok").check(request("authorization", "Bearer tok"), NOW));
    assertNull(auth("WEBHOOK_TOKEN", "tok").check(request("Authorization", "bearer tok"), NOW));
  }

  @Test
  void wrongOrMissingToken_isRefused() {
    assertEquals("Invalid bearer token",
        auth("WEBHOOK_TOKEN", "tok").check(request("Authorization", "Bearer tok2"), NOW));
    assertEquals("Missing Authorization: Bearer <token> header",
        auth("WEBHOOK_TOKEN", "tok").check(request(), NOW));
  }

  @Test
  void rightHmacSignature_passes() {
    String ts = Long.toString(NOW - 60);
    assertNull(auth("WEBHOOK_SECRET", "s3cret").check(
        request("X-Ota-Timestamp", ts, "X-Ota-Signature", "sha256=" + sign("s3cret", ts)), NOW));
  }

  @Test
  void knownVector_fromTheReadmeCurlRecipe() {
    // printf '%s.%s' 1764400000 "$BODY" | openssl dgst -sha256 -hmac s3cret -hex
    assertEquals(sign("s3cret", "1764400000"), Hex.encodeHexString(
        WebhookAuth.hmacSha256("s3cret".getBytes(StandardCharsets.UTF_8), "1764400000",
            BODY.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void tamperedBody_staleTimestamp_andBadFormats_areRefused() {
    WebhookAuth auth = auth("WEBHOOK_SECRET", "s3cret");
    String ts = Long.toString(NOW);
    String good = "sha256=" + sign("s3cret", ts);
    assertEquals("Invalid X-Ota-Signature", auth.check(signedOver(ts, BODY, BODY + " "), NOW));

    String old = Long.toString(NOW - 301);
    assertEquals("X-Ota-Timestamp is more than 5 minutes away from the server's clock",
        auth.check(request("X-Ota-Timestamp", old, "X-Ota-Signature", "sha256=" + sign("s3cret", old)), NOW));
    String future = Long.toString(NOW + 301);
    assertEquals("X-Ota-Timestamp is more than 5 minutes away from the server's clock",
        auth.check(request("X-Ota-Timestamp", future, "X-Ota-Signature", "sha256=" + sign("s3cret", future)), NOW));
    assertEquals("Missing X-Ota-Timestamp header",
        auth.check(request("X-Ota-Signature", good), NOW));
    assertEquals("X-Ota-Timestamp must be Unix seconds",
        auth.check(request("X-Ota-Timestamp", "yesterday", "X-Ota-Signature", good), NOW));
    assertEquals("X-Ota-Signature must be sha256=<hex>",
        auth.check(request("X-Ota-Timestamp", ts, "X-Ota-Signature", sign("s3cret", ts)), NOW));
    assertEquals("X-Ota-Signature must be sha256=<hex>",
        auth.check(request("X-Ota-Timestamp", ts, "X-Ota-Signature", "sha256=zz"), NOW));
    assertEquals("Missing X-Ota-Signature header", auth.check(request(), NOW));
  }

  @Test
  void aSignature_isAcceptedOnce_andItsReplayRefused() {
    WebhookAuth auth = auth("WEBHOOK_SECRET", "s3cret");
    HttpRequest signed = signed(Long.toString(NOW), BODY);

    assertNull(auth.check(signed, NOW));
    assertEquals("X-Ota-Signature was already used: sign each request afresh, with a new "
        + "X-Ota-Timestamp", auth.check(signed, NOW + 299));
    assertEquals("X-Ota-Timestamp is more than 5 minutes away from the server's clock",
        auth.check(signed, NOW + 301));
    assertNull(auth.check(signed(Long.toString(NOW + 1), BODY), NOW + 1));
  }

  @Test
  void anInvalidSignature_isNotRemembered() {
    WebhookAuth auth = auth("WEBHOOK_SECRET", "s3cret");
    String ts = Long.toString(NOW);
    HttpRequest tampered = signedOver(ts, BODY, BODY + " ");
    assertEquals("Invalid X-Ota-Signature", auth.check(tampered, NOW));
    assertEquals("Invalid X-Ota-Signature", auth.check(tampered, NOW));
    assertNull(auth.check(signed(ts, BODY), NOW));
  }

  @Test
  void rememberedSignatures_areBounded_oldestForgottenFirst() {
    WebhookAuth auth = auth("WEBHOOK_SECRET", "s3cret");
    String ts = Long.toString(NOW);
    HttpRequest first = signed(ts, BODY);
    assertNull(auth.check(first, NOW));
    for (int i = 0; i < WebhookAuth.REMEMBERED_SIGNATURES; i++) {
      assertNull(auth.check(signed(ts, "{\"JobId\":\"job-" + i + "\",\"CancelQueuedTask\":true}"),
          NOW));
    }
    assertNull(auth.check(first, NOW), "the oldest signature was forgotten to make room");
  }

  @Test
  void signaturesPastTheWindow_areForgotten_soTheyNeverPushOutALiveOne() {
    WebhookAuth auth = auth("WEBHOOK_SECRET", "s3cret");
    long live = NOW + 200;
    HttpRequest liveRequest = signed(Long.toString(live), BODY);
    assertNull(auth.check(liveRequest, live));
    for (int i = 1; i < WebhookAuth.REMEMBERED_SIGNATURES; i++) {
      assertNull(auth.check(signed(Long.toString(NOW), "{\"JobId\":\"job-" + i + "\"}"), live));
    }

    long later = NOW + 301; // every signature of NOW has left the window; the live one has not
    assertNull(auth.check(signed(Long.toString(later), BODY), later));
    assertEquals("X-Ota-Signature was already used: sign each request afresh, with a new "
        + "X-Ota-Timestamp", auth.check(liveRequest, later));
  }

  @Test
  void bothConfigured_eitherProofPasses() {
    Map<String, String> env = Map.of("WEBHOOK_TOKEN", "tok", "WEBHOOK_SECRET", "s3cret");
    WebhookAuth auth = WebhookAuth.fromEnv(env);
    String ts = Long.toString(NOW);
    assertNull(auth.check(request("Authorization", "Bearer tok"), NOW));
    assertNull(auth.check(request("X-Ota-Timestamp", ts, "X-Ota-Signature", "sha256=" + sign("s3cret", ts)), NOW));
    assertEquals("Missing credentials: send Authorization: Bearer <token>, or X-Ota-Timestamp "
        + "and X-Ota-Signature", auth.check(request(), NOW));
  }

  @Test
  void bothConfigured_aValidSignature_isNotHiddenBySomeoneElsesAuthorizationHeader() {
    WebhookAuth auth = WebhookAuth.fromEnv(Map.of("WEBHOOK_TOKEN", "tok", "WEBHOOK_SECRET", "s3cret"));
    String ts = Long.toString(NOW);
    assertNull(auth.check(request("Authorization", "Bearer eyJhbGciOi.gateway.jwt",
        "X-Ota-Timestamp", ts, "X-Ota-Signature", "sha256=" + sign("s3cret", ts)), NOW));
  }

  @Test
  void timestampChosenToOverflow_isRefused() {
    String ts = Long.toString(NOW + Long.MIN_VALUE);
    assertEquals("X-Ota-Timestamp is more than 5 minutes away from the server's clock",
        auth("WEBHOOK_SECRET", "s3cret").check(request("X-Ota-Timestamp", ts,
            "X-Ota-Signature", "sha256=" + sign("s3cret", ts)), NOW));
  }

  @Test
  void signedRequestWithAnEmptyBody_isRefused_asItsQueryWouldGoUnsigned() {
    String ts = Long.toString(NOW);
    String emptyBodySignature = Hex.encodeHexString(WebhookAuth.hmacSha256(
        "s3cret".getBytes(StandardCharsets.UTF_8), ts, new byte[0]));
    HttpRequest get = HttpRequest.of("GET", "/", Map.of("X-Ota-Timestamp", ts,
            "X-Ota-Signature", "sha256=" + emptyBodySignature),
        HttpRequest.parseForm("JobId=demo-job-5&CancelQueuedTask=true"), new byte[0]);

    assertEquals("X-Ota-Signature signs the body: send the cancel request as the POST body, "
        + "not in the query", auth("WEBHOOK_SECRET", "s3cret").check(get, NOW));
  }

  @Test
  void configuredTokenWithATrailingNewline_stillMatches() {
    assertNull(auth("WEBHOOK_TOKEN", "tok\n").check(request("Authorization", "Bearer tok"), NOW));
  }

  @Test
  void secretsAreNotTrimmed() {
    String ts = Long.toString(NOW);
    assertEquals("Invalid X-Ota-Signature", auth("WEBHOOK_SECRET", " s3cret").check(
        request("X-Ota-Timestamp", ts, "X-Ota-Signature", "sha256=" + sign("s3cret", ts)), NOW));
  }

  @Test
  void nothingConfigured_refusesEveryone_unlessAuthIsExplicitlyNone() {
    assertEquals("Webhook authentication is not configured: set WEBHOOK_TOKEN or WEBHOOK_SECRET "
        + "(or WEBHOOK_AUTH=none when the trigger itself authenticates callers)",
        WebhookAuth.fromEnv(Map.of()).check(request("Authorization", "Bearer x"), NOW));
    assertNull(WebhookAuth.fromEnv(Map.of("WEBHOOK_AUTH", "none")).check(request(), NOW));
  }

  /** A POST of {@code body} signed with "s3cret" at {@code timestamp}. */
  private static HttpRequest signed(String timestamp, String body) {
    return signedOver(timestamp, body, body);
  }

  /** A POST of {@code sent} carrying a signature over {@code signedBody}. */
  private static HttpRequest signedOver(String timestamp, String signedBody, String sent) {
    String signature = Hex.encodeHexString(WebhookAuth.hmacSha256(
        "s3cret".getBytes(StandardCharsets.UTF_8), timestamp,
        signedBody.getBytes(StandardCharsets.UTF_8)));
    return HttpRequest.of("POST", "/", Map.of("X-Ota-Timestamp", timestamp,
        "X-Ota-Signature", "sha256=" + signature), Map.of(), sent.getBytes(StandardCharsets.UTF_8));
  }

  static String sign(String secret, String timestamp) {
    return Hex.encodeHexString(WebhookAuth.hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
        timestamp, BODY.getBytes(StandardCharsets.UTF_8)));
  }

  private static WebhookAuth auth(String name, String value) {
    return WebhookAuth.fromEnv(Map.of(name, value));
  }

  private static HttpRequest request(String... headerPairs) {
    Map<String, String> headers = new HashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], headerPairs[i + 1]);
    }
    return HttpRequest.of("POST", "/", headers, Map.of(), BODY.getBytes(StandardCharsets.UTF_8));
  }
}
