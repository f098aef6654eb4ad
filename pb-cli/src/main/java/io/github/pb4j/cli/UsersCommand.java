package io.github.pb4j.cli;

import io.github.pb4j.userstore.JdbcUserStore;
import io.github.pb4j.examples.ExampleRunner;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pb users add|remove|passwd|list|clear-md5}: manages the user store {@code pb
 * chat-server} uses. Passwords are prompted (twice, without echo) or read from stdin, never taken from the command
 * line.
 */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = {
      "Manage the chat server's users.",
      "The store is the SQLite file ./pb4j-users.db unless --db or --db-url says otherwise."
    },
    subcommands = {
      UsersCommand.Add.class,
      UsersCommand.Remove.class,
      UsersCommand.Passwd.class,
      UsersCommand.ListUsers.class,
      UsersCommand.ClearMd5.class
    },
    footer = {
      "%nExamples:",
      "  pb users add alice                      (prompts twice)",
      "  echo 'tr0ub4dor' | pb users add bob --password-stdin",
      "  pb users list --db /var/lib/chat/users.db",
      "  pb users passwd alice --no-md5          (stores no MD5 verifier for alice)",
      "  pb users clear-md5                      (for a store served with --no-md5)"
    })
final class UsersCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: add, remove, passwd, list or clear-md5");
  }

  /** {@code pb users add NAME}. */
  @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user.")
  static final class Add implements Callable<Integer> {
    private final Terminal terminal;

    @Mixin UserStoreOptions store = new UserStoreOptions();

    @Mixin UserName user = new UserName();

    @Mixin PasswordStdin password = new PasswordStdin();

    Add(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
      withNewPassword(terminal, store, password.fromStdin, user.name, JdbcUserStore::addUser);
      terminal.out().println("added " + user.name);
      return PbCli.OK;
    }
  }

  /** {@code pb users remove NAME}. */
  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user.")
  static final class Remove implements Callable<Integer> {
    private final Terminal terminal;

    @Mixin UserStoreOptions store = new UserStoreOptions();

    @Mixin UserName user = new UserName();

    Remove(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
      boolean removed;
      try (JdbcUserStore users = store.open(terminal)) {
        removed = run(() -> users.removeUser(user.name));
      }
      if (!removed) {
        throw new CliException(PbCli.FAILED, "no such user: " + user.name);
      }
      terminal.out().println("removed " + user.name);
      return PbCli.OK;
    }
  }

  /** {@code pb users passwd NAME}. */
  @Command(
      name = "passwd",
      mixinStandardHelpOptions = true,
      description = "Change a user's password.")
  static final class Passwd implements Callable<Integer> {
    private final Terminal terminal;

    @Mixin UserStoreOptions store = new UserStoreOptions();

    @Mixin UserName user = new UserName();

    @Mixin PasswordStdin password = new PasswordStdin();

    Passwd(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
      withNewPassword(terminal, store, password.fromStdin, user.name, JdbcUserStore::changePassword);
      terminal.out().println("changed the password of " + user.name);
      return PbCli.OK;
    }
  }

  /** {@code pb users list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the users, one per line.")
  static final class ListUsers implements Callable<Integer> {
    private final Terminal terminal;

    @Mixin UserStoreOptions store = new UserStoreOptions();

    ListUsers(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
      try (JdbcUserStore users = store.open(terminal)) {
        for (String name : run(users::listUsers)) {
          terminal.out().println(name);
        }
      }
      return PbCli.OK;
    }
  }

  /** {@code pb users clear-md5}. */
  @Command(
      name = "clear-md5",
      mixinStandardHelpOptions = true,
      description = {
        "Delete every stored MD5 verifier.",
        "For a store served with --no-md5: Twisted clients can then no longer log in, and "
            + "nothing password-equivalent is left in the database."
      })
  static final class ClearMd5 implements Callable<Integer> {
    private final Terminal terminal;

    @Mixin UserStoreOptions store = new UserStoreOptions();

    ClearMd5(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
      int cleared;
      try (JdbcUserStore users = store.open(terminal)) {
        cleared = run(users::clearMd5Verifiers);
      }
      terminal.out().println("deleted " + cleared + " MD5 verifier" + (cleared == 1 ? "" : "s"));
      return PbCli.OK;
    }
  }

  /** The {@code NAME} parameter of the subcommands about one user. */
  static final class UserName {
    @Parameters(index = "0", paramLabel = "NAME", description = "The username.")
    String name = "";
  }

  /** {@code --password-stdin} of the subcommands that set a password. */
  static final class PasswordStdin {
    @Option(
        names = "--password-stdin",
        description = "Read the password from the first line of stdin instead of prompting.")
    boolean fromStdin;
  }

  /** A store operation that sets a user's password. */
  private interface PasswordOperation {
    CompletableFuture<Void> apply(JdbcUserStore users, String name, char[] password);
  }

  /** Reads a new password for {@code name}, runs {@code operation} with it, then wipes it. */
  private static void withNewPassword(
      Terminal terminal,
      UserStoreOptions store,
      boolean fromStdin,
      String name,
      PasswordOperation operation)
      throws Exception {
    char[] password = newPassword(terminal, fromStdin, name);
    try (JdbcUserStore users = store.open(terminal)) {
      run(() -> operation.apply(users, name, password));
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static char[] newPassword(Terminal terminal, boolean fromStdin, String name) {
    char[] password =
        Passwords.read(terminal, fromStdin, null, "New password for " + name + ": ", true);
    if (password.length == 0) {
      throw new CliException(PbCli.USAGE, "empty password (expected: at least one character)");
    }
    return password;
  }

  /** Runs a store operation, turning its failures into messages and exit codes. */
  private static <T> T run(java.util.function.Supplier<CompletableFuture<T>> operation)
      throws Exception {
    try {
      return operation.get().get(60, TimeUnit.SECONDS);
    } catch (IllegalArgumentException e) {
      throw new CliException(PbCli.USAGE, e.getMessage());
    } catch (ExecutionException e) {
      Throwable cause = ExampleRunner.unwrap(e);
      if (cause instanceof IllegalStateException || cause instanceof NoSuchElementException) {
        throw new CliException(PbCli.FAILED, cause.getMessage());
      }
      throw new CliException(
          PbCli.FAILED,
          ExampleRunner.describe(cause)
              + (cause.getCause() != null ? " (" + cause.getCause().getMessage() + ")" : ""),
          cause);
    }
  }
}
