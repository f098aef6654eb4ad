package io.github.pb4j.userstore;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format that the reference implementation, libsodium
 * and argon2-cffi also use, so parameters can change without breaking stored hashes:
 *
 * <pre>
 * $argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;
 *            |    |       |   |    |       |
 *  version 1.3    |       |   |    16 bytes, 32 bytes; base64 without padding
 *       memory in KiB     |   parallelism (lanes)
 *                         iterations
 * </pre>
 *
 * <p><em>Thread-safe.</em>
 */
final class Argon2Hasher {
  /** OWASP's first recommended Argon2id setting (Password Storage Cheat Sheet). */
  static final Cost OWASP = new Cost(19 * 1024, 2, 1);

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Pattern PHC =
      Pattern.compile(
          "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,4}),p=(\\d{1,3})"
              + "\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{22,88})");
  private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

  private final Cost cost;
  private final SecureRandom random = new SecureRandom();

  Argon2Hasher(Cost cost) {
    this.cost = Objects.requireNonNull(cost, "cost");
  }

  /**
   * Argon2 cost parameters.
   *
   * @param memoryKib memory in KiB, at least 8 per lane
   * @param iterations passes over the memory
   * @param parallelism lanes
   */
  record Cost(int memoryKib, int iterations, int parallelism) {
    /** Upper bounds, also applied to stored hashes so a corrupt row cannot exhaust the server. */
    static final int MAX_MEMORY_KIB = 1024 * 1024;

    static final int MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;

    Cost {
      check("parallelism", parallelism, 1, MAX_PARALLELISM);
      check("memoryKib", memoryKib, 8 * parallelism, MAX_MEMORY_KIB);
      check("iterations", iterations, 1, MAX_ITERATIONS);
    }

    private static void check(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + ": " + value + " (expected: " + min + ".." + max + ")");
      }
    }
  }

  /** Returns the PHC string of {@code password} with a fresh random salt and this hasher's cost. */
  String hash(byte[] password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] hash = derive(password, salt, cost, HASH_BYTES);
    return "$argon2id$v=19$m="
        + cost.memoryKib()
        + ",t="
        + cost.iterations()
        + ",p="
        + cost.parallelism()
        + "$"
        + BASE64.encodeToString(salt)
        + "$"
        + BASE64.encodeToString(hash);
  }

  /** Returns this hasher's cost. */
  Cost cost() {
    return cost;
  }

  /**
   * Returns whether {@code password} matches {@code encoded}, comparing the hashes in constant
   * time. Uses the cost recorded in {@code encoded}.
   *
   * @throws IllegalArgumentException if {@code encoded} is not an Argon2id PHC string within the
   *     bounds of {@link Cost}
   */
  boolean verify(byte[] password, String encoded) {
    Stored stored = parse(encoded);
    byte[] actual = derive(password, stored.salt, stored.cost, stored.hash.length);
    try {
      return MessageDigest.isEqual(actual, stored.hash);
    } finally {
      Secrets.wipe(actual);
    }
  }

  /** Returns whether {@code encoded} was made with another cost than this hasher's. */
  boolean needsRehash(String encoded) {
    return !parse(encoded).cost.equals(cost);
  }

  private static Stored parse(String encoded) {
    Matcher m = PHC.matcher(encoded);
    if (!m.matches()) {
      // Never include the string itself: it is a password hash.
      throw new IllegalArgumentException("stored hash: malformed (expected: Argon2id PHC string)");
    }
    var cost =
        new Cost(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)));
    return new Stored(cost, BASE64_DECODER.decode(m.group(4)), BASE64_DECODER.decode(m.group(5)));
  }

  private static byte[] derive(byte[] password, byte[] salt, Cost cost, int length) {
    var parameters =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(cost.memoryKib())
            .withIterations(cost.iterations())
            .withParallelism(cost.parallelism())
            .withSalt(salt)
            .build();
    var generator = new Argon2BytesGenerator();
    generator.init(parameters);
    byte[] out = new byte[length];
    generator.generateBytes(password, out);
    return out;
  }

  /** A parsed PHC string. */
  private static final class Stored {
    final Cost cost;
    final byte[] salt;
    final byte[] hash;

    Stored(Cost cost, byte[] salt, byte[] hash) {
      this.cost = cost;
      this.salt = salt;
      this.hash = hash;
    }
  }
}
