package io.otacancel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The command line as a user runs it: {@code java io.otacancel.local.Main ...} in a child JVM on
 * the test class path, in the project directory, with an environment of its own. Only {@code
 * PATH}, {@code HOME} and {@code JAVA_HOME} are inherited, so a developer's real {@code
 * ALIBABA_CLOUD_*} or {@code WEBHOOK_*} never reach it (nor {@code JAVA_TOOL_OPTIONS} notices).
 */
final class CliProcess {
  /** How long a run may take before the test gives up on it: a hang, not a slow machine. */
  static final Duration WAIT = Duration.ofSeconds(60);

  private static final Set<String> INHERITED = Set.of("PATH", "HOME", "JAVA_HOME");
  private static final ObjectReader ONE_DOCUMENT = new ObjectMapper()
      .readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Map<String, String> env = new LinkedHashMap<>();
  private byte[] stdin = new byte[0];

  private CliProcess() {}

  static CliProcess cli() {
    return new CliProcess();
  }

  /** Sets a variable in the child's environment. */
  CliProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Points the child at {@code emulator} with these credentials, as a user's shell would. */
  CliProcess against(IotEmulator emulator, io.otacancel.core.Credentials credentials) {
    env("IOT_ENDPOINT", emulator.endpoint().toString());
    env("ALIBABA_CLOUD_ACCESS_KEY_ID", credentials.accessKeyId());
    env("ALIBABA_CLOUD_ACCESS_KEY_SECRET", credentials.accessKeySecret());
    if (credentials.securityToken() != null) {
      env("ALIBABA_CLOUD_SECURITY_TOKEN", credentials.securityToken());
    }
    return this;
  }

  /** What the child reads on standard input; nothing (end of input at once) by default. */
  CliProcess stdin(byte[] bytes) {
    stdin = bytes.clone();
    return this;
  }

  /** Runs the command line to its end and collects its exit code and output. */
  Result run(String... args) {
    Path out = null;
    Path err = null;
    Process process = null;
    try {
      out = Files.createTempFile("ota-cancel-cli", ".out");
      err = Files.createTempFile("ota-cancel-cli", ".err");
      process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin);
      } catch (IOException e) {
        // the command ended without reading its input; its output says why
      }
      if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        fail("ota-cancel " + String.join(" ", args) + " did not end within " + WAIT
            + "; stderr so far:\n" + read(err));
      }
      return new Result(List.of(args), process.exitValue(), read(out), read(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (process != null) {
        destroy(process);
      }
      delete(out);
      delete(err);
    }
  }

  /** Starts the command line, its stderr going to {@code stderr}, and leaves it running. */
  Process start(Path stderr, String... args) throws IOException {
    return builder(args).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(stderr.toFile()).start();
  }

  private ProcessBuilder builder(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A cheaper start on small machines; nothing the CLI does depends on it.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path")));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(projectDirectory().toFile());
    builder.environment().keySet().retainAll(INHERITED);
    builder.environment().putAll(env);
    return builder;
  }

  /** Where {@code events/} is: Maven runs the tests there. */
  static Path projectDirectory() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  /** Ends the process and waits for it, forcibly if SIGTERM is not enough. */
  static void destroy(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static void delete(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temporary file: the OS cleans up
      }
    }
  }

  /** A finished run: its exit code and everything it printed. */
  record Result(List<String> args, int exitCode, String stdout, String stderr) {
    /** Checks the exit code, showing the whole run when it differs. */
    Result assertExit(int expected) {
      assertEquals(expected, exitCode, this::toString);
      return this;
    }

    /** Standard output as exactly one JSON document, on one line. */
    JsonNode json() {
      assertEquals(1, stdout.lines().count(), () -> "one line of JSON on stdout: " + this);
      try {
        return ONE_DOCUMENT.readValue(stdout);
      } catch (IOException e) {
        throw new AssertionError("stdout is not one JSON document: " + e.getMessage()
            + "\n" + this, e);
      }
    }

    List<String> stderrLines() {
      return stderr.lines().toList();
    }

    /** The stderr line that starts with {@code prefix}; fails when there is none. */
    String stderrLine(String prefix) {
      return stderrLines().stream().filter(line -> line.startsWith(prefix)).findFirst()
          .orElseThrow(() -> new AssertionError("no stderr line starting with '" + prefix
              + "':\n" + this));
    }

    void assertNoStackTrace() {
      String both = stdout + stderr;
      assertFalse(both.contains("\tat "), () -> "a stack trace: " + this);
      assertFalse(both.contains("Exception in thread"), () -> "an uncaught exception: " + this);
    }

    @Override
    public String toString() {
      return "ota-cancel " + String.join(" ", args) + "\nexit code " + exitCode
          + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr + "---";
    }
  }
}
