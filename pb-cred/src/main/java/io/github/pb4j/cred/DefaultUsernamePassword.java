package io.github.pb4j.cred;

import java.security.MessageDigest;
import java.util.Objects;

/** The {@link UsernamePassword} the factories return. <em>Immutable.</em> */
final class DefaultUsernamePassword implements UsernamePassword {
  private final String username;
  private final byte[] password;

  /** Takes ownership of {@code password}. */
  DefaultUsernamePassword(String username, byte[] password) {
    this.username = Objects.requireNonNull(username, "username");
    this.password = Objects.requireNonNull(password, "password");
  }

  @Override
  public String username() {
    return username;
  }

  @Override
  public byte[] password() {
    return password.clone();
  }

  @Override
  public boolean checkPassword(byte[] password) {
    Objects.requireNonNull(password, "password");
    // MessageDigest.isEqual takes time proportional to its first argument, our own password.
    return MessageDigest.isEqual(this.password, password);
  }

  @Override
  public String toString() {
    return "UsernamePassword[username=" + username + ", password=<hidden>]";
  }
}
