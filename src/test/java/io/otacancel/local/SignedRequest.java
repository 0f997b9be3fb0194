package io.otacancel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otacancel.core.Credentials;
import io.otacancel.core.RpcSignature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A {@code CancelOTATaskByJob} call signed with {@link RpcSignature}, sent over {@link
 * HttpURLConnection}. Every send signs again with the same parameters, nonce included, so sending
 * twice replays the call.
 */
final class SignedRequest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final URI endpoint;
  private final SortedMap<String, String> parameters = new TreeMap<>();
  private final Map<String, String> afterSigning = new TreeMap<>();
  private final Set<String> omitted = new HashSet<>();
  private String secret;
  private int readTimeoutMillis = 5_000;

  private SignedRequest(URI endpoint, Credentials credentials, Clock clock) {
    this.endpoint = endpoint;
    this.secret = credentials.accessKeySecret();
    parameters.put("Action", "CancelOTATaskByJob");
    parameters.put("Version", "2018-01-20");
    parameters.put("Format", "JSON");
    parameters.put("AccessKeyId", credentials.accessKeyId());
    parameters.put("SignatureMethod", "HMAC-SHA1");
    parameters.put("SignatureVersion", "1.0");
    parameters.put("SignatureNonce", UUID.randomUUID().toString());
    parameters.put("Timestamp", TIMESTAMP.format(clock.instant()));
    if (credentials.securityToken() != null) {
      parameters.put("SecurityToken", credentials.securityToken());
    }
  }

  /** A cancel of {@code jobId} with each of {@code flags} set to true, by the demo key. */
  static SignedRequest cancel(IotEmulator emulator, Clock clock, String jobId, String... flags) {
    return cancel(emulator, emulator.demoCredentials(), clock, jobId, flags);
  }

  static SignedRequest cancel(IotEmulator emulator, Credentials credentials, Clock clock,
      String jobId, String... flags) {
    SignedRequest request = new SignedRequest(emulator.endpoint(), credentials, clock);
    request.with("JobId", jobId);
    for (String flag : flags) {
      request.with(flag, "true");
    }
    return request;
  }

  /** Sets a signed parameter. */
  SignedRequest with(String name, String value) {
    parameters.put(name, value);
    return this;
  }

  /** Leaves the parameter out of the request, {@code Signature} included. */
  SignedRequest without(String name) {
    parameters.remove(name);
    omitted.add(name);
    return this;
  }

  /** Changes a parameter after signing. */
  SignedRequest tampered(String name, String value) {
    afterSigning.put(name, value);
    return this;
  }

  SignedRequest signedWith(String secret) {
    this.secret = secret;
    return this;
  }

  SignedRequest readTimeoutMillis(int millis) {
    this.readTimeoutMillis = millis;
    return this;
  }

  String stringToSign(String method) {
    return RpcSignature.stringToSign(method, parameters);
  }

  String signature(String method) {
    return RpcSignature.signature(method, parameters, secret);
  }

  String parameter(String name) {
    return parameters.get(name);
  }

  Response get() {
    return send("GET", "", signed("GET"));
  }

  /** A POST with every parameter in the query, as the official SDKs send it. */
  Response post() {
    return send("POST", "", signed("POST"));
  }

  /** A POST with {@code bodyNames} (every parameter if none) in a form body, the rest in the query. */
  Response postForm(String... bodyNames) {
    SortedMap<String, String> all = signed("POST");
    Set<String> inBody = bodyNames.length == 0 ? all.keySet() : Set.of(bodyNames);
    SortedMap<String, String> query = new TreeMap<>(all);
    query.keySet().removeAll(inBody);
    SortedMap<String, String> body = new TreeMap<>(all);
    body.keySet().retainAll(inBody);
    return send("POST", form(body), query);
  }

  private SortedMap<String, String> signed(String method) {
    SortedMap<String, String> sent = new TreeMap<>(parameters);
    if (!omitted.contains("Signature")) {
      sent.put("Signature", signature(method));
    }
    sent.putAll(afterSigning);
    return sent;
  }

  private Response send(String method, String body, SortedMap<String, String> query) {
    try {
      HttpURLConnection http =
          (HttpURLConnection) endpoint.resolve("/?" + form(query)).toURL().openConnection();
      http.setRequestMethod(method);
      http.setConnectTimeout(5_000);
      http.setReadTimeout(readTimeoutMillis);
      if (method.equals("POST")) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        http.setDoOutput(true);
        // Streaming also stops HttpURLConnection from silently resending a POST on a dropped
        // connection, which would replay the nonce.
        http.setFixedLengthStreamingMode(bytes.length);
        http.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream out = http.getOutputStream()) {
          out.write(bytes);
        }
      }
      int status = http.getResponseCode();
      try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
        return new Response(status, http.getContentType(), http.getHeaderField("x-acs-request-id"),
            new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String form(Map<String, String> parameters) {
    return parameters.entrySet().stream()
        .map(e -> RpcSignature.percentEncode(e.getKey()) + "="
            + RpcSignature.percentEncode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  /** What came back. */
  record Response(int status, String contentType, String requestIdHeader, String body) {
    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(body, e);
      }
    }

    String code() {
      return json().path("Code").asText(null);
    }

    boolean success() {
      return json().path("Success").asBoolean(false);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
