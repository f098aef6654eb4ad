package io.github.pb4j.examples.chat;

import io.github.pb4j.Avatar;
import io.github.pb4j.Param;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A chat user's avatar for one session: the seed's {@code User(pb.Avatar)}. Each login gets its
 * own, so what a session was handed (its view of a group) ends with that session; all the sessions
 * of one username are one member of each group and all of them receive what is sent to it.
 *
 * <p>Remote methods (Twisted's {@code perspective_*}): {@code joinGroup(groupname,
 * allowMattress=True)} returns the {@link Group}; {@code leaveGroup(groupname)}; {@code groups()}.
 *
 * <p><em>Thread-safe.</em>
 */
public final class User implements Avatar {
  final Member member;
  private final ChatService service;

  /** Where messages to this session go; null when the client offered no mind. */
  final @Nullable Delivery delivery;

  /** False once the session has logged out. */
  boolean loggedIn = true; // Guarded by the service's lock.

  User(Member member, @Nullable Object mind, int maxUnanswered, ChatService service) {
    this.member = member;
    this.service = service;
    this.delivery =
        mind instanceof RemoteReference ref
            ? new Delivery(member.shownName, ref, maxUnanswered)
            : null;
  }

  /** Returns the username. */
  public String name() {
    return member.name;
  }

  /**
   * Joins the group, creating it if needed; a new group forbids the word "mattress" if {@code
   * allowMattress} is false. Returns the group, which the client sees through this perspective.
   */
  @Remote
  public Group joinGroup(
      String groupname,
      @Param(value = "allowMattress", defaultValue = "True") boolean allowMattress) {
    return service.joinGroup(groupname, this, allowMattress);
  }

  /** Leaves the group; returns whether this user was in it. */
  @Remote
  public boolean leaveGroup(String groupname) {
    return service.leaveGroup(groupname, this);
  }

  /** Returns the names of the groups this user is in. */
  @Remote
  public List<String> groups() {
    return service.groupsOf(this);
  }

  @Override
  public String toString() {
    return "User[" + member.shownName + "]";
  }
}
