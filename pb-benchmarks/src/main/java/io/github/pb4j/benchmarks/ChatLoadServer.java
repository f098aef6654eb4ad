package io.github.pb4j.benchmarks;

import io.github.pb4j.PortalRoot;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.examples.chat.ChatService;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.github.pb4j.netty.PbServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The chat server {@link ChatLoad} measures, in a child JVM: the examples' {@link ChatService}
 * with users {@code load-0} .. {@code load-(N-1)}, password {@code pw}. Prints {@code READY
 * <port>}; answers each {@code STATS} line on stdin with {@code STATS <rss KiB> <live heap
 * bytes>} measured after a full GC, and each {@code CPU} line with {@code CPU <nanoseconds>}, the CPU
 * time the process has used; exits when stdin closes.
 *
 * <p>With {@code WARM_UP} seconds above 0 the server warms its login path up before it listens
 * ({@link PbServer.Builder#warmUp}), as {@code pb chat-server --warm-up} does.
 *
 * <pre>{@code
 * java -cp pb-benchmarks.jar io.github.pb4j.benchmarks.ChatLoadServer USERS [PORT [WARM_UP]]
 * }</pre>
 */
public final class ChatLoadServer {
  /** Every load user's password. */
  static final String PASSWORD = "pw";

  private ChatLoadServer() {}

  /** Returns the name of load user {@code i}. */
  static String user(int i) {
    return "load-" + i;
  }

  public static void main(String[] args) throws IOException {
    int users = Integer.parseInt(args[0]);
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    Duration warmUp = args.length > 2
        ? Duration.ofNanos((long) (Double.parseDouble(args[2]) * 1e9))
        : Duration.ZERO;
    var checker = new InMemoryUsernamePasswordDatabaseDontUse();
    for (int i = 0; i < users; i++) {
      checker.addUser(user(i), PASSWORD);
    }
    ChatService chat = new ChatService();
    try (PbServer server =
        PbServer.builder()
            .host("127.0.0.1")
            .port(port)
            // Every load client comes from 127.0.0.1: the per-address limit would refuse all but
            // the first thousand. Twisted has no such limit.
            .maxConnectionsPerAddress(Integer.MAX_VALUE)
            // The default of 10,000 connections in all would refuse a larger --held.
            .maxConnections(Math.max(PbServer.DEFAULT_MAX_CONNECTIONS, users * 2))
            .rootFactory(PortalRoot.factory(chat.portal(checker)))
            .warmUp(warmUp)
            .build()
            .start()) {
      System.out.println("READY " + server.port());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      boolean fresh = true;
      for (String line; (line = in.readLine()) != null; ) {
        if (line.trim().equals("STATS")) {
          // Collected first, as the Twisted server does (gc.collect()): the resident set of an
          // idle server, not of one holding the garbage of the last logins. The first figures are
          // the fresh server's, taken just before a storm: their full collections must not shrink
          // the heap the JVM started with, or the storm would meet a heap no freshly started
          // server has (a young generation of a few megabytes).
          long live = liveHeap(fresh);
          fresh = false;
          System.out.println("STATS " + rssKib() + " " + live);
          System.out.flush();
        } else if (line.trim().equals("CPU")) {
          System.out.println("CPU " + cpuNanos());
          System.out.flush();
        }
      }
    }
  }

  /** The CPU time this process has used, all threads (JIT and GC included). */
  static long cpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
  }

  /**
   * The heap in use after full collections; with {@code keepSize}, collections that give none of
   * the committed heap back ({@code MaxHeapFreeRatio} at 100 while they run).
   */
  static long liveHeap(boolean keepSize) {
    HotSpotDiagnosticMXBean hotSpot = keepSize
        ? ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
        : null;
    String maxFree = hotSpot == null ? null : hotSpot.getVMOption("MaxHeapFreeRatio").getValue();
    if (hotSpot != null) {
      hotSpot.setVMOption("MaxHeapFreeRatio", "100");
    }
    try {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
    } finally {
      if (hotSpot != null) {
        hotSpot.setVMOption("MaxHeapFreeRatio", maxFree);
      }
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** This process's resident set, from {@code /proc/self/status} (0 where there is none). */
  static long rssKib() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return 0;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }
}
