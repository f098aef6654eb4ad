package io.github.pb4j.cred;

/**
 * A username and proof of the password that the checker can verify given the MD5 digest of the
 * password. Java form of Twisted's {@code twisted.spread.pb.IUsernameMD5Password}.
 *
 * <p>PB's challenge-response login presents credentials of this kind (see {@link
 * Md5ChallengeCredentials}), so a store that keeps MD5 verifiers instead of plaintext can check PB
 * logins. Such a verifier is password-equivalent for PB: whoever has it can log in.
 *
 * <p>Implementations should be immutable (a checker may call them on its own executor).
 */
public interface UsernameMd5Password extends Credentials {
  /** Returns the username. */
  String username();

  /**
   * Returns whether these credentials prove knowledge of the password whose MD5 digest (16 raw
   * bytes) is {@code md5OfPassword}. Implementations compare in constant time.
   */
  boolean checkMd5Password(byte[] md5OfPassword);
}
