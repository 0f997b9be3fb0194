package io.otacancel.bench.sdk;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.iot.model.v20180120.CancelOTATaskByJobRequest;
import com.aliyuncs.iot.model.v20180120.CancelOTATaskByJobResponse;
import com.aliyuncs.profile.DefaultProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark baseline: CancelOTATaskByJob written the way a user would with the classic SDK
 * (aliyun-java-sdk-iot 7.47.0 on aliyun-java-sdk-core 4.7.10).
 *
 * <p>Event: {@code {"JobId":"job-1","CancelQueuedTask":true}}; or {@code "JobIds":[...]} to cancel
 * several jobs one after another with one client (batch mode, for the throughput comparison).
 * Prints one JSON line per job. Exit status 1 if any job failed.
 *
 * <p>Environment: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET; IOT_ENDPOINT
 * (e.g. {@code http://127.0.0.1:8080/}) to override the regional host, else IOT_REGION_ID
 * (default cn-shanghai) picks {@code iot.<region>.aliyuncs.com}.
 */
public final class SdkBaseline {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SdkBaseline() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -jar baseline-sdk.jar EVENT.json");
            System.exit(2);
        }
        JsonNode event = JSON.readTree(new File(args[0]));
        String region = envOr("IOT_REGION_ID", "cn-shanghai");
        DefaultProfile profile = DefaultProfile.getProfile(region,
                System.getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), System.getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"));
        // Left at the SDK defaults on purpose (no retry policy): the baseline is what users get
        // out of the box, throttling included.
        IAcsClient client = new DefaultAcsClient(profile);
        boolean allSucceeded = true;
        try {
            for (String jobId : jobIds(event)) {
                ObjectNode result = cancel(client, event, jobId);
                System.out.println(JSON.writeValueAsString(result));
                allSucceeded &= result.path("Success").asBoolean(false);
            }
        } finally {
            client.shutdown();
        }
        if (!allSucceeded) {
            System.exit(1);
        }
    }

    private static ObjectNode cancel(IAcsClient client, JsonNode event, String jobId) {
        CancelOTATaskByJobRequest request = new CancelOTATaskByJobRequest();
        pointAtEndpointOverride(request);
        request.setJobId(jobId);
        // The SDK's setters skip nulls, so a field absent from the event stays absent on the wire.
        request.setIotInstanceId(text(event, "IotInstanceId"));
        request.setCancelScheduledTask(flag(event, "CancelScheduledTask"));
        request.setCancelQueuedTask(flag(event, "CancelQueuedTask"));
        request.setCancelInProgressTask(flag(event, "CancelInProgressTask"));
        request.setCancelNotifiedTask(flag(event, "CancelNotifiedTask"));
        request.setCancelUnconfirmedTask(flag(event, "CancelUnconfirmedTask"));
        ObjectNode result = JSON.createObjectNode().put("JobId", jobId);
        try {
            CancelOTATaskByJobResponse response = client.getAcsResponse(request);
            putIfPresent(result, "RequestId", response.getRequestId());
            result.put("Success", Boolean.TRUE.equals(response.getSuccess()));
            putIfPresent(result, "Code", response.getCode());
            putIfPresent(result, "ErrorMessage", response.getErrorMessage());
        } catch (ClientException e) {
            // Gateway errors (4xx/5xx, throttling) and I/O failures: sdk-core throws instead of returning.
            putIfPresent(result, "RequestId", e.getRequestId());
            result.put("Success", false);
            putIfPresent(result, "Code", e.getErrCode());
            putIfPresent(result, "ErrorMessage", e.getErrMsg());
        }
        return result;
    }

    /**
     * sdk-core has no client-wide "endpoint URL" setting. The request's product domain replaces
     * the endpoint resolver, and the protocol is per request too (the profile's default is HTTPS).
     */
    private static void pointAtEndpointOverride(CancelOTATaskByJobRequest request) {
        String endpoint = System.getenv("IOT_ENDPOINT");
        if (endpoint == null || endpoint.isEmpty()) {
            return;
        }
        URI uri = URI.create(endpoint);
        request.setSysEndpoint(uri.getAuthority());
        request.setSysProtocol("http".equalsIgnoreCase(uri.getScheme()) ? ProtocolType.HTTP : ProtocolType.HTTPS);
    }

    private static Boolean flag(JsonNode event, String field) {
        return event.hasNonNull(field) ? event.get(field).asBoolean() : null;
    }

    private static String text(JsonNode event, String field) {
        return event.hasNonNull(field) ? event.get(field).asText() : null;
    }

    private static List<String> jobIds(JsonNode event) {
        List<String> ids = new ArrayList<>();
        if (event.has("JobIds")) {
            event.get("JobIds").forEach(id -> ids.add(id.asText()));
        } else if (event.hasNonNull("JobId")) {
            ids.add(event.get("JobId").asText());
        } else {
            throw new IllegalArgumentException("event needs JobId or JobIds");
        }
        return ids;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
