package io.github.pb4j.examples.chat;

import io.github.pb4j.Avatar;
import io.github.pb4j.PbApplicationException;
import io.github.pb4j.cred.CredentialsChecker;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat service of the seed's last example ({@code chatserver.py}'s {@code ChatServer}): users
 * log in through cred and act through their {@link User} avatar; groups are {@link Group}
 * viewables, so the sender's name comes from the avatar and cannot be forged; each client's mind
 * receives messages through its remote {@code print}.
 *
 * <pre>{@code
 * ChatService chat = new ChatService();
 * Portal portal = chat.portal(userStore.checker());
 * PbServer server =
 *     PbServer.builder().port(8800).rootFactory(PortalRoot.factory(portal)).build().start();
 * }</pre>
 *
 * <p>Unlike the seed's it survives real life: one {@link User} per username holds every session of
 * that user, and all of them receive; a user whose last session ends leaves every group; a failed
 * delivery to one session never stops delivery to the others; a group disappears with its last
 * member (so its mattress rule is chosen anew by the next creator); only members may send. Joins,
 * leaves, logins and refusals are logged at INFO (never message text).
 *
 * <p><em>Thread-safe:</em> each connection's calls run on its own event loop; the membership tables
 * are guarded by one lock, and messages are sent outside it.
 */
public final class ChatService {
  /** Longest group name accepted. */
  public static final int MAX_GROUP_NAME = 100;

  /** Longest message accepted, in chars. */
  public static final int MAX_MESSAGE = 4096;

  private static final Logger logger = LoggerFactory.getLogger(ChatService.class);

  private final Object lock = new Object();
  private final Map<String, User> users = new HashMap<>(); // Guarded by lock.
  private final Map<String, Group> groups = new HashMap<>(); // Guarded by lock.

  /** Creates an empty service. */
  public ChatService() {}

  /** Returns the realm that hands out this service's users: the seed's {@code ChatRealm}. */
  public Realm realm() {
    return new ChatRealm(this);
  }

  /**
   * Returns a portal to this service's realm checking passwords with {@code checker}; failed logins
   * are logged at INFO.
   */
  public Portal portal(CredentialsChecker checker) {
    return Portal.builder().realm(realm()).checker(new RefusalLoggingChecker(checker)).build();
  }

  /** Returns the names of the users online now, sorted. */
  public List<String> onlineUsers() {
    synchronized (lock) {
      return users.keySet().stream().sorted().toList();
    }
  }

  /** Returns the names of the groups that have members now, sorted. */
  public List<String> groupNames() {
    synchronized (lock) {
      return groups.keySet().stream().sorted().toList();
    }
  }

  /** Attaches a new session of {@code name} whose client offered {@code mind}. */
  LoginResult<Avatar> attach(String name, @Nullable Object mind) {
    User.Session session = new User.Session(mind);
    User user;
    int sessions;
    synchronized (lock) {
      user = users.computeIfAbsent(name, n -> new User(n, this));
      user.sessions.add(session);
      sessions = user.sessions.size();
    }
    logger.info("{} logged in ({} session{})", name, sessions, sessions == 1 ? "" : "s");
    return new LoginResult<>(Avatar.class, user, () -> detach(user, session));
  }

