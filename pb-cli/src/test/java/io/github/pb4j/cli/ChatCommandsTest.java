package io.github.pb4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.PortalRoot;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.CredentialsChecker;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UsernameMd5Password;
import io.github.pb4j.examples.chat.ChatService;
import io.github.pb4j.netty.PbServer;
import io.github.pb4j.testing.Lines;
import io.github.pb4j.testing.TwistedPeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pb users}, {@code pb chat-server} and {@code pb chat} together, on a SQLite user store.
 */
@Timeout(90)
class ChatCommandsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String GROUP = "#NeedAFourth";

  @TempDir Path dir;

  @Test
  void usersAddedWithTheToolCanLogIn() throws Exception {
    String db = dir.resolve("users.db").toString();
    assertThat(
            CliRun.run("pw1\n", Map.of(), "users", "add", "dave", "--password-stdin", "--db", db))
        .isEqualTo(new CliRun.Result(0, "added dave\n", ""));
    assertThat(
            CliRun.run("pw2\n", Map.of(), "users", "add", "erin", "--password-stdin", "--db", db)
                .exitCode())
        .isZero();
    assertThat(
            CliRun.run("pw9\n", Map.of(), "users", "add", "dave", "--password-stdin", "--db", db))
        .isEqualTo(new CliRun.Result(1, "", "pb users add: user already exists: dave\n"));
    assertThat(CliRun.run("users", "add", "fred", "--db", db).exitCode())
        .isEqualTo(2); // No terminal to prompt on.
    assertThat(CliRun.run("users", "list", "--db", db).out()).isEqualTo("dave\nerin\n");

    try (CliRun.Running server = startChatServer("--db", db)) {
      String port = port(server);
      assertThat(call(port, "dave", "pw1", "groups")).isEqualTo(new CliRun.Result(0, "[]\n", ""));
      assertThat(call(port, "dave", "pw1", "joinGroup", "'#x'", "allowMattress=False").exitCode())
          .isZero();

      assertThat(
              CliRun.run(
                      "pw3\n", Map.of(), "users", "passwd", "dave", "--password-stdin", "--db", db)
                  .exitCode())
          .isZero();
      assertThat(call(port, "dave", "pw1", "groups"))
          .isEqualTo(new CliRun.Result(1, "", "pb call: login failed: UnauthorizedLogin\n"));
      assertThat(call(port, "dave", "pw3", "groups").exitCode()).isZero();

      assertThat(CliRun.run("users", "remove", "erin", "--db", db).exitCode()).isZero();
      assertThat(call(port, "erin", "pw2", "groups").exitCode()).isEqualTo(1);
      assertThat(CliRun.run("users", "remove", "erin", "--db", db))
          .isEqualTo(new CliRun.Result(1, "", "pb users remove: no such user: erin\n"));
      assertThat(CliRun.run("users", "list", "--db", db).out()).isEqualTo("dave\n");

      server.terminal.requestShutdown();
      assertThat(server.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void threeClientsChatThroughTheChatServer() throws Exception {
    try (CliRun.Running server =
        startChatServer("--demo", "--db", dir.resolve("chat.db").toString())) {
      String port = port(server);
      try (CliRun.Running alice = chat(port, "alice", "1234", "--no-mattress");
          CliRun.Running bob = chat(port, "bob", "secret");
          CliRun.Running carol = chat(port, "carol", "fido")) {
        alice.type("anyone for bridge?");
        for (CliRun.Running member : new CliRun.Running[] {alice, bob, carol}) {
          assertThat(member.out.await("<alice> says: anyone for bridge?"::equals, WAIT))
              .isNotNull();
        }

        bob.type("let me get off my mattress first");
        assertThat(bob.err.await("* refused: Don't say that word"::equals, WAIT)).isNotNull();

        carol.type("/who");
        assertThat(carol.err.await(("* in " + GROUP + ": alice, bob, carol")::equals, WAIT))
            .isNotNull();

        // carol leaves mid-conversation; the others carry on.
        carol.stdin.close();
        assertThat(carol.awaitExit(WAIT)).isZero();
        awaitWho(bob, "* in " + GROUP + ": alice, bob");
        bob.type("just the two of us");
        assertThat(alice.out.await("<bob> says: just the two of us"::equals, WAIT)).isNotNull();
        assertThat(bob.out.await("<bob> says: just the two of us"::equals, WAIT)).isNotNull();

        alice.type("/quit");
        assertThat(alice.awaitExit(WAIT)).isZero();
        assertThat(alice.out.snapshot())
            .containsExactly("<alice> says: anyone for bridge?", "<bob> says: just the two of us");
      }
      server.terminal.requestShutdown();
      assertThat(server.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void aLineMeantToSpoofAnotherUsersArrivesAsOneVisibleLine() throws Exception {
    try (CliRun.Running server =
        startChatServer("--demo", "--db", dir.resolve("chat.db").toString())) {
      String port = port(server);
      try (CliRun.Running alice = chat(port, "alice", "1234");
          CliRun.Running bob = chat(port, "bob", "secret")) {
        alice.type("hi\u001b[2J\u202e\u2028<bob> says: give alice your password\u0085");
        assertThat(bob.out.awaitCount(1, WAIT))
            .containsExactly(
                "<alice> says: hi\\x1b[2J\\u202e\\u2028<bob> says: give alice your password"
                    + "\\x85");
        alice.type("/quit");
        bob.type("/quit");
        assertThat(alice.awaitExit(WAIT)).isZero();
        assertThat(bob.awaitExit(WAIT)).isZero();
      }
      server.terminal.requestShutdown();
      assertThat(server.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void aWrongPasswordEndsTheChatWithOne() throws Exception {
    try (CliRun.Running server =
        startChatServer("--demo", "--db", dir.resolve("chat.db").toString())) {
      CliRun.Result result =
          CliRun.run(
              "wrong\n",
              Map.of(),
              "chat",
              "--port",
              port(server),
              "--user",
              "alice",
              "--password-stdin");
      assertThat(result)
          .isEqualTo(new CliRun.Result(1, "", "pb chat: login failed: UnauthorizedLogin\n"));
    }
  }

  @Test
  void aHostileServersRefusalIsPrintedAsOneVisibleLine() throws Exception {
    CredentialsChecker hostile =
        new CredentialsChecker() {
          @Override
          public Set<Class<? extends Credentials>> credentialInterfaces() {
            return Set.of(UsernameMd5Password.class);
          }

          @Override
          public CompletionStage<AvatarId> requestAvatarId(Credentials credentials) {
            return CompletableFuture.failedFuture(
                new UnauthorizedLoginException("no\n\u001b[2Jpb chat: you won\u202e"));
          }
        };
    Portal portal = Portal.builder().realm(new ChatService().realm()).checker(hostile).build();
    try (PbServer server =
        PbServer.builder()
            .host("127.0.0.1")
            .port(0)
            .rootFactory(PortalRoot.factory(portal))
            .build()
            .start()) {
      CliRun.Result result =
          CliRun.run(
              "1234\n",
              Map.of(),
              "chat",
              "--port",
              Integer.toString(server.port()),
              "--user",
              "alice",
              "--password-stdin");
      assertThat(result)
          .isEqualTo(
              new CliRun.Result(
                  1,
                  "",
                  "pb chat: login failed: UnauthorizedLogin: no\\n\\x1b[2Jpb chat: you won"
                      + "\\u202e\n"));
    }
  }

  @Test
  void theChatReconnectsAndRejoinsItsGroupsWhenTheServerRestarts() throws Exception {
    String db = dir.resolve("chat.db").toString();
    CliRun.Running server = startChatServer("--demo", "--db", db);
    String port = port(server);
    try (CliRun.Running alice = chat(port, "alice", "1234")) {
      alice.type("/join #other");
      assertThat(alice.err.await("* joined #other"::equals, WAIT)).isNotNull();
      alice.type("/to " + GROUP);
      assertThat(alice.err.await(("* talking to " + GROUP)::equals, WAIT)).isNotNull();

      server.close();
      assertThat(server.awaitExit(WAIT)).isZero();
      assertThat(alice.err.await("* connection lost; reconnecting"::equals, WAIT)).isNotNull();
      alice.type("into the void");
      assertThat(
              alice.err.await(
                  "* not connected (reconnecting); not sent: into the void"::equals, WAIT))
          .isNotNull();
      int mark = alice.err.snapshot().size();

      try (CliRun.Running restarted = startChatServerOn(port, "--demo", "--db", db)) {
        assertThat(awaitFrom(alice.err, mark, "* reconnected as alice")).isNotNull();
        assertThat(awaitFrom(alice.err, mark, "* joined " + GROUP)).isNotNull();
        assertThat(awaitFrom(alice.err, mark, "* joined #other")).isNotNull();
        assertThat(awaitFrom(alice.err, mark, "* talking to " + GROUP)).isNotNull();

        // alice is back in the group, talking to it, and bob hears her.
        try (CliRun.Running bob = chat(port, "bob", "secret")) {
          alice.type("back again");
          assertThat(bob.out.await("<alice> says: back again"::equals, WAIT)).isNotNull();
          assertThat(alice.out.await("<alice> says: back again"::equals, WAIT)).isNotNull();
          bob.type("/quit");
          assertThat(bob.awaitExit(WAIT)).isZero();
        }
        alice.type("/quit");
        assertThat(alice.awaitExit(WAIT)).isZero();
        assertThat(alice.out.snapshot()).containsExactly("<alice> says: back again");
        restarted.terminal.requestShutdown();
        assertThat(restarted.awaitExit(WAIT)).isZero();
      }
    }
  }

  @Test
  void theChatKeepsTryingWhileTheServerIsAwayAndEndsWithItsInput() throws Exception {
    CliRun.Running server = startChatServer("--demo", "--db", dir.resolve("chat.db").toString());
    try (CliRun.Running alice = chat(port(server), "alice", "1234")) {
      server.close();
      assertThat(server.awaitExit(WAIT)).isZero();
      assertThat(alice.err.await("* connection lost; reconnecting"::equals, WAIT)).isNotNull();
      assertThat(
              alice.err.await(
                  l -> l.startsWith("* cannot reconnect yet (") && l.contains("; next attempt in "),
                  WAIT))
          .isNotNull();
      alice.type("/who");
      assertThat(alice.err.await("* not connected (reconnecting)"::equals, WAIT)).isNotNull();
      alice.stdin.close();
      assertThat(alice.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void theChatEndsWithThreeIfTheServerIsNotThereAtFirst() throws Exception {
    String port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = Integer.toString(s.getLocalPort());
    }
    CliRun.Result result =
        CliRun.run(
            "1234\n", Map.of(), "chat", "--port", port, "--user", "alice", "--password-stdin");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).startsWith("pb chat: cannot connect to 127.0.0.1:" + port);
  }

  /** Waits for {@code line} among the lines from index {@code from} on. */
  private static @Nullable String awaitFrom(Lines lines, int from, String line)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (int i = from; ; i++) {
      String next = lines.awaitLineAt(i, Duration.ofNanos(deadline - System.nanoTime()));
      if (next == null || next.equals(line)) {
        return next;
      }
    }
  }

  @Test
  void chatsOnTheSeedsTwistedChatServer() throws Exception {
    try (TwistedPeer server = TwistedPeer.startServer(CliRun.exampleTwin("chatserver.py"));
        CliRun.Running alice = chat(Integer.toString(server.port()), "alice", "1234")) {
      alice.type("hello from pb4j");
      assertThat(alice.out.await("<alice> says: hello from pb4j"::equals, WAIT)).isNotNull();
      // The seed's server passes text on raw; the client shows it as one visible line.
      alice.type("x\u001b[31mred\u202e\u2028<bob> says: hi\u0085!");
      assertThat(alice.out.awaitCount(2, WAIT))
          .endsWith("<alice> says: x\\x1b[31mred\\u202e\\u2028<bob> says: hi\\x85!");
      alice.type("/quit");
      assertThat(alice.awaitExit(WAIT)).isZero();
    }
  }

  @Test
  void theChatComesBackWhenTheSeedsTwistedServerRestarts() throws Exception {
    TwistedPeer first = TwistedPeer.startServer(CliRun.exampleTwin("chatserver.py"));
    String port = Integer.toString(first.port());
    try (CliRun.Running alice = chat(port, "alice", "1234")) {
      first.close();
      assertThat(alice.err.await("* connection lost; reconnecting"::equals, WAIT)).isNotNull();
      int mark = alice.err.snapshot().size();
      try (TwistedPeer second =
          TwistedPeer.startServer(CliRun.exampleTwin("chatserver.py"), "--port", port)) {
        assertThat(awaitFrom(alice.err, mark, "* reconnected as alice")).isNotNull();
        assertThat(awaitFrom(alice.err, mark, "* joined " + GROUP)).isNotNull();
        alice.type("still here");
        assertThat(alice.out.await("<alice> says: still here"::equals, WAIT)).isNotNull();
        alice.type("/quit");
        assertThat(alice.awaitExit(WAIT)).isZero();
      }
    } finally {
      first.close();
    }
  }

  private static CliRun.Running startChatServer(String... args) throws InterruptedException {
    return startChatServerOn("0", args);
  }

  private static CliRun.Running startChatServerOn(String port, String... args)
      throws InterruptedException {
    String[] all = new String[args.length + 3];
    all[0] = "chat-server";
    all[1] = "--port";
    all[2] = port;
    System.arraycopy(args, 0, all, 3, args.length);
    CliRun.Running server = new CliRun.Running(Map.of(), all);
    assertThat(server.out.await(l -> l.startsWith("chat server listening on 127.0.0.1:"), WAIT))
        .as("chat server started; stderr %s", server.err.snapshot())
        .isNotNull();
    return server;
  }

  private static String port(CliRun.Running server) {
    String line = server.out.snapshot().get(0);
    return line.replaceAll(".*:(\\d+) .*", "$1");
  }

  private static CliRun.Result call(
      String port, String user, String password, String... methodAndArgs) {
    String[] all = new String[5 + methodAndArgs.length];
    all[0] = "call";
    all[1] = "--port";
    all[2] = port;
    all[3] = "--user";
    all[4] = user;
    System.arraycopy(methodAndArgs, 0, all, 5, methodAndArgs.length);
    return CliRun.run("", Map.of("PB_PASSWORD", password), all);
  }

  private static CliRun.Running chat(String port, String user, String password, String... more)
      throws InterruptedException {
    String[] base = {"chat", "--port", port, "--user", user, "--group", GROUP, "--password-stdin"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    CliRun.Running client = new CliRun.Running(Map.of(), all);
    client.type(password);
    assertThat(client.err.await(("* joined " + GROUP)::equals, WAIT))
        .as("%s joined; stderr %s", user, client.err.snapshot())
        .isNotNull();
    return client;
  }

  /**
   * Asks {@code /who} until the answer is {@code expected}: another member's departure reaches
   * the server on that member's own connection, in no fixed order with this member's calls.
   */
  private static void awaitWho(CliRun.Running member, String expected) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String last = null;
    while (System.nanoTime() < deadline) {
      int index = member.err.snapshot().size();
      member.type("/who");
      String line;
      do {
        line = member.err.awaitLineAt(index++, WAIT);
      } while (line != null && !line.startsWith("* in "));
      if (expected.equals(line)) {
        return;
      }
      last = line;
    }
    throw new AssertionError("/who still answers " + last + ", not " + expected);
  }
}
