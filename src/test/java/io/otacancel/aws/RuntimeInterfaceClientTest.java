package io.otacancel.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.otacancel.local.Call;
import io.otacancel.local.IotEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the handler the way Lambda's Java runtimes do: under the official Runtime Interface Client
 * ({@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda}) in its own JVM, against a
 * loopback Runtime API, with the project's IoT emulator as the endpoint. This covers what calling {@code handleRequest} directly cannot: the
 * handler string, loading and instantiation, Lambda's context and logger, and how a thrown
 * exception is reported.
 */
class RuntimeInterfaceClientTest {
  private static final String HANDLER = "io.otacancel.aws.LambdaHandler::handleRequest";
  private static final String JNI_PROPERTY =
      "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

  @TempDir Path dir;

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void handlerUnderTheRuntimeClient_answersHttp_andReportsAFailedDirectInvocationAsAnError()
      throws Exception {
    try (IotEmulator iot = IotEmulator.start(); FakeRuntimeApi api = FakeRuntimeApi.start()) {
      ObjectNode http = Fixtures.tree("events/http-api-post-json.json");
      http.put("body", "{\"JobId\":\"demo-job-1\",\"CancelQueuedTask\":true}");
      api.invoke("req-http", Fixtures.write(http));
      // The emulator knows no such batch: IoT's failure, reported as a failed invocation.
      api.invoke("req-direct", Fixtures.bytes("events/direct-single.json"));

      Path log = dir.resolve("runtime.log");
      Process runtime = startRuntime(api.address(), iot, log);
      try {
        FakeRuntimeApi.Post first = api.nextPost(30);
        assertNotNull(first, () -> "no answer from the runtime client; its output:\n" + read(log));
        assertEquals("/2018-06-01/runtime/invocation/req-http/response", first.path,
            first::toString);
        JsonNode response = Fixtures.comparable(first.body);
        assertEquals(200, response.get("statusCode").asInt(), response::toString);
        assertEquals("application/json", response.at("/headers/Content-Type").asText());
        assertEquals("demo-job-1", response.at("/body/JobId").asText());
        assertEquals("SUCCEEDED", response.at("/body/Outcome").asText());
        assertEquals(null, iot.taskCounts("demo-job-1").get("QUEUED"), "the queued tasks are "
            + "cancelled: " + iot.taskCounts("demo-job-1"));

        FakeRuntimeApi.Post second = api.nextPost(30);
        assertNotNull(second, () -> "no answer from the runtime client; its output:\n" + read(log));
        assertEquals("/2018-06-01/runtime/invocation/req-direct/error", second.path,
            second::toString);
        assertEquals("Runtime.UserException", second.errorType);
        JsonNode error = Fixtures.read(second.body);
        assertEquals("io.otacancel.core.CancelFailedException", error.get("errorType").asText());
        JsonNode result = Fixtures.read(error.get("errorMessage").asText());
        assertEquals("job-direct-1", result.get("JobId").asText());
        assertEquals("iot.ota.JobNotFound", result.get("Code").asText());
        assertEquals(0, error.path("stackTrace").size(), "no stack trace noise: " + error);

        assertEquals(List.of(200, 200),
            iot.calls().stream().map(Call::status).toList(), iot.calls()::toString);
        String output = read(log);
        assertTrue(output.contains("\"event\":\"cancel\",\"JobId\":\"demo-job-1\""),
            "the outcome line reaches Lambda's log:\n" + output);
      } finally {
        runtime.destroy();
        if (!runtime.waitFor(5, TimeUnit.SECONDS)) {
          runtime.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    }
  }

  private Process startRuntime(String runtimeApi, IotEmulator iot, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xshare:auto");
    command.add("-XX:TieredStopAtLevel=1");
    String jni = extractJniLibrary();
    if (jni != null) {
      command.add("-D" + JNI_PROPERTY + "=" + jni);
    }
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path")));
    command.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
    command.add(HANDLER);

    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("IOT_") || name.startsWith("WEBHOOK_")
        || name.startsWith("ALIBABA_CLOUD_") || name.startsWith("AWS_")
        || name.equals("DRY_RUN") || name.equals("DEADLINE_MARGIN_MS"));
    env.put("IOT_ENDPOINT", iot.endpoint().toString());
    env.put("ALIBABA_CLOUD_ACCESS_KEY_ID", iot.demoCredentials().accessKeyId());
    env.put("ALIBABA_CLOUD_ACCESS_KEY_SECRET", iot.demoCredentials().accessKeySecret());
    env.put("WEBHOOK_TOKEN", LambdaHandlerTest.WEBHOOK_TOKEN);
    env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
    env.put("AWS_LAMBDA_FUNCTION_NAME", "ota-cancel");
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
    env.put("_HANDLER", HANDLER);
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    return builder.start();
  }

  /**
   * The client would copy its JNI library to the fixed path {@code /tmp/.libaws-lambda-jni.so},
   * overwriting it under any other process that has it loaded; each run gets its own copy.
   */
  private String extractJniLibrary() throws IOException {
    String arch = System.getProperty("os.arch");
    String name = arch.equals("amd64") || arch.equals("x86_64") ? "linux-x86_64"
        : arch.equals("aarch64") ? "linux-aarch_64" : null;
    if (name == null) {
      return null; // let the client find one itself
    }
    try (InputStream in = com.amazonaws.services.lambda.runtime.api.client.AWSLambda.class
        .getResourceAsStream("/jni/libaws-lambda-jni." + name + ".so")) {
      if (in == null) {
        return null;
      }
      Path lib = dir.resolve("libaws-lambda-jni.so");
      Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
      return lib.toString();
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
