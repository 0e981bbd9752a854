package ying.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.cli.Main;
import ying.core.io.Storage;
import ying.core.spark.Sessions;
import ying.datasetbuilder.BuildConfig;
import ying.datasetbuilder.DatasetWriter;

/**
 * Dataset-build throughput on Spark {@code local[1]} against {@code local[2]} over the same synthetic
 * input, alternating the two in one run. Run it through {@code bench/build-dataset.sh}; the table goes
 * into BENCHMARKS.md.
 */
@Command(
    name = "build-dataset-bench",
    mixinStandardHelpOptions = true,
    description = "DatasetWriter.build clips/s on local[1] vs local[2], and the scaling between them.")
public final class BuildDatasetBench implements Callable<Integer> {
  @Option(names = "--dir", description = "Folder for the synthetic input and the outputs; the input is reused when it exists (default: a new temp folder).")
  Path dir;

  @Option(names = "--videos", defaultValue = "192", description = "Synthetic videos in the input (default: ${DEFAULT-VALUE}).")
  int videos;

  @Option(names = "--reps", defaultValue = "3",
      description = "Timed rounds to keep, one build per master each, after the warm-up rounds (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--masters", split = ",", defaultValue = "local[1],local[2]",
      description = "Spark masters to alternate; the scaling is last over first (default: ${DEFAULT-VALUE}).")
  List<String> masters;

  // Each build runs newly generated Spark code, so C2 keeps compiling for several builds; pinned to one core it competes.
  @Option(names = "--warmups", defaultValue = "1", description = "Untimed rounds first (default: ${DEFAULT-VALUE}).")
  int warmups;

  @Option(names = "--max-others", defaultValue = "0.25",
      description = "A timed round in which other processes kept more than this many cores busy is dropped and run"
          + " again, up to --reps extra rounds (default: ${DEFAULT-VALUE}).")
  double maxOthers;

  @Option(names = "--pin",
      description = "Pin the whole JVM (driver, JIT and GC threads too) to N CPUs for local[N] with taskset -a, so that"
          + " local[1] gets one core, not one task thread plus a core for everything else.")
  boolean pin;

  @Option(names = "--target", defaultValue = "1.7", description = "Scaling the issue asks for (default: ${DEFAULT-VALUE}).")
  double target;

  /**
   * One build: clips in, clips written, seconds from the call to build to its return, and the cores
   * this JVM and other processes kept busy meanwhile (CPU time over the build's wall time).
   */
  record Build(long input, long written, double seconds, double ownCores, double otherCores) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new BuildDatasetBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path folder = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("ying-build-bench-");
    // Scenes of 3 to 8 s fill every default bucket (2, 4, 6 s), so most clips are decoded, not skipped.
    Path synth = folder.resolve("synth-" + videos);
    List<String> synthArgs = List.of("synth", "--count", Integer.toString(videos), "--out", synth.toString(),
        "--seed", "7", "--width", "192", "--height", "128", "--fps", "16", "--min-scene-s", "3", "--max-scene-s", "8",
        "--master", "local[2]");
    int rc = Main.run(synthArgs.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException("ying synth exited " + rc);
    }
    String clips = synth.resolve("labels").toString();

    System.out.println("# Dataset build: " + String.join(" vs ", masters));
    System.out.println("cpus: " + Runtime.getRuntime().availableProcessors() + ", java "
        + System.getProperty("java.runtime.version"));
    System.out.println("input: ying " + String.join(" ", synthArgs));
    System.out.println("pinned: " + (pin ? "yes, the JVM to N CPUs for local[N] (taskset -a)" : "no"));
    System.out.println("runs: " + warmups + " warm-up + " + reps + " timed rounds (one build per master each, alternating),"
        + " BuildConfig.defaults(); rounds with other processes above " + maxOthers + " cores are run again");
    System.out.println("load average before: " + loadAverage());

    Map<String, List<Build>> timed = new LinkedHashMap<>();
    masters.forEach(m -> timed.put(m, new ArrayList<>()));
    int run = 0;
    int dropped = 0;
    // Rounds up to --warmups are warm-ups. A round another job shared the cores with says nothing about scaling.
    for (int round = 1 - warmups; timed.get(masters.get(0)).size() < reps && dropped < reps; round++) {
      List<Build> builds = new ArrayList<>();
      for (String master : masters) {
        Build b = build(master, clips, folder.resolve("out-" + run++));
        builds.add(b);
        System.out.printf(Locale.ROOT, "  %s %-9s %d of %d clips in %.2f s: %.1f clips/s, cores busy: this JVM %.2f, others %.2f%n",
            round <= 0 ? "warm-up " : "round " + round, master, b.written(), b.input(), b.seconds(),
            b.input() / b.seconds(), b.ownCores(), b.otherCores());
      }
      if (round > 0 && builds.stream().anyMatch(b -> b.otherCores() > maxOthers)) {
        System.out.println("  round " + round + " dropped: other processes above " + maxOthers + " cores");
        dropped++;
      } else if (round > 0) {
        for (int i = 0; i < masters.size(); i++) {
          timed.get(masters.get(i)).add(builds.get(i));
        }
      }
    }
    if (timed.get(masters.get(0)).isEmpty()) {
      System.out.println("every timed round shared the machine with other processes; no result");
      return 1;
    }

