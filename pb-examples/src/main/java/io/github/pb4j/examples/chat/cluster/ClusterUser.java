package io.github.pb4j.examples.chat.cluster;

import io.github.pb4j.Avatar;
import io.github.pb4j.Param;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.examples.chat.ChatText;
import io.github.pb4j.examples.chat.Delivery;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A chat user's avatar for one session on one server of a {@link ChatCluster}: the same remote
 * methods as the single server's {@code User} ({@code joinGroup(groupname, allowMattress=True)},
 * {@code leaveGroup(groupname)}, {@code groups()}), answered from the cluster's database.
 *
 * <p><em>Thread-safe.</em>
 */
public final class ClusterUser implements Avatar {
  private final String name;
  private final String shownName;
  private final long sessionId;
  private final ClusterRequests cluster;

  /** Where messages to this session go; null when the client offered no mind. */
  final @Nullable Delivery delivery;

  /** The client's mind, or null. */
  final @Nullable RemoteReference mind;

  /** False once the session has logged out (or the server was declared dead). */
  volatile boolean loggedIn = true;

  /** Database requests of this session not yet answered. */
  final AtomicInteger inFlight = new AtomicInteger();

  ClusterUser(
      String name,
      long sessionId,
      @Nullable Object mind,
      int maxUnanswered,
      ClusterRequests cluster) {
    this.name = name;
    this.shownName = ChatText.neutralise(name);
    this.sessionId = sessionId;
    this.cluster = cluster;
    this.mind = mind instanceof RemoteReference ref ? ref : null;
    this.delivery = this.mind != null ? new Delivery(shownName, this.mind, maxUnanswered) : null;
  }

  /** Returns the username. */
  public String name() {
    return name;
  }

  String shownName() {
    return shownName;
  }

  long sessionId() {
    return sessionId;
  }

  /**
   * Joins the group on every server, creating it if needed; a new group forbids the word "mattress"
   * if {@code allowMattress} is false.
   */
  @Remote
  public CompletableFuture<ClusterGroup> joinGroup(
      String groupname,
      @Param(value = "allowMattress", defaultValue = "True") boolean allowMattress) {
    return cluster.join(this, groupname, allowMattress);
  }

  /** Leaves the group; returns whether this user was in it. */
  @Remote
  public CompletableFuture<Boolean> leaveGroup(String groupname) {
    return cluster.leave(this, groupname);
  }

  /** Returns the names of the groups this user is in, on any server. */
  @Remote
  public CompletableFuture<List<String>> groups() {
    return cluster.groupsOf(this);
  }

  @Override
  public String toString() {
    return "ClusterUser[" + shownName + "#" + sessionId + "]";
  }
}
