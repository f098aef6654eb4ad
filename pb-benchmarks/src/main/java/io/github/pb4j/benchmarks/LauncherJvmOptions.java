package io.github.pb4j.benchmarks;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options {@code ./pb} starts its JVMs with (heap sizing, native heap trimming where the
 * JVM has it), so that the load tools measure their pb4j servers as {@code ./pb} runs them. Kept
 * in step with the {@code pb} script by hand.
 */
final class LauncherJvmOptions {
  private static final String TRIM = "TrimNativeHeapInterval";

  private LauncherJvmOptions() {}

  /**
   * Returns {@code maxHeap} followed by the launcher's options. The server runs on this JVM's
   * {@code java}, so this JVM tells whether it can trim its native heap.
   */
  static List<String> with(String maxHeap) {
    List<String> options =
        new ArrayList<>(List.of(maxHeap, "-Xms16m", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30"));
    if (canTrimNativeHeap()) {
      options.add("-XX:" + TRIM + "=1000");
    }
    return options;
  }

  private static boolean canTrimNativeHeap() {
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(TRIM);
      return true;
    } catch (IllegalArgumentException e) {
      return false; // No such option in this JVM.
    }
  }
}
