package io.github.pb4j.buildbot;

import io.github.pb4j.BrokerOptions;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.buildbot.internal.Bot;
import io.github.pb4j.buildbot.internal.ReconnectingLogin;
import io.github.pb4j.buildbot.internal.WorkerRuntime;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.netty.PbClient;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Buildbot worker: logs in to a Buildbot master over PB with its name and password, tells the
 * master what it can do, and runs the commands of the master's builds in its base directory —
 * the Java twin of Python's {@code buildbot-worker}.
 *
 * <pre>{@code
 * BuildbotWorker worker = BuildbotWorker.builder()
 *     .master("buildmaster.example", 9989)
 *     .name("java-worker").password(password)
 *     .basedir(Path.of("/var/lib/buildbot/worker"))
 *     .build();
 * BuildbotWorker.Outcome outcome = worker.start().join();   // until stopped or refused
 * }</pre>
 *
 * <p>The worker keeps its session: when the connection is lost or the master restarts, it logs in
 * again after a growing delay. It ends when {@link #stop()} is called, when the master asks it to
 * shut down, when the master refuses its password or rejects it as a duplicate, or after {@code
 * maxRetries} failed attempts in a row. <em>Thread-safe.</em>
 */
public final class BuildbotWorker {
  private static final Logger logger = LoggerFactory.getLogger(BuildbotWorker.class);

  /** How a worker's run ended. */
  public enum Outcome {
    /** {@link #stop()} was called (for instance on SIGTERM). */
    STOPPED,
    /** The master asked the worker to shut down. */
    SHUT_DOWN_BY_MASTER,
    /** The master refused the name and password. */
    LOGIN_REFUSED,
    /** The master already has a live connection of a worker with this name. */
    DUPLICATE,
    /** The master could not be reached {@code maxRetries} times in a row. */
    GAVE_UP
  }

  private final Builder config;
  private final WorkerRuntime runtime;
  private final Bot bot;
  private final ReconnectingLogin session;
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
  private final CompletableFuture<@Nullable RemoteReference> firstAttach = new CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean shutdownByMaster;
  private volatile @Nullable ScheduledFuture<?> keepalive;
  private volatile @Nullable Throwable failure;
  private volatile @Nullable RemoteReference perspective;

  private BuildbotWorker(Builder config) {
    this.config = config;
    this.runtime = new WorkerRuntime(config.basedir.toString(), config.environment, config.umask,
        config.deleteLeftoverDirs, config.numcpus, this::shutdownRequested);
    this.bot = new Bot(runtime);
    BrokerOptions options = BrokerOptions.builder().build();
    this.session = new ReconnectingLogin(() -> {
      PbClient.Builder b = PbClient.builder().host(config.host).port(config.port).options(options)
          .connectTimeout(Duration.ofSeconds(30));
      if (config.sslContext != null) {
        b.sslContext(config.sslContext).verifyHostname(config.verifyHostname);
      }
      return b.build();
    }, UsernamePassword.of(config.name, config.password), bot, config.maxRetries, Duration.ofSeconds(60),
        new ReconnectingLogin.Listener() {
          @Override
          public void attached(PbClient client, RemoteReference perspective) {
            onAttached(perspective);
          }

          @Override
          public void detached(PbClient client) {
            onDetached();
          }
        });
  }

  /** Returns a builder; name, password and basedir are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the worker: creates the base directory if needed and connects. The future completes
   * when the worker has ended for good.
   *
   * @throws IllegalStateException if called twice
   */
  public CompletableFuture<Outcome> start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("already started");
    }
    try {
      Files.createDirectories(config.basedir);
      recordHostname();
    } catch (IOException e) {
      outcome.completeExceptionally(e);
      return outcome;
    }
    session.start().whenComplete((o, e) -> {
      stopKeepalive();
      runtime.close();
      if (e != null) {
        outcome.completeExceptionally(e);
        return;
      }
      failure = o.cause();
      outcome.complete(switch (o.end()) {
        case STOPPED -> shutdownByMaster ? Outcome.SHUT_DOWN_BY_MASTER : Outcome.STOPPED;
        case LOGIN_REFUSED -> Outcome.LOGIN_REFUSED;
        case DUPLICATE -> Outcome.DUPLICATE;
        case GAVE_UP -> Outcome.GAVE_UP;
      });
    });
    return outcome;
  }

  private void recordHostname() {
    try {
      String host = java.net.InetAddress.getLocalHost().getHostName();
      Files.writeString(config.basedir.resolve("twistd.hostname"), host + "\n");
    } catch (IOException e) {
      logger.debug("cannot record the hostname: {}", e.toString());
    }
  }

  /** A future that completes when the worker is logged in for the first time. */
  public CompletableFuture<@Nullable RemoteReference> attached() {
    return firstAttach.copy();
  }

  /** The failure that ended the worker (a refused login, the last connection error), if any. */
  public @Nullable Throwable failure() {
    return failure;
  }

  private void onAttached(RemoteReference perspective) {
    this.perspective = perspective;
    firstAttach.complete(perspective);
    Duration interval = config.keepalive;
    if (!interval.isZero()) {
      logger.info("sending application-level keepalives every {} seconds", interval.toSeconds());
      keepalive = runtime.timers().scheduleAtFixedRate(() -> perspective.callRemote("keepalive")
              .whenComplete((r, e) -> {
                if (e != null) {
                  logger.debug("keepalive failed: {}", e.toString());
                }
              }),
          interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void onDetached() {
    perspective = null;
    stopKeepalive();
    bot.stopAll();
  }

  private void stopKeepalive() {
    ScheduledFuture<?> k = keepalive;
    if (k != null) {
      k.cancel(false);
      keepalive = null;
    }
  }

  private void shutdownRequested() {
    shutdownByMaster = true;
    // Let the answer reach the master first, as the Python worker does.
    runtime.timers().schedule(() -> {
      session.stop();
    }, 200, TimeUnit.MILLISECONDS);
  }

  /**
   * Asks the master to shut this worker down once its running builds are done (the Python
   * worker's SIGHUP with {@code allow_shutdown='signal'}): the master finishes them, starts no new
   * ones here, then calls {@code shutdown}, and the worker ends with {@link
   * Outcome#SHUT_DOWN_BY_MASTER}. Without a connection the worker stops at once.
   */
  public CompletableFuture<Outcome> gracefulShutdown() {
    RemoteReference p = perspective;
    if (p == null) {
      logger.info("No active connection, shutting down NOW");
      return stop();
    }
    logger.info("Telling the master we want to shutdown after any running builds are finished");
    p.callRemote("shutdown").whenComplete((r, e) -> {
      if (e != null) {
        logger.warn("callRemote(\"shutdown\") failed: {}", e.toString());
      }
    });
    return outcome;
  }

  /**
   * Stops the worker as the Python worker does on SIGTERM: running commands are interrupted (their
   * process groups killed) and send no result, output already produced is sent, then the
   * connection is closed; the master retries the build elsewhere. Waits up to {@code grace} for
   * commands to end. Returns the outcome future.
   */
  public CompletableFuture<Outcome> stop(Duration grace) {
    bot.interruptAll(grace.toMillis());
    runtime.drainSender(2000);
    session.stop();
    return outcome;
  }

  /** {@link #stop(Duration)} with 10 seconds of grace. */
  public CompletableFuture<Outcome> stop() {
    return stop(Duration.ofSeconds(10));
  }

  @Override
  public String toString() {
    return "BuildbotWorker[" + config.name + "@" + config.host + ":" + config.port + "]";
  }

  /** Builds a {@link BuildbotWorker}. <em>Not thread-safe.</em> */
  public static final class Builder {
    private String host = "localhost";
    private int port = 9989;
    private @Nullable String name;
    private char @Nullable [] password;
    private @Nullable Path basedir;
    private Duration keepalive = Duration.ofSeconds(600);
    private int maxRetries;
    private @Nullable SslContext sslContext;
    private boolean verifyHostname = true;
    private @Nullable Integer umask;
    private int numcpus = Runtime.getRuntime().availableProcessors();
    private boolean deleteLeftoverDirs;
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    /** The master's PB address (default {@code localhost:9989}). */
    public Builder master(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** The worker's name, as in the master's {@code Worker(name, password)}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The worker's password (copied; wipe yours). */
    public Builder password(char[] password) {
      this.password = Arrays.copyOf(password, password.length);
      return this;
    }

    /** The worker's base directory: builders' directories and {@code info/} live here. */
    public Builder basedir(Path basedir) {
      this.basedir = basedir.toAbsolutePath().normalize();
      return this;
    }

    /** Interval of application-level keepalives; zero for none (default 600 s). */
    public Builder keepalive(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("negative keepalive");
      }
      this.keepalive = interval;
      return this;
    }

    /** Give up after this many failed connection attempts in a row; 0 (default) = never. */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("negative maxRetries");
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** Connects with TLS (Python's {@code useTls}). */
    public Builder sslContext(@Nullable SslContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /** Whether TLS checks the master's host name (default true). */
    public Builder verifyHostname(boolean verify) {
      this.verifyHostname = verify;
      return this;
    }

    /** The umask for files, directories and processes the worker creates, e.g. {@code 022}. */
    public Builder umask(@Nullable Integer umask) {
      this.umask = umask;
      return this;
    }

    /** The number of CPUs reported to the master (default: the JVM's count). */
    public Builder numcpus(int numcpus) {
      this.numcpus = numcpus;
      return this;
    }

    /** Delete directories of the base directory that no builder uses (default false). */
    public Builder deleteLeftoverDirs(boolean delete) {
      this.deleteLeftoverDirs = delete;
      return this;
    }

    /** The environment commands inherit and {@code ${VAR}} expands from (default: this process's). */
    public Builder environment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /**
     * Builds the worker (not started).
     *
     * @throws NullPointerException if the name, password or base directory is missing
     */
    public BuildbotWorker build() {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(basedir, "basedir");
      return new BuildbotWorker(this);
    }
  }
}
