package io.github.pb4j.cred;

/**
 * Credentials of a client that does not say who it is. Java form of Twisted's {@code
 * twisted.cred.credentials.IAnonymous} and its class {@code Anonymous}.
 *
 * <p>Use {@link #INSTANCE}. {@link AllowAnonymousAccess} checks these credentials and yields {@link
 * AvatarId#ANONYMOUS}; a portal without a checker for them refuses anonymous logins with {@link
 * UnhandledCredentialsException}.
 */
public interface Anonymous extends Credentials {
  /** The anonymous credentials. <em>Immutable.</em> */
  Anonymous INSTANCE = AnonymousCredentials.INSTANCE;
}
