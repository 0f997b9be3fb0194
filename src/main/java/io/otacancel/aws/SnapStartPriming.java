package io.otacancel.aws;

import io.otacancel.core.Json;
import io.otacancel.core.OtaCancelFunction;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;

/**
 * SnapStart runtime hooks. Before the snapshot, runs the invocation path once without the
 * network so the snapshot holds its classes loaded and initialised; after a restore, nothing is
 * left to refresh.
 *
 * <p>Why nothing: no credentials are fetched or cached. Alibaba Cloud credentials are resolved
 * per invocation from the environment variables, which belong to the published version the
 * snapshot was taken of and are the same after every restore. Priming signs with throwaway
 * credentials and a fixed nonce and keeps no result; no connection is opened, so none can go
 * stale; every signing takes its own timestamp and a fresh random nonce ({@code
 * UUID.randomUUID()}, which draws on {@code SecureRandom}).
 */
final class SnapStartPriming implements Resource {
  private static final String SAMPLE_EVENT = "{\"version\":\"2.0\",\"rawPath\":\"/\","
      + "\"rawQueryString\":\"JobId=prime\",\"headers\":{\"content-type\":\"application/json\"},"
      + "\"requestContext\":{\"http\":{\"method\":\"POST\",\"path\":\"/\"}},"
      + "\"body\":\"e30=\",\"isBase64Encoded\":true}";

  private final OtaCancelFunction function;

  SnapStartPriming(OtaCancelFunction function) {
    this.function = function;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    function.prime();
    // The adapter's own path: event parsing, translation, proxy response.
    Map<String, Object> event = Json.asObject(Json.parse(SAMPLE_EVENT));
    HttpEvents.isRestApi(event);
    HttpEvents.fromHttpApi(event);
    HttpEvents.proxyResponse(200, "{}");
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to refresh: see the class comment.
  }
}
