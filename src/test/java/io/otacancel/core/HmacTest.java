package io.otacancel.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Hex;
import org.junit.jupiter.api.Test;

class HmacTest {
  @Test
  void rfc2202_sha1Vectors() {
    assertEquals("b617318655057264e28bc0b6fb378c8ef146be00",
        hex(Hmac.sha1(repeat(0x0b, 20), ascii("Hi There"))));
    assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
        hex(Hmac.sha1(ascii("Jefe"), ascii("what do ya want for nothing?"))));
    assertEquals("aa4ae5e15272d00e95705637ce8a3b55ed402112", hex(Hmac.sha1(repeat(0xaa, 80),
        ascii("Test Using Larger Than Block-Size Key - Hash Key First"))));
  }

  @Test
  void rfc4231_sha256Vectors() {
    assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        hex(Hmac.sha256(repeat(0x0b, 20), ascii("Hi There"))));
    assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        hex(Hmac.sha256(repeat(0xaa, 131),
            ascii("Test Using Larger Than Block-Size Key - Hash Key First"))));
  }

  @Test
  void agreesWithJavaxCryptoMac_overGeneratedKeysAndMessages() throws Exception {
    Random random = new Random(2104);
    for (int i = 0; i < 300; i++) {
      byte[] key = new byte[random.nextInt(150)];
      byte[] first = new byte[random.nextInt(300)];
      byte[] second = new byte[random.nextInt(50)];
      random.nextBytes(key);
      random.nextBytes(first);
      random.nextBytes(second);
      assertArrayEquals(jdk("HmacSHA1", key, first, second), Hmac.sha1(key, first, second));
      assertArrayEquals(jdk("HmacSHA256", key, first, second), Hmac.sha256(key, first, second));
    }
  }

  private static byte[] jdk(String algorithm, byte[] key, byte[] first, byte[] second)
      throws Exception {
    Mac mac = Mac.getInstance(algorithm);
    // SecretKeySpec refuses an empty key; HMAC pads keys with zeros, so one zero byte is the same.
    mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
    mac.update(first);
    return mac.doFinal(second);
  }

  private static byte[] repeat(int value, int count) {
    byte[] bytes = new byte[count];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static String hex(byte[] bytes) {
    return Hex.encodeHexString(bytes);
  }
}
