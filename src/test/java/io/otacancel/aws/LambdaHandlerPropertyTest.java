package io.otacancel.aws;

import io.otacancel.testing.GeneratedInput;
import io.otacancel.testing.HandlerContract;
import io.otacancel.testing.HandlerContract.Event;
import io.otacancel.testing.LoopbackIot;
import io.otacancel.testing.TestContext;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Whatever event arrives (API Gateway HTTP and REST APIs, Function URLs, EventBridge, direct,
 * or not JSON at all), the Lambda handler keeps {@link HandlerContract}.
 */
class LambdaHandlerPropertyTest {
  private LoopbackIot iot;
  private LambdaHandler handler;

  @BeforeProperty
  void start() throws IOException {
    iot = LoopbackIot.start();
    handler = new LambdaHandler(HandlerContract.environment(iot));
  }

  @AfterProperty
  void stop() {
    iot.close();
  }

  /** No edge cases mixed in: they are mostly "all null", and the generators make their own. */
  @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
  void anyEvent_isAnsweredAsTheContractSays_andOnlyValidRequestsReachIot(
      @ForAll("events") Event event) throws IOException {
    HandlerContract.assertKept((in, out) -> handler.handleRequest(in, out,
        new TestContext(30_000)), event, iot);
  }

  @Provide
  Arbitrary<Event> events() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, httpApi().map(Event::http)),
        Tuple.of(3, restApi().map(Event::http)),
        Tuple.of(1, eventBridge().map(Event::other)),
        Tuple.of(2, GeneratedInput.jsonish().map(Event::other)),
        Tuple.of(1, GeneratedInput.anyBytes().map(bytes -> new Event(bytes, false))));
  }

  /** API Gateway HTTP API 2.0 or a Function URL: the raw query, comma-joined headers. */
  private static Arbitrary<String> httpApi() {
    Arbitrary<String> domain = Arbitraries.of("id.execute-api.us-east-1.amazonaws.com",
        "abc.lambda-url.us-east-1.on.aws");
    return Combinators.combine(method(), domain, GeneratedInput.form().injectNull(0.3),
            GeneratedInput.headers(), GeneratedInput.bodyFields())
        .as((method, host, query, headers, body) -> {
          Map<String, Object> event = new LinkedHashMap<>();
          event.put("version", "2.0");
          event.put("rawPath", "/cancel");
          if (query != null) {
            event.put("rawQueryString", query);
          }
          event.put("headers", headers);
          event.put("requestContext",
              Map.of("domainName", host, "http", Map.of("method", method, "path", "/")));
          event.putAll(body);
          return GeneratedInput.json(event);
        });
  }

  /** API Gateway REST API proxy: decoded query maps, single and multi-value headers. */
  private static Arbitrary<String> restApi() {
    Arbitrary<Map<String, Object>> query = Arbitraries.maps(GeneratedInput.text(),
        GeneratedInput.jobId().map(v -> (Object) v)).ofMaxSize(3);
    Arbitrary<Map<String, Object>> multiQuery = Arbitraries.maps(
        Arbitraries.of("JobId", "JobIds", "CancelQueuedTask", "IotInstanceId"),
        GeneratedInput.jobId().list().ofMaxSize(2).map(v -> (Object) v)).ofMaxSize(3);
    return Combinators.combine(method(), query, multiQuery, GeneratedInput.headers(),
            GeneratedInput.bodyFields())
        .as((method, single, multi, headers, body) -> {
          Map<String, Object> event = new LinkedHashMap<>();
          event.put("httpMethod", method);
          event.put("path", "/cancel");
          event.put("headers", headers);
          Map<String, Object> multiHeaders = new LinkedHashMap<>();
          headers.forEach((name, value) -> multiHeaders.put(name, List.of(value)));
          event.put("multiValueHeaders", multiHeaders);
          event.put("queryStringParameters", single.isEmpty() ? null : single);
          event.put("multiValueQueryStringParameters", multi.isEmpty() ? null : multi);
          event.put("requestContext", Map.of("stage", "prod"));
          event.putAll(body);
          return GeneratedInput.json(event);
        });
  }

  /** An EventBridge event whose detail is a request, anything, or nothing. */
  private static Arbitrary<String> eventBridge() {
    Arbitrary<String> detail = Arbitraries.oneOf(GeneratedInput.requestJson(),
        GeneratedInput.anyJson(), Arbitraries.just("{}"));
    return Combinators.combine(Arbitraries.of("Scheduled Event", "Custom"),
            Arbitraries.of("aws.events", "my.app"), detail)
        .as((type, source, request) -> GeneratedInput.json(Map.of("detail-type", type,
            "source", source, "detail", GeneratedInput.raw(request))));
  }

  private static Arbitrary<String> method() {
    return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("POST")),
        Tuple.of(2, Arbitraries.just("GET")),
        Tuple.of(1, Arbitraries.of("post", "PUT", "DELETE", "")));
  }
}
