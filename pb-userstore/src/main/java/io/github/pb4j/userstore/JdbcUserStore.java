package io.github.pb4j.userstore;

import io.github.pb4j.cred.CredentialsChecker;
import io.github.pb4j.cred.LoginDeniedException;
import io.github.pb4j.cred.Md5ChallengeCredentials;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.UnauthorizedLoginException;
import io.github.pb4j.cred.UsernameHashedPassword;
import io.github.pb4j.cred.UsernameMd5Password;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.cred.internal.Stages;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users and their passwords in a SQL database: an embedded SQLite file by default, or PostgreSQL.
 * Its {@link #checker()} authenticates logins against it.
 *
 * <pre>{@code
 * try (JdbcUserStore users = JdbcUserStore.sqlite(Path.of("users.db"))) {
 *   users.addUser("alice", password).join();
 *   Portal portal = Portal.builder().realm(realm).checker(users.checker()).build();
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Passwords</b> are stored as Argon2id hashes ({@link Builder#argon2(int, int, int) OWASP's
 * parameters} by default: 19 MiB, 2 iterations, 1 lane; 16-byte random salt) in the self-describing
 * PHC string format ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}), so the parameters can
 * change later: a successful password login rehashes a hash made with other parameters. Passwords
 * given as text are encoded as UTF-8.
 *
 * <p><b>PB's MD5 challenge.</b> PB's login proves knowledge of {@code MD5(password)} and never
 * sends the password, so an Argon2 hash cannot check it. With {@link
 * Builder#storeMd5Verifier(boolean)} the store also keeps {@code MD5(password)} per user and its
 * checker accepts {@link UsernameMd5Password} credentials (see {@link Md5ChallengeCredentials}).
 * <em>That verifier is password-equivalent for PB login</em>: anyone who reads the table can log in
 * as every user over PB without cracking anything, and unsalted MD5 also makes cracking the
 * password itself cheap. Enable it only where PB clients must log in with Twisted's protocol,
 * protect the database like a plaintext password file, and prefer TLS plus a password login where
 * possible. Users added before it was enabled get a verifier on their next password login; until
 * then their PB logins fail. Turning it off stops using the verifiers; {@link #clearMd5Verifiers()}
 * deletes them.
 *
 * <p><b>Threads.</b> Every operation returns at once; the database calls and the hashing run on the
 * store's executor (by default a pool of two daemon threads with a bounded queue, owned and shut
 * down by {@link #close()}), never on the calling thread, which may be a network event loop.
 * Returned futures complete on that executor. Opening does no I/O: the first operation connects and
 * creates the table if missing. Any number of stores (in one process or in several servers) may
 * do so at once on one database: on PostgreSQL the first to take an advisory lock creates the
 * table and the others wait for it, then find it; on SQLite the file's write lock does the same.
 *
 * <p>Usernames are 1 to 255 characters without control characters, compared exactly.
 *
 * <p><em>Thread-safe.</em>
 */
public final class JdbcUserStore implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(JdbcUserStore.class);

  static final int MAX_USERNAME_LENGTH = 255;

  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final int DEFAULT_THREADS = 2;
  private static final int DEFAULT_QUEUE = 1024;

  private final UserTable table;
  private final Argon2Hasher hasher;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;
  private final boolean storeMd5Verifier;
  private final UserStoreChecker checker;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JdbcUserStore(Builder builder) {
    this.table =
        new UserTable(builder.url, builder.properties(), builder.table, builder.sqliteFile);
    this.hasher = new Argon2Hasher(builder.cost);
    this.storeMd5Verifier = builder.storeMd5Verifier;
    Executor executor = builder.executor;
    if (executor == null) {
      this.ownedExecutor = newDefaultExecutor();
      this.executor = ownedExecutor;
    } else {
      this.ownedExecutor = null;
      this.executor = executor;
    }
    this.checker = new UserStoreChecker(this, table, hasher, storeMd5Verifier);
  }

  /** Opens a store in the SQLite file {@code file} with default settings. */
  public static JdbcUserStore sqlite(Path file) {
    return sqliteBuilder(file).build();
  }

  /**
   * Opens a store at {@code jdbcUrl} (e.g. {@code jdbc:postgresql://db.example:5432/app}) with
   * default settings.
   *
   * @param user the database user, or {@code null} to use the URL's or the driver's default
   * @param password the database password, or {@code null}
   */
  public static JdbcUserStore open(
      String jdbcUrl, @Nullable String user, @Nullable String password) {
    return builder(jdbcUrl).credentials(user, password).build();
  }

  /** Returns a builder for a store at {@code jdbcUrl}. */
  public static Builder builder(String jdbcUrl) {
    return new Builder(jdbcUrl, null);
  }

  /**
   * Returns a builder for a store in the SQLite file {@code file}. A new file is created readable
   * by its owner only.
   */
  public static Builder sqliteBuilder(Path file) {
    Path absolute = file.toAbsolutePath();
    return new Builder("jdbc:sqlite:" + absolute, absolute);
  }

  /**
   * Adds a user. Copies {@code password} before returning, so the caller may wipe it at once.
   *
   * @return a future that fails with {@link IllegalStateException} if the user exists, or with
   *     {@link UserStoreException}
   * @throws IllegalArgumentException if {@code username} is not a valid username
   */
  public CompletableFuture<Void> addUser(String username, char[] password) {
    return addUser(username, Secrets.utf8(password), false);
  }

  /** Same as {@link #addUser(String, char[])} with the password's bytes. */
  public CompletableFuture<Void> addUser(String username, byte[] password) {
    return addUser(username, password.clone(), false);
  }

  /**
   * Sets a user's password (and MD5 verifier, if enabled). Copies {@code password} before
   * returning.
   *
   * @return a future that fails with {@link NoSuchElementException} if there is no such user, or
   *     with {@link UserStoreException}
   */
  public CompletableFuture<Void> changePassword(String username, char[] password) {
    return addUser(username, Secrets.utf8(password), true);
  }

  /** Same as {@link #changePassword(String, char[])} with the password's bytes. */
  public CompletableFuture<Void> changePassword(String username, byte[] password) {
    return addUser(username, password.clone(), true);
  }

  /** Removes a user; the future completes with {@code false} if there was no such user. */
  public CompletableFuture<Boolean> removeUser(String username) {
    checkUsername(username);
    return submit(
        "remove user",
        () -> {
          boolean removed = table.delete(username);
          logger.debug("user {} {}", username, removed ? "removed" : "to remove not found");
          return removed;
        });
  }

  /** Returns a future of all usernames, sorted. */
  public CompletableFuture<List<String>> listUsers() {
    return submit("list users", table::usernames);
  }

  /** Returns a future of whether the store has at least one user. */
  public CompletableFuture<Boolean> hasUsers() {
    return submit("count users", () -> !table.isEmpty());
  }

  /**
   * Deletes every stored MD5 verifier; the future completes with how many there were. PB challenge
   * logins then fail until verifiers are stored again.
   */
  public CompletableFuture<Integer> clearMd5Verifiers() {
    return submit("clear MD5 verifiers", table::clearMd5Verifiers);
  }

  /** Returns whether this store keeps MD5 verifiers for PB's challenge login. */
  public boolean storesMd5Verifiers() {
    return storeMd5Verifier;
  }

  /**
   * Returns the checker that authenticates against this store.
   *
   * <p>It handles {@link UsernamePassword} (Argon2 verification) and, when MD5 verifiers are
   * enabled, {@link UsernameMd5Password} (PB's challenge; a user without a verifier fails with
   * {@link UnauthorizedLoginException}). It does not handle a bare {@link UsernameHashedPassword}:
   * those credentials can only be checked against the plaintext password, which the store does not
   * have. An unknown user costs the same hashing as a known one. Its stages complete on the store's
   * executor; a full queue fails the login with {@link LoginDeniedException}. A PB server's {@code
   * PortalRoot} lets each connection and each remote address run only a few checks at a time, so
   * one peer's flood of logins cannot fill that queue for everybody.
   */
  public CredentialsChecker checker() {
    return checker;
  }

  /**
   * Closes the database connection and, if the store owns its executor, shuts it down after waiting
   * (up to 10 seconds) for queued operations. Later operations fail with {@link
   * IllegalStateException}.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ExecutorService owned = ownedExecutor;
    if (owned != null) {
      owned.shutdown();
      try {
        if (!owned.awaitTermination(10, TimeUnit.SECONDS)) {
          logger.warn("user store operations still running after 10 s; closing anyway");
          owned.shutdownNow();
        }
      } catch (InterruptedException e) {
        owned.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    table.close();
  }

  @Override
  public String toString() {
    return "JdbcUserStore[" + table + "]";
  }

  /** Returns the MD5 verifier to store for {@code password}, or {@code null} if disabled. */
  @Nullable String md5Verifier(byte[] password) {
    if (!storeMd5Verifier) {
      return null;
    }
    byte[] md5 = Md5ChallengeCredentials.md5(password);
    try {
      return HexFormat.of().formatHex(md5);
    } finally {
      Secrets.wipe(md5);
    }
  }

  /** Runs blocking {@code work} on the executor, turning SQL failures into UserStoreException. */
  <T> CompletableFuture<T> submit(String operation, SqlWork<T> work) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("user store: closed"));
    }
    return Stages.supplyAsync(
        () -> {
          try {
            return work.run();
          } catch (SQLException e) {
            throw new UserStoreException("user store: " + operation + " failed", e);
          }
        },
        executor);
  }

  /** Returns whether {@code username} may be stored; see the class javadoc. */
  static boolean isValidUsername(String username) {
    return !username.isEmpty()
        && username.length() <= MAX_USERNAME_LENGTH
        && username.chars().noneMatch(Character::isISOControl);
  }

  private CompletableFuture<Void> addUser(String username, byte[] password, boolean replace) {
    checkUsername(username);
    return submit(
        replace ? "change password" : "add user",
        () -> {
          try {
            String hash = hasher.hash(password);
            String verifier = md5Verifier(password);
            if (replace && !table.update(username, hash, verifier)) {
              throw new NoSuchElementException("no such user: " + username);
            } else if (!replace && !table.insert(username, hash, verifier)) {
              throw new IllegalStateException("user already exists: " + username);
            }
            logger.debug("user {} {}", username, replace ? "changed password" : "added");
            return null;
          } finally {
            Secrets.wipe(password);
          }
        });
  }

  private static void checkUsername(String username) {
    Objects.requireNonNull(username, "username");
    if (!isValidUsername(username)) {
      throw new IllegalArgumentException(
          "username: length "
              + username.length()
              + " (expected: 1.."
              + MAX_USERNAME_LENGTH
              + " characters, no control characters)");
    }
  }

  private static ExecutorService newDefaultExecutor() {
    var pool =
        new ThreadPoolExecutor(
            DEFAULT_THREADS,
            DEFAULT_THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(DEFAULT_QUEUE),
            new DaemonThreadFactory());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException;
  }

  private static final class DaemonThreadFactory implements ThreadFactory {
    private static final AtomicInteger POOLS = new AtomicInteger();
    private final int pool = POOLS.incrementAndGet();
    private final AtomicInteger threads = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      var thread = new Thread(task, "pb4j-user-store-" + pool + "-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }

  /** Builds a {@link JdbcUserStore}. <em>Not thread-safe.</em> */
  public static final class Builder {
    private final String url;
    private final @Nullable Path sqliteFile;
    private @Nullable String user;
    private @Nullable String password;
    private boolean storeMd5Verifier;
    private @Nullable Executor executor;
    private Argon2Hasher.Cost cost = Argon2Hasher.OWASP;
    private String table = "pb4j_users";

    private Builder(String url, @Nullable Path sqliteFile) {
      Objects.requireNonNull(url, "jdbcUrl");
      if (!url.startsWith("jdbc:")) {
        throw new IllegalArgumentException(
            "jdbcUrl: " + UserTable.redacted(url) + " (expected: jdbc:...)");
      }
      this.url = url;
      this.sqliteFile = sqliteFile;
    }

    /** Sets the database user and password; both may be {@code null}. */
    public Builder credentials(@Nullable String user, @Nullable String password) {
      this.user = user;
      this.password = password;
      return this;
    }

    /**
     * Sets whether to keep an MD5 verifier per user so that PB's challenge login works; default
     * off. The verifier is password-equivalent for PB login: see the class javadoc.
     */
    public Builder storeMd5Verifier(boolean storeMd5Verifier) {
      this.storeMd5Verifier = storeMd5Verifier;
      return this;
    }

    /**
     * Sets the executor for database calls and hashing; by default the store owns a pool of two
     * daemon threads. The store does not shut down an executor given here. Each Argon2 hash needs
     * its memory cost while it runs, so bound the executor's threads.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets the Argon2id cost of new hashes; default OWASP's {@code m=19456, t=2, p=1}. Existing
     * hashes keep verifying with their own parameters and are rehashed on the next password login.
     *
     * @param memoryKib memory in KiB, 8 per lane to 1 GiB
     * @param iterations 1 to 64
     * @param parallelism lanes, 1 to 16
     */
    public Builder argon2(int memoryKib, int iterations, int parallelism) {
      this.cost = new Argon2Hasher.Cost(memoryKib, iterations, parallelism);
      return this;
    }

    /** Sets the table name; default {@code pb4j_users}. */
    public Builder table(String table) {
      Objects.requireNonNull(table, "table");
      if (!TABLE_NAME.matcher(table).matches()) {
        throw new IllegalArgumentException(
            "table: " + table + " (expected: letters, digits and _, not starting with a digit)");
      }
      this.table = table;
      return this;
    }

    /** Builds the store. Does no I/O. */
    public JdbcUserStore build() {
      return new JdbcUserStore(this);
    }

    private Properties properties() {
      var properties = new Properties();
      if (user != null) {
        properties.setProperty("user", user);
      }
      if (password != null) {
        properties.setProperty("password", password);
      }
      Dialect.of(url).configure(properties);
      return properties;
    }
  }
}
