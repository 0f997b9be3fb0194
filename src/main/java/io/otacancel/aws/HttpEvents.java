package io.otacancel.aws;

import io.otacancel.core.HttpRequest;
import io.otacancel.core.InvalidRequestException;
import io.otacancel.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP events Lambda receives, recognised by shape and turned into the core's {@link
 * HttpRequest}; and the proxy response all of them accept.
 *
 * <ul>
 *   <li>API Gateway HTTP API, payload 2.0, and Lambda Function URLs (the same shape): {@code
 *       version: "2.0"}, {@code requestContext.http.method}, {@code rawPath}, {@code
 *       rawQueryString}, {@code headers} (repeats comma-joined), {@code body}, {@code
 *       isBase64Encoded}.
 *   <li>API Gateway REST API proxy integration, and HTTP API payload 1.0: {@code httpMethod},
 *       {@code path}, {@code headers} / {@code multiValueHeaders}, {@code queryStringParameters}
 *       / {@code multiValueQueryStringParameters} (already decoded), {@code body}, {@code
 *       isBase64Encoded}.
 * </ul>
 */
final class HttpEvents {
  private HttpEvents() {}

  /** An HTTP API 2.0 or Function URL event. */
  static boolean isHttpApi(Map<String, Object> event) {
    return "2.0".equals(event.get("version"))
        && object(object(event.get("requestContext")).get("http")).get("method") instanceof String;
  }

  /** True for a Lambda Function URL event: an HTTP API 2.0 shape on a {@code lambda-url} domain. */
  static boolean isFunctionUrl(Map<String, Object> event) {
    Map<String, Object> context = Json.asObject(event.get("requestContext"));
    Object domain = context == null ? null : context.get("domainName");
    return domain instanceof String && ((String) domain).contains(".lambda-url.");
  }

  /**
   * A REST API (or HTTP API 1.0) proxy event. An Application Load Balancer event looks alike but
   * carries {@code requestContext.elb} and undecoded query values: it is not taken for one.
   */
  static boolean isRestApi(Map<String, Object> event) {
    Map<String, Object> context = Json.asObject(event.get("requestContext"));
    return event.get("httpMethod") instanceof String && context != null
        && !context.containsKey("elb");
  }

  /**
   * The request of an HTTP API 2.0 / Function URL event.
   *
   * @throws InvalidRequestException when the query string or the Base64 body is malformed
   */
  static HttpRequest fromHttpApi(Map<String, Object> event) {
    Map<String, Object> http = object(object(event.get("requestContext")).get("http"));
    String path = text(event.get("rawPath"));
    Map<String, List<String>> query;
    Object raw = event.get("rawQueryString");
    if (raw instanceof String) {
      // queryStringParameters comma-joins repeats ("JobId=a&JobId=b" -> "a,b"), which would
      // turn two jobs into one id; the raw string keeps them apart for the parser to refuse.
      query = HttpRequest.parseForm((String) raw);
    } else {
      query = singleValues(event.get("queryStringParameters"));
    }
    return HttpRequest.of(text(http.get("method")), path != null ? path : text(http.get("path")),
        singleValueHeaders(event.get("headers")), query, body(event));
  }

  /**
   * The request of a REST API (or HTTP API 1.0) proxy event.
   *
   * @throws InvalidRequestException when the Base64 body is malformed
   */
  static HttpRequest fromRestApi(Map<String, Object> event) {
    Map<String, String> headers = singleValueHeaders(event.get("headers"));
    // multiValueHeaders holds every value of a repeated header, "headers" only the last one.
    for (Map.Entry<String, Object> header : object(event.get("multiValueHeaders")).entrySet()) {
      List<String> values = strings(header.getValue());
      if (!values.isEmpty()) {
        headers.put(header.getKey(), String.join(",", values));
      }
    }
    Map<String, List<String>> query = new LinkedHashMap<>();
    Map<String, Object> multi = object(event.get("multiValueQueryStringParameters"));
    for (Map.Entry<String, Object> parameter : multi.entrySet()) {
      query.put(parameter.getKey(), strings(parameter.getValue()));
    }
    if (query.isEmpty()) {
      query = singleValues(event.get("queryStringParameters"));
    }
    return HttpRequest.of(text(event.get("httpMethod")), text(event.get("path")), headers, query,
        body(event));
  }

  /**
   * The proxy response: the shape API Gateway (REST and HTTP APIs) and Function URLs all read.
   * The body is always JSON text, never Base64.
   */
  static byte[] proxyResponse(int status, String jsonBody) {
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("statusCode", status);
    response.put("headers", Collections.singletonMap("Content-Type", "application/json"));
    response.put("body", jsonBody);
    response.put("isBase64Encoded", Boolean.FALSE);
    return Json.write(response).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] body(Map<String, Object> event) {
    Object body = event.get("body");
    return HttpRequest.decodeBody(body instanceof String ? (String) body : null,
        Boolean.TRUE.equals(event.get("isBase64Encoded")));
  }

  private static Map<String, String> singleValueHeaders(Object headers) {
    Map<String, String> result = new LinkedHashMap<>();
    for (Map.Entry<String, Object> header : object(headers).entrySet()) {
      if (header.getValue() != null) {
        result.put(header.getKey(), header.getValue().toString());
      }
    }
    return result;
  }

  private static Map<String, List<String>> singleValues(Object parameters) {
    Map<String, List<String>> result = new LinkedHashMap<>();
    for (Map.Entry<String, Object> parameter : object(parameters).entrySet()) {
      if (parameter.getValue() != null) {
        result.put(parameter.getKey(),
            Collections.singletonList(parameter.getValue().toString()));
      }
    }
    return result;
  }

  private static List<String> strings(Object values) {
    List<String> result = new ArrayList<>();
    if (values instanceof List) {
      for (Object value : (List<?>) values) {
        if (value != null) {
          result.add(value.toString());
        }
      }
    }
    return result;
  }

  /** The object, or an empty one for null or anything else: events omit or null out fields. */
  private static Map<String, Object> object(Object value) {
    Map<String, Object> object = Json.asObject(value);
    return object != null ? object : Collections.emptyMap();
  }

  private static String text(Object value) {
    return value instanceof String ? (String) value : null;
  }
}
