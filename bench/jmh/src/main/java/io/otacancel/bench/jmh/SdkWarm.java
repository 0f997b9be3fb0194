package io.otacancel.bench.jmh;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.AlibabaCloudCredentials;
import com.aliyuncs.auth.BasicCredentials;
import com.aliyuncs.auth.Signer;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.HttpClientConfig;
import com.aliyuncs.http.HttpClientType;
import com.aliyuncs.http.HttpRequest;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.iot.model.v20180120.CancelOTATaskByJobRequest;
import com.aliyuncs.iot.model.v20180120.CancelOTATaskByJobResponse;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.reader.Reader;
import com.aliyuncs.reader.ReaderFactory;
import com.aliyuncs.transform.UnmarshallerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The classic SDK's warm path without the network (aliyun-java-sdk-iot 7.47.0 on
 * aliyun-java-sdk-core 4.7.10), written as bench/baseline-sdk's function does it.
 *
 * <ul>
 *   <li>{@link #steps}: Jackson databind {@code readTree} of the event → {@link
 *       CancelOTATaskByJobRequest} with the endpoint override → {@code signRequest} (the RPC
 *       composer adds a fresh Timestamp and UUID nonce, HMAC-SHA1, composes the URL) → the
 *       SDK's JSON reader + generated unmarshaller on a canned answer (what {@code
 *       DefaultAcsClient.readResponse} does) → result {@code ObjectNode} written with databind.
 *   <li>{@link #client}: the same through {@code DefaultAcsClient.getAcsResponse} (profile, signer
 *       choice, User-Agent, retry context, response parsing) with an {@code IHttpClient} that
 *       answers the canned bytes.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SdkWarm {
  static final String EVENT = "{\"JobId\":\"job-1\",\"CancelQueuedTask\":true}";
  static final String ANSWER =
      "{\"RequestId\":\"5CF7B83C-7DC0-4CA7-A918-6C014365597E\",\"Success\":true}";
  static final String HOST = "127.0.0.1:8080";

  private static final ObjectMapper JSON = new ObjectMapper();

  private byte[] event;
  private AlibabaCloudCredentials credentials;
  private DefaultAcsClient client;

  @Setup
  public void setUp() {
    event = EVENT.getBytes(StandardCharsets.UTF_8);
    credentials = new BasicCredentials("bench-ak-id", "bench-ak-secret");
    DefaultProfile profile = DefaultProfile.getProfile("cn-shanghai", "bench-ak-id", "bench-ak-secret");
    HttpClientConfig http = HttpClientConfig.getDefault();
    http.setClientType(HttpClientType.Custom);
    http.setCustomClientClassName(CannedHttpClient.class.getName());
    profile.setHttpClientConfig(http);
    client = new DefaultAcsClient(profile);
  }

  @TearDown
  public void tearDown() {
    client.shutdown();
  }

  @Benchmark
  public String steps(Blackhole hole) throws Exception {
    JsonNode tree = JSON.readTree(event);
    List<ObjectNode> results = new ArrayList<>();
    for (String jobId : jobIds(tree)) {
      CancelOTATaskByJobRequest request = request(tree, jobId);
      // What DefaultAcsClient.doAction sets before signing.
      request.setSysRegionId("cn-shanghai");
      request.setSysSignatureVersion(com.aliyuncs.auth.SignatureVersion.V1);
      Signer signer = Signer.getSigner(credentials, request.getSysSignatureVersion(),
          request.getSysSignatureAlgorithm());
      HttpRequest signed = request.signRequest(signer, credentials, FormatType.JSON,
          request.getSysProductDomain());
      hole.consume(signed.getSysUrl());
      Reader reader = ReaderFactory.createInstance(FormatType.JSON);
      UnmarshallerContext context = new UnmarshallerContext();
      context.setResponseMap(reader.read(ANSWER, "CancelOTATaskByJobResponse"));
      CancelOTATaskByJobResponse response = new CancelOTATaskByJobResponse();
      response.getInstance(context);
      results.add(result(jobId, response));
    }
    return JSON.writeValueAsString(results.size() == 1 ? results.get(0) : results);
  }

  @Benchmark
  public String client() throws Exception {
    JsonNode tree = JSON.readTree(event);
    List<ObjectNode> results = new ArrayList<>();
    for (String jobId : jobIds(tree)) {
      results.add(result(jobId, client.getAcsResponse(request(tree, jobId))));
    }
    return JSON.writeValueAsString(results.size() == 1 ? results.get(0) : results);
  }

  private static CancelOTATaskByJobRequest request(JsonNode event, String jobId) {
    CancelOTATaskByJobRequest request = new CancelOTATaskByJobRequest();
    request.setSysEndpoint(HOST);
    request.setSysProtocol(ProtocolType.HTTP);
    request.setJobId(jobId);
    request.setIotInstanceId(text(event, "IotInstanceId"));
    request.setCancelScheduledTask(flag(event, "CancelScheduledTask"));
    request.setCancelQueuedTask(flag(event, "CancelQueuedTask"));
    request.setCancelInProgressTask(flag(event, "CancelInProgressTask"));
    request.setCancelNotifiedTask(flag(event, "CancelNotifiedTask"));
    request.setCancelUnconfirmedTask(flag(event, "CancelUnconfirmedTask"));
    return request;
  }

  private static ObjectNode result(String jobId, CancelOTATaskByJobResponse response) {
    ObjectNode result = JSON.createObjectNode().put("JobId", jobId);
    if (response.getRequestId() != null) {
      result.put("RequestId", response.getRequestId());
    }
    result.put("Success", Boolean.TRUE.equals(response.getSuccess()));
    if (response.getCode() != null) {
      result.put("Code", response.getCode());
    }
    if (response.getErrorMessage() != null) {
      result.put("ErrorMessage", response.getErrorMessage());
    }
    return result;
  }

  private static List<String> jobIds(JsonNode event) {
    List<String> ids = new ArrayList<>();
    if (event.has("JobIds")) {
      for (JsonNode id : event.get("JobIds")) {
        ids.add(id.asText());
      }
    } else if (event.hasNonNull("JobId")) {
      ids.add(event.get("JobId").asText());
    } else {
      throw new IllegalArgumentException("event needs JobId or JobIds");
    }
    return ids;
  }

  private static Boolean flag(JsonNode event, String field) {
    return event.hasNonNull(field) ? event.get(field).asBoolean() : null;
  }

  private static String text(JsonNode event, String field) {
    return event.hasNonNull(field) ? event.get(field).asText() : null;
  }

  /** Answers every request with the canned success, as the loopback stub does. */
  public static final class CannedHttpClient extends com.aliyuncs.http.IHttpClient {
    public CannedHttpClient(HttpClientConfig config) throws ClientException {
      super(config);
    }

    @Override
    protected void init(HttpClientConfig config) {
    }

    @Override
    public com.aliyuncs.http.HttpResponse syncInvoke(HttpRequest request) {
      if (request.getSysUrl() == null || !request.getSysUrl().contains("Signature=")) {
        throw new IllegalStateException("unsigned");
      }
      com.aliyuncs.http.HttpResponse response = new com.aliyuncs.http.HttpResponse(request.getSysUrl());
      response.setStatus(200);
      response.setHttpContent(ANSWER.getBytes(StandardCharsets.UTF_8), "UTF-8", FormatType.JSON);
      return response;
    }

    @Override
    public java.util.concurrent.Future<com.aliyuncs.http.HttpResponse> asyncInvoke(HttpRequest request,
        com.aliyuncs.http.CallBack callback) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void ignoreSSLCertificate() {
    }

    @Override
    public void restoreSSLCertificate() {
    }

    @Override
    public boolean isSingleton() {
      return false;
    }

    @Override
    public void close() {
    }
  }
}
