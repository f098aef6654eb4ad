package io.github.pb4j.cli;

import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads a password, never from the command line: from the first line of stdin ({@code
 * --password-stdin}, for scripts), from an environment variable where the command allows one, or
 * from a prompt on the console without echo. <em>Thread-safe</em> (stateless).
 */
final class Passwords {
  private Passwords() {}

  /**
   * Returns the password.
   *
   * @param envVar the variable to read it from before prompting, or {@code null}
   * @param confirm whether a prompt asks twice (when setting a password)
   * @throws CliException (usage) if there is no way to get it, or (failure) if two entries differ
   */
  static char[] read(
      Terminal terminal,
      boolean fromStdin,
      @Nullable String envVar,
      String prompt,
      boolean confirm) {
    if (fromStdin) {
      String line;
      try {
        line = terminal.stdin().readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (line == null) {
        throw new CliException(
            PbCli.USAGE,
            "--password-stdin: stdin is empty (expected: the password on the first line)");
      }
      return line.toCharArray();
    }
    if (envVar != null && terminal.env(envVar).isPresent()) {
      return terminal.env(envVar).get().toCharArray();
    }
    Console console =
        terminal
            .console()
            .orElseThrow(
                () ->
                    new CliException(
                        PbCli.USAGE,
                        "cannot prompt for the password without a terminal: use --password-stdin"
                            + (envVar != null ? " or set " + envVar : "")));
    char[] password = console.readPassword("%s", prompt);
    if (password == null) {
      throw new CliException(PbCli.USAGE, "no password given");
    }
    if (confirm) {
      char[] again = console.readPassword("%s", "Again: ");
      boolean same = again != null && Arrays.equals(password, again);
      if (again != null) {
        Arrays.fill(again, '\0');
      }
      if (!same) {
        Arrays.fill(password, '\0');
        throw new CliException(PbCli.FAILED, "the passwords do not match");
      }
    }
    return password;
  }
}
