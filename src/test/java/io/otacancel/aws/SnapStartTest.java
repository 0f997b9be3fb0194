package io.otacancel.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.otacancel.testing.LoopbackIot;
import io.otacancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;
import org.junit.jupiter.api.Test;

class SnapStartTest {
  /** A CRaC context that only records what is registered with it. */
  private static final class RecordingContext extends Context<Resource> {
    final List<Resource> registered = new ArrayList<>();

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {}

    @Override
    public void afterRestore(Context<? extends Resource> context) {}

    @Override
    public void register(Resource resource) {
      registered.add(resource);
    }
  }

  @Test
  void constructor_registersItsHookWithTheCracContext() {
    RecordingContext crac = new RecordingContext();

    LambdaHandler handler = new LambdaHandler(Map.of(), crac);

    assertEquals(List.of(handler.priming()), crac.registered);
  }

  @Test
  void hooks_primeWithoutContactingIot_andTheHandlerWorksAfterRestore() throws Exception {
    try (LoopbackIot iot = LoopbackIot.start()) {
      LambdaHandler handler = new LambdaHandler(iot.env());

      handler.priming().beforeCheckpoint(null);
      handler.priming().afterRestore(null);

      assertEquals(List.of(), iot.received());
      assertEquals(List.of(), iot.refused());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handler.handleRequest(new ByteArrayInputStream(Fixtures.bytes("events/direct-single.json")),
          out, new TestContext(30_000));
      Fixtures.assertAnswer("direct-single.json", out.toByteArray());
    }
  }

  @Test
  void beforeCheckpoint_withABrokenConfiguration_stillPrimes() throws Exception {
    LambdaHandler handler = new LambdaHandler(Map.of());

    handler.priming().beforeCheckpoint(null);
  }
}
