package io.github.pb4j.benchmarks;

import io.github.pb4j.benchmarks.LoadServer.Kind;

/**
 * The scenarios {@link LoadTool} measures, in the order it runs them: grouped by server kind, so
 * each server process starts once, and with the raw Netty baseline (a) right before the
 * sequential PB calls (b) it is compared with, so that their slices run next to each other; then
 * Twisted's client and server doing what b, c and d do.
 */
enum Scenario {
  A_SOCKET("a-socket", Kind.SOCKET_ECHO) {
    @Override
    String describe(Settings s) {
      return "raw TCP ping-pong, blocking sockets, " + s.messageSize() + " B, sequential";
    }

    @Override
    Load open(int port, Settings s) throws Exception {
      return SocketPingPong.connect(port, s.messageSize());
    }
  },
  A_LARGE("a-large", Kind.NETTY_ECHO) {
    @Override
    String describe(Settings s) {
      return "raw TCP ping-pong, Netty echo, " + s.largeMessageSize() + " B, sequential";
    }

    @Override
    Load open(int port, Settings s) {
      return new NettyPingPong(port, s.largeMessageSize());
    }
  },
  A_PIPELINED("a-pipelined", Kind.NETTY_ECHO) {
    @Override
    String describe(Settings s) {
      return "raw TCP, Netty echo, " + s.pipelinedMessageSize() + " B, " + s.outstanding()
          + " outstanding";
    }

    @Override
    int window(Settings s) {
      return s.outstanding();
    }

    @Override
    Load open(int port, Settings s) {
      return new NettyPipeline(port, s.pipelinedMessageSize(), s.outstanding());
    }
  },
  A("a", Kind.NETTY_ECHO) {
    @Override
    String describe(Settings s) {
      return "raw TCP ping-pong, Netty echo, " + s.messageSize() + " B, sequential";
    }

    @Override
    Load open(int port, Settings s) {
      return new NettyPingPong(port, s.messageSize());
    }
  },
  B("b", Kind.PB) {
    @Override
    String describe(Settings s) {
      return "pb echo(\"hello\"), sequential, chained on the event loop";
    }

    @Override
    Load open(int port, Settings s) throws Exception {
      return new PbEchoLoad(port, "hello", 1, true);
    }
  },
  B_BLOCKING("b-blocking", Kind.PB) {
    @Override
    String describe(Settings s) {
      return "pb echo(\"hello\"), sequential, caller thread blocks on get()";
    }

    @Override
    Load open(int port, Settings s) throws Exception {
      return PbEchoLoad.blocking(port, "hello");
    }
  },
  C("c", Kind.PB) {
    @Override
    String describe(Settings s) {
      return "pb echo(\"hello\"), " + s.outstanding() + " calls outstanding";
    }

    @Override
    int window(Settings s) {
      return s.outstanding();
    }

    @Override
    Load open(int port, Settings s) throws Exception {
      return new PbEchoLoad(port, "hello", s.outstanding(), true);
    }
  },
  D("d", Kind.PB) {
    @Override
    String describe(Settings s) {
      return "pb echo(anchor payload, " + AnchorPayload.encoded().length + " B), sequential";
    }

    @Override
    Load open(int port, Settings s) throws Exception {
      return new PbEchoLoad(port, AnchorPayload.create(), 1, false);
    }
  },
  T_B("t-b", Kind.TWISTED_PB) {
    @Override
    String describe(Settings s) {
      return "Twisted client and server, echo(\"hello\"), sequential";
    }

    @Override
    Load open(int port, Settings s) throws Exception {
      return new TwistedEchoLoad(s.python(), port, 1, "hello");
    }
  },
  T_C("t-c", Kind.TWISTED_PB) {
    @Override
    String describe(Settings s) {
      return "Twisted client and server, echo(\"hello\"), " + s.outstanding()
          + " calls outstanding";
    }

    @Override
    int window(Settings s) {
      return s.outstanding();
    }

    @Override
    Load open(int port, Settings s) throws Exception {
      return new TwistedEchoLoad(s.python(), port, s.outstanding(), "hello");
    }
  },
  T_D("t-d", Kind.TWISTED_PB) {
    @Override
    String describe(Settings s) {
      return "Twisted client and server, echo(anchor payload), sequential";
    }

    @Override
    Load open(int port, Settings s) throws Exception {
      return new TwistedEchoLoad(s.python(), port, 1, "anchor");
    }
  };

  /**
   * What the scenarios are run with: each warms up for {@code warmupSeconds}, then is measured for
   * {@code durationSeconds} in {@code rounds} slices.
   */
  record Settings(
      double warmupSeconds,
      double durationSeconds,
      int rounds,
      int outstanding,
      int messageSize,
      int pipelinedMessageSize,
      int largeMessageSize,
      String python) {}

  private final String id;
  private final Kind serverKind;

  Scenario(String id, Kind serverKind) {
    this.id = id;
    this.serverKind = serverKind;
  }

  /** Returns the scenario's name on the command line and in the table. */
  String id() {
    return id;
  }

  Kind serverKind() {
    return serverKind;
  }

  /** Returns the scenario with this id, or throws {@link IllegalArgumentException}. */
  static Scenario forId(String id) {
    for (Scenario s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("scenario: " + id + " (expected one of: "
        + java.util.Arrays.stream(values()).map(Scenario::id)
            .collect(java.util.stream.Collectors.joining(", "))
        + ")");
  }

  /** Returns the number of round trips kept outstanding. */
  int window(Settings s) {
    return 1;
  }

  abstract String describe(Settings s);

  /**
   * Connects to the server on {@code port}; the load starts when {@link Load#start()} is called.
   */
  abstract Load open(int port, Settings s) throws Exception;
}
