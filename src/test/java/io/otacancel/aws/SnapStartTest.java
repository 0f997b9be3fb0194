package io.otacancel.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.verify;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;

class SnapStartTest {
  @Test
  @SuppressWarnings("unchecked")
  void constructor_registersItsHookWithTheGlobalCracContext() {
    Context<Resource> global = mock(Context.class);
    try (MockedStatic<Core> core = mockStatic(Core.class)) {
      core.when(Core::getGlobalContext).thenReturn(global);

      LambdaHandler handler = new LambdaHandler(Map.of());

      verify(global).register(handler.priming());
    }
  }

  @Test
  void hooks_primeWithoutContactingIot_andTheHandlerWorksAfterRestore() throws Exception {
    try (LoopbackIot iot = LoopbackIot.start()) {
      LambdaHandler handler = new LambdaHandler(iot.env());

      handler.priming().beforeCheckpoint(null);
      handler.priming().afterRestore(null);

      assertEquals(List.of(), iot.requests());
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
