package io.otacancel.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What the emulator answers to one call, before the per-call request id is filled in.
 *
 * <p>Three shapes, as the real service has them: the IoT result with {@code Success} (HTTP 200,
 * for successes and business failures), the API gateway's error ({@code Code} and {@code Message},
 * HTTP 4xx/5xx), and an HTML page from a proxy, which is not JSON at all.
 */
final class Answer {
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final String JSON_TYPE = "application/json;charset=utf-8";
  // What a failing front proxy (Tengine) sends; clients must not try to parse it as JSON.
  private static final byte[] BAD_GATEWAY_PAGE = ("<html>\r\n<head><title>502 Bad Gateway</title>"
      + "</head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine"
      + "</center>\r\n</body>\r\n</html>\r\n").getBytes(StandardCharsets.UTF_8);

  private enum Shape { RESULT, GATEWAY_ERROR, HTML }

  private final Shape shape;
  private final int status;
  private final String code;
  private final String message;

  private Answer(Shape shape, int status, String code, String message) {
    this.shape = shape;
    this.status = status;
    this.code = code;
    this.message = message;
  }

  /** {@code {"RequestId":..,"Success":true}}; {@code report} says what the call changed. */
  static Answer success(String report) {
    return new Answer(Shape.RESULT, 200, null, report);
  }

  /** {@code {"RequestId":..,"Success":false,"Code":..,"ErrorMessage":..}} with HTTP 200. */
  static Answer businessError(String code, String message) {
    return new Answer(Shape.RESULT, 200, code, message);
  }

  /** {@code {"RequestId":..,"HostId":..,"Code":..,"Message":..}}. */
  static Answer gatewayError(int status, String code, String message) {
    return new Answer(Shape.GATEWAY_ERROR, status, code, message);
  }

  /** A proxy's HTML error page with HTTP 502. */
  static Answer badGatewayPage() {
    return new Answer(Shape.HTML, 502, null, null);
  }

  int status() {
    return status;
  }

  /** The {@code Code} in the body, or null when it has none (a success or the HTML page). */
  String code() {
    return code;
  }

  String contentType() {
    return shape == Shape.HTML ? "text/html" : JSON_TYPE;
  }

  /** This answer for the log: what the call changed, or the status and code. */
  String report() {
    if (shape == Shape.HTML) {
      return status + " Bad Gateway page";
    }
    return code == null ? message : status + " " + code;
  }

  byte[] body(String requestId, String hostId) {
    if (shape == Shape.HTML) {
      return BAD_GATEWAY_PAGE;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("RequestId", requestId);
      if (shape == Shape.GATEWAY_ERROR) {
        json.writeStringField("HostId", hostId);
        json.writeStringField("Code", code);
        json.writeStringField("Message", message);
      } else {
        json.writeBooleanField("Success", code == null);
        if (code != null) {
          json.writeStringField("Code", code);
          json.writeStringField("ErrorMessage", message);
        }
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to memory", e);
    }
    return out.toByteArray();
  }
}
