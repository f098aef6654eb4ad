package io.github.pb4j.cli;

import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.DeadReferenceException;
import io.github.pb4j.PbLogin;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.examples.ExampleRunner;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.netty.PbClient;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pb chat}: an interactive client of the chat service (ours or the seed's Twisted one).
 * Messages from the server appear on stdout as they come; status lines ({@code * ...}) go to
 * stderr; both show what the server sent by the chat's display rule ({@link Terminal#printable}),
 * so a hostile server cannot fake lines or drive the terminal. Each input line is sent to the
 * current group, or is a command: {@code /join G [--no-mattress]}, {@code /leave [G]}, {@code /to
 * G}, {@code /who}, {@code /groups}, {@code /quit}, {@code /help}.
 */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "Chat interactively on a chat server.",
      "Logs in, joins groups; type a line to send it to the current group; messages appear as "
          + "they come.",
      "Commands: /join GROUP [--no-mattress], /leave [GROUP], /to GROUP, /who, /groups, /help, "
          + "/quit (or end of input).",
      "The password is prompted without echo, or read from the first line of stdin with "
          + "--password-stdin (the remaining lines are the chat), or taken from PB_PASSWORD."
    },
    footer = {
      "%nExamples:",
      "  pb chat --user alice --group '#NeedAFourth'",
      "  printf '1234\\n"
          + "hello all\\n"
          + "' | pb chat --user alice --group '#NeedAFourth' --password-stdin"
    })
