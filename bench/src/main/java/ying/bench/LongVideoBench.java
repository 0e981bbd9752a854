package ying.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.captioner.job.CaptionOptions;
import ying.captioner.job.CaptionRun;
import ying.captioner.job.CaptionTimers;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.core.spark.Sessions;
import ying.core.synth.SyntheticWorld;
import ying.core.synth.VideoPlan;
import ying.core.synth.WorldOptions;

/**
 * The caption job on one long video of many short scenes, under different {@code --frame-memory-mb}
 * limits, alternating them in one run: a limit that holds a scene keeps the one-decode pass however
 * long the video is; 0 reads every clip's window back with a seek, which is what a video longer than
 * the limit used to get throughout. Every limit must give the same rows. Run it through
 * {@code bench/long-video.sh}; the table goes into BENCHMARKS.md.
 */
@Command(
    name = "long-video-bench",
    mixinStandardHelpOptions = true,
    description = "CaptionRun on one long multi-scene video: run and decode seconds per --frame-memory-mb limit.")
public final class LongVideoBench implements Callable<Integer> {
  @Option(names = "--dir", description = "Folder for the video and the outputs; the video is reused when it exists (default: a new temp folder).")
  Path dir;

  @Option(names = "--scenes", defaultValue = "120", description = "Scenes of 3-8 s in the video (default: ${DEFAULT-VALUE}, about 11 minutes).")
  int scenes;

  @Option(names = "--size", defaultValue = "192x128",
      description = "Frame size WxH of the video; the caption job decodes it at the model's size (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--model", defaultValue = "captioner", description = "Captioner ref (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--frame-memory-mb", split = ",", defaultValue = "128,0",
      description = "Limits to alternate; speed-ups are over the last (default: ${DEFAULT-VALUE}).")
  List<Integer> limits;

  @Option(names = "--master", defaultValue = "local[1]", description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--reps", defaultValue = "3", description = "Timed rounds, one run per limit each (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--warmups", defaultValue = "1", description = "Untimed rounds first (default: ${DEFAULT-VALUE}).")
  int warmups;

  record Run(long clips, double seconds, double decodeSeconds, double modelSeconds) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new LongVideoBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path folder = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("ying-long-video-bench-");
    String[] wh = size.split("x");
    Path videos = Files.createDirectories(folder.resolve("long-" + scenes + "-" + size));
    Path file = videos.resolve("long.mp4");
    WorldOptions world = new WorldOptions(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), 16, scenes, scenes, 3.0,
        8.0, 1, 3);
    VideoPlan plan = new SyntheticWorld(12, world).video(0);
    if (!Files.exists(file)) {
      plan.write(Storage.local(), file.toString());
    }
    CaptionOptions options = CaptionOptions.defaults(model, Registry.defaultRoot());
    System.out.println("# Caption job on one long video: --frame-memory-mb " + limits);
    System.out.println("cpus: " + Runtime.getRuntime().availableProcessors() + ", java "
        + System.getProperty("java.runtime.version") + ", master " + master);
    System.out.printf(Locale.ROOT, "input: %s, %d scenes, %.1f s at %s, 16 fps, H.264 with a 2 s GOP (SyntheticWorld"
        + " seed 12, %s)%n", file, plan.scenes().size(), plan.durationSeconds(), size, world);
    System.out.println("model: " + model + " in " + options.registry());
    System.out.println("runs: " + warmups + " warm-up + " + reps + " timed rounds (one run per limit each, alternating)");
    System.out.println("load average before: " + Machine.loadAverage());

    Map<Integer, List<Run>> timed = new LinkedHashMap<>();
    limits.forEach(l -> timed.put(l, new ArrayList<>()));
    List<String> firstRows = null;
    int n = 0;
    try (SparkSession spark = Sessions.start("ying-long-video-bench", master, List.of())) {
      for (int round = 1 - warmups; round <= reps; round++) {
        for (int limit : limits) {
          Path out = folder.resolve("out-" + n++);
          CaptionTimers timers = CaptionTimers.register(spark.sparkContext());
          long start = System.nanoTime();
          CaptionRun.Summary s = CaptionRun.run(spark, videos.toString(), out.toString(),
              options.withFrameMemoryMb(limit), timers);
          Run r = new Run(s.clips(), (System.nanoTime() - start) / 1e9, timers.decodeSeconds(), timers.modelSeconds());
          List<String> rows = rows(spark, out);
          Storage.local().delete(out.toString());
          if (s.errors() != 0 || rows.isEmpty()) {
            throw new IllegalStateException("limit " + limit + ": " + s.errors() + " errors, " + rows.size() + " rows");
          }
          if (firstRows == null) {
            firstRows = rows;
          } else if (!firstRows.equals(rows)) {
            throw new IllegalStateException("limit " + limit + " gave other rows than limit " + limits.get(0));
          }
          System.out.printf(Locale.ROOT, "  %s %4d MB: %d clips in %.2f s; decode %.2f s, model %.2f s%n",
              round <= 0 ? "warm-up " : "round " + round, limit, r.clips(), r.seconds(), r.decodeSeconds(),
              r.modelSeconds());
          if (round > 0) {
            timed.get(limit).add(r);
          }
        }
      }
    }
    System.out.println();
    System.out.println("| --frame-memory-mb | clips | run s (median) | ± | decoding s (median) | model s (median) | speed-up over the last |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
    double last = DecodeBench.median(timed.get(limits.get(limits.size() - 1)).stream().mapToDouble(Run::seconds).toArray());
    for (int limit : limits) {
      List<Run> rs = timed.get(limit);
      double[] seconds = rs.stream().mapToDouble(Run::seconds).toArray();
      System.out.printf(Locale.ROOT, "| %d | %d | %.2f | %.0f%% | %.2f | %.2f | %.2fx |%n", limit, rs.get(0).clips(),
          DecodeBench.median(seconds), 100 * DecodeBench.spread(seconds),
          DecodeBench.median(rs.stream().mapToDouble(Run::decodeSeconds).toArray()),
          DecodeBench.median(rs.stream().mapToDouble(Run::modelSeconds).toArray()), last / DecodeBench.median(seconds));
    }
    System.out.println();
    System.out.println("Every run wrote the same rows (clip bounds, caption, motion score). Run s: wall seconds of"
        + " CaptionRun.run; decoding: opening the video, scene cuts and clip frames, in tasks; ± is half the"
        + " interquartile range over the median.");
    System.out.println("load average after: " + Machine.loadAverage());
    return 0;
  }

  private static List<String> rows(SparkSession spark, Path out) {
    List<String> rows = new ArrayList<>();
    for (Row r : spark.read().parquet(out.toString()).select("clip_index", "start_s", "end_s", "caption", "motion_score")
        .orderBy("clip_index").collectAsList()) {
      rows.add(r.mkString("|"));
    }
    return rows;
  }
}
