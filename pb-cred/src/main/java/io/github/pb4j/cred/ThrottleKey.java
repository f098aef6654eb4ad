package io.github.pb4j.cred;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.jspecify.annotations.Nullable;

/**
 * A key of {@link LoginThrottle}: the first 128 bits of a SHA-256 digest over what it counts (a
 * user, an address, or both), so that a counter costs the same few bytes however long the username
 * a peer sent. Collisions are as unlikely as guessing a 128-bit value.
 */
record ThrottleKey(long high, long low) {
  private static final byte USER = 1;
  private static final byte ADDRESS = 2;
  private static final byte PAIR = 3;

  static ThrottleKey user(String username) {
    return of(USER, username, null);
  }

  static ThrottleKey address(@Nullable String address) {
    return of(ADDRESS, null, address);
  }

  static ThrottleKey pair(String username, @Nullable String address) {
    return of(PAIR, username, address);
  }

  private static ThrottleKey of(byte kind, @Nullable String username, @Nullable String address) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    digest.update(kind);
    field(digest, username);
    field(digest, address);
    ByteBuffer hash = ByteBuffer.wrap(digest.digest());
    return new ThrottleKey(hash.getLong(), hash.getLong());
  }

  /** Digests a length-prefixed field, so that no two (user, address) pairs share a digest input. */
  private static void field(MessageDigest digest, @Nullable String value) {
    if (value == null) {
      digest.update(ByteBuffer.allocate(4).putInt(-1).array());
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    digest.update(bytes);
  }

  @Override
  public String toString() {
    return "ThrottleKey[" + Long.toHexString(high) + "]";
  }
}
