package io.otacancel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyuncs.CommonRequest;
import com.aliyuncs.CommonResponse;
import com.aliyuncs.CommonRpcRequest;
import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.auth.AcsURLEncoder;
import com.aliyuncs.auth.BasicSessionCredentials;
import com.aliyuncs.auth.RpcSignatureComposer;
import com.aliyuncs.auth.signers.HmacSHA1Signer;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.MethodType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otacancel.core.Credentials;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator against the official sdk-core signer and client, so that a bug shared by our
 * client and the emulator (both sign with {@code RpcSignature}) cannot hide.
 */
class IotEmulatorSdkCrossCheckTest {
  @AutoClose
  private static final IotEmulator emulator = IotEmulator.builder().callsPerSecond(1_000).start();

  @BeforeEach
  void reset() {
    emulator.reset();
  }

  @Test
  void requestSignedByTheSdkSigner_isAccepted() throws Exception {
    assertAccepted(signedBySdk(emulator.demoCredentials()));
  }

  @Test
  void stsRequestSignedByTheSdkSigner_isAccepted() throws Exception {
    assertAccepted(signedBySdk(emulator.demoStsCredentials()));
  }

  @Test
  void sdkClient_cancels() throws Exception {
    DefaultAcsClient client = client(emulator.demoCredentials().accessKeySecret());
    try {
      CommonResponse response = client.getCommonResponse(cancelRequest());

      assertEquals(200, response.getHttpStatus());
      assertTrue(new ObjectMapper().readTree(response.getData()).get("Success").asBoolean());
      assertEquals(5, emulator.taskCounts("demo-job-1").get("CANCELED"));
    } finally {
      client.shutdown();
    }
  }

  @Test
  void sdkClient_withStsCredentials_cancels() throws Exception {
    Credentials sts = emulator.demoStsCredentials();
    DefaultAcsClient client = new DefaultAcsClient(DefaultProfile.getProfile("cn-shanghai"),
        new BasicSessionCredentials(sts.accessKeyId(), sts.accessKeySecret(),
            sts.securityToken()));
    try {
      assertEquals(200, client.getCommonResponse(cancelRequest()).getHttpStatus());
    } finally {
      client.shutdown();
    }
  }

  @Test
  void sdkClient_recognisesTheEchoedStringToSign() {
    DefaultAcsClient client = client("not-the-secret");
    try {
      // The path of typed requests such as the iot SDK's; getCommonResponse skips the check.
      CommonRpcRequest typed = (CommonRpcRequest) cancelRequest().buildRequest();

      ClientException e = assertThrows(ClientException.class, () -> client.getAcsResponse(typed));

      // sdk-core says this only when the echo equals its own string to sign.
      assertEquals("SDK.InvalidAccessKeySecret", e.getErrCode());
    } finally {
      client.shutdown();
    }
  }

  private static Map<String, String> signedBySdk(Credentials credentials) throws Exception {
    HmacSHA1Signer signer = new HmacSHA1Signer();
    Map<String, String> parameters = new HashMap<>();
    parameters.put("Action", "CancelOTATaskByJob");
    parameters.put("Version", "2018-01-20");
    parameters.put("JobId", "demo-job-1");
    parameters.put("CancelQueuedTask", "true");
    parameters.put("AccessKeyId", credentials.accessKeyId());
    if (credentials.securityToken() != null) {
      parameters.put("SecurityToken", credentials.securityToken());
    }
    RpcSignatureComposer composer = (RpcSignatureComposer) RpcSignatureComposer.getComposer();
    Map<String, String> signed = composer.refreshSignParameters(
        parameters, signer, credentials.accessKeyId(), FormatType.JSON);
    String stringToSign =
        composer.composeStringToSign(MethodType.POST, null, signer, signed, null, null);
    signed.put("Signature", signer.signString(stringToSign, credentials.accessKeySecret() + "&"));
    return signed;
  }

  /** Sends the parameters as sdk-core does: a POST with all of them in the query. */
  private static void assertAccepted(Map<String, String> parameters) throws Exception {
    String query = parameters.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    HttpURLConnection http = (HttpURLConnection) emulator.endpoint().resolve("/?" + query)
        .toURL().openConnection();
    http.setRequestMethod("POST");

    int status = http.getResponseCode();
    try (InputStream in = status < 400 ? http.getInputStream() : http.getErrorStream()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(200, status, body);
      assertTrue(new ObjectMapper().readTree(body).get("Success").asBoolean(), body);
    }
    assertEquals(5, emulator.taskCounts("demo-job-1").get("CANCELED"));
  }

  private static String encode(String value) {
    try {
      return AcsURLEncoder.encode(value);
    } catch (java.io.UnsupportedEncodingException e) {
      throw new AssertionError(e);
    }
  }

  private static DefaultAcsClient client(String secret) {
    return new DefaultAcsClient(DefaultProfile.getProfile("cn-shanghai",
        emulator.demoCredentials().accessKeyId(), secret));
  }

  private static CommonRequest cancelRequest() {
    CommonRequest request = new CommonRequest();
    request.setSysMethod(MethodType.POST);
    request.setSysProtocol(ProtocolType.HTTP);
    request.setSysDomain(emulator.endpoint().getAuthority());
    request.setSysVersion("2018-01-20");
    request.setSysAction("CancelOTATaskByJob");
    request.putQueryParameter("JobId", "demo-job-1");
    request.putQueryParameter("CancelQueuedTask", "true");
    return request;
  }
}
