package io.github.pb4j.examples.chat.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's tables, created or migrated by the first server to start. Migration runs in one
 * transaction holding a transaction-level advisory lock, so of two servers starting at once one
 * migrates and the other waits, then finds the schema current; {@code pb4j_chat_schema_version}
 * holds one row per version applied.
 *
 * <pre>
 * pb4j_chat_servers   id, name, started_at, expires_at       one row per live server (heartbeat)
 * pb4j_chat_sessions  server_id, session_id, username        one row per login; cascades
 * pb4j_chat_groups    name, allow_mattress                   groups with members
 * pb4j_chat_members   group_name, username, joined           who is in which group
 * pb4j_chat_messages  id, msg_key, group_name, line          messages too long for a NOTIFY
 * </pre>
 */
final class ClusterSchema {
  private static final Logger logger = LoggerFactory.getLogger(ClusterSchema.class);

  /** The schema version this code writes. */
  static final int VERSION = 1;

  /** Advisory lock keys ("pb4jchat" in ASCII, then one more). */
  static final long SCHEMA_LOCK = 0x7062346a63686174L;

  static final long MEMBERSHIP_LOCK = SCHEMA_LOCK + 1;

  /** The channel every server listens on. */
  static final String CHANNEL = "pb4j_chat";

  private static final List<String> VERSION_1 =
      List.of(
          "CREATE TABLE pb4j_chat_servers ("
              + " id text PRIMARY KEY,"
              + " name text NOT NULL,"
              + " started_at timestamptz NOT NULL DEFAULT now(),"
              + " expires_at timestamptz NOT NULL)",
          "CREATE TABLE pb4j_chat_sessions ("
              + " server_id text NOT NULL REFERENCES pb4j_chat_servers(id) ON DELETE CASCADE,"
              + " session_id bigint NOT NULL,"
              + " username text NOT NULL,"
              + " started_at timestamptz NOT NULL DEFAULT now(),"
              + " PRIMARY KEY (server_id, session_id))",
          "CREATE INDEX pb4j_chat_sessions_username ON pb4j_chat_sessions(username)",
          "CREATE TABLE pb4j_chat_groups ("
              + " name text PRIMARY KEY,"
              + " allow_mattress boolean NOT NULL,"
              + " created_at timestamptz NOT NULL DEFAULT now())",
          "CREATE TABLE pb4j_chat_members ("
              + " group_name text NOT NULL REFERENCES pb4j_chat_groups(name) ON DELETE CASCADE,"
              + " username text NOT NULL,"
              + " joined bigserial,"
              + " PRIMARY KEY (group_name, username))",
          "CREATE INDEX pb4j_chat_members_username ON pb4j_chat_members(username)",
          "CREATE TABLE pb4j_chat_messages ("
              + " id bigserial PRIMARY KEY,"
              + " msg_key text NOT NULL,"
              + " group_name text NOT NULL,"
              + " line text NOT NULL,"
              + " created_at timestamptz NOT NULL DEFAULT now())");

  private ClusterSchema() {}

  /**
   * Brings the schema to {@link #VERSION}; returns the version found before (0 for an empty
   * database). {@code serverName} is recorded with each version applied.
   */
  static int migrate(Connection c, String serverName) throws SQLException {
    return SqlWorker.inTransaction(
        c,
        tx -> {
          try (Statement s = tx.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
            s.execute(
                "CREATE TABLE IF NOT EXISTS pb4j_chat_schema_version ("
                    + " version integer PRIMARY KEY,"
                    + " applied_at timestamptz NOT NULL DEFAULT now(),"
                    + " applied_by text NOT NULL)");
          }
          int found = currentVersion(tx);
          if (found > VERSION) {
            throw new ChatClusterException(
                "the chat cluster's schema is at version "
                    + found
                    + ", newer than this server's "
                    + VERSION
                    + ": upgrade this server");
          }
          if (found < 1) {
            apply(tx, VERSION_1, 1, serverName);
          }
          if (found < VERSION) {
            logger.info("migrated the chat cluster schema from version {} to {}", found, VERSION);
          } else {
            logger.info("the chat cluster schema is at version {}", found);
          }
          return found;
        });
  }

  private static int currentVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT max(version) FROM pb4j_chat_schema_version")) {
      r.next();
      return r.getInt(1); // 0 when NULL.
    }
  }

  private static void apply(Connection c, List<String> statements, int version, String serverName)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO pb4j_chat_schema_version (version, applied_by) VALUES (?, ?)")) {
      s.setInt(1, version);
      s.setString(2, serverName);
      s.executeUpdate();
    }
  }
}
