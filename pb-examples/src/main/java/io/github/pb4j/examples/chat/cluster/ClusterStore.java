package io.github.pb4j.examples.chat.cluster;

import io.github.pb4j.PbApplicationException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cluster's statements. Every change to membership (join, leave, a user's last session ending,
 * a dead server's sessions reaped) holds one advisory transaction lock, {@link
 * ClusterSchema#MEMBERSHIP_LOCK}, and notifies what it changed in the same transaction, so the
 * notifications tell every server the changes in the order they were made.
 *
 * <p>Static methods on a connection, called on a {@link SqlWorker}'s thread.
 */
final class ClusterStore {
  private ClusterStore() {}

  /** What a join did. */
  record Joined(boolean allowMattress, boolean created, boolean added) {}

  static void registerServer(Connection c, String id, String name, Duration expiry)
      throws SQLException {
    update(
        c,
        "INSERT INTO pb4j_chat_servers (id, name, expires_at)"
            + " VALUES (?, ?, now() + "
            + interval(expiry)
            + ")"
            + " ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at",
        id,
        name);
  }

  /** Extends this server's life; returns false if another server already declared it dead. */
  static boolean heartbeat(Connection c, String id, Duration expiry) throws SQLException {
    return update(
            c,
            "UPDATE pb4j_chat_servers SET expires_at = now() + "
                + interval(expiry)
                + " WHERE id = ?",
            id)
        == 1;
  }

  /**
   * Deletes the servers whose heartbeat expired (their sessions go with them), the memberships of
   * users left without a session and stored messages older than {@code keepMessages}; returns the
   * names of the servers deleted.
   */
  static List<String> reap(Connection c, Duration keepMessages) throws SQLException {
    List<String> dead =
        SqlWorker.inTransaction(
            c,
            tx -> {
              lockMembership(tx);
              var names = new ArrayList<String>();
              try (Statement s = tx.createStatement();
                  ResultSet r =
                      s.executeQuery(
                          "DELETE FROM pb4j_chat_servers WHERE expires_at < now() RETURNING"
                              + " name")) {
                while (r.next()) {
                  names.add(r.getString(1));
                }
              }
              dropOrphans(tx);
              return names;
            });
    try (Statement s = c.createStatement()) {
      s.executeUpdate(
          "DELETE FROM pb4j_chat_messages WHERE created_at < now() - " + interval(keepMessages));
    }
    return dead;
  }

  /** Deletes this server and its sessions, and the memberships of users left without one. */
  static void unregisterServer(Connection c, String id) throws SQLException {
    SqlWorker.inTransaction(
        c,
        tx -> {
          lockMembership(tx);
          update(tx, "DELETE FROM pb4j_chat_servers WHERE id = ?", id);
          dropOrphans(tx);
          return null;
        });
  }

