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
import picocli.CommandLine.Mixin;
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
  @Option(names = "--videos", defaultValue = "192", description = "Synthetic videos in the input (default: ${DEFAULT-VALUE}).")
  int videos;

  @Option(names = "--max-others", defaultValue = "0.25",
      description = "A timed round in which other processes kept more than this many cores busy is dropped and run"
          + " again, up to --reps extra rounds (default: ${DEFAULT-VALUE}).")
  double maxOthers;

  @Mixin ScalingOptions scaling;

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
    Path folder = scaling.dir != null ? Files.createDirectories(scaling.dir) : Files.createTempDirectory("ying-build-bench-");
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

    System.out.println("# Dataset build: " + String.join(" vs ", scaling.masters));
    System.out.println("cpus: " + Runtime.getRuntime().availableProcessors() + ", java "
        + System.getProperty("java.runtime.version"));
    System.out.println("input: ying " + String.join(" ", synthArgs));
    System.out.println("pinned: " + (scaling.pin ? "yes, the JVM to N CPUs for local[N] (taskset -a)" : "no"));
    System.out.println("runs: " + scaling.warmups + " warm-up + " + scaling.reps + " timed rounds (one build per master each, alternating),"
        + " BuildConfig.defaults(); rounds with other processes above " + maxOthers + " cores are run again");
    System.out.println("load average before: " + Machine.loadAverage());

    Map<String, List<Build>> timed = new LinkedHashMap<>();
    scaling.masters.forEach(m -> timed.put(m, new ArrayList<>()));
    int run = 0;
    int dropped = 0;
    // Rounds up to --scaling.warmups are warm-ups. A round another job shared the cores with says nothing about scaling.
    for (int round = 1 - scaling.warmups; timed.get(scaling.masters.get(0)).size() < scaling.reps && dropped < scaling.reps; round++) {
      List<Build> builds = new ArrayList<>();
      for (String master : scaling.masters) {
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
        for (int i = 0; i < scaling.masters.size(); i++) {
          timed.get(scaling.masters.get(i)).add(builds.get(i));
        }
      }
    }
    if (timed.get(scaling.masters.get(0)).isEmpty()) {
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
    double[] rates = new double[scaling.masters.size()];
    for (int i = 0; i < scaling.masters.size(); i++) {
      List<Build> bs = timed.get(scaling.masters.get(i));
      double[] clipsPerSecond = bs.stream().mapToDouble(b -> b.input() / b.seconds()).toArray();
      rates[i] = DecodeBench.median(clipsPerSecond);
      System.out.printf(Locale.ROOT, "| %s | %d / %d | %.2f | %.1f | %.0f%% | %.2f | %.2f |%n", scaling.masters.get(i),
          bs.get(0).written(), bs.get(0).input(), DecodeBench.median(bs.stream().mapToDouble(Build::seconds).toArray()),
          rates[i], 100 * DecodeBench.spread(clipsPerSecond),
          DecodeBench.median(bs.stream().mapToDouble(Build::ownCores).toArray()),
          DecodeBench.median(bs.stream().mapToDouble(Build::otherCores).toArray()));
    }
    double ratio = rates[rates.length - 1] / rates[0];
    System.out.println();
    System.out.printf(Locale.ROOT, "scaling %s / %s: **%.2fx**, target %.2fx: %s%n", scaling.masters.get(scaling.masters.size() - 1),
        scaling.masters.get(0), ratio, scaling.target, ratio >= scaling.target ? "met" : "NOT met");
    System.out.println("clips/s: input clips / wall seconds of DatasetWriter.build (session start and stop left out);"
        + " ± is half the interquartile range over the median; other processes: median over the kept"
        + " runs of CPU time / wall time, others being the machine's busy time less this JVM's.");
    System.out.println("timed rounds kept: " + timed.get(scaling.masters.get(0)).size() + ", dropped: " + dropped);
    System.out.println("load average after: " + Machine.loadAverage());
    return 0;
  }

  /**
   * A fresh session per build, so each master gets its own executor threads and nothing is cached.
   * The output is deleted afterwards, untimed: at 192 videos each build writes about 130 MB.
   */
  private Build build(String master, String clips, Path out) throws Exception {
    if (scaling.pin) {
      Machine.pinTo(master);
    }
    try (SparkSession spark = Sessions.start("ying-build-dataset-bench", master, java.util.List.of())) {
      double own = Machine.ownCpuSeconds();
      double busy = Machine.machineBusySeconds();
      long start = System.nanoTime();
      DatasetWriter.Summary s = DatasetWriter.build(spark, clips, out.toString(), BuildConfig.defaults(), true,
          "build-dataset-bench " + master);
      double seconds = (System.nanoTime() - start) / 1e9;
      own = Machine.ownCpuSeconds() - own;
      double others = Machine.machineBusySeconds() - busy - own;
      Storage.local().delete(out.toString());
      return new Build(s.input(), s.written(), seconds, own / seconds, Math.max(0, others / seconds));
    }
  }
}
