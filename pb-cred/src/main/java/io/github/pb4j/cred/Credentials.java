package io.github.pb4j.cred;

/**
 * Something a client presents to prove who it is. Java form of Twisted's {@code
 * twisted.cred.credentials.ICredentials}.
 *
 * <p>A marker: each kind of credentials is a sub-interface ({@link UsernamePassword}, {@link
 * UsernameHashedPassword}, {@link UsernameMd5Password}, {@link Anonymous}), and a {@link
 * CredentialsChecker} names the kinds it can check. The {@link Portal} matches a checker to the
 * interfaces the credentials object implements.
 *
 * <p>Implementations should be immutable: a portal may hand them to a checker on another thread.
 * Their {@code toString()} must not show secrets.
 */
public interface Credentials {}
