package io.github.pb4j.userstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.cred.AvatarId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several stores, as in several servers, opened at the same moment on an empty database: the first
 * to take the schema lock creates the table, the others wait and find it; none fails. Each round
 * uses a fresh database, so every round races on creating the table.
 */
@ExtendWith(PostgresServer.class)
@Timeout(180)
class ConcurrentSchemaTest {
  private static final int STORES = 6;
  private static final int ROUNDS = 5;

  @Test
  void storesOpenedAtOnceOnAnEmptyPostgresDatabaseAllWork(PostgresServer.Database server)
      throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String name = "users_race_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
      execute(server, server.url(), "CREATE DATABASE " + name);
      String url = databaseUrl(server.url(), name);
      try {
        raceAndCheck(
            () -> JdbcUserStore.builder(url).credentials(server.user(), server.password()),
            round);
        try (Connection c = DriverManager.getConnection(url, server.user(), server.password())) {
          assertThat(
                  count(
                      c,
                      "SELECT count(*) FROM information_schema.tables"
                          + " WHERE table_name = 'pb4j_users'"))
              .isEqualTo(1);
          assertThat(count(c, "SELECT count(*) FROM pb4j_users")).isEqualTo(STORES);
        }
      } finally {
        execute(server, server.url(), "DROP DATABASE IF EXISTS " + name);
      }
    }
  }

  @Test
  void storesOpenedAtOnceOnOneSqliteFileAllWork(@TempDir Path directory) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      Path file = directory.resolve("users-" + round + ".db");
      raceAndCheck(() -> JdbcUserStore.sqliteBuilder(file), round);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
        assertThat(
                count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'pb4j_users'"))
            .isEqualTo(1);
        assertThat(count(c, "SELECT count(*) FROM pb4j_users")).isEqualTo(STORES);
      }
    }
  }

  /**
   * Opens {@link #STORES} stores whose first operations start together; each adds a user, and
   * every store then sees every user and checks every password.
   */
  private static void raceAndCheck(Supplier<JdbcUserStore.Builder> database, int round)
      throws Exception {
    List<JdbcUserStore> stores = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(STORES);
    try {
      for (int i = 0; i < STORES; i++) {
        stores.add(database.get().argon2(64, 1, 1).build());
      }
      var barrier = new CyclicBarrier(STORES);
      List<Future<Boolean>> first = new ArrayList<>();
      for (JdbcUserStore store : stores) {
        first.add(
            threads.submit(
                () -> {
                  barrier.await(30, TimeUnit.SECONDS);
                  // What a starting server does first: hasUsers() connects and creates the table.
                  return store.hasUsers().get(30, TimeUnit.SECONDS);
                }));
      }
      for (int i = 0; i < STORES; i++) {
        assertThat(first.get(i).get(60, TimeUnit.SECONDS)).as("round %d, store %d", round, i)
            .isFalse();
      }
      List<CompletableFuture<Void>> added = new ArrayList<>();
      for (int i = 0; i < STORES; i++) {
        added.add(stores.get(i).addUser("user" + i, ("pw" + i).toCharArray()));
      }
      for (CompletableFuture<Void> f : added) {
        f.get(30, TimeUnit.SECONDS);
      }
      List<String> everybody = new ArrayList<>();
      for (int i = 0; i < STORES; i++) {
        everybody.add("user" + i);
      }
      for (JdbcUserStore store : stores) {
        assertThat(store.listUsers().get(30, TimeUnit.SECONDS)).isEqualTo(everybody);
        for (int i = 0; i < STORES; i++) {
          AvatarId who =
              AbstractJdbcUserStoreTest.login(store, "user" + i, "pw" + i).get(30, TimeUnit.SECONDS);
          assertThat(who.username()).isEqualTo("user" + i);
        }
      }
    } finally {
      threads.shutdownNow();
      stores.forEach(JdbcUserStore::close);
    }
  }

  private static String databaseUrl(String serverUrl, String name) {
    int slash = serverUrl.lastIndexOf('/');
    int query = serverUrl.indexOf('?', slash);
    return serverUrl.substring(0, slash + 1) + name + (query < 0 ? "" : serverUrl.substring(query));
  }

  private static void execute(PostgresServer.Database server, String url, String sql)
      throws SQLException {
    try (Connection c = DriverManager.getConnection(url, server.user(), server.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