  static void addSession(Connection c, String serverId, long sessionId, String username)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO pb4j_chat_sessions (server_id, session_id, username) VALUES (?, ?, ?)")) {
      s.setString(1, serverId);
      s.setLong(2, sessionId);
      s.setString(3, username);
      s.executeUpdate();
    }
  }

  /**
   * Ends a session; if it was the user's last anywhere, she leaves every group. Returns the groups
   * she left.
   */
  static List<String> removeSession(Connection c, String serverId, long sessionId)
      throws SQLException {
    return SqlWorker.inTransaction(
        c,
        tx -> {
          lockMembership(tx);
          try (PreparedStatement s =
              tx.prepareStatement(
                  "DELETE FROM pb4j_chat_sessions WHERE server_id = ? AND session_id = ?")) {
            s.setString(1, serverId);
            s.setLong(2, sessionId);
            s.executeUpdate();
          }
          return dropOrphans(tx);
        });
  }

  static Joined join(
      Connection c,
      String serverId,
      long sessionId,
      String group,
      String username,
      boolean allowMattress)
      throws SQLException {
    return SqlWorker.inTransaction(
        c,
        tx -> {
          lockMembership(tx);
          if (!hasSession(tx, serverId, sessionId)) {
            throw new PbApplicationException("you logged out");
          }
          boolean created;
          try (PreparedStatement s =
              tx.prepareStatement(
                  "INSERT INTO pb4j_chat_groups (name, allow_mattress) VALUES (?, ?)"
                      + " ON CONFLICT (name) DO NOTHING")) {
            s.setString(1, group);
            s.setBoolean(2, allowMattress);
            created = s.executeUpdate() == 1;
          }
          boolean rule;
          try (PreparedStatement s =
              tx.prepareStatement("SELECT allow_mattress FROM pb4j_chat_groups WHERE name = ?")) {
            s.setString(1, group);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              rule = r.getBoolean(1);
            }
          }
          boolean added =
              update(
                      tx,
                      "INSERT INTO pb4j_chat_members (group_name, username) VALUES (?, ?)"
                          + " ON CONFLICT (group_name, username) DO NOTHING",
                      group,
                      username)
                  == 1;
          if (added) {
            notify(tx, ClusterEvent.join(group, username));
          }
          return new Joined(rule, created, added);
        });
  }

  /** Takes the user out of the group; returns whether she was in it. */
  static boolean leave(Connection c, String group, String username) throws SQLException {
    return SqlWorker.inTransaction(
        c,
        tx -> {
          lockMembership(tx);
          boolean left =
              update(
                      tx,
                      "DELETE FROM pb4j_chat_members WHERE group_name = ? AND username = ?",
                      group,
                      username)
                  == 1;
          if (left) {
            notify(tx, ClusterEvent.leave(group, username));
            update(
                tx,
                "DELETE FROM pb4j_chat_groups g WHERE name = ? AND NOT EXISTS"
                    + " (SELECT 1 FROM pb4j_chat_members m WHERE m.group_name = g.name)",
                group);
          }
          return left;
        });
  }

  /**
   * Sends a line to the group if the user is a member and the group's rule allows it: one NOTIFY,
   * with the line in it or, if too long, in pb4j_chat_messages.
   */
  static void send(
      Connection c, String group, String username, String message, String line, String key)
      throws SQLException {
    Boolean allowMattress = null;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT g.allow_mattress FROM pb4j_chat_members m"
                + " JOIN pb4j_chat_groups g ON g.name = m.group_name"
                + " WHERE m.group_name = ? AND m.username = ?")) {
      s.setString(1, group);
      s.setString(2, username);
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          allowMattress = r.getBoolean(1);
        }
      }
    }
    if (allowMattress == null) {
      throw new PbApplicationException("you left " + group);
    }
    if (!allowMattress && message.toLowerCase(Locale.ROOT).contains("mattress")) {
      throw new PbApplicationException("builtins.ValueError", "Don't say that word");
    }
    ClusterEvent event = ClusterEvent.message(key, group, line);
    if (event.fitsInline()) {
      notify(c, event);
      return;
    }
    SqlWorker.inTransaction(
        c,
        tx -> {
          long id;
          try (PreparedStatement s =
              tx.prepareStatement(
                  "INSERT INTO pb4j_chat_messages (msg_key, group_name, line) VALUES (?, ?, ?)"
                      + " RETURNING id")) {
            s.setString(1, key);
            s.setString(2, group);
            s.setString(3, line);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              id = r.getLong(1);
            }
          }
          notify(tx, new ClusterEvent('M', Long.toString(id), "", ""));
          return null;
        });
  }

  /** Reads a stored message as the event it stands for; null if it was deleted already. */
  static ClusterEvent storedMessage(Connection c, long id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT msg_key, group_name, line FROM pb4j_chat_messages WHERE id = ?")) {
      s.setLong(1, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? ClusterEvent.message(r.getString(1), r.getString(2), r.getString(3))
            : null;
      }
    }
  }

  static boolean isMember(Connection c, String group, String username) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT 1 FROM pb4j_chat_members WHERE group_name = ? AND username = ?")) {
      s.setString(1, group);
      s.setString(2, username);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  /** Returns the members of the group in order of joining, or null if the user is not one. */
  static List<String> members(Connection c, String group, String username) throws SQLException {
    List<String> members =
        strings(
            c,
            "SELECT username FROM pb4j_chat_members WHERE group_name = ? ORDER BY joined",
            group);
    if (!members.contains(username)) {
      throw new PbApplicationException("you left " + group);
    }
    return members;
  }

  static List<String> groupsOf(Connection c, String username) throws SQLException {
    return strings(
        c,
        "SELECT group_name FROM pb4j_chat_members WHERE username = ? ORDER BY group_name",
        username);
  }

  /** Users with a session on a server whose heartbeat has not expired, sorted. */
  static List<String> onlineUsers(Connection c) throws SQLException {
    return strings(
        c,
        "SELECT DISTINCT s.username FROM pb4j_chat_sessions s"
            + " JOIN pb4j_chat_servers v ON v.id = s.server_id"
            + " WHERE v.expires_at > now() ORDER BY 1");
  }

  static List<String> groupNames(Connection c) throws SQLException {
    return strings(c, "SELECT name FROM pb4j_chat_groups ORDER BY name");
  }

  /** Every membership, in order of joining: group, username, group, username, ... */
  static List<String> memberships(Connection c) throws SQLException {
    var all = new ArrayList<String>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT group_name, username FROM pb4j_chat_members ORDER BY joined")) {
      while (r.next()) {
        all.add(r.getString(1));
        all.add(r.getString(2));
      }
    }
    return all;
  }

  /** Removes the memberships of users without a session, and groups left without members. */
  private static List<String> dropOrphans(Connection tx) throws SQLException {
    var left = new ArrayList<String>();
    try (Statement s = tx.createStatement();
        ResultSet r =
            s.executeQuery(
                "DELETE FROM pb4j_chat_members m WHERE NOT EXISTS"
                    + " (SELECT 1 FROM pb4j_chat_sessions s WHERE s.username = m.username)"
                    + " RETURNING group_name, username")) {
      while (r.next()) {
        left.add(r.getString(1));
        notify(tx, ClusterEvent.leave(r.getString(1), r.getString(2)));
      }
    }
    if (!left.isEmpty()) {
      try (Statement s = tx.createStatement()) {
        s.executeUpdate(
            "DELETE FROM pb4j_chat_groups g WHERE NOT EXISTS"
                + " (SELECT 1 FROM pb4j_chat_members m WHERE m.group_name = g.name)");
      }
    }
    return left;
  }

  private static boolean hasSession(Connection c, String serverId, long sessionId)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT 1 FROM pb4j_chat_sessions WHERE server_id = ? AND session_id = ?")) {
      s.setString(1, serverId);
      s.setLong(2, sessionId);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  private static void lockMembership(Connection tx) throws SQLException {
    try (Statement s = tx.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + ClusterSchema.MEMBERSHIP_LOCK + ")");
    }
  }

  private static void notify(Connection c, ClusterEvent event) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      s.setString(1, ClusterSchema.CHANNEL);
      s.setString(2, event.payload());
      s.execute();
    }
  }

  private static int update(Connection c, String sql, String... parameters) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setString(i + 1, parameters[i]);
      }
      return s.executeUpdate();
    }
  }

  private static List<String> strings(Connection c, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setString(i + 1, parameters[i]);
      }
      var values = new ArrayList<String>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          values.add(r.getString(1));
        }
      }
      return List.copyOf(values);
    }
  }

  private static String interval(Duration d) {
    return "interval '" + d.toMillis() + " milliseconds'";
  }
}
