package io.github.pb4j.cred;

import io.github.pb4j.cred.internal.Stages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checker over a text file of {@code username:password} lines. Java form of Twisted's {@code
 * twisted.cred.checkers.FilePasswordDB}, reading the same files.
 *
 * <p>Format, as Twisted reads it: the file is split into lines at {@code \n}; trailing whitespace
 * is stripped from each line; the line is split at the delimiter (default {@code ":"}); the
 * username and password are the fields at {@link Builder#usernameField(int)} and {@link
 * Builder#passwordField(int)} (defaults 0 and 1); lines with too few fields are ignored. Fields are
 * bytes: a username matches when its UTF-8 encoding equals the field (comparing ASCII letters
 * without case when {@link Builder#caseSensitive(boolean)} is off, as Python's {@code
 * bytes.lower()} does). Unlike Twisted 22.4, lines starting with {@code #} are comments, and a line
 * with an empty username is ignored, so it can never match anyone. When a username appears on
 * several lines, the first wins.
 *
 * <p>Without a {@link Builder#hash(HashFunction) hash function} the file holds plaintext passwords
 * and the checker handles {@link UsernamePassword} and {@link UsernameHashedPassword} (so PB's
 * challenge login works). With one, it holds hashed passwords and, as in Twisted, only {@link
 * UsernamePassword} can be checked: PB logins then fail with {@link UnhandledCredentialsException}.
 *
 * <p>The file is read again for every login, or, with {@link Builder#cache(boolean)}, only when its
 * modification time changes. Reading blocks, so it runs on the executor given to {@link
 * #builder(Path, Executor)}, never on the calling thread; the returned stages complete there. A
 * file that cannot be read fails logins with {@link UnauthorizedLoginException} (and a warning in
 * the log), as in Twisted. Unlike Twisted, an unknown user costs the same password check (against
 * another user's stored password) as a wrong password, so a slow hash function does not tell which
 * users exist.
 *
 * <p><em>Thread-safe.</em>
 */
public final class FilePasswordDb implements CredentialsChecker {
  private static final Logger logger = LoggerFactory.getLogger(FilePasswordDb.class);

  private final Path file;
  private final Executor executor;
  private final String delimiter;
  private final int usernameField;
  private final int passwordField;
  private final boolean caseSensitive;
  private final @Nullable HashFunction hash;
  private final boolean cache;
  private final Set<Class<? extends Credentials>> interfaces;
  private volatile @Nullable Snapshot snapshot;

  /**
   * Transforms a password received from the network into the form stored in the file. Mirrors the
   * {@code hash} argument of Twisted's {@code FilePasswordDB}: the credentials are accepted when
   * the result equals the stored password. Must be thread-safe.
   */
  @FunctionalInterface
  public interface HashFunction {
    /**
     * Returns the stored form of {@code password}.
     *
     * @param username the username the client sent
     * @param password the plaintext password the client sent
     * @param storedPassword the password field of the user's line, e.g. to read a salt from it
     */
    byte[] hash(String username, byte[] password, byte[] storedPassword);
  }

  private FilePasswordDb(Builder builder) {
    this.file = builder.file;
    this.executor = builder.executor;
    // Bytes are handled as ISO-8859-1 strings: one char per byte, so comparisons stay byte-exact.
    this.delimiter = latin1(builder.delimiter);
    this.usernameField = builder.usernameField;
    this.passwordField = builder.passwordField;
    this.caseSensitive = builder.caseSensitive;
    this.hash = builder.hash;
    this.cache = builder.cache;
    this.interfaces =
        hash == null
            ? CredentialInterfaces.of(UsernamePassword.class, UsernameHashedPassword.class)
            : CredentialInterfaces.of(UsernamePassword.class);
  }

  /**
   * Returns a builder for a checker over {@code file}, reading it on {@code executor}.
   *
   * @param executor runs the blocking file reads, e.g. a small pool owned by the application
   */
  public static Builder builder(Path file, Executor executor) {
    return new Builder(file, executor);
  }

  /**
   * Returns {@code [UsernamePassword, UsernameHashedPassword]}, or {@code [UsernamePassword]} with
   * a hash function.
   */
  @Override
  public Set<Class<? extends Credentials>> credentialInterfaces() {
    return interfaces;
  }

  /**
   * Returns a stage, completed on the executor, of the id of the user whose line matches the
   * credentials; it fails with {@link UnauthorizedLoginException} otherwise. The id carries the
   * username as written in the file (lowercase when case-insensitive).
   */
  @Override
  public CompletableFuture<AvatarId> requestAvatarId(Credentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    PasswordCredentials c = PasswordCredentials.of(credentials, interfaces);
    if (c == null) {
      return PasswordCredentials.unhandled(credentials, interfaces);
    }
    return Stages.supplyAsync(() -> check(c), executor);
  }

  private AvatarId check(PasswordCredentials credentials) {
    String username = credentials.username();
    String key = normalize(latin1(username.getBytes(StandardCharsets.UTF_8)));
    Map<String, String> users = users();
    Optional<String> stored = Optional.ofNullable(users.get(key));
    if (stored.isEmpty()) {
      // The same work as for a wrong password (a slow hash function would otherwise tell which
      // users exist), against some user's stored password, whose result does not matter.
      users.values().stream().findFirst().ifPresent(decoy -> checkAgainstDecoy(credentials, decoy));
      logger.debug("login failed: {} is not in {}", username, file);
      throw new UnauthorizedLoginException();
    }
    byte[] password = latin1Bytes(stored.get());
    try {
      if (!matches(credentials, password)) {
        logger.debug("login failed: wrong password for {}", username);
        throw new UnauthorizedLoginException();
      }
    } finally {
      Secrets.wipe(password);
    }
    return AvatarId.of(new String(latin1Bytes(key), StandardCharsets.UTF_8));
  }

  private void checkAgainstDecoy(PasswordCredentials credentials, String decoy) {
    byte[] password = latin1Bytes(decoy);
    try {
      matches(credentials, password);
    } catch (RuntimeException e) {
      // The result does not matter, nor a hash function's complaint about this stored value.
    } finally {
      Secrets.wipe(password);
    }
  }

  private boolean matches(PasswordCredentials credentials, byte[] stored) {
    HashFunction hash = this.hash;
    if (hash == null) {
      return credentials.matchesPlaintext(stored);
    }
    UsernamePassword c = credentials.password();
    byte[] password = c.password();
    try {
      return MessageDigest.isEqual(hash.hash(c.username(), password, stored.clone()), stored);
    } finally {
      Secrets.wipe(password);
    }
  }

  /** Returns the stored passwords by (normalized) username, as ISO-8859-1 strings. */
  private Map<String, String> users() {
    if (!cache) {
      return read();
    }
    FileTime modified = modifiedTime();
    Snapshot current = snapshot;
    if (current == null || !current.modified().equals(modified)) {
      current = new Snapshot(modified, read());
      snapshot = current;
    }
    return current.users();
  }

  private Map<String, String> read() {
    String content;
    try {
      content = latin1(Files.readAllBytes(file));
    } catch (IOException e) {
      logger.warn("cannot read password file {}: {}", file, e.toString());
      throw new UnauthorizedLoginException();
    }
    var users = new LinkedHashMap<String, String>();
    for (String line : content.split("\n", -1)) {
      line = stripTrailingWhitespace(line);
      if (line.startsWith("#")) {
        continue;
      }
      String[] fields = split(line, delimiter);
      if (usernameField >= fields.length || passwordField >= fields.length) {
        continue;
      }
      String username = normalize(fields[usernameField]);
      if (!username.isEmpty()) {
        users.putIfAbsent(username, fields[passwordField]);
      }
    }
    return users;
  }

  private FileTime modifiedTime() {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      logger.warn("cannot read password file {}: {}", file, e.toString());
      throw new UnauthorizedLoginException();
    }
  }

  private String normalize(String username) {
    return caseSensitive ? username : asciiLowerCase(username);
  }

  /** Python's {@code bytes.lower()}: only ASCII letters change. */
  private static String asciiLowerCase(String latin1) {
    var result = new StringBuilder(latin1.length());
    for (int i = 0; i < latin1.length(); i++) {
      char c = latin1.charAt(i);
      result.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return result.toString();
  }

  /** Python's {@code bytes.rstrip()}: strips space, \t, \n, \r, \x0b and \x0c. */
  private static String stripTrailingWhitespace(String line) {
    int end = line.length();
    while (end > 0 && " \t\n\r\u000b\f".indexOf(line.charAt(end - 1)) >= 0) {
      end--;
    }
    return line.substring(0, end);
  }

  /** Python's {@code bytes.split(delimiter)}: literal, keeps empty fields. */
  private static String[] split(String line, String delimiter) {
    var fields = new ArrayList<String>();
    int start = 0;
    for (int at = line.indexOf(delimiter); at >= 0; at = line.indexOf(delimiter, start)) {
      fields.add(line.substring(start, at));
      start = at + delimiter.length();
    }
    fields.add(line.substring(start));
    return fields.toArray(String[]::new);
  }

  private static byte[] latin1Bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return "FilePasswordDb[" + file + "]";
  }

  private record Snapshot(FileTime modified, Map<String, String> users) {}

  /** Builds a {@link FilePasswordDb}. <em>Not thread-safe.</em> */
  public static final class Builder {
    private final Path file;
    private final Executor executor;
    private byte[] delimiter = {':'};
    private int usernameField = 0;
    private int passwordField = 1;
    private boolean caseSensitive = true;
    private @Nullable HashFunction hash;
    private boolean cache;

    private Builder(Path file, Executor executor) {
      this.file = Objects.requireNonNull(file, "file");
      this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Sets the field delimiter, encoded as UTF-8; default {@code ":"}. */
    public Builder delimiter(String delimiter) {
      Objects.requireNonNull(delimiter, "delimiter");
      if (delimiter.isEmpty()) {
        throw new IllegalArgumentException("delimiter: empty (expected: at least one character)");
      }
      this.delimiter = delimiter.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    /** Sets the index of the username field, from 0; default 0. */
    public Builder usernameField(int index) {
      this.usernameField = checkIndex("usernameField", index);
      return this;
    }

    /** Sets the index of the password field, from 0; default 1. */
    public Builder passwordField(int index) {
      this.passwordField = checkIndex("passwordField", index);
      return this;
    }

    /** Sets whether usernames are compared with case; default {@code true}. */
    public Builder caseSensitive(boolean caseSensitive) {
      this.caseSensitive = caseSensitive;
      return this;
    }

    /**
     * Sets the function that turns a network password into its stored form; by default the file
     * holds plaintext. With a hash function only {@link UsernamePassword} can be checked.
     */
    public Builder hash(HashFunction hash) {
      this.hash = Objects.requireNonNull(hash, "hash");
      return this;
    }

    /** Sets whether to keep the parsed file until its modification time changes; default off. */
    public Builder cache(boolean cache) {
      this.cache = cache;
      return this;
    }

    /**
     * Builds the checker. Does not touch the file.
     *
     * @throws IllegalArgumentException if the username and password fields are the same
     */
    public FilePasswordDb build() {
      if (usernameField == passwordField) {
        throw new IllegalArgumentException(
            "passwordField: " + passwordField + " (expected: != usernameField)");
      }
      return new FilePasswordDb(this);
    }

    private static int checkIndex(String name, int index) {
      if (index < 0) {
        throw new IllegalArgumentException(name + ": " + index + " (expected: >= 0)");
      }
      return index;
    }
  }
}
