package io.otacancel.core;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
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

/**
 * The pieces of {@link OtaCancelWarm#steps}, one benchmark each, to show where the warm path's
 * microseconds go. {@code signFixed} signs with a fixed time and nonce; {@code nonce} is the
 * {@code UUID.randomUUID()} that every attempt pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OtaCancelParts {
  private byte[] event;
  private byte[] answer;
  private URI endpoint;
  private Credentials credentials;
  private RpcV2Signer signer;
  private CancelRequest request;
  private Instant fixedTime;
  private BatchResult result;

  @Setup
  public void setUp() {
    event = OtaCancelWarm.EVENT.getBytes(StandardCharsets.UTF_8);
    answer = OtaCancelWarm.ANSWER.getBytes(StandardCharsets.UTF_8);
    endpoint = URI.create(OtaCancelWarm.ENDPOINT);
    credentials = Credentials.of("bench-ak-id", "bench-ak-secret");
    signer = new RpcV2Signer();
    request = RequestParser.parseJson(event).requests().get(0);
    fixedTime = Instant.parse("2026-01-02T03:04:05Z");
    result = new BatchResult(Collections.singletonList(CancelResult.of("job-1", Outcome.SUCCEEDED,
        null, null, "5CF7B83C-7DC0-4CA7-A918-6C014365597E", 1, Duration.ZERO)), false);
  }

  private Map<String, String> parameters() {
    Map<String, String> parameters = request.apiParameters();
    parameters.put("Action", IotClient.ACTION);
    parameters.put("Version", IotClient.VERSION);
    return parameters;
  }

  @Benchmark
  public CancelCommand parse() {
    return RequestParser.parseJson(event);
  }

  @Benchmark
  public SignedRequest sign() {
    return signer.sign("POST", endpoint, parameters(), credentials, Instant.now(),
        UUID.randomUUID().toString());
  }

  @Benchmark
  public SignedRequest signFixed() {
    return signer.sign("POST", endpoint, parameters(), credentials, fixedTime, "nonce-1");
  }

  @Benchmark
  public String nonce() {
    return UUID.randomUUID().toString();
  }

  @Benchmark
  public IotAnswer answer() {
    return IotAnswer.read(200, answer, credentials);
  }

  @Benchmark
  public String write() {
    return Json.write(result.toJson());
  }
}
