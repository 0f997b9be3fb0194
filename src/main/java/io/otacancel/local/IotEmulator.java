package io.otacancel.local;

import com.sun.net.httpserver.HttpServer;
import io.otacancel.core.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An in-process stand-in for Alibaba Cloud IoT Platform's OpenAPI endpoint, serving {@code
 * CancelOTATaskByJob} (version 2018-01-20) over HTTP on the loopback interface.
 *
 * <p>It is the endpoint of local runs without a cloud account and of the end-to-end tests. It
 * checks calls the way the real service is documented to, so a client that works against it
 * signs and retries correctly; it knows only the demo batches and the {@linkplain
 * #demoCredentials() demo keys}.
 *
 * <p>Accepted calls: {@code GET} or {@code POST} to {@code /}, parameters in the query string
 * and, for a POST, also in an {@code application/x-www-form-urlencoded} body (the two are merged
 * for signing, the query winning). Every answer is JSON, whatever {@code Format} asks for. The
 * checks, in order, and their answers (gateway shape {@code {"RequestId","HostId","Code",
 * "Message"}}):
 *
 * <ol>
 *   <li>not GET or POST, or a path other than {@code /}: 404 {@code InvalidAction.NotFound};
 *       malformed percent-encoding: 400 {@code InvalidParameter};
 *   <li>a missing or empty common parameter ({@code Action, Version, AccessKeyId,
 *       SignatureMethod, SignatureVersion, SignatureNonce, Timestamp, Signature}): 400 {@code
 *       MissingParameter};
 *   <li>an {@code Action} other than {@code CancelOTATaskByJob}: 404 {@code
 *       InvalidAction.NotFound};
 *   <li>{@code Version} not {@code 2018-01-20}, {@code SignatureMethod} not {@code HMAC-SHA1},
 *       {@code SignatureVersion} not {@code 1.0}, {@code Format} not JSON or XML (in any case):
 *       400 {@code InvalidParameter};
 *   <li>{@code Timestamp} not {@code yyyy-MM-ddTHH:mm:ssZ}: 400 {@code InvalidTimeStamp.Format};
 *       more than 15 minutes off the emulator's clock: 400 {@code InvalidTimeStamp.Expired};
 *   <li>an unknown {@code AccessKeyId}: 404 {@code InvalidAccessKeyId.NotFound};
 *   <li>a wrong signature: 400 {@code SignatureDoesNotMatch}, its message ending in {@code server
 *       string to sign is:} and the emulator's string to sign;
 *   <li>a {@code SecurityToken} missing with the STS key, wrong, or sent with the long-lived key:
 *       400 {@code InvalidSecurityToken.MismatchWithAccessKey} (the emulator's choice: the real
 *       code is not documented);
 *   <li>a {@code SignatureNonce} the same key used in the last 30 minutes: 400 {@code
 *       SignatureNonceUsed};
 *   <li>over the quota: 400 {@code Throttling.User}, "Request was denied due to user flow
 *       control."; by default 5 calls per second, a burst of 5 then one every 200 ms, shared by
 *       both demo keys as the real quota is shared by an account's RAM users;
 *   <li>the next {@linkplain #inject(int, Fault) injected fault}, if any;
 *   <li>no {@code JobId}: 400 {@code MissingParameter}; a flag other than {@code true} or {@code
 *       false} (in any case): 400 {@code InvalidParameter}.
 * </ol>
 *
 * <p>Then the cancel, answered with HTTP 200 in the IoT shape {@code {"RequestId","Success"}},
 * plus {@code "Code","ErrorMessage"} on failure: no flag set gives {@code Success:false} with
 * {@code iot.system.IllegalRequest}; an unknown {@code JobId} gives {@code iot.ota.JobNotFound}
 * (the emulator's choice: no OTA error code is documented). Otherwise the tasks in the states
 * that the flags select become {@code CANCELED}: {@code CancelQueuedTask} cancels {@code QUEUED},
 * {@code CancelNotifiedTask} {@code NOTIFIED}, {@code CancelInProgressTask} {@code IN_PROGRESS},
 * {@code CancelUnconfirmedTask} {@code CONFIRM}, {@code CancelScheduledTask} {@code SCHEDULED}.
 * {@code IotInstanceId} is accepted and ignored.
 *
 * <p>Demo batches, each reset by {@link #reset()}:
 *
 * <ul>
 *   <li>{@code demo-job-1} to {@code demo-job-100}: in progress, each with QUEUED 4, NOTIFIED 3,
 *       IN_PROGRESS 5, CONFIRM 2, SUCCEEDED 6, FAILED 7, CANCELED 1;
 *   <li>{@code demo-job-scheduled}: a scheduled batch ({@code JobStatus=PLANNED}) with SCHEDULED
 *       6, which only {@code CancelScheduledTask} cancels;
 *   <li>{@code demo-job-done}: finished, with SUCCEEDED 5, FAILED 2; nothing to cancel.
 * </ul>
 *
 * <p>Each call is reported to the log sink in one line, such as {@code emulator: demo-job-1:
 * canceled 7 task(s) (QUEUED 4, NOTIFIED 3); left 21 (IN_PROGRESS 5, CONFIRM 2, SUCCEEDED 6,
 * FAILED 7, CANCELED 1)}, and kept for {@link #calls()}. The emulator is thread-safe; it serves
 * four calls at a time on daemon threads.
 */
public final class IotEmulator implements AutoCloseable {
  private static final Credentials DEMO_KEY =
      Credentials.of("LTAIdemoEmulatorKey", "emulator-demo-secret");
  private static final Credentials DEMO_STS_KEY = Credentials.of(
      "STS.demoEmulatorKey", "emulator-demo-sts-secret", "emulator-demo-security-token");
  private static final int THREADS = 4;
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  private final HttpServer server;
  private final ExecutorService executor;
  private final RpcEndpoint endpoint;
  private final URI uri;

  private IotEmulator(HttpServer server, ExecutorService executor, RpcEndpoint endpoint,
      URI uri) {
    this.server = server;
    this.executor = executor;
    this.endpoint = endpoint;
    this.uri = uri;
  }

  /** Starts an emulator with the default options on a free port. */
  public static IotEmulator start() {
    return builder().start();
  }

  /** Starts an emulator with the default options on {@code port}; 0 picks a free one. */
  public static IotEmulator start(int port) {
    return builder().port(port).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Where to send calls, e.g. {@code http://127.0.0.1:54321/}. */
  public URI endpoint() {
    return uri;
  }

  /** The demo AccessKey pair that the emulator accepts. */
  public Credentials demoCredentials() {
    return DEMO_KEY;
  }

  /** Demo STS credentials: AccessKey pair and the security token that must come with it. */
  public Credentials demoStsCredentials() {
    return DEMO_STS_KEY;
  }

  /**
   * Answers the next {@code calls} calls that pass authentication and the quota with {@code
   * fault}. Faults queue up in the order they are injected.
   */
  public void inject(int calls, Fault fault) {
    if (calls < 0) {
      throw new IllegalArgumentException("Negative number of calls: " + calls);
    }
    endpoint.inject(calls, Objects.requireNonNull(fault, "fault"));
  }

  /**
   * The batch's task counts by state ({@code QUEUED}, {@code CANCELED}, ...) in the order tasks go
   * through them, leaving out states with no task.
   *
   * @throws IllegalArgumentException when there is no such demo batch
   */
  public Map<String, Integer> taskCounts(String jobId) {
    return endpoint.taskCounts(Objects.requireNonNull(jobId, "jobId"));
  }

  /** Every call received since the start or the last {@link #reset()}, oldest first. */
  public List<Call> calls() {
    return endpoint.calls();
  }

  /**
   * Puts the demo batches back in their initial state, forgets the calls and the nonces, drops
   * the injected faults not yet used, and fills the quota up.
   */
  public void reset() {
    endpoint.reset();
  }

  /** Stops serving at once; calls in progress get no answer. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "IotEmulator{" + uri + "}";
  }

  /** Options of an emulator; every one has a default. */
  public static final class Builder {
    private int port;
    private int callsPerSecond = 5;
    private Clock clock = Clock.systemUTC();
    private Consumer<String> log = line -> { };

    private Builder() {}

    /** The loopback port to listen on; 0, the default, picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Not a port: " + port);
      }
      this.port = port;
      return this;
    }

    /** The quota of the demo account: a burst of this many calls, then this many a second. */
    public Builder callsPerSecond(int callsPerSecond) {
      if (callsPerSecond < 1) {
        throw new IllegalArgumentException("callsPerSecond must be at least 1: " + callsPerSecond);
      }
      this.callsPerSecond = callsPerSecond;
      return this;
    }

    /** The clock for the {@code Timestamp} check, the nonces and the quota. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the one-line report of each call goes; by default nowhere. */
    public Builder log(Consumer<String> log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * Binds 127.0.0.1 and starts serving.
     *
     * @throws UncheckedIOException when the port cannot be bound
     */
    public IotEmulator start() {
      // HttpServer sends the response headers and body in separate packets; with Nagle's
      // algorithm on, the body waits for the client's delayed ACK and every call takes 40 ms
      // more. The server reads this switch once, when the JVM's first HttpServer is created.
      if (System.getProperty(NO_DELAY) == null) {
        System.setProperty(NO_DELAY, "true");
      }
      HttpServer server;
      try {
        server = HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot listen on 127.0.0.1:" + port, e);
      }
      int boundPort = server.getAddress().getPort();
      URI uri = URI.create("http://127.0.0.1:" + boundPort + "/");
      RpcEndpoint endpoint = new RpcEndpoint("127.0.0.1:" + boundPort, clock, log,
          List.of(DEMO_KEY, DEMO_STS_KEY), new TokenBucket(callsPerSecond, clock));
      AtomicInteger threads = new AtomicInteger();
      ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
        Thread thread = new Thread(task, "iot-emulator-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });
      server.createContext("/", endpoint);
      server.setExecutor(executor);
      startOnDaemonThread(server);
      return new IotEmulator(server, executor, endpoint, uri);
    }

    // HttpServer's dispatcher thread takes its daemon status from the thread that starts the
    // server, and nothing else sets it: starting from a daemon thread keeps an emulator that is
    // never closed from holding the JVM open.
    private static void startOnDaemonThread(HttpServer server) {
      Thread starter = new Thread(server::start, "iot-emulator-start");
      starter.setDaemon(true);
      starter.start();
      try {
        starter.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        server.stop(0);
        throw new IllegalStateException("Interrupted while starting the emulator", e);
      }
    }
  }
}
