package io.otacancel.core;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * Signs one RPC call. One implementation per Alibaba Cloud signature algorithm: V2 (HMAC-SHA1)
 * today; V3 ({@code ACS3-HMAC-SHA256}, signed headers) would be a second.
 */
interface RequestSigner {
  /**
   * @param parameters the action's parameters, {@code Action} and {@code Version} included
   * @param now the signing time; every attempt signs afresh
   * @param nonce unique per attempt: IoT refuses a nonce it has seen
   */
  SignedRequest sign(String method, URI endpoint, Map<String, String> parameters,
      Credentials credentials, Instant now, String nonce);
}
