package io.github.pb4j.cred;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The credentials of PB's challenge-response login: a username, the challenge the server sent and
 * the client's response. Java form of the credential side of Twisted's {@code
 * twisted.spread.pb._PortalAuthChallenger}.
 *
 * <p>The response is {@code MD5(MD5(password) || challenge)}, 16 raw bytes (see {@code
 * twisted.spread.pb.respond}). A checker that knows the plaintext password verifies with {@link
 * #checkPassword(byte[])}; one that keeps the MD5 of the password verifies with {@link
 * #checkMd5Password(byte[])}. Both compare in constant time.
 *
 * <pre>{@code
 * byte[] response = Md5ChallengeCredentials.respond(password, challenge);   // client side
 * var credentials = new Md5ChallengeCredentials("alice", challenge, response); // server side
 * portal.login(credentials, mind, Avatar.class);
 * }</pre>
 *
 * <p><em>Immutable.</em> Neither {@code toString()} nor any exception shows the challenge or the
 * response.
 */
public final class Md5ChallengeCredentials implements UsernameHashedPassword, UsernameMd5Password {
  private final String username;
  private final byte[] challenge;
  private final byte[] response;

  /** Creates credentials from copies of {@code challenge} and {@code response}. */
  public Md5ChallengeCredentials(String username, byte[] challenge, byte[] response) {
    this.username = Objects.requireNonNull(username, "username");
    this.challenge = Objects.requireNonNull(challenge, "challenge").clone();
    this.response = Objects.requireNonNull(response, "response").clone();
  }

  /**
   * Returns the response a client sends for {@code password} and {@code challenge}: {@code
   * MD5(MD5(password) || challenge)}. Mirrors Twisted's {@code pb.respond}.
   */
  public static byte[] respond(byte[] password, byte[] challenge) {
    byte[] md5OfPassword = md5(password);
    try {
      return md5(md5OfPassword, challenge);
    } finally {
      Secrets.wipe(md5OfPassword);
    }
  }

  /** Returns the 16-byte MD5 digest of {@code data}. */
  public static byte[] md5(byte[] data) {
    return md5(data, new byte[0]);
  }

  @Override
  public String username() {
    return username;
  }

  /** Returns whether the response was made from {@code plaintextPassword}. */
  @Override
  public boolean checkPassword(byte[] plaintextPassword) {
    byte[] md5OfPassword = md5(plaintextPassword);
    try {
      return checkMd5Password(md5OfPassword);
    } finally {
      Secrets.wipe(md5OfPassword);
    }
  }

  /** Returns whether the response was made from the password whose MD5 is {@code md5OfPassword}. */
  @Override
  public boolean checkMd5Password(byte[] md5OfPassword) {
    Objects.requireNonNull(md5OfPassword, "md5OfPassword");
    byte[] expected = md5(md5OfPassword, challenge);
    try {
      return MessageDigest.isEqual(expected, response);
    } finally {
      Secrets.wipe(expected);
    }
  }

  @Override
  public String toString() {
    return "Md5ChallengeCredentials[username=" + username + "]";
  }

  private static byte[] md5(byte[] first, byte[] second) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide MD5.
      throw new IllegalStateException("MD5 is not available", e);
    }
    digest.update(first);
    digest.update(second);
    return digest.digest();
  }
}
