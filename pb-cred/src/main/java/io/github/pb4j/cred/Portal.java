package io.github.pb4j.cred;

import io.github.pb4j.cred.internal.Stages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mediates between clients and a {@link Realm}: picks the checker for the credentials presented,
 * has it authenticate them, then asks the realm for the avatar. Java form of Twisted's {@code
 * twisted.cred.portal.Portal}.
 *
 * <pre>{@code
 * Portal portal = Portal.builder()
 *     .realm(new ChatRealm())
 *     .checker(userStore.checker())
 *     .checker(new AllowAnonymousAccess())
 *     .build();
 * }</pre>
 *
 * <p>Checkers are registered as Twisted's {@code registerChecker} does: each of a checker's {@link
 * CredentialsChecker#credentialInterfaces()} maps to that checker in a table ordered by first
 * registration; registering an interface again replaces its checker but keeps its place. A login
 * uses the checker of the first interface in that table that the credentials implement.
 *
 * <p><em>Immutable</em> and thread-safe if its realm and checkers are.
 */
public final class Portal {
  private static final Logger logger = LoggerFactory.getLogger(Portal.class);

  /** Twisted's names for our credential interfaces, for messages a Twisted peer may see. */
  private static final Map<Class<?>, String> TWISTED_NAMES =
      Map.of(
          Credentials.class, "twisted.cred.credentials.ICredentials",
          UsernamePassword.class, "twisted.cred.credentials.IUsernamePassword",
          UsernameHashedPassword.class, "twisted.cred.credentials.IUsernameHashedPassword",
          UsernameMd5Password.class, "twisted.spread.pb.IUsernameMD5Password",
          Anonymous.class, "twisted.cred.credentials.IAnonymous");

  private final Realm realm;
  private final Map<Class<? extends Credentials>, CredentialsChecker> checkers;

  /** Creates a portal to {@code realm} with {@code checkers} registered in order. */
  public Portal(Realm realm, List<? extends CredentialsChecker> checkers) {
    this(builderOf(realm, checkers));
  }

  private Portal(Builder builder) {
    this.realm = Objects.requireNonNull(builder.realm, "realm");
    this.checkers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.checkers));
  }

  /** Returns a builder for a portal. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the realm. */
  public Realm realm() {
    return realm;
  }

  /**
   * Returns the kinds of credentials some checker handles, in registration order. Mirrors {@code
   * Portal.listCredentialsInterfaces}.
   */
  public List<Class<? extends Credentials>> credentialInterfaces() {
    return List.copyOf(checkers.keySet());
  }

  /**
   * Authenticates {@code credentials} and returns a future of the avatar the realm hands out.
   * Mirrors {@code Portal.login}.
   *
   * <p>The future fails with {@link UnhandledCredentialsException} when no checker handles the
   * credentials, with the checker's failure (usually {@link UnauthorizedLoginException}) when they
   * are wrong, and with the realm's failure when it refuses. A checker or realm that throws instead
   * of returning a failed stage fails the future the same way.
   *
   * <p>The realm is called, and the future completes, on whatever thread completed the checker's
   * stage: often the checker's own executor. Callers confined to an event loop should use {@link
   * #login(Credentials, Object, Executor, Class...)}.
   *
   * @param mind the client-side object the client offered, passed to the realm, or {@code null}
   * @param interfaces the avatar types the caller can use, in order of preference
   */
  public CompletableFuture<LoginResult<?>> login(
      Credentials credentials, @Nullable Object mind, Class<?>... interfaces) {
    return login(credentials, mind, Runnable::run, interfaces);
  }

  /**
   * Same as {@link #login(Credentials, Object, Class...)}, but calls the realm and completes the
   * returned future on {@code executor}, e.g. the connection's event loop, whichever thread the
   * checker completes on. The checker itself is called on the calling thread.
   */
  public CompletableFuture<LoginResult<?>> login(
      Credentials credentials, @Nullable Object mind, Executor executor, Class<?>... interfaces) {
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(executor, "executor");
    Class<?>[] requested = interfaces.clone();
    Arrays.asList(requested).forEach(type -> Objects.requireNonNull(type, "interfaces element"));

    CredentialsChecker checker = checkerFor(credentials);
    if (checker == null) {
      String message = "No checker for " + twistedInterfaceNames(credentials);
      logger.debug("login failed: {}: {}", describe(credentials), message);
      return CompletableFuture.failedFuture(new UnhandledCredentialsException(message));
    }
    return Stages.call(() -> checker.requestAvatarId(credentials))
        .thenComposeAsync(
            avatarId -> Stages.call(() -> requestAvatar(avatarId, mind, requested)), executor)
        .whenCompleteAsync((result, failure) -> logResult(credentials, failure), executor);
  }

  private @Nullable CredentialsChecker checkerFor(Credentials credentials) {
    for (var entry : checkers.entrySet()) {
      if (entry.getKey().isInstance(credentials)) {
        return entry.getValue();
      }
    }
    return null;
  }

  private CompletableFuture<LoginResult<?>> requestAvatar(
      AvatarId avatarId, @Nullable Object mind, Class<?>[] interfaces) {
    Objects.requireNonNull(avatarId, "avatar id from checker");
    return Stages.call(() -> realm.requestAvatar(avatarId, mind, interfaces.clone()))
        .thenApply(result -> Objects.requireNonNull(result, "login result from realm"));
  }

  private static void logResult(Credentials credentials, @Nullable Throwable failure) {
    if (failure == null) {
      logger.debug("login succeeded: {}", describe(credentials));
    } else {
      Throwable cause = Stages.unwrap(failure);
      logger.debug("login failed: {}: {}", describe(credentials), cause.getClass().getSimpleName());
    }
  }

  /** Names the credentials without calling their {@code toString()}, which might show secrets. */
  private static String describe(Credentials credentials) {
    if (credentials instanceof UsernamePassword c) {
      return "UsernamePassword of " + c.username();
    } else if (credentials instanceof UsernameHashedPassword c) {
      return credentials.getClass().getSimpleName() + " of " + c.username();
    } else if (credentials instanceof UsernameMd5Password c) {
      return credentials.getClass().getSimpleName() + " of " + c.username();
    } else if (credentials instanceof Anonymous) {
      return "Anonymous";
    }
    return credentials.getClass().getSimpleName();
  }

  /**
   * Returns the names Twisted would print for the credential interfaces {@code credentials}
   * declares, as {@code ", ".join(map(reflect.qual, providedBy(credentials)))} does.
   */
  private static String twistedInterfaceNames(Credentials credentials) {
    var declared = new ArrayList<Class<?>>();
    for (Class<?> type = credentials.getClass(); type != null; type = type.getSuperclass()) {
      for (Class<?> iface : type.getInterfaces()) {
        if (Credentials.class.isAssignableFrom(iface) && !declared.contains(iface)) {
          declared.add(iface);
        }
      }
    }
    return declared.stream()
        .map(iface -> TWISTED_NAMES.getOrDefault(iface, iface.getName()))
        .collect(Collectors.joining(", "));
  }

  private static Builder builderOf(Realm realm, List<? extends CredentialsChecker> checkers) {
    var builder = builder().realm(realm);
    checkers.forEach(builder::checker);
    return builder;
  }

  /** Builds a {@link Portal}. <em>Not thread-safe.</em> */
  public static final class Builder {
    private @Nullable Realm realm;
    private final Map<Class<? extends Credentials>, CredentialsChecker> checkers =
        new LinkedHashMap<>();

    private Builder() {}

    /** Sets the realm; required. */
    public Builder realm(Realm realm) {
      this.realm = Objects.requireNonNull(realm, "realm");
      return this;
    }

    /**
     * Registers {@code checker} for each of its {@link CredentialsChecker#credentialInterfaces()}.
     * Mirrors {@code Portal.registerChecker(checker)}.
     */
    public Builder checker(CredentialsChecker checker) {
      Objects.requireNonNull(checker, "checker");
      return checker(checker, checker.credentialInterfaces());
    }

    /**
     * Registers {@code checker} for {@code credentialInterfaces} instead of the ones it declares.
     * Mirrors {@code Portal.registerChecker(checker, *credentialInterfaces)}.
     */
    @SafeVarargs
    public final Builder checker(
        CredentialsChecker checker, Class<? extends Credentials>... credentialInterfaces) {
      var interfaces = new ArrayList<Class<? extends Credentials>>();
      for (Class<? extends Credentials> iface : credentialInterfaces) {
        interfaces.add(iface);
      }
      return checker(checker, interfaces);
    }

    private Builder checker(
        CredentialsChecker checker, Iterable<Class<? extends Credentials>> interfaces) {
      Objects.requireNonNull(checker, "checker");
      for (Class<? extends Credentials> iface : interfaces) {
        checkers.put(Objects.requireNonNull(iface, "credential interface"), checker);
      }
      return this;
    }

    /**
     * Builds the portal.
     *
     * @throws IllegalStateException if no realm was set
     */
    public Portal build() {
      if (realm == null) {
        throw new IllegalStateException("realm: not set (expected: a Realm)");
      }
      return new Portal(this);
    }
  }
}
