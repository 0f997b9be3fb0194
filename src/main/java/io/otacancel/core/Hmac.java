package io.otacancel.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC (RFC 2104) over a {@link MessageDigest} of the default provider.
 *
 * <p>Why not {@code javax.crypto.Mac}: its first use initialises the JCE framework (crypto policy
 * files, the provider list), which costs a cold start more than the rest of signing. The
 * construction is the standard one; tests check it against {@code Mac} and the RFC vectors.
 */
final class Hmac {
  /** The block size of SHA-1 and SHA-256. */
  private static final int BLOCK = 64;

  private Hmac() {}

  static byte[] sha1(byte[] key, byte[]... message) {
    return compute("SHA-1", key, message);
  }

  static byte[] sha256(byte[] key, byte[]... message) {
    return compute("SHA-256", key, message);
  }

  private static byte[] compute(String algorithm, byte[] key, byte[]... message) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JVM", e);
    }
    byte[] block = Arrays.copyOf(key.length > BLOCK ? digest.digest(key) : key, BLOCK);
    byte[] inner = new byte[BLOCK];
    byte[] outer = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      inner[i] = (byte) (block[i] ^ 0x36);
      outer[i] = (byte) (block[i] ^ 0x5c);
    }
    digest.update(inner);
    for (byte[] part : message) {
      digest.update(part);
    }
    byte[] innerHash = digest.digest();
    digest.update(outer);
    return digest.digest(innerHash);
  }
}
