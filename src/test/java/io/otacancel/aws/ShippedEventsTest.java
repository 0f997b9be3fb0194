package io.otacancel.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.otacancel.local.Call;
import io.otacancel.local.IotEmulator;
import io.otacancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample in events/aws, through the handler, against the signature-checking emulator. */
class ShippedEventsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @AutoClose
  private static final IotEmulator emulator = IotEmulator.start();

  @BeforeEach
  void reset() {
    emulator.reset();
  }

  static Stream<Path> samples() throws IOException {
    return Files.list(Path.of("events", "aws")).filter(p -> p.toString().endsWith(".json"))
        .sorted();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void sample_cancelsItsJobs_andAnswersSuccess(Path sample) throws IOException {
    LambdaHandler handler = new LambdaHandler(Map.of(
        "IOT_ENDPOINT", emulator.endpoint().toString(),
        "ALIBABA_CLOUD_ACCESS_KEY_ID", emulator.demoCredentials().accessKeyId(),
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET", emulator.demoCredentials().accessKeySecret(),
        "WEBHOOK_TOKEN", "demo-token"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(sample)), out,
        new TestContext(30_000));

    JsonNode answer = MAPPER.readTree(out.toByteArray());
    if (answer.has("statusCode")) {
      assertEquals(200, answer.get("statusCode").asInt(), answer.toString());
      answer = MAPPER.readTree(answer.get("body").asText());
    }
    assertTrue(answer.get("Success").asBoolean(), answer.toString());
    List<Call> calls = emulator.calls();
    assertTrue(!calls.isEmpty());
    for (Call call : calls) {
      assertEquals(200, call.status(), call.toString());
      assertTrue(call.parameters().get("JobId").startsWith("demo-job-"));
    }
  }
}
