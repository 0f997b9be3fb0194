package io.otacancel.fc;

import io.otacancel.core.HttpRequest;
import io.otacancel.core.HttpResponse;
import io.otacancel.core.InvalidRequestException;
import io.otacancel.core.Json;
import io.otacancel.core.TaskState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The FC 3.0 HTTP trigger's event and response structs, mapped to and from the core's {@link
 * HttpRequest} and {@link HttpResponse}.
 *
 * <p>FC comma-joins repeated headers and query parameters into one string. Headers stay joined:
 * that is how the core reads them. A query value is split back on commas only for parameters
 * whose valid values can never hold a comma ({@code JobId}, {@code IotInstanceId} and the
 * {@code Cancel*Task} flags), so a comma there can only mean the parameter was repeated, and the
 * core refuses it ("must be given once") instead of sending IoT a job id such as {@code a,b}.
 * {@code JobIds} stays joined because the core splits it on commas itself, so {@code
 * JobIds=a,b} and {@code JobIds=a&JobIds=b} mean the same. Other names stay joined and the core
 * refuses them by name.
 */
final class FcHttpTrigger {
  private static final Set<String> COMMA_FREE_PARAMETERS = commaFreeParameters();

  private FcHttpTrigger() {}

  private static Set<String> commaFreeParameters() {
    Set<String> names = new HashSet<>(Arrays.asList("JobId", "IotInstanceId"));
    for (TaskState state : TaskState.values()) {
      names.add(state.flag());
    }
    return Collections.unmodifiableSet(names);
  }

  /**
   * True for an HTTP trigger event. {@code requestContext.http} is the mark: a cancel request
   * never has it (the core refuses unknown fields) and a timer event has no {@code
   * requestContext}.
   */
  static boolean matches(Map<String, Object> event) {
    Map<String, Object> context = Json.asObject(event.get("requestContext"));
    return context != null && Json.asObject(context.get("http")) != null;
  }

  /**
   * The request the event carries.
   *
   * @throws InvalidRequestException when the body is marked Base64 but is not
   */
  static HttpRequest request(Map<String, Object> event) {
    Map<String, Object> http =
        Json.asObject(Json.asObject(event.get("requestContext")).get("http"));
    String method = text(http.get("method"));
    // requestContext.http.path is the decoded path; rawPath is still URL-encoded.
    String path = text(http.get("path"));
    if (path == null) {
      path = text(event.get("rawPath"));
    }
    return HttpRequest.of(method, path, headers(event.get("headers")),
        query(event.get("queryParameters")), body(event));
  }

  private static Map<String, String> headers(Object tree) {
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, Object> object = Json.asObject(tree);
    if (object != null) {
      for (Map.Entry<String, Object> header : object.entrySet()) {
        String value = text(header.getValue());
        if (value != null) {
          headers.put(header.getKey(), value);
        }
      }
    }
    return headers;
  }

  private static Map<String, List<String>> query(Object tree) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    Map<String, Object> object = Json.asObject(tree);
    if (object != null) {
      for (Map.Entry<String, Object> parameter : object.entrySet()) {
        String name = parameter.getKey();
        String value = text(parameter.getValue());
        if (value == null) {
          continue;
        }
        query.put(name, COMMA_FREE_PARAMETERS.contains(name)
            ? Arrays.asList(value.split(",", -1))
            : Collections.singletonList(value));
      }
    }
    return query;
  }

  private static byte[] body(Map<String, Object> event) {
    Object base64 = event.get("isBase64Encoded");
    return HttpRequest.decodeBody(text(event.get("body")),
        Boolean.TRUE.equals(base64) || "true".equals(base64));
  }

  /**
   * A header or parameter value as text: FC sends strings; a list (as other gateways send
   * repeated values) is comma-joined the way FC would have joined it.
   */
  private static String text(Object value) {
    if (value == null || value instanceof Map) {
      return null;
    }
    if (value instanceof List) {
      List<String> parts = new ArrayList<>();
      for (Object part : (List<?>) value) {
        String text = text(part);
        if (text != null) {
          parts.add(text);
        }
      }
      return String.join(",", parts);
    }
    return value.toString();
  }

  /** The HTTP trigger's response struct; FC needs all four fields. */
  static String response(HttpResponse response) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("statusCode", response.status());
    answer.put("headers", Collections.singletonMap("Content-Type", response.contentType()));
    answer.put("isBase64Encoded", false);
    answer.put("body", response.body());
    return Json.write(answer);
  }
}
