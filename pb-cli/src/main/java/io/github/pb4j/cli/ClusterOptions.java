package io.github.pb4j.cli;

import io.github.pb4j.cred.CredentialsChecker;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.examples.chat.ChatService;
import io.github.pb4j.examples.chat.cluster.ChatCluster;
import io.github.pb4j.examples.chat.cluster.ChatClusterException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code pb chat-server}'s cluster mode: {@code --cluster} shares the groups with every other chat
 * server on the same PostgreSQL database ({@code --db-url}), through {@link ChatCluster}.
 */
final class ClusterOptions {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)");

  @Option(
      names = "--cluster",
      description =
          "Share groups with the other chat servers on the same PostgreSQL database "
              + "(--db-url jdbc:postgresql://...): a message to a group reaches its members on "
              + "every server. See docs/scaling.md.")
  boolean cluster;

  @Option(
      names = "--cluster-name",
      paramLabel = "NAME",
      description = "This server's name in the cluster's logs and tables (default: host-pid).")
  @Nullable String name;

  @Option(
      names = "--cluster-expiry",
      paramLabel = "DURATION",
      defaultValue = "15s",
      description =
          "After how long without a heartbeat the other servers declare this one dead and its "
              + "users offline, e.g. 15s, 2m; the heartbeat runs three times as often "
              + "(default: ${DEFAULT-VALUE}).")
  String expiry = "15s";

  /** The chat service a chat server serves: this process's own, or the cluster's. */
  interface Chat extends AutoCloseable {
    Portal portal(CredentialsChecker checker, CredentialsChecker... more);

    @Override
    void close();
  }

  /** Starts the service: joins the cluster with {@code --cluster}, else a one-process service. */
  Chat start(UserStoreOptions store, Terminal terminal) {
    if (!cluster) {
      if (name != null) {
        throw new CliException(PbCli.USAGE, "--cluster-name: only with --cluster");
      }
      ChatService chat = new ChatService();
      return new Chat() {
        @Override
        public Portal portal(CredentialsChecker checker, CredentialsChecker... more) {
          return chat.portal(checker, more);
        }

        @Override
        public void close() {}
      };
    }
    if (store.url == null || !store.url.startsWith("jdbc:postgresql:")) {
      throw new CliException(
          PbCli.USAGE, "--cluster: needs --db-url jdbc:postgresql://... (the servers' database)");
    }
    Duration expiryDuration = parse(expiry);
    if (expiryDuration.toMillis() < 300) {
      throw new CliException(PbCli.USAGE, "--cluster-expiry: " + expiry + " (expected: >= 300ms)");
    }
    ChatCluster.Builder builder;
    try {
      builder =
          ChatCluster.builder(store.url)
              .credentials(store.user, terminal.env("PB_DB_PASSWORD").orElse(null))
              .heartbeat(expiryDuration.dividedBy(3), expiryDuration);
      if (name != null) {
        builder.serverName(name);
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(PbCli.USAGE, "--cluster: " + e.getMessage());
    }
    ChatCluster chat;
    try {
      chat = builder.build().start();
    } catch (ChatClusterException e) {
      throw new CliException(PbCli.CANNOT_CONNECT, e.getMessage(), e);
    }
    return new Chat() {
      @Override
      public Portal portal(CredentialsChecker checker, CredentialsChecker... more) {
        return chat.portal(checker, more);
      }

      @Override
      public void close() {
        chat.close();
      }
    };
  }

  private static Duration parse(String text) {
    Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CliException(
          PbCli.USAGE, "--cluster-expiry: " + text + " (expected: a number and ms, s or m)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }
}
