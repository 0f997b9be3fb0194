package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyuncs.auth.AcsURLEncoder;
import com.aliyuncs.auth.RpcSignatureComposer;
import com.aliyuncs.auth.signers.HmacSHA1Signer;
import com.aliyuncs.http.MethodType;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RpcSignatureTest {
  private static final String NONCE = "c5d1c1a4-1c64-4a0e-9f6e-0f0b6a1f7e21";
  private static final Instant TIME = Instant.parse("2024-05-01T08:00:00Z");
  private static final URI ENDPOINT = URI.create("https://iot.cn-shanghai.aliyuncs.com/");

  @Test
  void documentedExample_matchesAlibabasSignature() {
    TreeMap<String, String> parameters = new TreeMap<>();
    parameters.put("AccessKeyId", "testid");
    parameters.put("Action", "DescribeRegions");
    parameters.put("Format", "XML");
    parameters.put("SignatureMethod", "HMAC-SHA1");
    parameters.put("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
    parameters.put("SignatureVersion", "1.0");
    parameters.put("Timestamp", "2016-02-23T12:46:24Z");
    parameters.put("Version", "2014-05-26");

    assertEquals("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML"
        + "%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
        + "%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z"
        + "%26Version%3D2014-05-26", RpcSignature.stringToSign("GET", parameters));
    assertEquals("OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
        RpcSignature.signature("GET", parameters, "testsecret"));
  }

  @Test
  void newerDocumentedExample_matches() {
    TreeMap<String, String> parameters = new TreeMap<>();
    parameters.put("AccessKeyId", "testid");
    parameters.put("Action", "DescribeDedicatedHosts");
    parameters.put("Format", "JSON");
    parameters.put("RegionId", "cn-beijing");
    parameters.put("SignatureMethod", "HMAC-SHA1");
    parameters.put("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb");
    parameters.put("SignatureVersion", "1.0");
    parameters.put("Timestamp", "2023-03-13T08:34:30Z");
    parameters.put("Version", "2014-05-26");

    assertEquals("9NaGiOspFP5UPcwX8Iwt2YJXXuk=",
        RpcSignature.signature("GET", parameters, "testsecret"));
  }

  @Test
  void cancelOtaTaskByJob_post_matchesVerifiedVector() {
    SignedRequest signed = signedCancel("POST", Credentials.of("testid", "testsecret"));

    Map<String, String> query = query(signed.uri());
    assertEquals("AuGKq3Ka9Xr3MSnDN+fFgQ5dBVw=", query.get("Signature"));
    assertEquals("JSON", query.get("Format"));
    assertEquals("2024-05-01T08:00:00Z", query.get("Timestamp"));
    assertTrue(signed.uri().getRawQuery().contains("Signature=AuGKq3Ka9Xr3MSnDN%2BfFgQ5dBVw%3D"));
  }

  @Test
  void cancelOtaTaskByJob_get_matchesVerifiedVector() {
    SignedRequest signed = signedCancel("GET", Credentials.of("testid", "testsecret"));

    assertEquals("SL34LKf/kf5zFCV+mdyrwOPrEkc=", query(signed.uri()).get("Signature"));
  }

  @Test
  void stsCredentials_signTheSecurityToken() {
    SignedRequest signed =
        signedCancel("POST", Credentials.of("testid", "testsecret", "CAIS+test/token="));

    Map<String, String> query = query(signed.uri());
    assertEquals("CAIS+test/token=", query.get("SecurityToken"));
    assertEquals("PSrzdTP6FozZ0A04hiJskkt3fko=", query.get("Signature"));
  }

  @Test
  void maskedRequest_hidesTheTokenAndMostOfTheKeyIdAndSignature() {
    SignedRequest signed = signedCancel("POST",
        Credentials.of("LTAI5tExampleKeyId", "testsecret", "CAIS+secret-token"));

    assertTrue(signed.masked().contains("AccessKeyId=LTAI%2A%2A%2A%2A"), signed.masked());
    assertTrue(signed.masked().contains("SecurityToken=%2A%2A%2A%2A"), signed.masked());
    assertTrue(!signed.masked().contains("CAIS") && !signed.masked().contains("ExampleKeyId"));
    String signature = query(signed.uri()).get("Signature");
    assertTrue(!signed.masked().contains(RpcSignature.percentEncode(signature)),
        "a whole signature would make the dry run a replayable request");
  }

  @Test
  void signedRequest_printsOnlyItsMaskedForm() {
    SignedRequest signed = signedCancel("POST",
        Credentials.of("LTAI5tExampleKeyId", "testsecret", "CAIS+secret-token"));

    assertEquals(signed.masked(), signed.toString(), "a log line must not hold a usable request");
  }

  @Test
  void percentEncode_followsRfc3986() {
    assertEquals("a%20b", RpcSignature.percentEncode("a b"));
    assertEquals("%2A", RpcSignature.percentEncode("*"));
    assertEquals("~-_.", RpcSignature.percentEncode("~-_."));
    assertEquals("%2B%2F%3D%26%25", RpcSignature.percentEncode("+/=&%"));
    assertEquals("%C3%A9%E4%B8%AD%F0%9F%9A%80", RpcSignature.percentEncode("é中🚀"));
    assertEquals("%3A", RpcSignature.percentEncode(":"));
  }

  @Test
  void timestamp_isUtcSecondsWithZ() {
    assertEquals("2024-05-01T08:00:00Z", RpcV2Signer.timestamp(Instant.parse("2024-05-01T08:00:00.987Z")));
    assertEquals("0999-01-02T03:04:05Z", RpcV2Signer.timestamp(Instant.parse("0999-01-02T03:04:05Z")));
  }

  /** The official SDK's signer as an oracle, over generated inputs that need encoding. */
  @Test
  void generatedInputs_agreeWithTheOfficialSdk() throws Exception {
    Random random = new Random(20180120);
    String alphabet = "abcXYZ019 -_.~*+/=&%:?#[]@!$'(),;\"<>\\^`{|}éü中文🚀";
    int[] codePoints = alphabet.codePoints().toArray();
    HmacSHA1Signer sdkSigner = new HmacSHA1Signer();
    for (int i = 0; i < 500; i++) {
      Map<String, String> parameters = new HashMap<>();
      parameters.put("Action", "CancelOTATaskByJob");
      parameters.put("Version", "2018-01-20");
      parameters.put("JobId", randomText(random, codePoints));
      if (random.nextBoolean()) {
        parameters.put("IotInstanceId", randomText(random, codePoints));
      }
      parameters.put("CancelQueuedTask", "true");
      String secret = randomText(random, codePoints);
      String token = random.nextBoolean() ? randomText(random, codePoints) : null;
      String method = random.nextBoolean() ? "POST" : "GET";

      SignedRequest signed = new RpcV2Signer().sign(method, ENDPOINT, parameters,
          Credentials.of("id-" + i, secret, token), TIME, "nonce-" + i);
      Map<String, String> sent = query(signed.uri());
      String ours = sent.remove("Signature");

      String sdkStringToSign = RpcSignatureComposer.getComposer().composeStringToSign(
          MethodType.valueOf(method), null, sdkSigner, new HashMap<>(sent), null, null);
      assertEquals(sdkStringToSign, RpcSignature.stringToSign(method, new TreeMap<>(sent)));
      assertEquals(sdkSigner.signString(sdkStringToSign, secret.trim() + "&"), ours,
          "inputs " + sent);
      assertEquals(AcsURLEncoder.percentEncode(parameters.get("JobId")),
          RpcSignature.percentEncode(parameters.get("JobId")));
    }
  }

  private static String randomText(Random random, int[] codePoints) {
    StringBuilder text = new StringBuilder("x");
    int length = 1 + random.nextInt(20);
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
    }
    return text.append('x').toString();
  }

  /** The verified vectors' cancel request, signed at {@code TIME} with {@code NONCE}. */
  private static SignedRequest signedCancel(String method, Credentials credentials) {
    return new RpcV2Signer().sign(method, ENDPOINT, cancelParameters(), credentials, TIME, NONCE);
  }

  private static Map<String, String> cancelParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("Action", "CancelOTATaskByJob");
    parameters.put("Version", "2018-01-20");
    parameters.put("JobId", "7glPHmaDYLAYMD1HHutT02****");
    parameters.put("IotInstanceId", "iot-cn-0pp1n8t****");
    parameters.put("CancelQueuedTask", "true");
    parameters.put("CancelScheduledTask", "true");
    return parameters;
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> query = new TreeMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return query;
  }
}
