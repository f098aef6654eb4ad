/**
 * A user store for cred: users and Argon2id password hashes in a SQL database (an embedded SQLite
 * file, or PostgreSQL), and a {@link io.github.pb4j.cred.CredentialsChecker} that authenticates
 * logins against it. See {@link io.github.pb4j.userstore.JdbcUserStore}.
 *
 * <p>A module of its own ({@code pb-userstore}) because it brings the JDBC drivers and Bouncy
 * Castle: a program that only calls PB servers does not need them. The package is not {@code
 * io.github.pb4j.cred} so that the two jars never share a package, which the Java module system
 * forbids.
 */
@NullMarked
package io.github.pb4j.userstore;

import org.jspecify.annotations.NullMarked;
