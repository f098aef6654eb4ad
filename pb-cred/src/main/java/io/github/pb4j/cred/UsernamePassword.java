package io.github.pb4j.cred;

import java.nio.charset.StandardCharsets;

/**
 * A username and the plaintext password. Java form of Twisted's {@code
 * twisted.cred.credentials.IUsernamePassword} and its default class {@code UsernamePassword}.
 *
 * <p>Passwords are bytes, as in Twisted; the factories taking text encode it as UTF-8. The object
 * returned by the factories keeps its own copy of the password, never shows it in {@code
 * toString()} and compares in constant time. <em>Immutable.</em>
 */
public interface UsernamePassword extends Credentials {
  /** Returns the username. */
  String username();

  /** Returns a copy of the plaintext password. */
  byte[] password();

  /**
   * Returns whether {@code password} equals this object's password, comparing in time that does not
   * depend on where the two differ.
   */
  boolean checkPassword(byte[] password);

  /** Returns credentials for {@code username} with {@code password} encoded as UTF-8. */
  static UsernamePassword of(String username, String password) {
    return new DefaultUsernamePassword(username, password.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns credentials for {@code username} with a copy of {@code password} encoded as UTF-8. */
  static UsernamePassword of(String username, char[] password) {
    return new DefaultUsernamePassword(username, Secrets.utf8(password));
  }

  /** Returns credentials for {@code username} with a copy of the password bytes. */
  static UsernamePassword of(String username, byte[] password) {
    return new DefaultUsernamePassword(username, password.clone());
  }
}
