package io.otacancel.core;

import java.net.URI;
import java.util.Collections;
import java.util.Map;

/** A request ready to send: method, full URL and any signed headers. */
final class SignedRequest {
  /** Writes the request with its secrets masked, only when someone asks (a dry run). */
  interface MaskedForm {
    String render();
  }

  private final String method;
  private final URI uri;
  private final Map<String, String> headers;
  private final MaskedForm masked;

  SignedRequest(String method, URI uri, Map<String, String> headers, MaskedForm masked) {
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

  /** The request line with the AccessKey id and the signature masked, the token hidden. */
  String masked() {
    return masked.render();
  }

  @Override
  public String toString() {
    return masked();
  }
}
