package io.github.pb4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

class LoadToolTest {
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void runsEveryScenarioInProcessAndPrintsTheTable() {
    // Twisted's scenarios run their client and server in Python processes even here: the test
    // also shows that the tool drives them (start, count, stop, drain) and reports the ratios.
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int status;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      status =
          new CommandLine(new LoadTool())
              .execute(
                  "--in-process",
                  "--warmup",
                  "0.1",
                  "--duration",
                  "0.2",
                  "--rounds",
                  "2",
                  "--outstanding",
                  "10",
                  "--python",
                  System.getProperty("pb4j.python", "/usr/bin/python3"));
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);

    assertThat(status).as(out).isZero();
    for (String id : List.of("(a) ", "(a-socket) ", "(a-pipelined) ", "(a-large) ", "(b) ", "(b-blocking) ", "(c) ", "(d) ", "(t-b) ", "(t-c) ", "(t-d) ")) {
      assertThat(out).contains(id);
    }
    assertThat(out).doesNotContain("FAILED", "Infinity").contains("targets", "(b) >= 95 % of (a)", "(c) >= 0.32 x (a-pipelined)", "(d) / (a-large)",
        "(b) / (t-b)", "(c) / (t-c)", "(d) / (t-d)");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void withoutTwistedTheOtherScenariosStillRun() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    PrintStream original = System.out;
    PrintStream originalErr = System.err;
    int status;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
    try {
      // A "Python" that exits at once: Twisted's server never says READY.
      status = new CommandLine(new LoadTool()).execute("--in-process", "--warmup", "0",
          "--duration", "0.2", "--rounds", "2", "-s", "b,t-b,t-d", "--python", "/bin/false");
    } finally {
      System.setOut(original);
      System.setErr(originalErr);
    }
    String out = captured.toString(StandardCharsets.UTF_8);

    assertThat(status).as(out).isZero();
    assertThat(out).contains("(b) ").doesNotContain("(t-b) ", "(t-d) ");
    assertThat(errors.toString(StandardCharsets.UTF_8))
        .contains("skipping the Twisted scenarios");
  }

  @Test
  void cpuClockAddsTheLoadsOwnClockToAServerInAnotherProcess() {
    assertThat(LoadTool.cpuClock(loadUsing(5), serverUsing(7)).getAsLong()).isEqualTo(12);
    assertThat(LoadTool.cpuClock(loadUsing(5), serverUsing(0)).getAsLong()).isEqualTo(5);
    assertThat(LoadTool.cpuClock(loadUsing(-1), serverUsing(7)).getAsLong()).isEqualTo(-1);
    assertThat(LoadTool.cpuClock(loadUsing(5), serverUsing(-1)).getAsLong()).isEqualTo(-1);
  }

  @Test
  void aLoadInThisJvmCountsThisJvmsCpuTime() {
    long before = ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    Load inThisJvm = new Load() {
      @Override
      void issue() {}

      @Override
      public void close() {}
    };

    assertThat(inThisJvm.cpuNanos()).isGreaterThanOrEqualTo(before).isPositive();
  }

  private static Load loadUsing(long cpuNanos) {
    return new Load() {
      @Override
      void issue() {}

      @Override
      long cpuNanos() {
        return cpuNanos;
      }

      @Override
      public void close() {}
    };
  }

  private static EchoServer serverUsing(long cpuNanos) {
    return new EchoServer() {
      @Override
      public LoadServer.Kind kind() {
        return LoadServer.Kind.PB;
      }

      @Override
      public int port() {
        return 0;
      }

      @Override
      public long cpuNanos() {
        return cpuNanos;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void rejectsUnknownScenario() {
    int status =
        new CommandLine(new LoadTool())
            .setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()))
            .execute("--scenarios", "z");

    assertThat(status).isEqualTo(2);
  }

  @Test
  void roundsRunForwardsAndBackwardsInTurnSoEachScenarioSitsAtTheSameMeanTime() {
    int scenarios = 4;
    int rounds = 6;
    double[] meanPosition = new double[scenarios];
    List<Integer> firstTwoRounds = new java.util.ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (int k = 0; k < scenarios; k++) {
        int i = LoadRun.roundOrder(round, k, scenarios);
        meanPosition[i] += (round - 1) * scenarios + k;
        if (round <= 2) {
          firstTwoRounds.add(i);
        }
      }
    }

    assertThat(firstTwoRounds).containsExactly(0, 1, 2, 3, 3, 2, 1, 0);
    for (double p : meanPosition) {
      assertThat(p / rounds).isEqualTo(meanPosition[0] / rounds);
    }
  }

  @Test
  void theRawBaselineRunsRightBeforeTheSequentialCalls() {
    List<Scenario> order = List.of(Scenario.values());

    assertThat(order.indexOf(Scenario.B)).isEqualTo(order.indexOf(Scenario.A) + 1);
  }

  @Test
  void targetLineGivesTheShareOfTotalsAndTheMedianOfRounds() {
    Result a = new Result("a", "raw", 1, 400, 4.0, List.of(100.0, 100.0, 100.0, 100.0), null);
    Result b = new Result("b", "pb", 1, 340, 4.0, List.of(95.0, 92.0, 50.0, 103.0), null);

    assertThat(LoadTool.medianRoundShare(b, a)).isCloseTo(0.935, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(LoadTool.targets(List.of(a, b)))
        .contains("(b) >= 95 % of (a)", "85.0 %", "MISSED", "median of rounds 94 %",
            "95 %, 92 %, 50 %, 103 %");
  }

  @Test
  void tableShowsRateAndLatencyPerCall() {
    Result r =
        new Result(
            "c",
            "pb echo, 10 calls outstanding",
            10,
            200_000,
            2.0,
            List.of(90_000.0, 110_000.0),
            null);

    assertThat(r.callsPerSecond()).isEqualTo(100_000.0);
    assertThat(r.microsPerCall()).isEqualTo(100.0);
    assertThat(ResultTable.format(List.of(r)))
        .contains(
            "(c) pb echo, 10 calls outstanding", "100,000", "100.0", "90,000 - 110,000", "200,000");
  }
}
