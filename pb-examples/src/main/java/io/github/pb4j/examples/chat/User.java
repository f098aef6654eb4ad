package io.github.pb4j.examples.chat;

import io.github.pb4j.Avatar;
import io.github.pb4j.Param;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.examples.ExampleRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chat user's avatar: the seed's {@code User(pb.Avatar)}. One per username, shared by all of the
 * user's sessions; every session's mind receives what is sent to the user.
 *
 * <p>Remote methods (Twisted's {@code perspective_*}): {@code joinGroup(groupname,
 * allowMattress=True)} returns the {@link Group}; {@code leaveGroup(groupname)}; {@code groups()}.
 *
 * <p><em>Thread-safe.</em>
 */
public final class User implements Avatar {
  private static final Logger logger = LoggerFactory.getLogger(User.class);

  private final String name;
  private final ChatService service;

  /** The user's sessions, in order of login. */
  final List<Session> sessions = new ArrayList<>(2); // Guarded by the service's lock.

  /** One login of the user, with the mind its client offered (or none). */
  static final class Session {
    final @Nullable Object mind;

    Session(@Nullable Object mind) {
      this.mind = mind;
    }
  }

  User(String name, ChatService service) {
    this.name = name;
    this.service = service;
  }

  /** Returns the username. */
  public String name() {
    return name;
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
    Group group = service.group(groupname);
    return group != null && service.leave(group, this);
  }

  /** Returns the names of the groups this user is in. */
  @Remote
  public List<String> groups() {
    return service.groupsOf(this);
  }

  /**
   * Sends {@code message} to every session's mind with {@code callRemote("print", message)}.
   * Returns at once; a failed delivery is logged and does not affect the others.
   */
  public void send(String message) {
    for (Session session : service.sessions(this)) {
      if (session.mind instanceof RemoteReference mind) {
        deliver(mind, message);
      }
    }
  }

  private void deliver(RemoteReference mind, String message) {
    CompletableFuture<?> call;
    try {
      call = mind.callRemote("print", message);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            logger.warn("delivery to {} failed: {}", name, ExampleRunner.describe(failure));
          }
        });
  }

  @Override
  public String toString() {
    return "User[" + name + "]";
  }
}
