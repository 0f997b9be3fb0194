package io.otacancel.core;

import java.net.URI;
import java.util.Collections;
import java.util.Map;

/** A request ready to send: method, full URL and any signed headers. */
final class SignedRequest {
  private final String method;
  private final URI uri;
  private final Map<String, String> headers;
  private final String masked;

  SignedRequest(String method, URI uri, Map<String, String> headers, String masked) {
    this.method = method;
    this.uri = uri;
    this.headers = Collections.unmodifiableMap(headers);
    this.masked = masked;
  }

  String method() {
    return method;
  }

  URI uri() {
    return uri;
  }

  Map<String, String> headers() {
    return headers;
  }

  /** The request line with the AccessKey id masked and the security token hidden. */
  String masked() {
    return masked;
  }

  @Override
  public String toString() {
    return masked;
  }
}
