package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtaCancelConfigTest {
  @Test
  void region_selectsThePublicEndpoint() {
    OtaCancelConfig config = OtaCancelConfig.fromEnv(Map.of("IOT_REGION_ID", "ap-southeast-1"));
    assertEquals(URI.create("https://iot.ap-southeast-1.aliyuncs.com/"), config.endpoint());
  }

  @Test
  void fcRegion_isTheFallback_andIotRegionIdWins() {
    assertEquals(URI.create("https://iot.cn-shanghai.aliyuncs.com/"),
        OtaCancelConfig.fromEnv(Map.of("FC_REGION", "cn-shanghai")).endpoint());
    assertEquals(URI.create("https://iot.eu-central-1.aliyuncs.com/"), OtaCancelConfig.fromEnv(
        Map.of("FC_REGION", "cn-shanghai", "IOT_REGION_ID", "eu-central-1")).endpoint());
  }

  @Test
  void endpointOverride_winsOverRegion() {
    OtaCancelConfig config = OtaCancelConfig.fromEnv(Map.of("IOT_REGION_ID", "cn-shanghai",
        "IOT_ENDPOINT", "https://iot.example.internal:8443"));
    assertEquals(URI.create("https://iot.example.internal:8443/"), config.endpoint());
  }

  @ParameterizedTest
  @CsvSource({"http://127.0.0.1:8080/", "http://localhost:9/", "http://[::1]:80/",
      "http://[::1]/", "http://127.1.2.3/"})
  void plainHttp_isAcceptedForLoopback(String endpoint) {
    assertEquals(URI.create(endpoint),
        OtaCancelConfig.fromEnv(Map.of("IOT_ENDPOINT", endpoint)).endpoint());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://iot.cn-shanghai.aliyuncs.com/|IOT_ENDPOINT may use plain http only for a loopback host: http://iot.cn-shanghai.aliyuncs.com/",
      "http://10.0.0.1/|IOT_ENDPOINT may use plain http only for a loopback host: http://10.0.0.1/",
      "http://localhost.evil.com/|IOT_ENDPOINT may use plain http only for a loopback host: http://localhost.evil.com/",
      "http://example.com/|IOT_ENDPOINT may use plain http only for a loopback host: http://example.com/",
      // Names that DNS resolves to loopback are still names, and DNS is not trusted.
      "http://127.0.0.1.nip.io/|IOT_ENDPOINT may use plain http only for a loopback host: http://127.0.0.1.nip.io/",
      "http://localhost./|IOT_ENDPOINT may use plain http only for a loopback host: http://localhost./",
      "ftp://127.0.0.1/|IOT_ENDPOINT must be an https:// URL: ftp://127.0.0.1/",
      "iot.cn-shanghai.aliyuncs.com|IOT_ENDPOINT must be an https:// URL: iot.cn-shanghai.aliyuncs.com",
      "https://user:pw@iot.example.com/|IOT_ENDPOINT must not carry user info, a query or a fragment: https://****@iot.example.com/",
      "https://iot.example.com/?a=b|IOT_ENDPOINT must not carry user info, a query or a fragment: https://iot.example.com/?a=b",
      "https://exa mple.com/|IOT_ENDPOINT is not a URL: https://exa mple.com/",
  })
  void badEndpoint_isAConfigurationError(String endpoint, String message) {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> OtaCancelConfig.fromEnv(Map.of("IOT_ENDPOINT", endpoint)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void noRegionNoEndpoint_isAConfigurationError() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> OtaCancelConfig.fromEnv(Map.of()));
    assertEquals("No IoT endpoint: set IOT_REGION_ID (e.g. cn-shanghai) or IOT_ENDPOINT",
        e.getMessage());
    assertEquals("ConfigurationError", e.code());
  }

  @Test
  void regionThatCouldRedirectTheHost_isRefused() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> OtaCancelConfig.fromEnv(Map.of("IOT_REGION_ID", "evil.com/x")));
    assertEquals("IOT_REGION_ID is not a region id: evil.com/x", e.getMessage());
  }

  @Test
  void defaults() {
    OtaCancelConfig config = OtaCancelConfig.fromEnv(Map.of("IOT_REGION_ID", "cn-shanghai"));
    assertNull(config.defaultInstanceId());
    assertEquals(5.0, config.maxQps());
    assertEquals(4, config.maxAttempts());
    assertEquals(Duration.ofSeconds(3), config.connectTimeout());
    assertEquals(Duration.ofSeconds(10), config.requestTimeout());
    assertFalse(config.dryRun());
    assertEquals("unconfigured", config.webhookAuth().toString());
  }

  @Test
  void everyKnob_isRead() {
    OtaCancelConfig config = OtaCancelConfig.fromEnv(Map.of("IOT_REGION_ID", "cn-shanghai",
        "IOT_INSTANCE_ID", "iot-cn-42", "IOT_MAX_QPS", "2.5", "IOT_MAX_ATTEMPTS", "2",
        "IOT_CONNECT_TIMEOUT_MS", "100", "IOT_REQUEST_TIMEOUT_MS", "200",
        "DEADLINE_MARGIN_MS", "50", "DRY_RUN", "true", "WEBHOOK_TOKEN", "t"));
    assertEquals("iot-cn-42", config.defaultInstanceId());
    assertEquals(2.5, config.maxQps());
    assertEquals(2, config.maxAttempts());
    assertEquals(Duration.ofMillis(100), config.connectTimeout());
    assertEquals(Duration.ofMillis(200), config.requestTimeout());
    assertEquals(Duration.ofMillis(50), config.deadlineMargin());
    assertTrue(config.dryRun());
    assertEquals("token", config.webhookAuth().toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "IOT_MAX_QPS|0|IOT_MAX_QPS must be a number above 0 and at most 1000: 0",
      "IOT_MAX_QPS|fast|IOT_MAX_QPS must be a number above 0 and at most 1000: fast",
      "IOT_MAX_ATTEMPTS|0|IOT_MAX_ATTEMPTS must be a whole number from 1 to 10: 0",
      "IOT_REQUEST_TIMEOUT_MS|0|IOT_REQUEST_TIMEOUT_MS must be a whole number from 1 to 900000: 0",
      "DRY_RUN|maybe|DRY_RUN must be true or false: maybe",
      "WEBHOOK_AUTH|off|WEBHOOK_AUTH may only be 'none': off",
  })
  void badValue_namesTheVariable(String name, String value, String message) {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> OtaCancelConfig.fromEnv(Map.of("IOT_REGION_ID", "cn-shanghai", name, value)));
    assertEquals(message, e.getMessage());
  }

  @Test
  void authNone_withASecret_isAContradiction() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> OtaCancelConfig.fromEnv(Map.of("IOT_REGION_ID", "cn-shanghai",
            "WEBHOOK_AUTH", "none", "WEBHOOK_SECRET", "s3cr3t")));
    assertEquals("WEBHOOK_AUTH=none contradicts WEBHOOK_TOKEN / WEBHOOK_SECRET: unset one of them",
        e.getMessage());
  }

  @Test
  void toString_carriesNoSecret() {
    OtaCancelConfig config = OtaCancelConfig.fromEnv(Map.of("IOT_REGION_ID", "cn-shanghai",
        "WEBHOOK_TOKEN", "tok-secret-1", "WEBHOOK_SECRET", "hmac-secret-2",
        "ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIkeyid", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sk-3"));
    String text = config.toString() + config.webhookAuth();
    assertFalse(text.contains("tok-secret-1") || text.contains("hmac-secret-2")
        || text.contains("sk-3"), text);
  }
}
