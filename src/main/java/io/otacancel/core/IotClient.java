package io.otacancel.core;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Calls {@code CancelOTATaskByJob}: signs each attempt afresh, retries what can pass later,
 * keeps to the quota and to the caller's deadline, and reports every job's outcome honestly.
 */
final class IotClient {
  static final String ACTION = "CancelOTATaskByJob";
  static final String VERSION = "2018-01-20";
  /** An attempt with less time than this left would only time out. */
  static final Duration MIN_ATTEMPT_TIME = Duration.ofMillis(250);

  private final OtaCancelConfig config;
  private final Transport transport;
  private final RequestSigner signer;
  private final RateLimiter limiter;

  IotClient(OtaCancelConfig config, Transport transport, RequestSigner signer,
      RateLimiter limiter) {
    this.config = config;
    this.transport = transport;
    this.signer = signer;
    this.limiter = limiter;
  }

  /** A client for this configuration, sharing the process-wide rate limiter. */
  public static IotClient create(OtaCancelConfig config) {
    return new IotClient(config, new UrlConnectionTransport("ota-cancel/" + Version.current()),
        new RpcV2Signer(), RateLimiter.shared(config.maxQps()));
  }

  /**
   * Cancels every job of the command, one after the other through the rate limiter, going on
   * after a failure.
   */
  public BatchResult cancel(CancelCommand command, Credentials credentials, Deadline deadline,
      CancelListener listener) {
    List<CancelRequest> requests = command.requests();
    List<CancelResult> results = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      CancelResult result = cancelOne(requests.get(i), credentials, deadline, listener);
      results.add(result);
      listener.finished(result, i + 1, requests.size());
    }
    return new BatchResult(results, command.isBatch());
  }

  CancelResult cancelOne(CancelRequest request, Credentials credentials, Deadline deadline,
      CancelListener listener) {
    long started = System.nanoTime();
    Map<String, String> parameters =
        request.withDefaultInstance(config.defaultInstanceId()).apiParameters();
    parameters.put("Action", ACTION);
    parameters.put("Version", VERSION);
    String jobId = request.jobId();
    if (config.dryRun()) {
      SignedRequest signed = sign(parameters, credentials);
      return CancelResult.notSent(jobId, signed.masked(), since(started));
    }

    int attempts = 0;
    IotAnswer last = null;
    IOException lastError = null;
    while (true) {
      if (!deadline.allows(MIN_ATTEMPT_TIME) || !acquireSlot(deadline)) {
        return outOfTime(jobId, last, lastError, attempts, started);
      }
      attempts++;
      SignedRequest signed = sign(parameters, credentials);
      boolean retryable;
      String code;
      try {
        // Connecting and answering together must end by the deadline. A connection normally
        // takes milliseconds, so connecting gets at most a quarter of the time left.
        Duration left = deadline.remaining();
        Duration connectTimeout = min(config.connectTimeout(), left.dividedBy(4));
        Transport.Answer raw = transport.send(signed, connectTimeout,
            min(config.requestTimeout(), left.minus(connectTimeout)));
        last = IotAnswer.read(raw.status, raw.body, credentials);
        lastError = null;
        if (last.success) {
          return CancelResult.of(jobId, Outcome.SUCCEEDED, null, null, last.requestId,
              attempts, since(started));
        }
        retryable = last.retryable();
        code = last.code;
      } catch (IOException e) {
        lastError = e;
        last = null;
        retryable = true;
        code = e instanceof SocketTimeoutException ? "Timeout" : "IOError";
      }
      if (!retryable || attempts >= config.maxAttempts()) {
        return failure(jobId, last, lastError, attempts, started);
      }
      Duration backoff = RetryPolicy.backoff(attempts);
      if (!deadline.allows(backoff.plus(MIN_ATTEMPT_TIME))) {
        return outOfTime(jobId, last, lastError, attempts, started);
      }
      listener.retrying(jobId, attempts, code, backoff);
      if (!sleep(backoff)) {
        return failure(jobId, last, lastError, attempts, started);
      }
    }
  }

  private SignedRequest sign(Map<String, String> parameters, Credentials credentials) {
    return signer.sign("POST", config.endpoint(), parameters, credentials, Instant.now(),
        UUID.randomUUID().toString());
  }

  private boolean acquireSlot(Deadline deadline) {
    try {
      return limiter.acquire(deadline.nanos() - MIN_ATTEMPT_TIME.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean sleep(Duration backoff) {
    try {
      Thread.sleep(backoff.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The deadline stopped us. When IoT had answered, its answer stands (a throttled job stays
   * throttled); otherwise the job timed out.
   */
  private static CancelResult outOfTime(String jobId, IotAnswer last, IOException lastError,
      int attempts, long started) {
    if (last != null) {
      return failure(jobId, last, null, attempts, started);
    }
    String message = attempts == 0
        ? "The deadline left no time to call IoT"
        : "The deadline ran out after " + attempts + " attempt(s): " + describe(lastError);
    return CancelResult.of(jobId, Outcome.TIMED_OUT, "DeadlineExceeded", message, null,
        attempts, since(started));
  }

  private static CancelResult failure(String jobId, IotAnswer last, IOException lastError,
      int attempts, long started) {
    if (last == null) {
      boolean timeout = lastError instanceof SocketTimeoutException;
      return CancelResult.of(jobId, timeout ? Outcome.TIMED_OUT : Outcome.UNREACHABLE,
          timeout ? "Timeout" : "IOError", describe(lastError), null, attempts, since(started));
    }
    Outcome outcome = last.throttled() ? Outcome.THROTTLED
        : last.notFromIot() ? Outcome.UNREACHABLE : Outcome.REJECTED;
    return CancelResult.of(jobId, outcome, last.code, last.message, last.requestId, attempts,
        since(started));
  }

  /**
   * An I/O failure in words, without a stack trace. Never null: after an attempt either IoT's
   * answer or the failure to get one is known.
   */
  private static String describe(IOException e) {
    String name = e.getClass().getSimpleName();
    return e.getMessage() == null ? name : name + ": " + e.getMessage();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration since(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
