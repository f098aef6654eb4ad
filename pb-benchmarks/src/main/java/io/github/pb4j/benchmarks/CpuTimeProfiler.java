package io.github.pb4j.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * JMH profiler that reports the CPU time the benchmark JVM spent per operation ({@code
 * cpu.time.norm}, &micro;s/op), garbage collection and JIT included. On a machine shared with other
 * work the wall-clock score grows with the load while this stays close to the cost of the code, so
 * both are quoted. Use with {@code -prof io.github.pb4j.benchmarks.CpuTimeProfiler}.
 *
 * <p>Meaningful for single-threaded benchmarks whose work stays in the benchmark thread ({@link
 * JellyBenchmark}, {@link BananaBenchmark}); for {@link CallRemoteBenchmark} it adds up the
 * client's and the in-process server's threads.
 *
 * <p><em>Not thread-safe;</em> JMH calls it from one thread.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long cpuAtStart;

  @Override
  public String getDescription() {
    return "process CPU time per operation";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuAtStart = os.getProcessCpuTime();
  }

  @Override
  @SuppressWarnings("rawtypes") // The signature of JMH's interface.
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpuNanos = os.getProcessCpuTime() - cpuAtStart;
    long ops = result.getMetadata().getMeasuredOps();
    double microsPerOp = ops == 0 ? Double.NaN : cpuNanos / 1e3 / ops;
    return List.of(new ScalarResult("cpu.time.norm", microsPerOp, "us/op", AggregationPolicy.AVG));
  }
}
