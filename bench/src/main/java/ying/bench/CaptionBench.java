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
import ying.captioner.job.CaptionOptions;
import ying.captioner.job.CaptionRun;
import ying.captioner.job.CaptionTimers;
import ying.core.cli.Main;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.core.spark.Sessions;

/**
 * Caption-job throughput on Spark {@code local[1]} against {@code local[2]} over the same synthetic
 * videos, alternating the two in one run, and the share of the tasks' time spent outside the model.
 * Run it through {@code bench/caption.sh}; the table goes into BENCHMARKS.md.
 */
@Command(
    name = "caption-bench",
    mixinStandardHelpOptions = true,
    description = "CaptionRun clips/s on local[1] vs local[2], the scaling, and the time outside the model.")
public final class CaptionBench implements Callable<Integer> {
  @Option(names = "--videos", defaultValue = "48", description = "Synthetic videos (default: ${DEFAULT-VALUE}).")
  int videos;

  @Option(names = "--model", defaultValue = "captioner", description = "Captioner ref (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--outside-target", defaultValue = "0.25",
      description = "Largest share of wall time outside the model the issue allows (default: ${DEFAULT-VALUE}).")
  double outsideTarget;

  @Mixin ScalingOptions scaling;

  /**
   * One caption run: clips, wall seconds of CaptionRun.run, task slots, seconds summed over tasks
   * (in tasks, in the model, decoding), cores busy.
   */
  record Run(long clips, double seconds, int slots, double taskSeconds, double modelSeconds, double decodeSeconds,
      double ownCores, double otherCores) {
    double outsideShare() {
      return 1 - modelSeconds / taskSeconds;
    }

    /** The measure: the share of the run's wall time, on every task slot, not spent in the model. */
    double wallOutsideShare() {
      return 1 - modelSeconds / (seconds * slots);
    }

    double decodeShare() {
      return decodeSeconds / taskSeconds;
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CaptionBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path folder = scaling.dir != null ? Files.createDirectories(scaling.dir)
        : Files.createTempDirectory("ying-caption-bench-");
    Path synth = folder.resolve("synth-" + videos);
    // The caption job's typical input: raw videos of a few scenes each, cut and captioned clip by clip.
    List<String> synthArgs = List.of("synth", "--count", Integer.toString(videos), "--out", synth.toString(),
        "--seed", "11", "--min-scene-s", "3", "--max-scene-s", "8", "--master", "local[2]");
    if (Main.run(synthArgs.toArray(String[]::new)) != 0) {
      throw new IllegalStateException("ying synth failed");
    }
    String input = synth.resolve("videos").toString();
    CaptionOptions options = CaptionOptions.defaults(model, Registry.defaultRoot());

    System.out.println("# Caption job: " + String.join(" vs ", scaling.masters));
    System.out.println("cpus: " + Runtime.getRuntime().availableProcessors() + ", java "
        + System.getProperty("java.runtime.version"));
    System.out.println("input: ying " + String.join(" ", synthArgs));
    System.out.println("model: " + model + " in " + options.registry() + "; " + options);
    System.out.println("pinned: " + (scaling.pin ? "yes, the JVM to N CPUs for local[N] (taskset -a)" : "no"));
    System.out.println("runs: " + scaling.warmups + " warm-up + " + scaling.reps + " timed rounds (one run per master each, alternating)");
    System.out.println("load average before: " + Machine.loadAverage());

    Map<String, List<Run>> timed = new LinkedHashMap<>();
    scaling.masters.forEach(m -> timed.put(m, new ArrayList<>()));
    int n = 0;
    for (int round = 1 - scaling.warmups; round <= scaling.reps; round++) {
      for (String master : scaling.masters) {
        Run r = run(master, input, folder.resolve("out-" + n++), options);
        System.out.printf(Locale.ROOT, "  %s %-9s %d clips in %.2f s: %.2f clips/s; tasks %.1f s, model %.1f s,"
            + " decode %.1f s (outside the model: %.0f%% of task time, %.0f%% of wall time); cores busy: this JVM %.2f,"
            + " others %.2f%n", round <= 0 ? "warm-up " : "round " + round, master, r.clips(), r.seconds(),
            r.clips() / r.seconds(), r.taskSeconds(), r.modelSeconds(), r.decodeSeconds(), 100 * r.outsideShare(),
            100 * r.wallOutsideShare(), r.ownCores(), r.otherCores());
        if (round > 0) {
          timed.get(master).add(r);
        }
      }
    }
    List<Run> all = timed.values().stream().flatMap(List::stream).toList();
    if (all.stream().mapToLong(Run::clips).distinct().count() != 1) {
      throw new IllegalStateException("runs disagree on the number of clips: " + all);
    }
    System.out.println();
    System.out.println("| master | clips | run s (median) | clips/s (median) | ± | decoding: share of task time"
        + " | outside the model: share of task time | share of wall time | cores busy: this JVM | others |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    double[] rates = new double[scaling.masters.size()];
    double worstOutside = 0;
    for (int i = 0; i < scaling.masters.size(); i++) {
      List<Run> rs = timed.get(scaling.masters.get(i));
      double[] perSecond = rs.stream().mapToDouble(r -> r.clips() / r.seconds()).toArray();
      rates[i] = DecodeBench.median(perSecond);
      double outside = DecodeBench.median(rs.stream().mapToDouble(Run::outsideShare).toArray());
      double wallOutside = DecodeBench.median(rs.stream().mapToDouble(Run::wallOutsideShare).toArray());
      worstOutside = Math.max(worstOutside, wallOutside);
      System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.2f | %.2f |%n",
          scaling.masters.get(i), rs.get(0).clips(), DecodeBench.median(rs.stream().mapToDouble(Run::seconds).toArray()),
          rates[i], 100 * DecodeBench.spread(perSecond),
          100 * DecodeBench.median(rs.stream().mapToDouble(Run::decodeShare).toArray()), 100 * outside, 100 * wallOutside,
          DecodeBench.median(rs.stream().mapToDouble(Run::ownCores).toArray()),
          DecodeBench.median(rs.stream().mapToDouble(Run::otherCores).toArray()));
    }
    double ratio = rates[rates.length - 1] / rates[0];
    System.out.println();
    System.out.printf(Locale.ROOT, "scaling %s / %s: **%.2fx**, target %.2fx: %s%n", scaling.masters.get(scaling.masters.size() - 1),
        scaling.masters.get(0), ratio, scaling.target, ratio >= scaling.target ? "met" : "NOT met");
    System.out.printf(Locale.ROOT, "time outside the model: at most **%.0f%%** of wall time, target %.0f%%: %s%n",
        100 * worstOutside, 100 * outsideTarget, worstOutside <= outsideTarget ? "met" : "NOT met");
    System.out.println("clips/s: clips / wall seconds of CaptionRun.run (hashing, scene cuts, decoding, captioning,"
        + " Parquet writes; session start and stop left out); ± is half the interquartile range over the median;"
        + " outside the model, share of task time: 1 - (time in the model's caption calls / time in caption tasks),"
        + " summed over tasks; share of wall time: 1 - (time in the model's caption calls / (wall seconds x task"
        + " slots)); decoding: opening the videos, scene cuts and clip frames.");
    System.out.println("load average after: " + Machine.loadAverage());
    return 0;
  }

  private Run run(String master, String input, Path out, CaptionOptions options) throws Exception {
    if (scaling.pin) {
      Machine.pinTo(master);
    }
    try (SparkSession spark = Sessions.start("ying-caption-bench", master, java.util.List.of())) {
      CaptionTimers timers = CaptionTimers.register(spark.sparkContext());
      double own = Machine.ownCpuSeconds();
      double busy = Machine.machineBusySeconds();
      long start = System.nanoTime();
      CaptionRun.Summary s = CaptionRun.run(spark, input, out.toString(), options, timers);
      double seconds = (System.nanoTime() - start) / 1e9;
      own = Machine.ownCpuSeconds() - own;
      double others = Machine.machineBusySeconds() - busy - own;
      Storage.local().delete(out.toString());
      return new Run(s.clips(), seconds, spark.sparkContext().defaultParallelism(), timers.taskSeconds(),
          timers.modelSeconds(), timers.decodeSeconds(), own / seconds,
          Math.max(0, others / seconds));
    }
  }
}
