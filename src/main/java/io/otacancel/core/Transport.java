package io.otacancel.core;

import java.io.IOException;
import java.time.Duration;

/** Sends a signed request and returns the raw answer. */
interface Transport {
  /** An answer: the HTTP status and the body (the error body for 4xx/5xx). */
  final class Answer {
    final int status;
    final byte[] body;

    Answer(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }
  }

  Answer send(SignedRequest request, Duration connectTimeout, Duration readTimeout)
      throws IOException;
}
