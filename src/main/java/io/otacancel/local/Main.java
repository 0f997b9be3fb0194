package io.otacancel.local;

import io.otacancel.core.Version;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line: {@code invoke} runs an event through the real handler of a platform, {@code
 * serve} answers webhooks on a local port. With no cloud account configured, both run against
 * the built-in IoT emulator.
 */
public final class Main {
  static final String USAGE = String.join("\n",
      "Usage: java -jar ota-cancel.jar [invoke] EVENT_FILE|- [--platform aws|fc|auto] [--dry-run] [--timeout SECONDS]",
      "       java -jar ota-cancel.jar serve [--port 8080] [--dry-run]",
      "       java -jar ota-cancel.jar emulator [--port 9999]",
      "       java -jar ota-cancel.jar --help | --version",
      "",
      "invoke  runs the event (a file, or - for standard input) through the AWS or FC handler and",
      "        prints the handler's JSON response. auto (the default) recognises the event's shape.",
      "serve   answers HTTP requests on 127.0.0.1 like the cloud HTTP triggers, authentication included.",
      "emulator  runs only the built-in IoT emulator, for other tools to call (demo credentials on stderr).",
      "",
      "--dry-run   validate and sign, show the request that would be sent (secrets masked), send nothing.",
      "",
      "With no ALIBABA_CLOUD_ACCESS_KEY_ID and no IOT_ENDPOINT set, a built-in IoT emulator with demo",
      "batches (demo-job-1, demo-job-2, ...) stands in for Alibaba Cloud.",
      "",
      "Exit codes: 0 success, 1 usage, 2 invalid input, 3 authentication, 4 IoT failure,",
      "            5 timeout, 6 throttled, 7 configuration, 8 internal error.");

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /** Runs the command line and returns the exit code. */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Arguments arguments;
    try {
      arguments = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("ota-cancel: " + e.getMessage());
      err.println("Try: java -jar ota-cancel.jar --help");
      return ExitCode.USAGE.value;
    }
    if (arguments.help) {
      out.println(USAGE);
      return ExitCode.OK.value;
    }
    if (arguments.version) {
      out.println("ota-cancel " + Version.current());
      return ExitCode.OK.value;
    }
    if (arguments.command.equals("serve")) {
      return LocalServer.serve(arguments.port, env, arguments.dryRun, err);
    }
    if (arguments.command.equals("emulator")) {
      return EmulatorCommand.run(arguments.port, err);
    }
    return LocalInvoker.invoke(arguments.eventFile, arguments.platform, arguments.timeout, env,
        arguments.dryRun, out, err);
  }

  /** The parsed command line. */
  static final class Arguments {
    String command = "invoke";
    String eventFile;
    String platform = "auto";
    int port = 8080;
    Duration timeout = Duration.ofSeconds(60);
    boolean dryRun;
    boolean help;
    boolean version;

    static Arguments parse(String[] args) {
      Arguments parsed = new Arguments();
      List<String> positional = new ArrayList<>();
      boolean portGiven = false;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--help":
          case "-h":
            parsed.help = true;
            break;
          case "--version":
            parsed.version = true;
            break;
          case "--dry-run":
            parsed.dryRun = true;
            break;
          case "--platform":
            parsed.platform = value(args, ++i, arg);
            if (!parsed.platform.equals("aws") && !parsed.platform.equals("fc")
                && !parsed.platform.equals("auto")) {
              throw new IllegalArgumentException(
                  "--platform must be aws, fc or auto, not " + parsed.platform);
            }
            break;
          case "--port":
            parsed.port = number(value(args, ++i, arg), arg, 0, 65535);
            portGiven = true;
            break;
          case "--timeout":
            parsed.timeout = Duration.ofSeconds(number(value(args, ++i, arg), arg, 1, 900));
            break;
          default:
            // "-" alone is standard input; "-x" is an option we do not know, not a file name.
            if (arg.startsWith("-") && !arg.equals("-")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            positional.add(arg);
        }
      }
      if (parsed.help || parsed.version) {
        return parsed;
      }
      if (!positional.isEmpty() && (positional.get(0).equals("invoke")
          || positional.get(0).equals("serve") || positional.get(0).equals("emulator"))) {
        parsed.command = positional.remove(0);
      }
      if (!parsed.command.equals("invoke")) {
        if (!positional.isEmpty()) {
          throw new IllegalArgumentException(
              parsed.command + " takes no argument: " + positional.get(0));
        }
        if (parsed.command.equals("emulator") && !portGiven) {
          parsed.port = 9999;
        }
        return parsed;
      }
      if (positional.size() != 1) {
        throw new IllegalArgumentException(positional.isEmpty()
            ? "invoke needs an EVENT_FILE (or - for standard input)"
            : "invoke takes one EVENT_FILE, got " + positional.size());
      }
      parsed.eventFile = positional.get(0);
      return parsed;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static int number(String value, String option, int min, int max) {
      try {
        int number = Integer.parseInt(value);
        if (number >= min && number <= max) {
          return number;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          option + " must be a whole number from " + min + " to " + max + ", not " + value);
    }
  }
}
