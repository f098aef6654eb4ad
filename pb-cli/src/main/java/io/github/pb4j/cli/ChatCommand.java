package io.github.pb4j.cli;

import io.github.pb4j.ConnectionLostException;
import io.github.pb4j.DeadReferenceException;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteFailureException;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.examples.ExampleRunner;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.netty.NotAttachedException;
import io.github.pb4j.netty.PbSession;
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
 *
 * <p>The chat runs on a {@link PbSession}: when the connection drops (the server restarts, say),
 * it says so, reconnects with backoff, logs in again and rejoins its groups. Lines typed
 * meanwhile are not sent (it says so). It ends with its input, with {@code /quit}, or if the
 * server refuses the login (exit status 1).
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
          + "--password-stdin (the remaining lines are the chat), or taken from PB_PASSWORD.",
      "When the connection drops, the chat reconnects, logs in again and rejoins its groups."
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

  private static final String NOT_CONNECTED = "not connected (reconnecting)";

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

  /** Groups joined on the current connection, by name, in order of joining. */
  private final Map<String, RemoteReference> joined = new LinkedHashMap<>();

  /**
   * Groups to be in, by name, in order of joining, with whether they forbid the word: joined
   * again after a reconnection.
   */
  private final Map<String, Boolean> wanted = new LinkedHashMap<>();

  private @Nullable String current;

  /** The perspective of the current connection; null while reconnecting. */
  private @Nullable RemoteReference perspective;

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

  /** A line of input (null: the end of input), or news from the session. */
  private record Input(
      Kind kind,
      @Nullable String line,
      @Nullable RemoteReference perspective,
      @Nullable Throwable failure,
      @Nullable Duration retryIn) {
    enum Kind {
      LINE,
      ATTACHED,
      DETACHED,
      ATTEMPT_FAILED,
      STOPPED
    }

    static Input line(@Nullable String line) {
      return new Input(Kind.LINE, line, null, null, null);
    }

    static Input news(Kind kind, @Nullable RemoteReference perspective, @Nullable Throwable failure,
        @Nullable Duration retryIn) {
      return new Input(kind, null, perspective, failure, retryIn);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (user == null && !connect.tls.hasCertificate()) {
      throw new CliException(
          PbCli.USAGE,
          "--user: missing (expected: --user NAME, or a client certificate: --tls-cert FILE"
              + " --tls-key FILE)");
    }
    PbSession.Builder builder = connect.session(TIMEOUT);
    Mind mind = new Mind(terminal.out());
    if (user != null) {
      char[] password =
          Passwords.read(
              terminal,
              passwordStdin,
              "PB_PASSWORD",
              "Password for " + user + "@" + connect.host + ": ",
              false);
      builder.login(UsernamePassword.of(user, password), mind);
      Arrays.fill(password, '\0');
    } else {
      builder.loginWithCertificate(mind);
    }
    BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
    try (PbSession session = builder.listener(new SessionNews(inputs)).build().start()) {
      perspective = firstAttachment(inputs);
      status(
          "logged in as "
              + (user != null ? user : "the certificate's name")
              + " on "
              + connect.host
              + ":"
              + connect.port
              + (perspective.broker().tlsSession().isPresent() ? " over TLS" : "")
              + "; /help lists commands");
      for (String group : groups) {
        join(group, noMattress);
      }
      startReading(inputs);
      while (true) {
        Input input = inputs.take();
        switch (input.kind()) {
          case LINE -> {
            if (input.line() == null || !handle(input.line().strip())) {
              return PbCli.OK;
            }
          }
          case DETACHED -> {
            perspective = null;
            joined.clear();
            status("connection lost; reconnecting");
          }
          case ATTEMPT_FAILED ->
              status(
                  "cannot reconnect yet ("
                      + ExampleRunner.describe(input.failure())
                      + "); next attempt in "
                      + seconds(input.retryIn()));
          case ATTACHED -> {
            perspective = input.perspective();
            status("reconnected as " + user);
            String talkingTo = current;
            for (Map.Entry<String, Boolean> group : new ArrayList<>(wanted.entrySet())) {
              join(group.getKey(), group.getValue());
            }
            if (talkingTo != null && joined.containsKey(talkingTo) && !talkingTo.equals(current)) {
              current = talkingTo;
              status("talking to " + current);
            }
          }
          case STOPPED -> throw asException(input.failure());
        }
      }
    }
  }

  /** Waits for the first login; a failure of the first attempt ends the chat, as it says. */
  private RemoteReference firstAttachment(BlockingQueue<Input> inputs) throws Exception {
    Input first = inputs.poll(2 * TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (first == null) {
      throw new CliException(PbCli.FAILED, "no answer within " + 2 * TIMEOUT.toSeconds() + " s");
    }
    if (first.kind() == Input.Kind.ATTACHED && first.perspective() != null) {
      return first.perspective();
    }
    Throwable failure = first.failure();
    throw asException(failure == null ? null : connect.explain(ExampleRunner.unwrap(failure)));
  }

  private static Exception asException(@Nullable Throwable t) {
    return t instanceof Exception e ? e : new CliException(PbCli.FAILED, String.valueOf(t));
  }

  private static String seconds(@Nullable Duration d) {
    long millis = d == null ? 0 : d.toMillis();
    return millis < 1000 ? millis + " ms" : Math.round(millis / 1000.0) + " s";
  }

  /** Hands what the session says to the chat's main thread. */
  private record SessionNews(BlockingQueue<Input> inputs) implements PbSession.Listener {
    @Override
    public void onAttached(RemoteReference p) {
      inputs.add(Input.news(Input.Kind.ATTACHED, p, null, null));
    }

    @Override
    public void onDetached(Throwable reason) {
      if (reason instanceof ConnectionLostException) {
        inputs.add(Input.news(Input.Kind.DETACHED, null, reason, null));
      }
    }

    @Override
    public void onAttemptFailed(Throwable reason, Duration retryIn) {
      inputs.add(Input.news(Input.Kind.ATTEMPT_FAILED, null, reason, retryIn));
    }

    @Override
    public void onStopped(@Nullable Throwable failure) {
      if (failure != null) {
        inputs.add(Input.news(Input.Kind.STOPPED, null, failure, null));
      }
    }
  }

  /** Handles one line; returns false to quit. */
  private boolean handle(String line) throws Exception {
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
          join(arg, noMattress || List.of(words).contains("--no-mattress"));
        }
      }
      case "/leave" -> leave(arg != null ? arg : current);
      case "/to" -> {
        if (arg != null && wanted.containsKey(arg)) {
          current = arg;
          status("talking to " + arg);
        } else {
          status("not in " + arg + "; /join it first");
        }
      }
      case "/who" -> {
        RemoteReference group = current == null ? null : joined.get(current);
        if (perspective == null) {
          status(NOT_CONNECTED);
        } else if (group == null) {
          status("join a group first: /join GROUP");
        } else {
          remote(
              group.callRemote("members"), names -> status("in " + current + ": " + join(names)));
        }
      }
      case "/groups" -> {
        RemoteReference p = perspective;
        if (p == null) {
          status(NOT_CONNECTED);
        } else {
          remote(p.callRemote("groups"), names -> status("your groups: " + join(names)));
        }
      }
      default -> status("unknown command " + words[0] + "; " + HELP);
    }
    return true;
  }

  private void send(String message) throws Exception {
    if (perspective == null) {
      status(NOT_CONNECTED + "; not sent: " + message);
      return;
    }
    RemoteReference group = current == null ? null : joined.get(current);
    if (group == null) {
      status("join a group first: /join GROUP");
      return;
    }
    remote(group.callRemote("send", message), ignored -> {});
  }

  private void join(String group, boolean forbidMattress) throws Exception {
    wanted.putIfAbsent(group, forbidMattress);
    RemoteReference p = perspective;
    if (p == null) {
      current = group;
      status(NOT_CONNECTED + "; " + group + " is joined once connected");
      return;
    }
    Map<String, Object> keywords = forbidMattress ? Map.of("allowMattress", false) : Map.of();
    boolean refused = !remote(
        p.callRemoteWithKeywords("joinGroup", List.of(group), keywords),
        ref -> {
          if (ref instanceof RemoteReference g) {
            joined.put(group, g);
            current = group;
            status("joined " + group);
          } else {
            wanted.remove(group);
            status("joinGroup answered " + PythonRepr.brief(ref) + " (expected: a group)");
          }
        });
    if (refused) {
      wanted.remove(group);
    }
  }

  private void leave(@Nullable String group) throws Exception {
    if (group == null) {
      status("usage: /leave GROUP");
      return;
    }
    wanted.remove(group);
    RemoteReference ref = joined.remove(group);
    RemoteReference p = perspective;
    if (p == null) {
      status("left " + group);
    } else {
      CompletableFuture<?> call =
          ref != null ? ref.callRemote("leave") : p.callRemote("leaveGroup", group);
      remote(call, ignored -> status("left " + group));
    }
    if (ref != null) {
      ref.release();
    }
    if (group.equals(current)) {
      List<String> left = new ArrayList<>(wanted.keySet());
      current = left.isEmpty() ? null : left.get(left.size() - 1);
      if (current != null) {
        status("talking to " + current);
      }
    }
  }

  /**
   * Waits for a call; a remote failure is shown and the chat goes on, and so does a call cut by a
   * lost connection (the session reconnects). Returns false if the server refused the call.
   */
  private <T> boolean remote(
      CompletableFuture<T> call, java.util.function.Consumer<@Nullable T> then) throws Exception {
    try {
      then.accept(await(call));
    } catch (RemoteFailureException e) {
      status("refused: " + e.remoteValue());
      return false;
    } catch (ConnectionLostException | DeadReferenceException | NotAttachedException e) {
      status(NOT_CONNECTED);
    }
    return true;
  }

  private <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = connect.explain(ExampleRunner.unwrap(e));
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
                  inputs.add(Input.line(line));
                }
              } catch (IOException e) {
                terminal.err().println("* cannot read input: " + e.getMessage());
              }
              inputs.add(Input.line(null));
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