    List<Build> all = timed.values().stream().flatMap(List::stream).toList();
    if (all.stream().map(b -> b.input() + "/" + b.written()).distinct().count() != 1) {
      throw new IllegalStateException("builds disagree on clips read or written: " + all);
    }
    System.out.println();
    System.out.println("| master | clips written / input | build s (median) | clips/s (median) | ± | cores busy: this JVM | others |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    double[] rates = new double[masters.size()];
    for (int i = 0; i < masters.size(); i++) {
      List<Build> bs = timed.get(masters.get(i));
      double[] clipsPerSecond = bs.stream().mapToDouble(b -> b.input() / b.seconds()).toArray();
      rates[i] = DecodeBench.median(clipsPerSecond);
      System.out.printf(Locale.ROOT, "| %s | %d / %d | %.2f | %.1f | %.0f%% | %.2f | %.2f |%n", masters.get(i),
          bs.get(0).written(), bs.get(0).input(), DecodeBench.median(bs.stream().mapToDouble(Build::seconds).toArray()),
          rates[i], 100 * DecodeBench.spread(clipsPerSecond),
          DecodeBench.median(bs.stream().mapToDouble(Build::ownCores).toArray()),
          DecodeBench.median(bs.stream().mapToDouble(Build::otherCores).toArray()));
    }
    double scaling = rates[rates.length - 1] / rates[0];
    System.out.println();
    System.out.printf(Locale.ROOT, "scaling %s / %s: **%.2fx**, target %.2fx: %s%n", masters.get(masters.size() - 1),
        masters.get(0), scaling, target, scaling >= target ? "met" : "NOT met");
    System.out.println("clips/s: input clips / wall seconds of DatasetWriter.build (session start and stop left out);"
        + " ± is half the interquartile range over the median; other processes: median over the kept"
        + " runs of CPU time / wall time, others being the machine's busy time less this JVM's.");
    System.out.println("timed rounds kept: " + timed.get(masters.get(0)).size() + ", dropped: " + dropped);
    System.out.println("load average after: " + loadAverage());
    return 0;
  }

  /**
   * A fresh session per build, so each master gets its own executor threads and nothing is cached.
   * The output is deleted afterwards, untimed: at 192 videos each build writes about 130 MB.
   */
  private Build build(String master, String clips, Path out) throws Exception {
    if (pin) {
      pinTo(master);
    }
    try (SparkSession spark = Sessions.start("ying-build-dataset-bench", master, null)) {
      double own = ownCpuSeconds();
      double busy = machineBusySeconds();
      long start = System.nanoTime();
      DatasetWriter.Summary s = DatasetWriter.build(spark, clips, out.toString(), BuildConfig.defaults(), true,
          "build-dataset-bench " + master);
      double seconds = (System.nanoTime() - start) / 1e9;
      own = ownCpuSeconds() - own;
      double others = machineBusySeconds() - busy - own;
      Storage.local().delete(out.toString());
      return new Build(s.input(), s.written(), seconds, own / seconds, Math.max(0, others / seconds));
    }
  }

  private static void pinTo(String master) throws Exception {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+)]").matcher(master);
    if (!m.matches()) {
      throw new IllegalArgumentException("--pin needs local[N] masters, got " + master);
    }
    List<String> cmd = List.of("taskset", "-a", "-p", "-c", "0-" + (Integer.parseInt(m.group(1)) - 1),
        Long.toString(ProcessHandle.current().pid()));
    // taskset -a fails when one of the threads it lists ends before it gets to it; Spark's come and go.
    String output = "";
    for (int attempt = 0; attempt < 5; attempt++) {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
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
  private static double machineBusySeconds() throws java.io.IOException {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    long jiffies = 0;
    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
      jiffies += Long.parseLong(f[i]);
    }
    return jiffies / 100.0;
  }

  private static double ownCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  private static String loadAverage() throws java.io.IOException {
    String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
    return parts[0] + " " + parts[1] + " " + parts[2] + " (1, 5, 15 min)";
  }
}
