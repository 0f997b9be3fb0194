package io.otacancel.bench.tea;

import com.aliyun.iot20180120.Client;
import com.aliyun.iot20180120.models.CancelOTATaskByJobRequest;
import com.aliyun.iot20180120.models.CancelOTATaskByJobResponseBody;
import com.aliyun.tea.TeaException;
import com.aliyun.tea.TeaUnretryableException;
import com.aliyun.teaopenapi.models.Config;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.net.URI;

/**
 * Benchmark baseline: CancelOTATaskByJob written the way a user would with the Tea SDK
 * (com.aliyun:iot20180120 3.0.12, which signs with ACS3-HMAC-SHA256 by default).
 *
 * <p>Event: {@code {"JobId":"job-1","CancelQueuedTask":true}}. Prints the result as one JSON line;
 * exit status 1 if the call failed.
 *
 * <p>Environment: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET; IOT_ENDPOINT
 * (e.g. {@code http://127.0.0.1:8080/}) to override the regional host, else IOT_REGION_ID
 * (default cn-shanghai) picks {@code iot.<region>.aliyuncs.com}.
 */
public final class TeaBaseline {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TeaBaseline() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -jar baseline-tea.jar EVENT.json");
            System.exit(2);
        }
        JsonNode event = JSON.readTree(new File(args[0]));
        String jobId = text(event, "JobId");
        if (jobId == null) {
            throw new IllegalArgumentException("event needs JobId");
        }
        Client client = new Client(config());
        // Tea skips unset (null) fields when it builds the query.
        CancelOTATaskByJobRequest request = new CancelOTATaskByJobRequest()
                .setJobId(jobId)
                .setIotInstanceId(text(event, "IotInstanceId"))
                .setCancelScheduledTask(flag(event, "CancelScheduledTask"))
                .setCancelQueuedTask(flag(event, "CancelQueuedTask"))
                .setCancelInProgressTask(flag(event, "CancelInProgressTask"))
                .setCancelNotifiedTask(flag(event, "CancelNotifiedTask"))
                .setCancelUnconfirmedTask(flag(event, "CancelUnconfirmedTask"));

        ObjectNode result = JSON.createObjectNode().put("JobId", jobId);
        try {
            CancelOTATaskByJobResponseBody body = client.cancelOTATaskByJob(request).getBody();
            putIfPresent(result, "RequestId", body.getRequestId());
            result.put("Success", Boolean.TRUE.equals(body.getSuccess()));
            putIfPresent(result, "Code", body.getCode());
            putIfPresent(result, "ErrorMessage", body.getErrorMessage());
        } catch (TeaException e) {
            // Gateway errors (4xx/5xx, throttling): Tea throws instead of returning.
            Object requestId = e.getData() == null ? null : e.getData().get("RequestId");
            putIfPresent(result, "RequestId", requestId == null ? null : requestId.toString());
            result.put("Success", false);
            putIfPresent(result, "Code", e.getCode());
            putIfPresent(result, "ErrorMessage", e.getMessage());
        } catch (TeaUnretryableException e) {
            // I/O failures once Tea's (default: no) retries are spent; it carries no error code.
            result.put("Success", false);
            result.put("Code", "TeaUnretryableException");
            putIfPresent(result, "ErrorMessage", e.getMessage());
        }
        System.out.println(JSON.writeValueAsString(result));
        if (!result.get("Success").asBoolean()) {
            System.exit(1);
        }
    }

    /**
     * The operation pins protocol HTTPS, but a protocol in the client config takes precedence;
     * the endpoint is a bare host[:port], which Tea also sends as the Host header.
     */
    private static Config config() {
        Config config = new Config()
                .setAccessKeyId(System.getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"))
                .setAccessKeySecret(System.getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"));
        String endpoint = System.getenv("IOT_ENDPOINT");
        if (endpoint == null || endpoint.isEmpty()) {
            String region = System.getenv("IOT_REGION_ID");
            return config.setRegionId(region == null || region.isEmpty() ? "cn-shanghai" : region);
        }
        URI uri = URI.create(endpoint);
        return config.setEndpoint(uri.getAuthority()).setProtocol(uri.getScheme());
    }

    private static Boolean flag(JsonNode event, String field) {
        return event.hasNonNull(field) ? event.get(field).asBoolean() : null;
    }

    private static String text(JsonNode event, String field) {
        return event.hasNonNull(field) ? event.get(field).asText() : null;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
