package io.github.pb4j.benchmarks;

/** A running server {@link LoadTool} talks to, in this process or in a child process. */
interface EchoServer extends AutoCloseable {
  /** Returns what the server speaks. */
  LoadServer.Kind kind();

  /** Returns the port the server listens on, on {@code 127.0.0.1}. */
  int port();

  /**
   * Returns the CPU time its process has used so far, in nanoseconds, if it runs in another
   * process; 0 if it runs in this one (whose CPU time {@link Load#cpuNanos} counts); -1 if the
   * platform does not tell.
   */
  default long cpuNanos() {
    return 0;
  }

  /** Stops the server. */
  @Override
  void close();
}
