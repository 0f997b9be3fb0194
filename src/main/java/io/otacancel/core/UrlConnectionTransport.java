package io.otacancel.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.ByteBuffer;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * {@link HttpURLConnection}: on Java 17 {@code java.net.http.HttpClient} was measured at ~0.46 s
 * of extra cold start, and a single small request needs none of what it adds. Connections are
 * kept alive by the JDK between the calls of a batch.
 */
final class UrlConnectionTransport implements Transport {
  /** IoT's answers are a few hundred bytes; anything far larger is not IoT. */
  private static final int MAX_BODY = 1 << 20;

  private final String userAgent;

  UrlConnectionTransport(String userAgent) {
    this.userAgent = userAgent;
  }

  @Override
  public Answer send(SignedRequest request, Duration connectTimeout, Duration readTimeout)
      throws IOException {
    HttpURLConnection connection = (HttpURLConnection) request.uri().toURL().openConnection();
    try {
      connection.setRequestMethod(request.method());
      connection.setConnectTimeout(timeoutMillis(connectTimeout));
      connection.setReadTimeout(timeoutMillis(readTimeout));
      connection.setInstanceFollowRedirects(false);
      connection.setUseCaches(false);
      connection.setRequestProperty("Accept", "application/json");
      connection.setRequestProperty("User-Agent", userAgent);
      for (Map.Entry<String, String> header : request.headers().entrySet()) {
        connection.setRequestProperty(header.getKey(), header.getValue());
      }
      boolean post = request.method().equals("POST");
      if (post) {
        // What the official SDKs send: every parameter in the query, an empty form body. Fixed
        // length streaming also stops the JDK from silently resending a POST (same nonce).
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        connection.setFixedLengthStreamingMode(0);
      }
      if (post) {
        connection.getOutputStream().close();
      }
      int status = connection.getResponseCode();
      InputStream stream = status >= 400 ? connection.getErrorStream()
          : connection.getInputStream();
      return new Answer(status, stream == null ? new byte[0] : readAll(stream));
    } catch (IOException e) {
      connection.disconnect(); // a half-read connection must not go back to the pool
      throw e;
    }
  }

  /**
   * Loads the connection classes for this endpoint's scheme without connecting anywhere, and
   * without touching anything random: safe before a snapshot.
   */
  static void prime(URI endpoint) {
    try {
      endpoint.toURL().openConnection();
    } catch (IOException e) {
      // priming is best effort: the first real call loads what is missing
    }
  }

  /**
   * For https, loads the trust store and the handshake code by writing a ClientHello into a
   * buffer, without connecting anywhere. That seeds TLS's random generator, so it must not run
   * before a snapshot that several instances restore.
   */
  static void primeTls(URI endpoint) {
    if (!"https".equals(endpoint.getScheme())) {
      return;
    }
    try {
      SSLEngine engine = SSLContext.getDefault().createSSLEngine(endpoint.getHost(), 443);
      engine.setUseClientMode(true);
      engine.beginHandshake();
      engine.wrap(ByteBuffer.allocate(0),
          ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
    } catch (NoSuchAlgorithmException | SSLException e) {
      // priming is best effort: the first real call loads what is missing
    }
  }

  /** Zero means "no timeout" to HttpURLConnection, never what we want. */
  private static int timeoutMillis(Duration timeout) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (InputStream stream = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      byte[] buffer = new byte[4096];
      int n;
      while ((n = stream.read(buffer)) != -1) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_BODY) {
          throw new IOException("The answer is larger than " + MAX_BODY + " bytes");
        }
      }
      return out.toByteArray();
    }
  }
}
