package io.otacancel.core;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * ota-cancel's warm invocation path without the network, on the shipped jar's classes.
 *
 * <p>In package {@code io.otacancel.core} (plain classpath, no modules) so it can call the
 * package-private signer, answer reader and client constructor.
 *
 * <ul>
 *   <li>{@link #steps}: event bytes → {@link RequestParser#parseJson} (parse + validation) → per
 *       job: API parameters, {@link RpcV2Signer#sign} (fresh {@code Instant.now()} and UUID nonce,
 *       as {@link IotClient} does) → {@link IotAnswer#read} of a canned answer → {@link
 *       CancelResult} → {@link BatchResult} → {@link Json#write}.
 *   <li>{@link #client}: the same through the real {@link IotClient#cancel} (deadline, rate
 *       limiter, retry loop) with a {@link Transport} that answers the canned bytes.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OtaCancelWarm {
  static final String EVENT = "{\"JobId\":\"job-1\",\"CancelQueuedTask\":true}";
  static final String ANSWER =
      "{\"RequestId\":\"5CF7B83C-7DC0-4CA7-A918-6C014365597E\",\"Success\":true}";
  static final String ENDPOINT = "http://127.0.0.1:8080/";

  private byte[] event;
  private byte[] answer;
  private URI endpoint;
  private Credentials credentials;
  private RpcV2Signer signer;
  private IotClient client;

  @Setup
  public void setUp() {
    event = EVENT.getBytes(StandardCharsets.UTF_8);
    answer = ANSWER.getBytes(StandardCharsets.UTF_8);
    endpoint = URI.create(ENDPOINT);
    credentials = Credentials.of("bench-ak-id", "bench-ak-secret");
    signer = new RpcV2Signer();
    Map<String, String> env = new HashMap<>();
    env.put("IOT_ENDPOINT", ENDPOINT);
    OtaCancelConfig config = OtaCancelConfig.fromEnv(env);
    Transport canned = new Transport() {
      @Override
      public Answer send(SignedRequest request, Duration connectTimeout, Duration readTimeout)
          throws IOException {
        if (request.uri().getRawQuery().isEmpty()) {
          throw new IOException("unsigned");
        }
        return new Answer(200, answer);
      }
    };
    // A limiter that never waits: the benchmark measures CPU work, not the quota.
    client = new IotClient(config, canned, signer, new RateLimiter(1e9));
  }

  @Benchmark
  public String steps(Blackhole hole) {
    CancelCommand command = RequestParser.parseJson(event);
    List<CancelResult> results = new ArrayList<>(command.requests().size());
    for (CancelRequest request : command.requests()) {
      Map<String, String> parameters = request.withDefaultInstance(null).apiParameters();
      parameters.put("Action", IotClient.ACTION);
      parameters.put("Version", IotClient.VERSION);
      SignedRequest signed = signer.sign("POST", endpoint, parameters, credentials,
          Instant.now(), UUID.randomUUID().toString());
      hole.consume(signed.uri());
      IotAnswer read = IotAnswer.read(200, answer, credentials);
      results.add(CancelResult.of(request.jobId(),
          read.success ? Outcome.SUCCEEDED : Outcome.REJECTED, read.code, read.message,
          read.requestId, 1, Duration.ZERO));
    }
    return Json.write(new BatchResult(results, command.isBatch()).toJson());
  }

  @Benchmark
  public String client() {
    CancelCommand command = RequestParser.parseJson(event);
    BatchResult result = client.cancel(command, credentials, Deadline.after(Duration.ofMinutes(1)),
        CancelListener.NONE);
    return Json.write(result.toJson());
  }
}
