package io.github.pb4j.cli;

/** The {@code main} of {@code pb.jar}: runs {@link PbCli} on the process's terminal and exits. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Terminal terminal = Terminal.system();
    int code;
    try {
      code = PbCli.execute(terminal, args);
    } finally {
      terminal.finished();
    }
    System.exit(code);
  }
}
