/**
 * cred: Java form of Twisted's {@code twisted.cred}. A {@link io.github.pb4j.cred.Portal} asks a
 * {@link io.github.pb4j.cred.CredentialsChecker} to turn {@link io.github.pb4j.cred.Credentials}
 * into an {@link io.github.pb4j.cred.AvatarId}, then asks a {@link io.github.pb4j.cred.Realm} for
 * the avatar. Includes Twisted's stock checkers and a login throttle; the JDBC user store with
 * Argon2id password hashes is in the {@code pb-userstore} module ({@code io.github.pb4j.userstore}).
 *
 * <p>Knows nothing of PB or Netty; the broker speaks PB's login protocol over it (see {@code
 * docs/cred.md}).
 */
@NullMarked
package io.github.pb4j.cred;

import org.jspecify.annotations.NullMarked;
