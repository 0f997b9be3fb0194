package io.otacancel.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The signature nonces seen recently, per AccessKey id. */
final class NonceLedger {
  private final Duration memory;
  // Insertion order is arrival order, so the entries to forget are always at the head.
  private final LinkedHashMap<String, Instant> forgetAt = new LinkedHashMap<>();

  /** {@code memory}: how long a nonce stays used; longer than any request can stay valid. */
  NonceLedger(Duration memory) {
    this.memory = memory;
  }

  /** Records the nonce; false when it was already used within the memory. */
  synchronized boolean firstUse(String accessKeyId, String nonce, Instant now) {
    for (Iterator<Map.Entry<String, Instant>> oldest = forgetAt.entrySet().iterator();
        oldest.hasNext(); ) {
      if (oldest.next().getValue().isAfter(now)) {
        break;
      }
      oldest.remove();
    }
    return forgetAt.putIfAbsent(accessKeyId + '\n' + nonce, now.plus(memory)) == null;
  }

  synchronized void clear() {
    forgetAt.clear();
  }
}
