package io.otacancel.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.otacancel.core.HttpRequest;
import io.otacancel.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpEventsTest {
  private static Map<String, Object> event(String fixture) {
    return Json.asObject(Json.parse(Fixtures.bytes(fixture)));
  }

  private static String body(HttpRequest request) {
    return new String(request.body(), StandardCharsets.UTF_8);
  }

  @Test
  void httpApiSample_isTranslated_queryFromTheRawString() {
    Map<String, Object> event = event("platform/apigw_http_event.json");
    assertTrue(HttpEvents.isHttpApi(event));
    assertFalse(HttpEvents.isRestApi(event));

    HttpRequest request = HttpEvents.fromHttpApi(event);

    assertEquals("POST", request.method());
    assertEquals("/my/path", request.path());
    assertEquals("value1,value2", request.header("header2"));
    assertEquals(Map.of("parameter1", List.of("value1", "value2"),
        "parameter2", List.of("value")), request.query());
    assertEquals("Hello from Lambda!!", body(request));
  }

  @Test
  void functionUrlSample_isAnHttpApiEvent() {
    Map<String, Object> event = event("platform/lambdaFunctionUrlEvent.json");
    assertTrue(HttpEvents.isHttpApi(event));

    HttpRequest request = HttpEvents.fromHttpApi(event);

    assertEquals("GET", request.method());
    assertEquals("/", request.path());
    assertEquals(Map.of(), request.query());
    assertEquals(0, request.body().length);
    assertEquals("123.123.123.123", request.header("X-Forwarded-For"));
  }

  @Test
  void httpApiWithoutRawQueryString_fallsBackToQueryStringParameters() {
    Map<String, Object> event = event("platform/apigw_http_event.json");
    event.remove("rawQueryString");

    assertEquals(Map.of("parameter1", List.of("value1,value2"), "parameter2", List.of("value")),
        HttpEvents.fromHttpApi(event).query());
  }

  @Test
  void restSample_isTranslated_multiValueHeadersAndQueryWin() {
    Map<String, Object> event = event("platform/apigw_rest_event.json");
    assertTrue(HttpEvents.isRestApi(event));
    assertFalse(HttpEvents.isHttpApi(event), "its version is 1.0");

    HttpRequest request = HttpEvents.fromRestApi(event);

    assertEquals("GET", request.method());
    assertEquals("/my/path", request.path());
    assertEquals("value1,value2", request.header("Header2"), "headers alone has only value2");
    assertEquals("value1,value2", request.header("header3"));
    assertEquals(Map.of("parameter1", List.of("value1"),
        "parameter2", List.of("value1", "value2")), request.query());
    assertEquals("Hello from Lambda!", body(request));
  }

  @Test
  void samRestSample_base64BodyIsDecoded() {
    HttpRequest request = HttpEvents.fromRestApi(event("platform/AwsProxy.rendered-defaults.json"));

    assertEquals("{\"test\":\"body\"}", body(request));
    assertEquals(Map.of("foo", List.of("bar")), request.query());
  }

  @Test
  void samHttpApiSample_base64BodyIsDecoded() {
    HttpRequest request = HttpEvents.fromHttpApi(event("platform/HttpApi.rendered-defaults.json"));

    assertEquals("{\"test\":\"body\"}", body(request));
  }

  @Test
  void scheduledEventsAndPlainRequests_areNoHttpEvents() {
    for (String fixture : List.of("platform/cloudwatch_event.json",
        "platform/ScheduledEvent.rendered-defaults.json", "events/direct-single.json",
        "events/scheduler-input-batch.json")) {
      Map<String, Object> event = event(fixture);
      assertFalse(HttpEvents.isHttpApi(event), fixture);
      assertFalse(HttpEvents.isRestApi(event), fixture);
    }
  }

  @Test
  void loadBalancerEvent_isNotTakenForARestApiEvent() {
    // An ALB target event: its query values arrive still percent-encoded.
    Map<String, Object> event = Json.asObject(Json.parse("{\"requestContext\":{\"elb\":"
        + "{\"targetGroupArn\":\"arn:aws:elasticloadbalancing:...\"}},\"httpMethod\":\"GET\","
        + "\"path\":\"/\",\"queryStringParameters\":{\"JobId\":\"a%2Fb\"},\"headers\":{},"
        + "\"body\":\"\",\"isBase64Encoded\":false}"));

    assertFalse(HttpEvents.isRestApi(event));
  }

  @Test
  void proxyResponse_hasStatusJsonContentTypeBodyAndNoBase64() {
    String response = new String(HttpEvents.proxyResponse(201, "{\"a\":\"\\\"x\\\"\"}"),
        StandardCharsets.UTF_8);

    assertEquals("{\"statusCode\":201,\"headers\":{\"Content-Type\":\"application/json\"},"
        + "\"body\":\"{\\\"a\\\":\\\"\\\\\\\"x\\\\\\\"\\\"}\",\"isBase64Encoded\":false}",
        response);
  }
}
