package io.github.pb4j.examples.chat;

import io.github.pb4j.Remote;
import io.github.pb4j.Viewable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A chat group: the seed's {@code Group(pb.Viewable)}. Clients get it from {@link User#joinGroup}
 * and see it through their own perspective, which the server passes as each method's first
 * argument, so a sender cannot pretend to be someone else.
 *
 * <p>Remote methods (Twisted's {@code view_*}): {@code send(message)}, refused with {@code
 * ValueError("Don't say that word")} when the group forbids mattresses; {@code leave()}; {@code
 * members()}. A view is good while its holder is a member: once she left the group (by any of her
 * sessions) every method answers {@code pb.Error("you left #g")}, and once the session that got the
 * view logged out, {@code pb.Error("you logged out")}. Joining again makes it good again.
 *
 * <p><em>Thread-safe.</em>
 */
public final class Group implements Viewable {
  private final String name;
  private final boolean allowMattress;
  private final ChatService service;

  /** Members in order of joining. */
  final Set<Member> members = new LinkedHashSet<>(); // Guarded by the service's lock.

  Group(String name, boolean allowMattress, ChatService service) {
    this.name = name;
    this.allowMattress = allowMattress;
    this.service = service;
  }

  /** Returns the group's name, e.g. {@code #NeedAFourth}. */
  public String name() {
    return name;
  }

  /** Returns whether members may say "mattress" here. */
  public boolean allowsMattress() {
    return allowMattress;
  }

  /**
   * Sends {@code message} to every member as {@code <sender> says: message}, both neutralised by
   * {@link ChatText}'s rule.
   */
  @Remote
  public void send(User from, String message) {
    service.send(this, from, message);
  }

  /** Leaves the group; returns true. */
  @Remote
  public boolean leave(User from) {
    return service.leave(this, from);
  }

  /** Returns the members' names, in order of joining. */
  @Remote
  public List<String> members(User from) {
    return service.members(this, from);
  }

  @Override
  public String toString() {
    return "Group[" + name + "]";
  }
}
