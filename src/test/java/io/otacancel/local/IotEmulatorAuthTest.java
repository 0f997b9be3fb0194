package io.otacancel.local;

import static io.otacancel.local.IotEmulatorTest.assertGatewayError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otacancel.core.Credentials;
import io.otacancel.local.SignedRequest.Response;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Authentication and the quota, against the default 5 calls/s and a clock the tests move. */
class IotEmulatorAuthTest {
  private static final Instant START = Instant.parse("2024-05-01T08:00:00Z");
  private static final MutableClock clock = new MutableClock(START);
  @AutoClose
  private static final IotEmulator emulator = IotEmulator.builder().clock(clock).start();

  @BeforeEach
  void reset() {
    clock.set(START);
    emulator.reset();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Action", "Version", "AccessKeyId", "SignatureMethod",
      "SignatureVersion", "SignatureNonce", "Timestamp", "Signature"})
  void missingCommonParameter_isMissingParameter(String name) {
    Response response = cancel().without(name).post();

    assertGatewayError(response, 400, "MissingParameter");
    assertEquals("The input parameter \"" + name + "\" that is mandatory for processing this"
        + " request is not supplied.", response.json().get("Message").asText());
  }

  @ParameterizedTest
  @CsvSource({"Version, 2017-04-20", "SignatureMethod, HMAC-SHA256", "SignatureVersion, 2.0",
      "Format, YAML"})
  void unsupportedCommonParameter_isInvalidParameter(String name, String value) {
    Response response = cancel().with(name, value).post();

    assertGatewayError(response, 400, "InvalidParameter");
    assertEquals("The specified parameter \"" + name + "\" is not valid.",
        response.json().get("Message").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "XML"})
  void formatOtherThanJson_isAcceptedAndAnsweredInJson(String format) {
    Response response = cancel().with("Format", format).post();

    assertTrue(response.success(), response.toString());
  }

  @Test
  void badSignature_echoesTheServerStringToSign() {
    SignedRequest request = cancel().signedWith("not-the-secret");

    Response response = request.post();

    assertGatewayError(response, 400, "SignatureDoesNotMatch");
    assertEquals("Specified signature is not matched with our calculation. server string to sign"
        + " is:" + request.stringToSign("POST"), response.json().get("Message").asText());
  }

  @Test
  void parameterChangedAfterSigning_failsTheSignature() {
    Response response = cancel().tampered("JobId", "demo-job-2").post();

    assertGatewayError(response, 400, "SignatureDoesNotMatch");
    assertEquals(IotEmulatorTest.counts("QUEUED", 4, "NOTIFIED", 3, "IN_PROGRESS", 5, "CONFIRM", 2,
        "SUCCEEDED", 6, "FAILED", 7, "CANCELED", 1), emulator.taskCounts("demo-job-2"));
  }

  @Test
  void postSignature_sentAsGet_failsTheSignature() {
    SignedRequest request = cancel();

    Response response = request.tampered("Signature", request.signature("POST")).get();

    assertGatewayError(response, 400, "SignatureDoesNotMatch");
    assertTrue(response.json().get("Message").asText().endsWith(request.stringToSign("GET")));
  }

  @Test
  void unknownAccessKeyId_isNotFound() {
    Response response = SignedRequest.cancel(emulator,
        Credentials.of("LTAIsomeoneElse", "their-secret"), clock, "demo-job-1",
        "CancelQueuedTask").post();

    assertGatewayError(response, 404, "InvalidAccessKeyId.NotFound");
    assertEquals("Specified access key is not found.", response.json().get("Message").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2024-05-01 08:00:00", "2024-05-01T08:00:00.000Z",
      "2024-05-01T08:00:00+08:00", "2024-13-01T08:00:00Z", "1714550400"})
  void malformedTimestamp_isInvalidTimeStampFormat(String timestamp) {
    Response response = cancel().with("Timestamp", timestamp).post();

    assertGatewayError(response, 400, "InvalidTimeStamp.Format");
    assertEquals("Specified time stamp or date value is not well formatted.",
        response.json().get("Message").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2024-05-01T07:44:59Z", "2024-05-01T08:15:01Z"})
  void timestampMoreThan15MinutesOff_isExpired(String timestamp) {
    Response response = cancel().with("Timestamp", timestamp).post();

    assertGatewayError(response, 400, "InvalidTimeStamp.Expired");
    assertEquals("Specified time stamp or date value is expired.",
        response.json().get("Message").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2024-05-01T07:45:00Z", "2024-05-01T08:15:00Z"})
  void timestampUpTo15MinutesOff_isAccepted(String timestamp) {
    Response response = cancel().with("Timestamp", timestamp).post();

    assertTrue(response.success(), response.toString());
  }

  @Test
  void reusedNonce_isRejected() {
    SignedRequest request = cancel();
    assertTrue(request.post().success());

    Response replay = request.post();

    assertGatewayError(replay, 400, "SignatureNonceUsed");
    assertEquals("Specified signature nonce was used already.",
        replay.json().get("Message").asText());
  }

  @Test
  void reusedNonce_isRejectedWhateverElseChanged() {
    SignedRequest first = cancel();
    first.post();
    clock.advance(Duration.ofMinutes(20));

    Response later = cancel().with("JobId", "demo-job-2")
        .with("SignatureNonce", first.parameter("SignatureNonce")).get();

    assertGatewayError(later, 400, "SignatureNonceUsed");
  }

  @Test
  void reusedNonce_isAcceptedOnceNoRequestCarryingItCouldBeOnTime() {
    SignedRequest first = cancel();
    first.post();
    clock.advance(Duration.ofMinutes(31));

    Response later = cancel().with("SignatureNonce", first.parameter("SignatureNonce")).post();

    assertTrue(later.success(), later.toString());
  }

  @Test
  void quota_allowsFiveCallsThenThrottles() {
    for (int i = 1; i <= 5; i++) {
      assertTrue(cancel().post().success(), "call " + i);
    }

    Response sixth = cancel().post();

    assertGatewayError(sixth, 400, "Throttling.User");
    assertEquals("Request was denied due to user flow control.",
        sixth.json().get("Message").asText());
  }

  @Test
  void quota_refillsOneCallEvery200Milliseconds() {
    useUpQuota();

    clock.advance(Duration.ofMillis(199));
    assertGatewayError(cancel().post(), 400, "Throttling.User");
    clock.advance(Duration.ofMillis(1));
    assertTrue(cancel().post().success());
    assertGatewayError(cancel().post(), 400, "Throttling.User");
    clock.advance(Duration.ofSeconds(10));
    for (int i = 1; i <= 5; i++) {
      assertTrue(cancel().post().success(), "call " + i + " after a full refill");
    }
    assertGatewayError(cancel().post(), 400, "Throttling.User");
  }

  @Test
  void quota_isSharedByTheAccountsKeys() {
    useUpQuota();

    Response sts = SignedRequest.cancel(emulator, emulator.demoStsCredentials(), clock,
        "demo-job-1", "CancelQueuedTask").post();

    assertGatewayError(sts, 400, "Throttling.User");
  }

  @Test
  void throttledCall_usesUpItsNonce() {
    useUpQuota();
    SignedRequest throttled = cancel();
    assertGatewayError(throttled.post(), 400, "Throttling.User");
    clock.advance(Duration.ofSeconds(1));

    assertGatewayError(throttled.post(), 400, "SignatureNonceUsed");
  }

  @Test
  void rejectedCalls_doNotUseTheQuota() {
    for (int i = 0; i < 10; i++) {
      assertGatewayError(cancel().signedWith("wrong").post(), 400, "SignatureDoesNotMatch");
    }

    assertTrue(cancel().post().success());
  }

  private static void useUpQuota() {
    for (int i = 0; i < 5; i++) {
      cancel().post();
    }
  }

  private static SignedRequest cancel() {
    return SignedRequest.cancel(emulator, clock, "demo-job-1", "CancelQueuedTask");
  }
}
