package io.otacancel.local;

import static io.otacancel.local.IotEmulatorTest.assertGatewayError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otacancel.local.SignedRequest.Response;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IotEmulatorFaultTest {
  private static final Clock CLOCK = Clock.systemUTC();
  private static final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
  @AutoClose
  private static final IotEmulator emulator =
      IotEmulator.builder().callsPerSecond(1_000).log(log::add).start();
  private static final Map<String, Integer> initial = emulator.taskCounts("demo-job-1");

  @BeforeEach
  void reset() {
    emulator.reset();
    log.clear();
  }

  @Test
  void throttling_answersTheNextCallsThenLetsThrough() {
    emulator.inject(3, Fault.throttling());

    for (int i = 0; i < 3; i++) {
      Response throttled = cancel().post();
      assertGatewayError(throttled, 400, "Throttling.User");
      assertEquals("Request was denied due to user flow control.",
          throttled.json().get("Message").asText());
    }
    assertTrue(cancel().post().success());
    assertEquals(4, emulator.calls().stream()
        .map(call -> call.parameters().get("SignatureNonce")).distinct().count());
    assertEquals("emulator: demo-job-1: 400 Throttling.User (injected)",
        List.copyOf(log).get(0));
  }

  @Test
  void gatewayError_isAnsweredWithItsStatusAndChangesNothing() {
    emulator.inject(1, Fault.gatewayError(500, "InternalError",
        "The request processing has failed due to some unknown error."));
    emulator.inject(1, Fault.gatewayError(503, "ServiceUnavailable",
        "The request has failed due to a temporary failure of the server."));

    Response internal = cancel().post();
    Response unavailable = cancel().post();

    assertGatewayError(internal, 500, "InternalError");
    assertEquals("The request processing has failed due to some unknown error.",
        internal.json().get("Message").asText());
    assertGatewayError(unavailable, 503, "ServiceUnavailable");
    assertEquals(initial, emulator.taskCounts("demo-job-1"));
  }

  @Test
  void systemException_isABusinessFailureWithHttp200() {
    emulator.inject(1, Fault.systemException());

    Response response = cancel().post();

    assertEquals(200, response.status());
    assertFalse(response.success());
    assertEquals("iot.system.SystemException", response.code());
    assertEquals("系统异常", response.json().get("ErrorMessage").asText());
    assertEquals(initial, emulator.taskCounts("demo-job-1"));
  }

  @Test
  void businessError_carriesTheGivenCode() {
    emulator.inject(1, Fault.businessError("iot.system.InstanceNotFound",
        "The specified instance does not exist."));

    Response response = cancel().post();

    assertEquals(200, response.status());
    assertEquals("iot.system.InstanceNotFound", response.code());
    assertEquals("The specified instance does not exist.",
        response.json().get("ErrorMessage").asText());
  }

  @Test
  void delay_holdsTheAnswerBack() {
    emulator.inject(1, Fault.delay(Duration.ofMillis(300)));

    long start = System.nanoTime();
    Response response = cancel().post();

    assertTrue(System.nanoTime() - start >= 300_000_000L);
    assertTrue(response.success(), response.toString());
    assertTrue(List.copyOf(log).get(0).endsWith("(injected delay PT0.3S)"), log.toString());
  }

  @Test
  void delay_letsTheCancelHappenBeforeTheClientGivesUp() {
    emulator.inject(1, Fault.delay(Duration.ofSeconds(2)));

    UncheckedIOException timeout = assertThrows(UncheckedIOException.class,
        () -> cancel().readTimeoutMillis(200).post());

    assertTrue(timeout.getCause() instanceof SocketTimeoutException, timeout.toString());
    assertEquals(5, emulator.taskCounts("demo-job-1").get("CANCELED"));
  }

  @Test
  void malformed_isAnHtmlPageWithStatus502() {
    emulator.inject(1, Fault.malformed());

    Response response = cancel().post();

    assertEquals(502, response.status());
    assertEquals("text/html", response.contentType());
    assertTrue(response.body().startsWith("<html>"), response.body());
    assertEquals(initial, emulator.taskCounts("demo-job-1"));
    assertEquals(List.of("emulator: demo-job-1: 502 Bad Gateway page (injected)"),
        List.copyOf(log));
  }

  @Test
  void dropConnection_closesWithoutAnswerAndChangesNothing() {
    emulator.inject(1, Fault.dropConnection());

    assertThrows(UncheckedIOException.class, () -> cancel().post());

    assertEquals(initial, emulator.taskCounts("demo-job-1"));
    assertEquals(0, emulator.calls().get(0).status());
    assertEquals(List.of("emulator: demo-job-1: connection dropped (injected)"),
        List.copyOf(log));
    assertTrue(cancel().post().success());
  }

  @Test
  void faults_comeInTheOrderInjected() {
    emulator.inject(1, Fault.systemException());
    emulator.inject(2, Fault.throttling());

    assertEquals("iot.system.SystemException", cancel().post().code());
    assertEquals("Throttling.User", cancel().post().code());
    assertEquals("Throttling.User", cancel().post().code());
    assertTrue(cancel().post().success());
  }

  @Test
  void faults_waitForAnAuthenticatedCall() {
    emulator.inject(1, Fault.throttling());

    assertGatewayError(cancel().signedWith("wrong").post(), 400, "SignatureDoesNotMatch");
    assertGatewayError(cancel().post(), 400, "Throttling.User");
  }

  @Test
  void faultedCall_usesUpItsNonce() {
    emulator.inject(1, Fault.gatewayError(503, "ServiceUnavailable", "Try again."));
    SignedRequest request = cancel();
    request.post();

    assertGatewayError(request.post(), 400, "SignatureNonceUsed");
  }

  @Test
  void reset_dropsUnusedFaults() {
    emulator.inject(2, Fault.throttling());

    emulator.reset();

    assertTrue(cancel().post().success());
  }

  @Test
  void invalidFaults_areRefused() {
    assertThrows(IllegalArgumentException.class, () -> emulator.inject(-1, Fault.throttling()));
    assertThrows(IllegalArgumentException.class, () -> Fault.gatewayError(200, "Ok", "ok"));
    assertThrows(IllegalArgumentException.class, () -> Fault.delay(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> Fault.businessError(null, "message"));
  }

  private static SignedRequest cancel() {
    return SignedRequest.cancel(emulator, CLOCK, "demo-job-1", "CancelQueuedTask");
  }
}
