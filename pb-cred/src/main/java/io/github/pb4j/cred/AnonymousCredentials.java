package io.github.pb4j.cred;

/** The value of {@link Anonymous#INSTANCE}. */
enum AnonymousCredentials implements Anonymous {
  INSTANCE;

  @Override
  public String toString() {
    return "Anonymous";
  }
}
