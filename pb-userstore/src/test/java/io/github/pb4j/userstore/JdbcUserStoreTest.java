package io.github.pb4j.userstore;

import static io.github.pb4j.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link JdbcUserStore} behaviour that needs no working database. */
class JdbcUserStoreTest {
  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> JdbcUserStore.builder("postgresql://x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jdbcUrl: postgresql://x (expected: jdbc:...)");
    assertThatThrownBy(() -> JdbcUserStore.builder("jdbc:sqlite::memory:").table("users; DROP"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JdbcUserStore.builder("jdbc:sqlite::memory:").argon2(4, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("memoryKib: 4 (expected: 8..1048576)");
  }

  @Test
  void neverShowsUrlParametersWhichMayHoldPasswords() {
    assertThatThrownBy(() -> JdbcUserStore.builder("postgresql://x?password=hunter2"))
        .hasMessage("jdbcUrl: postgresql://x?... (expected: jdbc:...)");
    try (JdbcUserStore store =
        JdbcUserStore.builder("jdbc:postgresql://db/app?password=hunter2").build()) {
      assertThat(store.toString()).doesNotContain("hunter2");
    }
  }

  @Test
  @Timeout(30)
  void anUnreachableDatabaseFailsOperationsAndRefusesLogins() throws IOException {
    int closedPort;
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (JdbcUserStore store =
        JdbcUserStore.builder("jdbc:postgresql://127.0.0.1:" + closedPort + "/none")
            .argon2(64, 1, 1)
            .build()) {
      assertThat(failureOf(store.listUsers()))
          .isInstanceOf(UserStoreException.class)
          .hasMessage("user store: list users failed")
          .hasCauseInstanceOf(java.sql.SQLException.class);
      AbstractJdbcUserStoreTest.assertUnauthorized(
          AbstractJdbcUserStoreTest.login(store, "alice", "secret"));
    }
  }
}