final class ChatCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String HELP =
      "commands: /join GROUP [--no-mattress], /leave [GROUP], /to GROUP, "
          + "/who, /groups, /help, /quit; any other line is sent to the current group";

  private final Terminal terminal;

  @Mixin ConnectOptions connect = new ConnectOptions();

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description =
          "Your username. Without it, logs in with the client certificate of --tls-cert "
              + "(mutual TLS; pb4j servers).")
  @Nullable String user;

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      description = "Join this group at start (repeatable); the last is the current group.")
  List<String> groups = new ArrayList<>();

  @Option(
      names = "--no-mattress",
      description =
          "Groups this client creates forbid the word 'mattress' (joinGroup allowMattress=False).")
  boolean noMattress;

  @Option(
      names = "--password-stdin",
      description = "Read the password from the first line of stdin.")
  boolean passwordStdin;

  /** Groups joined in this session, by name, in order of joining. */
  private final Map<String, RemoteReference> joined = new LinkedHashMap<>();

  private @Nullable String current;

  ChatCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  /**
   * The client-side object the server calls: the seed's {@code Client} with {@code remote_print}.
   */
  public static final class Mind implements Referenceable {
    private final PrintStream out;

    Mind(PrintStream out) {
      this.out = out;
    }

    /** Shows a message from the server, as one line whatever it holds. */
    @Remote
    public void print(String message) {
      out.println(Terminal.printable(message));
      out.flush();
    }
  }

  /** A line of input, the end of input, or the end of the connection. */
  private record Input(@Nullable String line, boolean disconnected) {}

  @Override
  public Integer call() throws Exception {
    if (user == null && !connect.tls.hasCertificate()) {
      throw new CliException(
          PbCli.USAGE,
          "--user: missing (expected: --user NAME, or a client certificate: --tls-cert FILE"
              + " --tls-key FILE)");
    }
    UsernamePassword credentials = null;
    if (user != null) {
      char[] password =
          Passwords.read(
              terminal,
              passwordStdin,
              "PB_PASSWORD",
              "Password for " + user + "@" + connect.host + ": ",
              false);
      credentials = UsernamePassword.of(user, password);
      Arrays.fill(password, '\0');
    }
    try (PbClient client = connect.client(TIMEOUT)) {
      RemoteReference root = await(client.getRootObject());
      Mind mind = new Mind(terminal.out());
      RemoteReference perspective =
          await(
              credentials != null
                  ? PbLogin.login(root, credentials, mind)
                  : PbLogin.loginWithCertificate(root, mind));
      status(
          "logged in as "
              + (user != null ? user : "the certificate's name")
              + " on "
              + connect.host
              + ":"
              + connect.port
              + (root.broker().tlsSession().isPresent() ? " over TLS" : "")
              + "; /help lists commands");
      BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
      perspective.notifyOnDisconnect(ref -> inputs.add(new Input(null, true)));
      for (String group : groups) {
        join(perspective, group, noMattress);
      }
      startReading(inputs);
      while (true) {
        Input input = inputs.take();
        if (input.disconnected()) {
          throw new CliException(PbCli.FAILED, "connection lost");
        }
        if (input.line() == null || !handle(perspective, input.line().strip())) {
          return PbCli.OK;
        }
      }
    }
  }

  /** Handles one line; returns false to quit. */
  private boolean handle(RemoteReference perspective, String line) throws Exception {
    if (line.isEmpty()) {
      return true;
    }
    if (!line.startsWith("/")) {
      send(line);
      return true;
    }
    String[] words = line.split("\\s+");
    String arg = words.length > 1 ? words[1] : null;
    switch (words[0]) {
      case "/quit", "/exit" -> {
        return false;
      }
      case "/help" -> status(HELP);
      case "/join" -> {
        if (arg == null) {
          status("usage: /join GROUP [--no-mattress]");
        } else {
          join(perspective, arg, noMattress || List.of(words).contains("--no-mattress"));
        }
      }
      case "/leave" -> leave(perspective, arg != null ? arg : current);
      case "/to" -> {
        if (arg != null && joined.containsKey(arg)) {
          current = arg;
          status("talking to " + arg);
        } else {
          status("not in " + arg + "; /join it first");
        }
      }
      case "/who" -> {
        RemoteReference group = current == null ? null : joined.get(current);
        if (group == null) {
          status("join a group first: /join GROUP");
        } else {
          remote(
              group.callRemote("members"), names -> status("in " + current + ": " + join(names)));
        }
      }
      case "/groups" ->
          remote(perspective.callRemote("groups"), names -> status("your groups: " + join(names)));
      default -> status("unknown command " + words[0] + "; " + HELP);
    }
    return true;
  }

  private void send(String message) throws Exception {
    RemoteReference group = current == null ? null : joined.get(current);
    if (group == null) {
      status("join a group first: /join GROUP");
      return;
    }
    remote(group.callRemote("send", message), ignored -> {});
  }

  private void join(RemoteReference perspective, String group, boolean forbidMattress)
      throws Exception {
    Map<String, Object> keywords = forbidMattress ? Map.of("allowMattress", false) : Map.of();
    remote(
        perspective.callRemoteWithKeywords("joinGroup", List.of(group), keywords),
        ref -> {
          if (ref instanceof RemoteReference g) {
            joined.put(group, g);
            current = group;
            status("joined " + group);
          } else {
            status("joinGroup answered " + PythonRepr.brief(ref) + " (expected: a group)");
          }
        });
  }

  private void leave(RemoteReference perspective, @Nullable String group) throws Exception {
    if (group == null) {
      status("usage: /leave GROUP");
      return;
    }
    RemoteReference ref = joined.remove(group);
    CompletableFuture<?> call =
        ref != null ? ref.callRemote("leave") : perspective.callRemote("leaveGroup", group);
    remote(call, ignored -> status("left " + group));
    if (ref != null) {
      ref.release();
    }
    if (group.equals(current)) {
      current = joined.isEmpty() ? null : new ArrayList<>(joined.keySet()).get(joined.size() - 1);
      if (current != null) {
        status("talking to " + current);
      }
    }
  }

  /**
   * Waits for a call; a remote failure is shown and the chat goes on, a lost connection ends it.
   */
  private <T> void remote(CompletableFuture<T> call, java.util.function.Consumer<@Nullable T> then)
      throws Exception {
    try {
      then.accept(await(call));
    } catch (RemoteFailureException e) {
      status("refused: " + e.remoteValue());
    }
  }

  private <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = connect.explain(ExampleRunner.unwrap(e));
      if (cause instanceof ConnectionLostException || cause instanceof DeadReferenceException) {
        throw new CliException(PbCli.FAILED, "connection lost");
      }
      throw cause instanceof Exception ex ? ex : e;
    } catch (TimeoutException e) {
      throw new CliException(PbCli.FAILED, "no answer within " + TIMEOUT.toSeconds() + " s");
    }
  }

  private void startReading(BlockingQueue<Input> inputs) {
    Thread reader =
        new Thread(
            () -> {
              try {
                String line;
                while ((line = terminal.stdin().readLine()) != null) {
                  inputs.add(new Input(line, false));
                }
              } catch (IOException e) {
                terminal.err().println("* cannot read input: " + e.getMessage());
              }
              inputs.add(new Input(null, false));
            },
            "pb-chat-input");
    reader.setDaemon(true);
    reader.start();
  }

  private static String join(@Nullable Object names) {
    Collection<?> items =
        names instanceof Tuple t
            ? t.asList()
            : names instanceof Collection<?> c ? c : java.util.Collections.singletonList(names);
    List<String> text = new ArrayList<>();
    // A name is shown as it is; anything else the server sends, briefly (it may share its parts).
    items.forEach(n -> text.add(n instanceof String name ? name : PythonRepr.brief(n)));
    return text.isEmpty() ? "(none)" : String.join(", ", text);
  }

  /** Shows a status line; what the server put in it (names, refusals) is made printable. */
  private void status(String message) {
    terminal.err().println("* " + Terminal.printable(message));
    terminal.err().flush();
  }
}
