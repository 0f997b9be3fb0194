package io.otacancel.fc;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.aliyun.fc.runtime.FunctionParam;
import io.otacancel.testing.GeneratedInput;
import io.otacancel.testing.HandlerContract;
import io.otacancel.testing.HandlerContract.Event;
import io.otacancel.testing.LoopbackIot;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Whatever event arrives (an FC 3.0 HTTP trigger, a timer, a direct invocation, or not JSON at
 * all), the FC handler keeps {@link HandlerContract}.
 */
class FcHandlerPropertyTest {
  private LoopbackIot iot;
  private FcHandler handler;
  private Context context;

  @BeforeProperty
  void start() throws IOException {
    iot = LoopbackIot.start();
    handler = new FcHandler(HandlerContract.environment(iot));
    // No execution credentials: the environment's AccessKey signs, which LoopbackIot knows.
    context = mock(Context.class);
    FunctionParam param = mock(FunctionParam.class);
    when(param.getExecTimeLimitInMillis()).thenReturn(30_000);
    when(context.getFunctionParam()).thenReturn(param);
    when(context.getLogger()).thenReturn(mock(FunctionComputeLogger.class));
  }

  @AfterProperty
  void stop() {
    iot.close();
  }

  /** No edge cases mixed in: they are mostly "all null", and the generators make their own. */
  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void anyEvent_isAnsweredAsTheContractSays_andOnlyValidRequestsReachIot(
      @ForAll("events") Event event) throws IOException {
    HandlerContract.assertKept((in, out) -> handler.handleRequest(in, out, context), event, iot);
  }

  @Provide
  Arbitrary<Event> events() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, httpTrigger().map(Event::http)),
        Tuple.of(2, timer().map(Event::other)),
        Tuple.of(2, GeneratedInput.jsonish().map(Event::other)),
        Tuple.of(1, GeneratedInput.anyBytes().map(bytes -> new Event(bytes, false))));
  }

  /** The FC 3.0 HTTP trigger event: decoded query parameters, comma-joined or listed repeats. */
  private static Arbitrary<String> httpTrigger() {
    Arbitrary<Object> value = Arbitraries.oneOf(GeneratedInput.jobId(),
        GeneratedInput.jobId().list().ofMaxSize(2), Arbitraries.just(Map.of()));
    Arbitrary<Map<String, Object>> query = Arbitraries.maps(Arbitraries.oneOf(
        Arbitraries.of("JobId", "JobIds", "CancelQueuedTask", "IotInstanceId"),
        GeneratedInput.text()), value).ofMaxSize(3);
    Arbitrary<String> method = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("POST")),
        Tuple.of(2, Arbitraries.just("GET")),
        Tuple.of(1, Arbitraries.of("post", "PUT", "OPTIONS", "")));
    return Combinators.combine(method, query, GeneratedInput.headers(),
            GeneratedInput.bodyFields())
        .as((verb, parameters, headers, body) -> {
          Map<String, Object> event = new LinkedHashMap<>();
          event.put("version", "v1");
          event.put("rawPath", "/cancel");
          event.put("headers", headers);
          event.put("queryParameters", parameters);
          event.put("requestContext", Map.of("http", Map.of("method", verb, "path", "/cancel")));
          event.putAll(body);
          return GeneratedInput.json(event);
        });
  }

  /** A timer event whose payload is request JSON as a string, an object, anything, or none. */
  private static Arbitrary<String> timer() {
    Arbitrary<Object> payload = Arbitraries.oneOf(GeneratedInput.jsonish(),
        GeneratedInput.requestJson().map(GeneratedInput::raw),
        GeneratedInput.anyJson().map(GeneratedInput::raw), Arbitraries.just(""));
    return payload.injectNull(0.1).map(body -> {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("triggerTime", "2026-01-01T00:00:00Z");
      event.put("triggerName", "cancel-timer");
      event.put("payload", body);
      return GeneratedInput.json(event);
    });
  }
}
