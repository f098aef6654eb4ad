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
 * <p>Unlike the seed's it survives real life: every session of a user receives what is sent to her;
 * a user whose last session ends leaves every group; a failed delivery to one session never stops
 * delivery to the others; a group disappears with its last member (so its mattress rule is chosen
 * anew by the next creator); only members may send. Joins, leaves, logins and refusals are logged
 * at INFO (never message text). And it is safe among hostile users:
 *
 * <ul>
 *   <li>names and messages reach other users neutralised by {@link ChatText}'s rule (controls, line
 *       breaks and bidirectional controls as visible escapes), so a message is one line and cannot
 *       pass for another user's; group names must be neutral already;
 *   <li>a {@link Group} view answers only while its holder is a member, and only while the session
 *       it was handed to is logged in;
 *   <li>a session whose client does not keep up (stops reading, or stops answering) holds at most
 *       {@link #MAX_UNANSWERED} messages on the server; later ones are dropped and the client is
 *       told how many once it catches up; nobody else waits for it.
 * </ul>
 *
 * <p><em>Thread-safe:</em> each connection's calls run on its own event loop; the membership tables
 * are guarded by one lock, and messages are sent outside it.
 */
public final class ChatService {
  /** Longest group name accepted. */
  public static final int MAX_GROUP_NAME = 100;

  /** Longest message accepted, in chars. */
  public static final int MAX_MESSAGE = 4096;

  /**
   * Most messages sent to one session and not yet answered; past it, messages are dropped. Ten
   * seconds of a busy group's 100 messages a second: a healthy client that is slow for a moment (a
   * garbage collection, a busy machine, a warming JVM) stays far from it; one that stopped
   * answering costs about 150 bytes of server heap per message held, 150 KB per session.
   */
  public static final int MAX_UNANSWERED = 1000;

  private static final Logger logger = LoggerFactory.getLogger(ChatService.class);

  private final Object lock = new Object();
  private final Map<String, Member> members = new HashMap<>(); // Guarded by lock.
  private final Map<String, Group> groups = new HashMap<>(); // Guarded by lock.

  private final int maxUnanswered;

  /** Creates an empty service. */
  public ChatService() {
    this(MAX_UNANSWERED);
  }

  /**
   * Creates an empty service that lets {@code maxUnanswered} messages per session go unanswered.
   */
  ChatService(int maxUnanswered) {
    if (maxUnanswered < 1) {
      throw new IllegalArgumentException("maxUnanswered: " + maxUnanswered + " (expected: >= 1)");
    }
    this.maxUnanswered = maxUnanswered;
  }

  /** Returns the realm that hands out this service's users: the seed's {@code ChatRealm}. */
  public Realm realm() {
    return new ChatRealm(this);
  }

  /**
   * Returns a portal to this service's realm checking passwords with {@code checker} (and other
   * credentials, such as client certificates, with {@code more}); failed logins are logged at INFO.
   */
  public Portal portal(CredentialsChecker checker, CredentialsChecker... more) {
    Portal.Builder builder =
        Portal.builder().realm(realm()).checker(new RefusalLoggingChecker(checker));
    for (CredentialsChecker c : more) {
      builder.checker(new RefusalLoggingChecker(c));
    }
    return builder.build();
  }

  /** Returns the names of the users online now, sorted. */
  public List<String> onlineUsers() {
    synchronized (lock) {
      return members.keySet().stream().sorted().toList();
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
    User user;
    int sessions;
    synchronized (lock) {
      Member member = members.computeIfAbsent(name, Member::new);
      user = new User(member, mind, maxUnanswered, this);
      member.sessions.add(user);
      sessions = member.sessions.size();
    }
    logger.info(
        "{} logged in ({} session{})", user.member.shownName, sessions, sessions == 1 ? "" : "s");
    return new LoginResult<>(Avatar.class, user, () -> detach(user));
  }

  /**
   * Ends a session: its views stop answering; the user's last session takes the user out of every
   * group.
   */
  private void detach(User user) {
    Member member = user.member;
    List<Group> left = new ArrayList<>();
    int remaining;
    synchronized (lock) {
      if (!user.loggedIn) {
        return;
      }
      user.loggedIn = false;
      member.sessions.remove(user);
      remaining = member.sessions.size();
      if (remaining == 0) {
        members.remove(member.name, member);
        for (Iterator<Group> it = groups.values().iterator(); it.hasNext(); ) {
          Group group = it.next();
          if (group.members.remove(member)) {
            left.add(group);
          }
          if (group.members.isEmpty()) {
            it.remove();
          }
        }
      }
    }
    for (Group group : left) {
      logger.info("{} left {} (disconnected)", member.shownName, group.name());
    }
    logger.info(
        "{} logged out ({} session{} left)",
        member.shownName,
        remaining,
        remaining == 1 ? "" : "s");
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
      if (!user.loggedIn) {
        throw new PbApplicationException("you logged out");
      }
      group = groups.get(groupName);
      if (group == null) {
        group = new Group(groupName, allowMattress, this);
        groups.put(groupName, group);
        created = true;
      }
      added = group.members.add(user.member);
    }
    String who = user.member.shownName;
    if (created) {
      logger.info("{} created {}{}", who, groupName, allowMattress ? "" : " (no mattress)");
    }
    if (added) {
      logger.info("{} joined {}", who, groupName);
    }
    return group;
  }

  /** Takes {@code user} out of the group named {@code groupName}; returns whether she was in it. */
  boolean leaveGroup(String groupName, User user) {
    Group group;
    synchronized (lock) {
      group = groups.get(groupName);
      if (group == null || !user.loggedIn || !group.members.contains(user.member)) {
        return false;
      }
      remove(group, user.member);
    }
    logger.info("{} left {}", user.member.shownName, group.name());
    return true;
  }

  /** Takes {@code user} out of {@code group}, through her view of it; returns true. */
  boolean leave(Group group, User user) {
    synchronized (lock) {
      checkView(group, user);
      remove(group, user.member);
    }
    logger.info("{} left {}", user.member.shownName, group.name());
    return true;
  }

  /** Removes a member; an empty group goes away. Called with the lock held. */
  private void remove(Group group, Member member) {
    group.members.remove(member);
    if (group.members.isEmpty()) {
      groups.remove(group.name(), group);
    }
  }

  /** Returns the names of the groups {@code user} is in, sorted. */
  List<String> groupsOf(User user) {
    synchronized (lock) {
      if (!user.loggedIn) {
        throw new PbApplicationException("you logged out");
      }
      return groups.values().stream()
          .filter(g -> g.members.contains(user.member))
          .map(Group::name)
          .sorted()
          .toList();
    }
  }

  /** Returns the names of the members of {@code group}, in order of joining, as shown. */
  List<String> members(Group group, User user) {
    synchronized (lock) {
      checkView(group, user);
      return group.members.stream().map(m -> m.shownName).toList();
    }
  }

  /**
   * Sends {@code message} from {@code from} to every member of {@code group}, every session, as one
   * line: {@code <name> says: message}, both neutralised.
   */
  void send(Group group, User from, String message) {
    Objects.requireNonNull(message, "message");
    List<User> recipients = new ArrayList<>();
    synchronized (lock) {
      try {
        checkView(group, from);
      } catch (PbApplicationException e) {
        logger.info(
            "refused a message from {} to {}: {}",
            from.member.shownName,
            group.name(),
            e.getMessage());
        throw e;
      }
      group.members.forEach(m -> recipients.addAll(m.sessions));
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
          "refused a message from {} to {}: it mentions mattresses",
          from.member.shownName,
          group.name());
      throw new PbApplicationException("builtins.ValueError", "Don't say that word");
    }
    String line = "<" + from.member.shownName + "> says: " + ChatText.neutralise(message);
    List<Delivery> deliveries = new ArrayList<>(recipients.size());
    for (User user : recipients) {
      if (user.delivery != null) {
        deliveries.add(user.delivery);
      }
    }
    Delivery.deliverAll(deliveries, line);
  }

  /**
   * Refuses a view whose holder is no longer a member or whose session logged out. Called with the
   * lock held.
   */
  private static void checkView(Group group, User user) {
    if (!user.loggedIn) {
      throw new PbApplicationException("you logged out");
    }
    if (!group.members.contains(user.member)) {
      throw new PbApplicationException("you left " + group.name());
    }
  }

  private static PbApplicationException refuse(User from, Group group, String why) {
    logger.info("refused a message from {} to {}: {}", from.member.shownName, group.name(), why);
    return new PbApplicationException(why);
  }

  private static void checkGroupName(String groupName) {
    if (groupName.isEmpty()
        || groupName.length() > MAX_GROUP_NAME
        || !ChatText.isNeutral(groupName)) {
      throw new PbApplicationException(
          "group name: "
              + groupName.length()
              + " characters (expected: 1.."
              + MAX_GROUP_NAME
              + ", no control, format or line separator characters)");
    }
  }
}
