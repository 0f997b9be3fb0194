package io.otacancel.core;

import java.util.Map;
import java.util.Objects;

/**
 * An Alibaba Cloud AccessKey pair, with the security token when it is a temporary STS credential.
 *
 * <p>Credentials are resolved for every invocation and never cached: an STS token from FC expires
 * within minutes. {@link #toString()} never shows the secret or the token.
 */
public final class Credentials {
  static final String ENV_ACCESS_KEY_ID = "ALIBABA_CLOUD_ACCESS_KEY_ID";
  static final String ENV_ACCESS_KEY_SECRET = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
  static final String ENV_SECURITY_TOKEN = "ALIBABA_CLOUD_SECURITY_TOKEN";

  private final String accessKeyId;
  private final String accessKeySecret;
  private final String securityToken;

  private Credentials(String accessKeyId, String accessKeySecret, String securityToken) {
    this.accessKeyId = accessKeyId;
    this.accessKeySecret = accessKeySecret;
    this.securityToken = securityToken;
  }

  /** A long-lived AccessKey pair. */
  public static Credentials of(String accessKeyId, String accessKeySecret) {
    return of(accessKeyId, accessKeySecret, null);
  }

  /** An AccessKey pair; {@code securityToken} is null or blank for a long-lived key. */
  public static Credentials of(String accessKeyId, String accessKeySecret, String securityToken) {
    if (isBlank(accessKeyId)) {
      throw new IllegalArgumentException("accessKeyId is blank");
    }
    if (isBlank(accessKeySecret)) {
      throw new IllegalArgumentException("accessKeySecret is blank");
    }
    return new Credentials(accessKeyId.trim(), accessKeySecret.trim(),
        isBlank(securityToken) ? null : securityToken.trim());
  }

  /**
   * The provider chain: {@code explicit} when given (the FC adapter passes the invocation's STS
   * credentials), otherwise {@code ALIBABA_CLOUD_ACCESS_KEY_ID} / {@code
   * ALIBABA_CLOUD_ACCESS_KEY_SECRET} / optional {@code ALIBABA_CLOUD_SECURITY_TOKEN}.
   *
   * @throws ConfigurationException when neither source has a complete pair
   */
  public static Credentials resolve(Credentials explicit, Map<String, String> env) {
    if (explicit != null) {
      return explicit;
    }
    Credentials fromEnv = fromEnv(env);
    if (fromEnv == null) {
      throw new ConfigurationException("No Alibaba Cloud credentials: set "
          + ENV_ACCESS_KEY_ID + " and " + ENV_ACCESS_KEY_SECRET
          + " (and " + ENV_SECURITY_TOKEN + " for STS credentials)");
    }
    return fromEnv;
  }

  /** The credentials in the environment, or null when there are none. */
  public static Credentials fromEnv(Map<String, String> env) {
    String id = env.get(ENV_ACCESS_KEY_ID);
    String secret = env.get(ENV_ACCESS_KEY_SECRET);
    if (isBlank(id) && isBlank(secret)) {
      return null;
    }
    if (isBlank(id) || isBlank(secret)) {
      throw new ConfigurationException("Incomplete Alibaba Cloud credentials: "
          + (isBlank(id) ? ENV_ACCESS_KEY_ID : ENV_ACCESS_KEY_SECRET) + " is not set");
    }
    return of(id, secret, env.get(ENV_SECURITY_TOKEN));
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public String accessKeySecret() {
    return accessKeySecret;
  }

  /** The STS security token, or null for a long-lived AccessKey. */
  public String securityToken() {
    return securityToken;
  }

  /** The AccessKey id with all but its first four characters hidden, for logs and dry runs. */
  public String maskedAccessKeyId() {
    return mask(accessKeyId);
  }

  /**
   * {@code text} with the token and the secret replaced by {@code ****}, as they are and
   * percent-encoded once or twice: IoT's {@code SignatureDoesNotMatch} message echoes the string
   * to sign, which holds the {@code SecurityToken}.
   */
  String redact(String text) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    for (String secret : new String[] {securityToken, accessKeySecret}) {
      if (secret != null) {
        String once = RpcSignature.percentEncode(secret);
        redacted = redacted.replace(secret, "****").replace(once, "****")
            .replace(RpcSignature.percentEncode(once), "****");
      }
    }
    return redacted;
  }

  static String mask(String value) {
    if (value.length() <= 4) {
      return "****";
    }
    return value.substring(0, 4) + "****";
  }

  static boolean isBlank(String s) {
    return s == null || s.trim().isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Credentials)) {
      return false;
    }
    Credentials other = (Credentials) o;
    return accessKeyId.equals(other.accessKeyId)
        && accessKeySecret.equals(other.accessKeySecret)
        && Objects.equals(securityToken, other.securityToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(accessKeyId, accessKeySecret, securityToken);
  }

  @Override
  public String toString() {
    return "Credentials{accessKeyId=" + maskedAccessKeyId()
        + (securityToken == null ? "" : ", sts") + "}";
  }
}
