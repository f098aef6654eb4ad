package io.github.pb4j.cli;

import io.github.pb4j.examples.ExampleRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code pb} command: its subcommands, global options and exit codes.
 *
 * <p>Exit codes: {@value #OK} ok, {@value #FAILED} remote or login failure, {@value #USAGE} usage
 * error, {@value #CANNOT_CONNECT} cannot connect (or listen), {@value #TIMED_OUT} no answer in
 * time ({@code pb call --timeout}). Failures print one line on stderr,
 * {@code pb COMMAND: what happened}; with {@code -v} also the stack trace.
 */
@Command(
    name = "pb",
    mixinStandardHelpOptions = true,
    versionProvider = PbCli.Version.class,
    description =
        "Perspective Broker for Java: call PB services (Twisted's or pb4j's), decode "
            + "captures, run the chat service and the examples.",
    subcommands = {
      CallCommand.class,
      DecodeCommand.class,
      ChatServerCommand.class,
      ChatCommand.class,
      UsersCommand.class,
      ExampleCommand.class,
      BuildbotWorkerCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:remote or login failure",
      "2:usage error",
      "3:cannot connect (or listen)",
      "4:no answer within --timeout (pb call)"
    },
    footer = "%nSee docs/cli.md for examples.")
final class PbCli implements Runnable {
  static final int OK = 0;
  static final int FAILED = ExampleRunner.FAILED;
  static final int USAGE = ExampleRunner.USAGE;
  static final int CANNOT_CONNECT = ExampleRunner.CANNOT_CONNECT;
  /** The peer did not answer in time: distinct from a refusal ({@link #FAILED}). */
  static final int TIMED_OUT = 4;

  @Spec CommandSpec spec;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Log more on stderr: -v debug (connections, logins), -vv every frame.")
  void setVerbose(boolean[] verbose) {
    Logging.setVerbosity(verbose.length);
  }

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      scope = ScopeType.INHERIT,
      description =
          "Log pb4j's events from LEVEL up: error, warn, info, debug, trace "
              + "(default: warn, and the chat server's events at info; -v is debug).")
  void setLogLevel(Logging.LogLevel level) {
    Logging.setLevel(level);
  }

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      scope = ScopeType.INHERIT,
      description = "Write log lines on stderr as text (default) or json: one JSON object a line.")
  void setLogFormat(Logging.LogFormat format) {
    Logging.setFormat(format);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** Runs {@code pb args} on {@code terminal}; returns the exit code. */
  static int execute(Terminal terminal, String... args) {
    Logging.resetVerbosity();
    return commandLine(terminal).execute(args);
  }

  /** Returns the parser and runner of {@code pb} on {@code terminal}. */
  static CommandLine commandLine(Terminal terminal) {
    CommandLine cl = new CommandLine(new PbCli(), new Factory(terminal));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(new PrintWriter(terminal.out(), true));
    cl.setErr(new PrintWriter(terminal.err(), true));
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine));
    cl.getSubcommands().get("call").setUnmatchedOptionsArePositionalParams(true);
    return cl;
  }

  private static int report(Exception e, CommandLine commandLine) {
    Throwable t = ExampleRunner.unwrap(e);
    PrintWriter err = commandLine.getErr();
    // Anything but our own CliException may carry a peer's text (a refusal, a remote error).
    String message =
        t instanceof CliException ? t.getMessage() : Terminal.printable(ExampleRunner.describe(t));
    err.println(commandLine.getCommandSpec().qualifiedName() + ": " + message);
    if (Logging.verbosity() > 0) {
      t.printStackTrace(err);
    }
    err.flush();
    return t instanceof CliException c ? c.exitCode() : ExampleRunner.exitCode(t);
  }

  /** Makes commands, handing the terminal to those whose constructor takes one. */
  private static final class Factory implements CommandLine.IFactory {
    private final Terminal terminal;

    Factory(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        var constructor = cls.getDeclaredConstructor(Terminal.class);
        constructor.setAccessible(true);
        return constructor.newInstance(terminal);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }

  /** Prints {@code pb VERSION} and the JVM. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = PbCli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "pb "
            + p.getProperty("version", "unknown")
            + " (pb4j, Perspective Broker protocol version 6)",
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
