package io.github.pb4j.cred;

/**
 * A username and proof of the password that the checker can verify only given the plaintext
 * password. Java form of Twisted's {@code twisted.cred.credentials.IUsernameHashedPassword}.
 *
 * <p>A checker that knows the plaintext password of {@link #username()} passes it to {@link
 * #checkPassword(byte[])}. A checker that stores only a one-way hash cannot use these credentials.
 * PB's challenge-response login presents credentials of this kind (see {@link
 * Md5ChallengeCredentials}).
 *
 * <p>Implementations should be immutable (a checker may call them on its own executor).
 */
public interface UsernameHashedPassword extends Credentials {
  /** Returns the username. */
  String username();

  /**
   * Returns whether these credentials prove knowledge of {@code plaintextPassword}, the correct
   * password of {@link #username()}. Implementations compare in constant time.
   */
  boolean checkPassword(byte[] plaintextPassword);
}
