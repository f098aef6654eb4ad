package io.github.pb4j.cli;

import io.github.pb4j.CallOptions;
import io.github.pb4j.PbLogin;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.Anonymous;
import io.github.pb4j.cred.Credentials;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.jelly.PythonLiteral;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.netty.PbClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pb call}: calls one remote method and prints the result, like grpcurl for PB. Arguments
 * are Python literals; {@code name=value} is a keyword argument.
 */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description = {
      "Call a remote method and print the result.",
      "Calls METHOD on the server's root object, or on your perspective after --user or "
          + "--anonymous logs in, and prints the result as a Python literal (or JSON).",
      "Arguments are Python literals: 42, -1.5, 'text', b'bytes', None, True, [1, 2], (1,), "
          + "{'k': 2}, {1, 2}. NAME=VALUE passes a keyword argument. Quote them for the shell."
    },
    footer = {
      "%nExamples:",
      "  pb call echo \"b'hello'\"",
      "  pb call --user user1 foo 12            (password from PB_PASSWORD or a prompt)",
      "  pb call --anonymous foo 13",
      "  pb call --user alice joinGroup \"'#NeedAFourth'\" allowMattress=False",
      "  pb call --timeout 2.5 slowMethod        (exit code 4 if there is no answer by then)"
    })
final class CallCommand implements Callable<Integer> {
  /**
   * The longest result printed, in characters: a result that shares its parts (a list holding
   * the same list at each of 30 levels) prints as billions of characters, and is cut here.
   */
  static final int MAX_OUTPUT_CHARS = 1 << 22;
  private static final Pattern KEYWORD =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);

  private final Terminal terminal;

  @Mixin ConnectOptions connect = new ConnectOptions();

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description =
          "Log in as NAME and call the perspective; the password comes from "
              + "--password-stdin, PB_PASSWORD or a prompt.")
  @Nullable String user;

  @Option(names = "--anonymous", description = "Log in anonymously and call the perspective.")
  boolean anonymous;

  @Option(
      names = "--cert-login",
      description =
          "Log in with the client certificate of --tls-cert (mutual TLS; pb4j servers) and call "
              + "the perspective.")
  boolean certLogin;

  @Option(
      names = "--password-stdin",
      description = "Read the password from the first line of stdin.")
  boolean passwordStdin;

  @Option(
      names = "--json",
      description = "Print the result as JSON (see docs/cli.md for the mapping).")
  boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Give up after this long per step: connecting, logging in, the call's answer; "
              + "decimals allowed. No answer in time exits with code 4 (default: ${DEFAULT-VALUE}).")
  double timeoutSeconds = 30;

  /** The longest --timeout: one day. */
  private static final double MAX_TIMEOUT_SECONDS = 86_400;

  private Duration timeout = Duration.ofSeconds(30);

  @Parameters(index = "0", paramLabel = "METHOD", description = "Remote method name.")
  String method = "";

  @Parameters(index = "1..*", paramLabel = "ARG", description = "Python literal, or NAME=VALUE.")
  List<String> args = new ArrayList<>();

  CallCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws Exception {
    List<@Nullable Object> positional = new ArrayList<>();
    Map<String, @Nullable Object> keywords = new LinkedHashMap<>();
    parseArguments(positional, keywords);
    if ((user != null ? 1 : 0) + (anonymous ? 1 : 0) + (certLogin ? 1 : 0) > 1) {
      throw new CliException(PbCli.USAGE,
          "--user, --anonymous and --cert-login: more than one given (expected: one of them)");
    }
    if (certLogin && !connect.tls.hasCertificate()) {
      throw new CliException(
          PbCli.USAGE,
          "--cert-login: no client certificate (expected: --tls-cert FILE --tls-key FILE)");
    }
    if (!(timeoutSeconds > 0) || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
      throw new CliException(PbCli.USAGE, "--timeout: " + seconds() + " (expected: more than 0, at most "
          + (long) MAX_TIMEOUT_SECONDS + ")");
    }
    timeout = Duration.ofNanos(Math.max(1_000_000L, Math.round(timeoutSeconds * 1e9)));
    Credentials credentials = null;
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
    } else if (anonymous) {
      credentials = Anonymous.INSTANCE;
    }
    try (PbClient client = connect.client(timeout)) {
      RemoteReference target = await(client.getRootObject(), "the connection");
      if (credentials != null) {
        target = await(PbLogin.login(target, credentials), "the login");
      } else if (certLogin) {
        target = await(PbLogin.loginWithCertificate(target, null), "the login");
      }
      Object result = await(
          target.callRemoteWithKeywords(CallOptions.timeout(timeout), method, positional, keywords),
          "the call of " + method);
      terminal.out().println(json ? json(result) : PythonRepr.of(result, MAX_OUTPUT_CHARS));
      terminal.out().flush();
    }
    return PbCli.OK;
  }

  /**
   * The result as JSON; a result longer than {@link #MAX_OUTPUT_CHARS} is refused, as JSON cut
   * short is no JSON.
   */
  private static String json(@Nullable Object result) {
    try {
      return Json.of(result, MAX_OUTPUT_CHARS);
    } catch (Json.TooLongException e) {
      throw new CliException(PbCli.FAILED, "result: " + e.getMessage() + " (expected: at most "
          + MAX_OUTPUT_CHARS + "; the Python form is cut instead, try without --json)");
    }
  }

  private void parseArguments(
      List<@Nullable Object> positional, Map<String, @Nullable Object> keywords) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String text = arg;
      String keyword = null;
      if (KEYWORD.matcher(arg).matches()) {
        keyword = arg.substring(0, arg.indexOf('='));
        text = arg.substring(arg.indexOf('=') + 1);
      } else if (!keywords.isEmpty()) {
        throw new CliException(
            PbCli.USAGE,
            "argument "
                + (i + 1)
                + ": "
                + arg
                + ": positional after a keyword argument (expected: NAME=VALUE)");
      }
      Object value;
      try {
        value = PythonLiteral.parse(text);
      } catch (IllegalArgumentException e) {
        throw new CliException(
            PbCli.USAGE,
            "argument "
                + (i + 1)
                + " "
                + quoted(arg)
                + ": "
                + e.getMessage()
                + (looksLikeBareText(text) ? " (a str needs quotes: \"'" + text + "'\")" : ""));
      }
      if (keyword == null) {
        positional.add(value);
      } else if (keywords.put(keyword, value) != null) {
        throw new CliException(
            PbCli.USAGE, "argument " + (i + 1) + ": keyword " + keyword + " given twice");
      }
    }
  }

  private static String quoted(String arg) {
    return "<" + arg + ">";
  }

  private static boolean looksLikeBareText(String text) {
    return !text.isEmpty() && Character.isLetter(text.charAt(0));
  }

  /** Waits for one step; no answer within --timeout is exit code {@link PbCli#TIMED_OUT}. */
  private <T> T await(CompletableFuture<T> future, String step) throws Exception {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TimeoutException) {
        throw timedOut(step);
      }
      throw connect.explain(e.getCause()) instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      future.cancel(false);
      throw timedOut(step);
    }
  }

  private CliException timedOut(String step) {
    return new CliException(PbCli.TIMED_OUT, "no answer to " + step + " within " + seconds() + " s");
  }

  /** The --timeout as given: {@code 30}, {@code 2.5}. */
  private String seconds() {
    return timeoutSeconds == Math.rint(timeoutSeconds) && Math.abs(timeoutSeconds) < 1e15
        ? String.valueOf((long) timeoutSeconds)
        : String.valueOf(timeoutSeconds);
  }
}
