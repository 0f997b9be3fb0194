package io.otacancel.core;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the function reads from its environment, read in one place.
 *
 * <p>Credentials are not held here: they are resolved per invocation (see {@link
 * Credentials#resolve}) from the explicit ones a platform passes or from {@link #environment()}.
 */
final class OtaCancelConfig {
  /** Calls per second allowed to one Alibaba Cloud account for {@code CancelOTATaskByJob}. */
  public static final double DEFAULT_MAX_QPS = 5;

  private final URI endpoint;
  private final String defaultInstanceId;
  private final double maxQps;
  private final int maxAttempts;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final Duration deadlineMargin;
  private final boolean dryRun;
  private final WebhookAuth webhookAuth;
  private final Map<String, String> environment;

  private OtaCancelConfig(Map<String, String> env) {
    this.endpoint = endpoint(env);
    this.defaultInstanceId = blankToNull(env.get("IOT_INSTANCE_ID"));
    this.maxQps = positiveNumber(env, "IOT_MAX_QPS", DEFAULT_MAX_QPS);
    this.maxAttempts = (int) wholeNumber(env, "IOT_MAX_ATTEMPTS", 4, 1, 10);
    this.connectTimeout = millis(env, "IOT_CONNECT_TIMEOUT_MS", 3_000, 1);
    this.requestTimeout = millis(env, "IOT_REQUEST_TIMEOUT_MS", 10_000, 1);
    this.deadlineMargin = millis(env, "DEADLINE_MARGIN_MS", 500, 0);
    this.dryRun = bool(env, "DRY_RUN");
    this.webhookAuth = WebhookAuth.fromEnv(env);
    Map<String, String> copy = new HashMap<>();
    for (String name : new String[] {Credentials.ENV_ACCESS_KEY_ID,
        Credentials.ENV_ACCESS_KEY_SECRET, Credentials.ENV_SECURITY_TOKEN}) {
      if (env.containsKey(name)) {
        copy.put(name, env.get(name));
      }
    }
    this.environment = Collections.unmodifiableMap(copy);
  }

  /**
   * Reads the configuration.
   *
   * @throws ConfigurationException naming the variable that is missing or invalid
   */
  public static OtaCancelConfig fromEnv(Map<String, String> env) {
    return new OtaCancelConfig(env);
  }

  private static URI endpoint(Map<String, String> env) {
    String override = blankToNull(env.get("IOT_ENDPOINT"));
    if (override != null) {
      return checkedEndpoint(override);
    }
    String region = blankToNull(env.get("IOT_REGION_ID"));
    String variable = "IOT_REGION_ID";
    if (region == null) {
      region = blankToNull(env.get("FC_REGION"));
      variable = "FC_REGION";
    }
    if (region == null) {
      throw new ConfigurationException(
          "No IoT endpoint: set IOT_REGION_ID (e.g. cn-shanghai) or IOT_ENDPOINT");
    }
    if (!isRegionId(region)) {
      throw new ConfigurationException(variable + " is not a region id: " + region);
    }
    return URI.create("https://iot." + region + ".aliyuncs.com/");
  }

  /**
   * Lower-case letters, digits and dashes, starting with a letter, with at least one dash (e.g.
   * {@code cn-shanghai}): nothing that could change the host name. Checked by hand, as the
   * regular expression engine costs a cold start milliseconds.
   */
  private static boolean isRegionId(String region) {
    if (region.isEmpty() || !(region.charAt(0) >= 'a' && region.charAt(0) <= 'z')
        || region.endsWith("-") || region.indexOf('-') < 0 || region.contains("--")) {
      return false;
    }
    for (int i = 0; i < region.length(); i++) {
      char c = region.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static URI checkedEndpoint(String endpoint) {
    // Messages show the value without any user info, which may hold a password.
    int at = endpoint.indexOf('@');
    int schemeEnd = endpoint.indexOf("://");
    String value = at > schemeEnd && schemeEnd >= 0
        ? endpoint.substring(0, schemeEnd + 3) + "****" + endpoint.substring(at) : endpoint;
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw new ConfigurationException("IOT_ENDPOINT is not a URL: " + value);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new ConfigurationException("IOT_ENDPOINT must be an https:// URL: " + value);
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new ConfigurationException(
          "IOT_ENDPOINT must not carry user info, a query or a fragment: " + value);
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new ConfigurationException(
          "IOT_ENDPOINT may use plain http only for a loopback host: " + value);
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (!isAddressLiteral(literal)) {
      return false; // a name other than localhost would need DNS, which we never trust here
    }
    try {
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isAddressLiteral(String host) {
    boolean ipv6 = host.indexOf(':') >= 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      boolean hex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!(ipv6 ? hex || c == ':' : digit || c == '.')) {
        return false;
      }
    }
    return !host.isEmpty();
  }

  private static double positiveNumber(Map<String, String> env, String name, double fallback) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    try {
      double number = Double.parseDouble(value);
      if (number > 0 && number <= 1000) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException(name + " must be a number above 0 and at most 1000: "
        + value);
  }

  private static long wholeNumber(
      Map<String, String> env, String name, long fallback, long min, long max) {
    String value = blankToNull(env.get(name));
    if (value == null) {
      return fallback;
    }
    try {
      long number = Long.parseLong(value.trim());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigurationException(
        name + " must be a whole number from " + min + " to " + max + ": " + value);
  }

  private static Duration millis(
      Map<String, String> env, String name, long fallback, long min) {
    return Duration.ofMillis(wholeNumber(env, name, fallback, min, 900_000));
  }

  static boolean bool(Map<String, String> env, String name) {
    String value = blankToNull(env.get(name));
    if (value == null || value.equalsIgnoreCase("false") || value.equals("0")) {
      return false;
    }
    if (value.equalsIgnoreCase("true") || value.equals("1")) {
      return true;
    }
    throw new ConfigurationException(name + " must be true or false: " + value);
  }

  static String blankToNull(String value) {
    return value == null || value.trim().isEmpty() ? null : value.trim();
  }

  /** The RPC endpoint, e.g. {@code https://iot.cn-shanghai.aliyuncs.com/}. */
  public URI endpoint() {
    return endpoint;
  }

  /** {@code IOT_INSTANCE_ID}: the {@code IotInstanceId} for requests that name none; or null. */
  public String defaultInstanceId() {
    return defaultInstanceId;
  }

  /** {@code IOT_MAX_QPS}: the client-side rate limit, shared by all calls in the process. */
  public double maxQps() {
    return maxQps;
  }

  /** {@code IOT_MAX_ATTEMPTS}: attempts per job, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** {@code IOT_CONNECT_TIMEOUT_MS}. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** {@code IOT_REQUEST_TIMEOUT_MS}: the most one attempt may take to answer. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** {@code DEADLINE_MARGIN_MS}: kept back from the platform's remaining time to answer in. */
  public Duration deadlineMargin() {
    return deadlineMargin;
  }

  /** {@code DRY_RUN}: sign and show requests, send nothing. */
  public boolean dryRun() {
    return dryRun;
  }

  /** How HTTP callers authenticate. */
  public WebhookAuth webhookAuth() {
    return webhookAuth;
  }

  /** The credential variables of the environment, for {@link Credentials#resolve}. */
  public Map<String, String> environment() {
    return environment;
  }

  @Override
  public String toString() {
    return "OtaCancelConfig{endpoint=" + endpoint + ", defaultInstanceId=" + defaultInstanceId
        + ", maxQps=" + maxQps + ", maxAttempts=" + maxAttempts + ", dryRun=" + dryRun
        + ", webhookAuth=" + webhookAuth + "}";
  }
}
