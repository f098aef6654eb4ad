package io.github.pb4j.examples.chat.cluster;

import io.github.pb4j.Remote;
import io.github.pb4j.Viewable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A chat group as one server of a {@link ChatCluster} shows it: the same view methods as the single
 * server's {@code Group} ({@code send(message)}, {@code leave()}, {@code members()}), seen through
 * the caller's perspective. The group itself lives in the database: a view answers while its holder
 * is a member, whichever server she joined through.
 *
 * <p><em>Thread-safe.</em>
 */
public final class ClusterGroup implements Viewable {
  private final String name;
  private final ClusterRequests cluster;

  ClusterGroup(String name, ClusterRequests cluster) {
    this.name = name;
    this.cluster = cluster;
  }

  /** Returns the group's name. */
  public String name() {
    return name;
  }

  /** Sends {@code message} to every member on every server, as {@code <sender> says: message}. */
  @Remote
  public CompletableFuture<Void> send(ClusterUser from, String message) {
    return cluster.send(from, name, message);
  }

  /** Leaves the group; returns true. */
  @Remote
  public CompletableFuture<Boolean> leave(ClusterUser from) {
    return cluster.leaveThroughView(from, name);
  }

  /** Returns the members' names, in order of joining, as shown. */
  @Remote
  public CompletableFuture<List<String>> members(ClusterUser from) {
    return cluster.members(from, name);
  }

  @Override
  public String toString() {
    return "ClusterGroup[" + name + "]";
  }
}
