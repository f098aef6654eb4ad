package io.github.pb4j.cred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.testing.Futures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class PortalTest {
  private static final byte[] CHALLENGE = hex("d0b4ff10198aaf490b1a174a0823d78e");
  private static final byte[] RESPONSE = hex("1994047605cec1e6c170ec2640e678f2");

  private final RecordingRealm realm = new RecordingRealm();

  @Test
  void logsInThroughTheCheckerForTheCredentials() {
    var portal =
        Portal.builder()
            .realm(realm)
            .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser("user1", "pass1"))
            .build();

    CompletableFuture<LoginResult<?>> login =
        portal.login(UsernamePassword.of("user1", "pass1"), "mind", Avatar.class);

    assertThat(login).isCompleted();
    LoginResult<?> result = login.join();
    assertThat(result.type()).isEqualTo(Avatar.class);
    assertThat(((Avatar) result.avatar()).id()).isEqualTo(AvatarId.of("user1"));
    assertThat(realm.calls).containsExactly("AvatarId[user1] mind [Avatar]");
  }

  @Test
  void picksTheCheckerOfTheFirstRegisteredInterfaceTheCredentialsImplement() {
    var hashed = new FixedChecker("hashed", UsernameHashedPassword.class);
    var md5 = new FixedChecker("md5", UsernameMd5Password.class);
    var portal = Portal.builder().realm(realm).checker(md5).checker(hashed).build();

    // The challenge credentials implement both; md5's interface was registered first.
    assertThat(avatarOf(portal.login(challenge("alice"), null, Avatar.class)))
        .isEqualTo(AvatarId.of("md5"));
  }

  @Test
  void reRegisteringAnInterfaceReplacesItsCheckerButKeepsItsPlace() {
    // Twisted's Portal keeps checkers in a dict keyed by interface.
    var first = new FixedChecker("first", UsernameMd5Password.class);
    var other = new FixedChecker("other", UsernameHashedPassword.class);
    var second = new FixedChecker("second", UsernameMd5Password.class);
    var portal =
        Portal.builder().realm(realm).checker(first).checker(other).checker(second).build();

    assertThat(portal.credentialInterfaces())
        .containsExactly(UsernameMd5Password.class, UsernameHashedPassword.class);
    assertThat(avatarOf(portal.login(challenge("alice"), null, Avatar.class)))
        .isEqualTo(AvatarId.of("second"));
  }

  @Test
  void registersACheckerForExplicitInterfaces() {
    var checker = new FixedChecker("explicit", UsernamePassword.class);
    var portal =
        Portal.builder().realm(realm).checker(checker, UsernameHashedPassword.class).build();

    assertThat(portal.credentialInterfaces()).containsExactly(UsernameHashedPassword.class);
    assertThat(avatarOf(portal.login(challenge("alice"), null, Avatar.class)))
        .isEqualTo(AvatarId.of("explicit"));
  }

  @Test
  void listsCredentialInterfacesInRegistrationOrder() {
    var portal =
        new Portal(
            realm,
            List.of(new InMemoryUsernamePasswordDatabaseDontUse(), new AllowAnonymousAccess()));

    assertThat(portal.credentialInterfaces())
        .containsExactly(
            UsernamePassword.class,
            UsernameHashedPassword.class,
            UsernameMd5Password.class,
            Anonymous.class);
  }

  @Test
  void refusesAnonymousWithoutACheckerWithTwistedsMessage() {
    var portal =
        Portal.builder()
            .realm(realm)
            .checker(new InMemoryUsernamePasswordDatabaseDontUse())
            .build();

    assertThat(failureOf(portal.login(Anonymous.INSTANCE, null, Avatar.class)))
        .isInstanceOf(UnhandledCredentialsException.class)
        .hasMessage("No checker for twisted.cred.credentials.IAnonymous");
    assertThat(realm.calls).isEmpty();
  }

  @Test
  void namesTwistedInterfacesOfUnhandledCredentials() {
    var portal = Portal.builder().realm(realm).checker(new AllowAnonymousAccess()).build();

    assertThat(failureOf(portal.login(UsernamePassword.of("a", "b"), null)))
        .hasMessage("No checker for twisted.cred.credentials.IUsernamePassword");
    // Twisted also lists IJellyable, which the broker's challenger adds on the wire side.
    assertThat(failureOf(portal.login(challenge("alice"), null)))
        .hasMessage(
            "No checker for twisted.cred.credentials.IUsernameHashedPassword, "
                + "twisted.spread.pb.IUsernameMD5Password");
    UsernameHashedPassword hashedOnly =
        new UsernameHashedPassword() {
          @Override
          public String username() {
            return "a";
          }

          @Override
          public boolean checkPassword(byte[] plaintextPassword) {
            return false;
          }
        };
    assertThat(failureOf(portal.login(hashedOnly, null)))
        .hasMessage("No checker for twisted.cred.credentials.IUsernameHashedPassword");
  }

  @Test
  void checkerFailureFailsTheLoginWithoutCallingTheRealm() {
    var portal =
        Portal.builder()
            .realm(realm)
            .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser("user1", "pass1"))
            .build();

    assertThat(failureOf(portal.login(UsernamePassword.of("user1", "WRONG"), null, Avatar.class)))
        .isInstanceOf(UnauthorizedLoginException.class);
    assertThat(realm.calls).isEmpty();
  }

  @Test
  void checkerThatThrowsFailsTheLogin() {
    var portal =
        Portal.builder()
            .realm(realm)
            .checker(
                new FunctionChecker(
                    c -> {
                      throw new IllegalStateException("checker bug");
                    }))
            .build();

    CompletableFuture<LoginResult<?>> login = portal.login(Anonymous.INSTANCE, null, Avatar.class);

    assertThat(failureOf(login))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("checker bug");
  }

  @Test
  void checkerReturningNullFailsTheLogin() {
    var portal = Portal.builder().realm(realm).checker(new FunctionChecker(c -> null)).build();

    assertThat(failureOf(portal.login(Anonymous.INSTANCE, null)))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void realmThatThrowsFailsTheLogin() {
    Realm throwing =
        (id, mind, interfaces) -> {
          throw new LoginDeniedException("quota exceeded");
        };
    var portal = Portal.builder().realm(throwing).checker(new AllowAnonymousAccess()).build();

    assertThat(failureOf(portal.login(Anonymous.INSTANCE, null, Avatar.class)))
        .isInstanceOf(LoginDeniedException.class)
        .hasMessage("quota exceeded");
  }

  @Test
  void realmMayCompleteLater() {
    var pending = new CompletableFuture<LoginResult<?>>();
    var portal =
        Portal.builder()
            .realm((id, mind, interfaces) -> pending)
            .checker(new AllowAnonymousAccess())
            .build();

    CompletableFuture<LoginResult<?>> login = portal.login(Anonymous.INSTANCE, null, Avatar.class);
    assertThat(login).isNotDone();

    pending.complete(LoginResult.of(Avatar.class, new Avatar(AvatarId.ANONYMOUS)));
    assertThat(avatarOf(login)).isEqualTo(AvatarId.ANONYMOUS);
  }

  @Test
  void returnsACopySoCallersCannotCompleteTheRealmsFuture() {
    var pending = new CompletableFuture<LoginResult<?>>();
    var portal =
        Portal.builder()
            .realm((id, mind, interfaces) -> pending)
            .checker(new AllowAnonymousAccess())
            .build();

    portal.login(Anonymous.INSTANCE, null, Avatar.class).cancel(false);

    assertThat(pending).isNotDone();
  }

  @Test
  void callsTheRealmAndCompletesOnTheGivenExecutor() {
    var checkerStage = new CompletableFuture<AvatarId>();
    var executor = new ManualExecutor();
    var portal =
        Portal.builder().realm(realm).checker(new FunctionChecker(c -> checkerStage)).build();

    CompletableFuture<LoginResult<?>> login =
        portal.login(Anonymous.INSTANCE, null, executor, Avatar.class);
    checkerStage.complete(AvatarId.of("alice"));

    assertThat(realm.calls).isEmpty();
    assertThat(login).isNotDone();
    executor.runAll();
    assertThat(realm.calls).hasSize(1);
    assertThat(avatarOf(login)).isEqualTo(AvatarId.of("alice"));
  }

  @Test
  void requiresARealm() {
    assertThatThrownBy(() -> Portal.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("realm");
  }

  private static AvatarId avatarOf(CompletableFuture<LoginResult<?>> login) {
    assertThat(login).succeedsWithin(Duration.ofSeconds(5));
    return ((Avatar) login.join().avatar()).id();
  }

  /** The portal answers these at once: the failure must be there already. */
  private static Throwable failureOf(CompletableFuture<?> future) {
    assertThat(future).isCompletedExceptionally();
    return Futures.failureOf(future);
  }

  private static Md5ChallengeCredentials challenge(String username) {
    return new Md5ChallengeCredentials(username, CHALLENGE, RESPONSE);
  }

  static byte[] hex(String hex) {
    return java.util.HexFormat.of().parseHex(hex);
  }

  record Avatar(AvatarId id) {}

  /** A realm that records its calls and hands out an {@link Avatar}. */
  static final class RecordingRealm implements Realm {
    final List<String> calls = new ArrayList<>();

    @Override
    public CompletionStage<LoginResult<?>> requestAvatar(
        AvatarId avatarId, @Nullable Object mind, Class<?>... interfaces) {
      calls.add(
          avatarId
              + " "
              + mind
              + " "
              + List.of(interfaces).stream().map(Class::getSimpleName).toList());
      return CompletableFuture.completedFuture(LoginResult.of(Avatar.class, new Avatar(avatarId)));
    }
  }

  /** A checker that accepts anything of its interface as a fixed user. */
  private record FixedChecker(String username, Class<? extends Credentials> handles)
      implements CredentialsChecker {
    @Override
    public Set<Class<? extends Credentials>> credentialInterfaces() {
      return Set.of(handles);
    }

    @Override
    public CompletionStage<AvatarId> requestAvatarId(Credentials credentials) {
      return CompletableFuture.completedFuture(AvatarId.of(username));
    }
  }

  /** A checker of anonymous credentials that does what the test says. */
  private record FunctionChecker(Function<Credentials, CompletionStage<AvatarId>> check)
      implements CredentialsChecker {
    @Override
    public Set<Class<? extends Credentials>> credentialInterfaces() {
      return Set.of(Anonymous.class);
    }

    @Override
    public CompletionStage<AvatarId> requestAvatarId(Credentials credentials) {
      return check.apply(credentials);
    }
  }
}
