/**
 * The {@code pb} command-line tool (picocli): {@code call}, {@code decode}, {@code chat-server},
 * {@code chat}, {@code users} and {@code example}. Thin: parses arguments, calls the public API,
 * prints. Results go to stdout, diagnostics to stderr; exit codes 0 ok, 1 remote or login failure,
 * 2 usage error, 3 cannot connect. Documented in {@code docs/cli.md}.
 */
@NullMarked
package io.github.pb4j.cli;

import org.jspecify.annotations.NullMarked;
