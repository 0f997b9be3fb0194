package io.otacancel.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.Timer;
import java.util.TimerTask;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * {@link HttpURLConnection}: on Java 17 {@code java.net.http.HttpClient} was measured at ~0.46 s
 * of extra cold start, and a single small request needs none of what it adds. Connections are
 * kept alive by the JDK between the calls of a batch.
 *
 * <p>An attempt takes at most its connect timeout plus its read timeout in all, however the
 * answer arrives: a read timeout alone bounds only the silence between two reads, so an answer
 * trickling in a byte at a time would never trip it (see {@link Cutoff}).
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
    long allowedMillis = (long) timeoutMillis(connectTimeout) + timeoutMillis(readTimeout);
    Cutoff cutoff = Cutoff.arm(connection, allowedMillis);
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
      if (request.method().equals("POST")) {
        // What the official SDKs send: every parameter in the query, an empty form body. Fixed
        // length streaming also stops the JDK from silently resending a POST (same nonce).
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        connection.setFixedLengthStreamingMode(0);
        connection.getOutputStream().close();
      }
      int status = connection.getResponseCode();
      if (!cutoff.headRead()) {
        // The cut-off closed the connection as the head came in: what was read may be cut.
        throw cutoff.timeout();
      }
      InputStream stream = status >= 400 ? connection.getErrorStream()
          : connection.getInputStream();
      return new Answer(status, stream == null ? new byte[0] : readAll(stream, cutoff));
    } catch (IOException | RuntimeException e) {
      connection.disconnect(); // a half-read connection must not go back to the pool
      if (cutoff.fired()) {
        throw cutoff.timeout();
      }
      if (e instanceof IOException) {
        throw (IOException) e;
      }
      // HttpURLConnection fails with unchecked exceptions in some states of a broken connection;
      // to the caller it is an I/O failure like any other, not a bug that ends the whole batch.
      throw new IOException("The connection failed: " + e, e);
    } finally {
      cutoff.cancel();
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

  private static byte[] readAll(InputStream in, Cutoff cutoff) throws IOException {
    try (InputStream stream = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(512);
      byte[] buffer = new byte[4096];
      int n;
      while ((n = stream.read(buffer)) != -1) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_BODY) {
          throw new IOException("The answer is larger than " + MAX_BODY + " bytes");
        }
        if (cutoff.overdue()) {
          throw cutoff.timeout();
        }
      }
      return out.toByteArray();
    }
  }

  /**
   * Ends an attempt once its time is up. Until the head of the answer is in, it closes the
   * connection from the timer's thread, which ends a blocked read at once. While the body is read
   * closing would wait for the read in progress (the JDK's stream holds a lock while it reads),
   * so the body loop asks {@link #overdue()} after every read instead: there an overrun is at
   * most one read timeout, and the body of IoT's answer comes in the same packet as its head.
   *
   * <p>A class, not a lambda, and one shared daemon timer, created on the first call (never
   * before a snapshot): the cold start pays one thread.
   */
  private static final class Cutoff extends TimerTask {
    private static final Timer TIMER = new Timer("ota-cancel-cutoff", true);

    private final HttpURLConnection connection;
    private final long allowedMillis;
    private final long endNanos;
    private boolean headRead;
    private boolean fired;

    private Cutoff(HttpURLConnection connection, long allowedMillis) {
      this.connection = connection;
      this.allowedMillis = allowedMillis;
      this.endNanos = System.nanoTime() + allowedMillis * 1_000_000L;
    }

    static Cutoff arm(HttpURLConnection connection, long allowedMillis) {
      Cutoff cutoff = new Cutoff(connection, allowedMillis);
      TIMER.schedule(cutoff, allowedMillis);
      return cutoff;
    }

    @Override
    public synchronized void run() {
      if (!headRead) {
        fired = true;
        connection.disconnect();
      }
    }

    /** Marks the head as read; false when the cut-off had already fired. */
    synchronized boolean headRead() {
      headRead = true;
      return !fired;
    }

    synchronized boolean fired() {
      return fired;
    }

    boolean overdue() {
      return System.nanoTime() - endNanos > 0;
    }

    SocketTimeoutException timeout() {
      return new SocketTimeoutException(
          "The answer did not complete within " + allowedMillis + " ms");
    }
  }
}
