package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Answers IoT gives rarely: no Code, no message, nothing at all that says what happened. */
class IotAnswerTest {
  private static final Credentials CREDENTIALS = Credentials.of("id", "secret");

  @Test
  void success_isNeverRetried() {
    IotAnswer answer = read(200, "{\"RequestId\":\"r\",\"Success\":true}");

    assertTrue(answer.success);
    assertNull(answer.code);
    assertFalse(answer.retryable());
  }

  @Test
  void failureWithoutCode_isAnUnknownError_sayingSo() {
    IotAnswer answer = read(200, "{\"RequestId\":\"r\",\"Success\":false}");

    assertFalse(answer.success);
    assertEquals("UnknownError", answer.code);
    assertEquals("IoT answered Success: false without a Code", answer.message);
    assertEquals("r", answer.requestId);
    assertFalse(answer.retryable(), "IoT answered: trying again would get the same answer");
  }

  @Test
  void failureWithoutCode_keepsIotsOwnMessage() {
    IotAnswer answer = read(200, "{\"Success\":false,\"ErrorMessage\":\"job is finished\"}");

    assertEquals("UnknownError", answer.code);
    assertEquals("job is finished", answer.message);
  }

  @Test
  void answerWithNeitherSuccessNorCode_isAnInvalidResponse() {
    IotAnswer answer = read(200, "{\"RequestId\":\"r\"}");

    assertFalse(answer.success);
    assertEquals(IotAnswer.INVALID_RESPONSE, answer.code);
    assertEquals("The endpoint answered HTTP 200 without Success or Code", answer.message);
    assertFalse(answer.retryable());
    assertTrue(read(503, "{}").retryable(), "a 5xx may pass later, whatever its body");
  }

  private static IotAnswer read(int status, String body) {
    return IotAnswer.read(status, body.getBytes(StandardCharsets.UTF_8), CREDENTIALS);
  }
}
