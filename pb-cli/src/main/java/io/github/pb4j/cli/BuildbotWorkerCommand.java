package io.github.pb4j.cli;

import ch.qos.logback.classic.Level;
import io.github.pb4j.buildbot.BuildbotWorker;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pb buildbot-worker}: runs a Buildbot worker that a stock Buildbot master cannot tell from
 * its own Python worker. Runs until the master shuts it down, SIGTERM, or a fatal login failure.
 */
@Command(
    name = "buildbot-worker",
    mixinStandardHelpOptions = true,
    description = {
      "Run a Buildbot worker: log in to a Buildbot master (PB) and run its builds' commands.",
      "The password comes from --password-file, --password-stdin or $BUILDBOT_WORKER_PASSWORD,",
      "never from the command line. Options may also come from --config FILE (key = value lines:",
      "master, name, basedir, password-file, keepalive, max-retries, umask, tls, tls-ca, allow-shutdown)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped (SIGTERM) or shut down by the master",
      "1:login refused (wrong name or password) or rejected as a duplicate",
      "2:usage error",
      "3:the master could not be reached --max-retries times"
    })
final class BuildbotWorkerCommand implements Runnable {
  static final String PASSWORD_ENV = "BUILDBOT_WORKER_PASSWORD";

  private final Terminal terminal;

  @Option(names = "--config", paramLabel = "FILE", description = "Read options from FILE (command-line options win).")
  @Nullable Path config;

  @Option(names = "--master", paramLabel = "HOST:PORT", description = "The master's PB address (port default 9989).")
  @Nullable String master;

  @Option(names = "--name", paramLabel = "NAME", description = "The worker's name, as in the master's config.")
  @Nullable String name;

  @Option(names = "--basedir", paramLabel = "DIR", description = "The worker's base directory (created if missing).")
  @Nullable Path basedir;

  @Option(names = "--password-file", paramLabel = "FILE", description = "Read the password from the first line of FILE.")
  @Nullable Path passwordFile;

  @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
  boolean passwordStdin;

  @Option(names = "--keepalive", paramLabel = "SECONDS", description = "Keepalive interval; 0 for none (default 600).")
  @Nullable Integer keepalive;

  @Option(names = "--max-retries", paramLabel = "N", description = "Give up after N failed connection attempts in a row (default: never).")
  @Nullable Integer maxRetries;

  @Option(names = "--umask", paramLabel = "OCTAL", description = "Umask for created files and commands, e.g. 022.")
  @Nullable String umask;

  @Option(names = "--tls", description = "Connect with TLS.")
  boolean tls;

  @Option(names = "--tls-ca", paramLabel = "PEM", description = "Trust the master certificates signed by these CAs (implies --tls).")
  @Nullable Path tlsCa;

  @Option(names = "--no-verify-hostname", description = "With TLS, do not check the master's host name.")
  boolean noVerifyHostname;

  @Option(names = "--numcpus", paramLabel = "N", description = "CPU count reported to the master (default: detected).")
  @Nullable Integer numcpus;

  @Option(names = "--delete-leftover-dirs", description = "Delete base directory entries no builder uses.")
  boolean deleteLeftoverDirs;

  @Option(names = "--allow-shutdown", paramLabel = "signal",
      description = "'signal': SIGHUP asks the master to shut the worker down after its running builds.")
  @Nullable String allowShutdown;

  BuildbotWorkerCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public void run() {
    if (Logging.verbosity() == 0
        && LoggerFactory.getLogger("io.github.pb4j.buildbot") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(Level.INFO);
    }
    Properties file = new Properties();
    if (config != null) {
      try (InputStream in = Files.newInputStream(config)) {
        file.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new CliException(PbCli.USAGE, "--config: cannot read " + config + ": " + e.getMessage());
      }
    }
    String masterAddress = pick(master, file, "master");
    String workerName = pick(name, file, "name");
    String dir = basedir != null ? basedir.toString() : file.getProperty("basedir");
    if (masterAddress == null || workerName == null || dir == null) {
      throw new CliException(PbCli.USAGE, "--master, --name and --basedir are required");
    }
    String host = masterAddress;
    int port = 9989;
    int colon = masterAddress.lastIndexOf(':');
    if (colon > 0 && !masterAddress.endsWith("]")) {
      host = masterAddress.substring(0, colon);
      port = parseInt("--master port", masterAddress.substring(colon + 1), 1, 65535);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    char[] password = password(file);
    BuildbotWorker.Builder b = BuildbotWorker.builder().master(host, port).name(workerName)
        .password(password).basedir(Path.of(dir)).deleteLeftoverDirs(deleteLeftoverDirs
            || Boolean.parseBoolean(file.getProperty("delete-leftover-dirs", "false")));
    Arrays.fill(password, '\0');
    String ka = keepalive != null ? keepalive.toString() : file.getProperty("keepalive");
    if (ka != null) {
      b.keepalive(Duration.ofSeconds(parseInt("--keepalive", ka, 0, Integer.MAX_VALUE)));
    }
    String retries = maxRetries != null ? maxRetries.toString() : file.getProperty("max-retries");
    if (retries != null) {
      b.maxRetries(parseInt("--max-retries", retries, 0, Integer.MAX_VALUE));
    }
    String mask = pick(umask, file, "umask");
    if (mask != null) {
      try {
        int value = Integer.parseInt(mask, 8);
        if (value < 0 || value > 0777) {
          throw new NumberFormatException();
        }
        b.umask(value);
      } catch (NumberFormatException e) {
        throw new CliException(PbCli.USAGE, "--umask: " + mask + " (expected: octal, e.g. 022)");
      }
    }
    if (numcpus != null) {
      b.numcpus(numcpus);
    }
    b.sslContext(sslContext(file)).verifyHostname(!noVerifyHostname);
    BuildbotWorker worker = b.build();
    Signals.Restore hangUp = null;
    String shutdownMode = pick(allowShutdown, file, "allow-shutdown");
    if (shutdownMode != null) {
      if (!shutdownMode.equals("signal")) {
        throw new CliException(PbCli.USAGE, "--allow-shutdown: " + shutdownMode + " (expected: signal)");
      }
      hangUp = Signals.on("HUP", worker::gracefulShutdown);
      if (hangUp == null) {
        throw new CliException(PbCli.USAGE, "--allow-shutdown signal: this JVM cannot catch SIGHUP");
      }
    }
    try {
      runWorker(worker, workerName, masterAddress);
    } finally {
      if (hangUp != null) {
        hangUp.close();
      }
    }
  }

  private void runWorker(BuildbotWorker worker, String workerName, String masterAddress) {
    // SIGTERM and SIGINT stop the worker and let this command return 0; where they cannot be
    // caught, a shutdown hook still stops it (the JVM then exits 128+signal).
    Runnable stop = () -> worker.stop().join();
    Signals.Restore term = Signals.on("TERM", stop);
    Signals.Restore interrupt = Signals.on("INT", stop);
    boolean caught = term != null && interrupt != null;
    Thread hook = new Thread(stop, "bb-shutdown");
    if (!caught) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    try {
      awaitEnd(worker, workerName, masterAddress, caught, hook);
    } finally {
      if (term != null) {
        term.close();
      }
      if (interrupt != null) {
        interrupt.close();
      }
    }
  }

  private void awaitEnd(BuildbotWorker worker, String workerName, String masterAddress, boolean caught,
      Thread hook) {
    BuildbotWorker.Outcome outcome;
    try {
      outcome = worker.start().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(PbCli.FAILED, "interrupted");
    } catch (ExecutionException e) {
      throw new CliException(PbCli.FAILED, "cannot start: " + e.getCause().getMessage(), e.getCause());
    }
    if (!caught) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down already: the hook stopped the worker.
      }
    }
    Throwable cause = worker.failure();
    switch (outcome) {
      case STOPPED, SHUT_DOWN_BY_MASTER -> {
        terminal.err().println("pb buildbot-worker: " + (outcome == BuildbotWorker.Outcome.STOPPED
            ? "stopped" : "shut down by the master"));
      }
      case LOGIN_REFUSED -> throw new CliException(PbCli.FAILED,
          "login refused by the master: check the worker's name (" + workerName + ") and password");
      case DUPLICATE -> throw new CliException(PbCli.FAILED,
          "the master rejected this worker: another worker named " + workerName + " is connected");
      case GAVE_UP -> throw new CliException(PbCli.CANNOT_CONNECT,
          "gave up: cannot reach the master at " + masterAddress
              + (cause != null ? " (" + cause.getMessage() + ")" : ""));
    }
  }

  private static @Nullable String pick(@Nullable String option, Properties file, String key) {
    return option != null ? option : file.getProperty(key);
  }

  private static int parseInt(String what, String text, int min, int max) {
    try {
      int v = Integer.parseInt(text.trim());
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new CliException(PbCli.USAGE, what + ": " + text + " (expected: " + min + ".." + max + ")");
    }
  }

  private char[] password(Properties file) {
    Path pwFile = passwordFile != null ? passwordFile
        : file.getProperty("password-file") != null ? Path.of(file.getProperty("password-file")) : null;
    if (pwFile != null) {
      try {
        String text = Files.readString(pwFile, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        String line = nl >= 0 ? text.substring(0, nl) : text;
        return (line.endsWith("\r") ? line.substring(0, line.length() - 1) : line).toCharArray();
      } catch (IOException e) {
        throw new CliException(PbCli.USAGE, "--password-file: cannot read " + pwFile + ": " + e.getMessage());
      }
    }
    return Passwords.read(terminal, passwordStdin, PASSWORD_ENV, "Worker password: ", false);
  }

  private @Nullable SslContext sslContext(Properties file) {
    Path ca = tlsCa != null ? tlsCa : file.getProperty("tls-ca") != null ? Path.of(file.getProperty("tls-ca")) : null;
    boolean useTls = tls || ca != null || Boolean.parseBoolean(file.getProperty("tls", "false"));
    if (!useTls) {
      return null;
    }
    try {
      SslContextBuilder ssl = SslContextBuilder.forClient();
      if (ca != null) {
        ssl.trustManager(ca.toFile());
      }
      return ssl.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new CliException(PbCli.USAGE, "--tls-ca: " + e.getMessage());
    }
  }
}
