package io.github.pb4j.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs each benchmark method once, outside JMH, so that the benchmarks cannot rot. */
class BenchmarksTest {
  @Test
  void jellyEncodeWritesTheAnchorBytes() {
    JellyBenchmark benchmark = new JellyBenchmark();
    benchmark.checkRoundTrip();
    for (String buffer : new String[] {"heap", "direct"}) {
      JellyBenchmark.Output output = new JellyBenchmark.Output();
      output.buffer = buffer;
      output.setUp();
      try {
        assertThat(ByteBufUtil.getBytes(benchmark.encode(output)))
            .isEqualTo(AnchorPayload.encoded());
        assertThat(ByteBufUtil.getBytes(benchmark.encodeWithNewJellier(output)))
            .isEqualTo(AnchorPayload.encoded());
        assertThat(ByteBufUtil.getBytes(benchmark.echo(output))).isEqualTo(AnchorPayload.encoded());
      } finally {
        output.tearDown();
      }
    }
    benchmark.tearDown();
  }

  @Test
  void jellyDecodeRebuildsThePayloadEachTime() {
    JellyBenchmark benchmark = new JellyBenchmark();
    benchmark.checkRoundTrip();

    assertThat(benchmark.decode()).isEqualTo(AnchorPayload.create());
    assertThat(benchmark.decode()).isEqualTo(AnchorPayload.create());
    benchmark.tearDown();
  }

  @Test
  void bananaEncodeAndDecodeRoundTrip() {
    BananaBenchmark benchmark = new BananaBenchmark();
    benchmark.checkRoundTrip();

    assertThat(ByteBufUtil.getBytes(benchmark.encode())).isEqualTo(AnchorPayload.encoded());
    assertThat(benchmark.decode()).isInstanceOf(java.util.List.class);
    benchmark.tearDown();
  }

  @Test
  void brokerRoundTripEchoesInMemoryEveryTime() {
    BrokerRoundTripBenchmark benchmark = new BrokerRoundTripBenchmark();
    benchmark.setUp();
    try {
      for (int i = 0; i < 1_000; i++) {
        assertThat(benchmark.echoHello()).isEqualTo("hello");
      }
    } finally {
      benchmark.tearDown();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void callRemoteEchoesOverLoopback() throws Exception {
    CallRemoteBenchmark benchmark = new CallRemoteBenchmark();
    benchmark.setUp();
    try {
      assertThat(benchmark.echoHello()).isEqualTo("hello");
      assertThat(benchmark.echoAnchor()).isEqualTo(AnchorPayload.create());
    } finally {
      benchmark.tearDown();
    }
  }
}
