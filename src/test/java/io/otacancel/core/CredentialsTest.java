package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  private static final Map<String, String> ENV = Map.of(
      "ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIenvKey",
      "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret");

  @Test
  void explicitCredentials_comeFirst() {
    Credentials sts = Credentials.of("STS.key", "sts-secret", "sts-token");
    assertSame(sts, Credentials.resolve(sts, ENV));
  }

  @Test
  void environment_isTheFallback() {
    Credentials credentials = Credentials.resolve(null, ENV);
    assertEquals("LTAIenvKey", credentials.accessKeyId());
    assertNull(credentials.securityToken());
  }

  @Test
  void environmentSecurityToken_isRead() {
    Credentials credentials = Credentials.resolve(null, Map.of(
        "ALIBABA_CLOUD_ACCESS_KEY_ID", "STS.k", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "s",
        "ALIBABA_CLOUD_SECURITY_TOKEN", "tok"));
    assertEquals("tok", credentials.securityToken());
  }

  @Test
  void missingCredentials_isAClearConfigurationError() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Credentials.resolve(null, Map.of()));
    assertEquals("No Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and "
        + "ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials)",
        e.getMessage());
  }

  @Test
  void halfAPair_namesTheMissingVariable() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Credentials.resolve(null, Map.of("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIx")));
    assertEquals("Incomplete Alibaba Cloud credentials: ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set",
        e.getMessage());
  }

  @Test
  void redact_hidesTheTokenAndSecret_rawAndPercentEncoded() {
    Credentials sts = Credentials.of("STS.key", "se/cret", "CAIS+tok/en=");
    String echo = "server string to sign is:POST&%2F&AccessKeyId%3DSTS.key"
        + "%26SecurityToken%3DCAIS%252Btok%252Fen%253D%26x tok CAIS+tok/en= se%2Fcret";

    assertEquals("server string to sign is:POST&%2F&AccessKeyId%3DSTS.key"
        + "%26SecurityToken%3D****%26x tok **** ****", sts.redact(echo));
  }

  @Test
  void toString_showsNeitherSecretNorToken() {
    assertEquals("Credentials{accessKeyId=STS.****, sts}",
        Credentials.of("STS.longkeyid", "the-secret", "the-token").toString());
  }
}