  /** Ends a session; the user's last session takes the user out of every group. */
  private void detach(User user, User.Session session) {
    List<Group> left = new ArrayList<>();
    int remaining;
    synchronized (lock) {
      if (!user.sessions.remove(session)) {
        return;
      }
      remaining = user.sessions.size();
      if (remaining == 0) {
        users.remove(user.name(), user);
        for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
          Group group = it.next();
          if (group.members.remove(user)) {
            left.add(group);
          }
          if (group.members.isEmpty()) {
            it.remove();
          }
        }
      }
    }
    for (Group group : left) {
      logger.info("{} left {} (disconnected)", user.name(), group.name());
    }
    logger.info(
        "{} logged out ({} session{} left)", user.name(), remaining, remaining == 1 ? "" : "s");
  }

  /**
   * Adds {@code user} to the group, creating it with {@code allowMattress} if it does not exist.
   */
  Group joinGroup(String groupName, User user, boolean allowMattress) {
    checkGroupName(groupName);
    Group group;
    boolean created = false;
    boolean added;
    synchronized (lock) {
      if (user.sessions.isEmpty()) {
        throw new PbApplicationException("not logged in");
      }
      group = groups.get(groupName);
      if (group == null) {
        group = new Group(groupName, allowMattress, this);
        groups.put(groupName, group);
        created = true;
      }
      added = group.members.add(user);
    }
    if (created) {
      logger.info("{} created {}{}", user.name(), groupName, allowMattress ? "" : " (no mattress)");
    }
    if (added) {
      logger.info("{} joined {}", user.name(), groupName);
    }
    return group;
  }

  /** Removes {@code user} from {@code group}; returns whether it was a member. */
  boolean leave(Group group, User user) {
    boolean removed;
    synchronized (lock) {
      removed = group.members.remove(user);
      if (group.members.isEmpty()) {
        groups.remove(group.name(), group);
      }
    }
    if (removed) {
      logger.info("{} left {}", user.name(), group.name());
    }
    return removed;
  }

  /** Returns the group named {@code groupName} if it exists. */
  @Nullable Group group(String groupName) {
    synchronized (lock) {
      return groups.get(groupName);
    }
  }

  /** Returns the names of the groups {@code user} is in, sorted. */
  List<String> groupsOf(User user) {
    synchronized (lock) {
      return groups.values().stream()
          .filter(g -> g.members.contains(user))
          .map(Group::name)
          .sorted()
          .toList();
    }
  }

  /** Returns the names of the members of {@code group}, in order of joining. */
  List<String> members(Group group) {
    synchronized (lock) {
      return group.members.stream().map(User::name).toList();
    }
  }

  /** Sends {@code message} from {@code from} to every member of {@code group}, every session. */
  void send(Group group, User from, String message) {
    Objects.requireNonNull(message, "message");
    List<User> recipients;
    synchronized (lock) {
      if (!group.members.contains(from)) {
        recipients = null;
      } else {
        recipients = List.copyOf(group.members);
      }
    }
    if (recipients == null) {
      throw refuse(from, group, "not a member of " + group.name());
    }
    if (message.length() > MAX_MESSAGE) {
      throw refuse(
          from,
          group,
          "message too long: "
              + message.length()
              + " characters (expected: <= "
              + MAX_MESSAGE
              + ")");
    }
    if (!group.allowsMattress() && message.toLowerCase(Locale.ROOT).contains("mattress")) {
      // The seed raises ValueError; a Twisted client can still trap(ValueError).
      logger.info(
          "refused a message from {} to {}: it mentions mattresses", from.name(), group.name());
      throw new PbApplicationException("builtins.ValueError", "Don't say that word");
    }
    String line = "<" + from.name() + "> says: " + message;
    for (User user : recipients) {
      user.send(line);
    }
  }

  private static PbApplicationException refuse(User from, Group group, String why) {
    logger.info("refused a message from {} to {}: {}", from.name(), group.name(), why);
    return new PbApplicationException(why);
  }

  private static void checkGroupName(String groupName) {
    if (groupName.isEmpty()
        || groupName.length() > MAX_GROUP_NAME
        || groupName.chars().anyMatch(Character::isISOControl)) {
      throw new PbApplicationException(
          "group name: "
              + groupName.length()
              + " characters (expected: 1.."
              + MAX_GROUP_NAME
              + ", no control characters)");
    }
  }

  /** Returns a snapshot of the sessions of {@code user}. */
  List<User.Session> sessions(User user) {
    synchronized (lock) {
      return List.copyOf(user.sessions);
    }
  }
}
