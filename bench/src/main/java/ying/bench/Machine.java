package ying.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmarks need to know about this machine while they run: pinning and CPU accounting. */
final class Machine {
  private Machine() {}

  /** Pins the whole JVM (every thread, JIT and GC included) to the first N CPUs for {@code local[N]}. */
  static void pinTo(String master) throws IOException, InterruptedException {
    Matcher m = Pattern.compile("local\\[(\\d+)]").matcher(master);
    if (!m.matches()) {
      throw new IllegalArgumentException("--pin needs local[N] masters, got " + master);
    }
    List<String> cmd = List.of("taskset", "-a", "-p", "-c", "0-" + (Integer.parseInt(m.group(1)) - 1),
        Long.toString(ProcessHandle.current().pid()));
    // taskset -a fails when one of the threads it lists ends before it gets to it; Spark's come and go.
    String output = "";
    for (int attempt = 0; attempt < 5; attempt++) {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() == 0) {
        return;
      }
    }
    throw new IllegalStateException(String.join(" ", cmd) + " failed: " + output);
  }

  /**
   * CPU seconds all cores have spent busy since boot, from /proc/stat (user, nice, system, irq,
   * softirq, steal; USER_HZ is 100). Another job on this 2-core machine takes the second core from
   * local[2], and its processes may not be visible to ps: this counts them anyway.
   */
  static double machineBusySeconds() throws IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long jiffies = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      jiffies += Long.parseLong(f[i]);
    }
    return jiffies / 100.0;
  }

  static double ownCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  static String loadAverage() throws IOException {
    String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    return parts[0] + " " + parts[1] + " " + parts[2] + " (1, 5, 15 min)";
  }
}
