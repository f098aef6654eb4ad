package io.github.pb4j.examples.chat.cluster;

import io.github.pb4j.PbApplicationException;
import io.github.pb4j.examples.chat.ChatService;
import io.github.pb4j.examples.chat.ChatText;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a session asks of the cluster (join, leave, list, send), each answered from the database on
 * the server's {@link SqlWorker}, at most {@link ChatCluster#MAX_IN_FLIGHT} at a time per session.
 * Refusals reach the client as the single server's do; database failures as a plain "unavailable",
 * logged here.
 *
 * <p><em>Thread-safe.</em>
 */
final class ClusterRequests {
  private static final Logger logger = LoggerFactory.getLogger(ChatService.class);
  private static final int MAX_IN_FLIGHT = ChatCluster.MAX_IN_FLIGHT;

  private final SqlWorker worker;
  private final String serverId;
  private final AtomicLong messageIds = new AtomicLong();

  ClusterRequests(SqlWorker worker, String serverId) {
    this.worker = worker;
    this.serverId = serverId;
  }

  CompletableFuture<ClusterGroup> join(ClusterUser user, String group, boolean allowMattress) {
    checkGroupName(group);
    checkLoggedIn(user);
    return forUser(
            user,
            c ->
                ClusterStore.join(c, serverId, user.sessionId(), group, user.name(), allowMattress))
        .thenApply(
            joined -> {
              if (joined.created()) {
                logger.info(
                    "{} created {}{}",
                    user.shownName(),
                    group,
                    allowMattress ? "" : " (no mattress)");
              }
              if (joined.added()) {
                logger.info("{} joined {}", user.shownName(), group);
              }
              return new ClusterGroup(group, this);
            });
  }

  CompletableFuture<Boolean> leave(ClusterUser user, String group) {
    if (!user.loggedIn) {
      return CompletableFuture.completedFuture(false);
    }
    return forUser(user, c -> ClusterStore.leave(c, group, user.name()))
        .thenApply(
            left -> {
              if (left) {
                logger.info("{} left {}", user.shownName(), group);
              }
              return left;
            });
  }

  CompletableFuture<Boolean> leaveThroughView(ClusterUser user, String group) {
    checkLoggedIn(user);
    return leave(user, group)
        .thenApply(
            left -> {
              if (!left) {
                throw new PbApplicationException("you left " + group);
              }
              return true;
            });
  }

  CompletableFuture<List<String>> groupsOf(ClusterUser user) {
    checkLoggedIn(user);
    return forUser(user, c -> ClusterStore.groupsOf(c, user.name()));
  }

  CompletableFuture<List<String>> members(ClusterUser user, String group) {
    checkLoggedIn(user);
    return forUser(user, c -> ClusterStore.members(c, group, user.name()))
        .thenApply(names -> names.stream().map(ChatText::neutralise).toList());
  }

  CompletableFuture<Void> send(ClusterUser from, String group, String message) {
    Objects.requireNonNull(message, "message");
    checkLoggedIn(from);
    if (message.length() > ChatService.MAX_MESSAGE) {
      String why =
          "message too long: "
              + message.length()
              + " characters (expected: <= "
              + ChatService.MAX_MESSAGE
              + ")";
      logger.info("refused a message from {} to {}: {}", from.shownName(), group, why);
      return CompletableFuture.failedFuture(new PbApplicationException(why));
    }
    String line = "<" + from.shownName() + "> says: " + ChatText.neutralise(message);
    return forUser(
            from,
            c -> {
              // Taken on the database thread, so that keys are committed in increasing order.
              String key = serverId + ":" + messageIds.incrementAndGet();
              ClusterStore.send(c, group, from.name(), message, line, key);
              return (Void) null;
            })
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null) {
                logger.info(
                    "refused a message from {} to {}: {}",
                    from.shownName(),
                    group,
                    unwrap(failure).getMessage());
              }
            });
  }

  private static void checkLoggedIn(ClusterUser user) {
    if (!user.loggedIn) {
      throw new PbApplicationException("you logged out");
    }
  }

  private static void checkGroupName(String groupName) {
    if (groupName.isEmpty()
        || groupName.length() > ChatService.MAX_GROUP_NAME
        || !ChatText.isNeutral(groupName)) {
      throw new PbApplicationException(
          "group name: "
              + groupName.length()
              + " characters (expected: 1.."
              + ChatService.MAX_GROUP_NAME
              + ", no control, format or line separator characters)");
    }
  }

  /**
   * Runs a session's database work, at most {@link #MAX_IN_FLIGHT} at a time per session: a client
   * that sends without waiting for answers is refused beyond that, so it can make the server queue
   * only so much.
   */
  private <T> CompletableFuture<T> forUser(ClusterUser user, SqlWorker.Work<T> work) {
    if (user.inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      user.inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(
          new PbApplicationException(
              "too many requests at once (expected: <= "
                  + MAX_IN_FLIGHT
                  + " unanswered): wait for the answers"));
    }
    return guard(worker.submit(work)).whenComplete((v, f) -> user.inFlight.decrementAndGet());
  }

  /** Passes refusals to the client; replaces database failures by a plain error, logged here. */
  <T> CompletableFuture<T> guard(CompletableFuture<T> work) {
    return work.handle(
        (value, failure) -> {
          if (failure == null) {
            return value;
          }
          Throwable cause = unwrap(failure);
          if (cause instanceof PbApplicationException e) {
            throw e;
          }
          if (cause instanceof ChatClusterException) {
            logger.debug("refused work: {}", cause.getMessage()); // Busy or closing.
          } else {
            logger.warn("the chat cluster's database failed: {}", cause.toString());
          }
          throw new PbApplicationException("the chat service is unavailable: try again later");
        });
  }

  static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
