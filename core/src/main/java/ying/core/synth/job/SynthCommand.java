package ying.core.synth.job;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ying.core.cli.Progress;
import ying.core.cli.SparkOptions;
import ying.core.cli.YingCommand;
import ying.core.io.Storage;
import ying.core.spark.Sessions;
import ying.core.spark.SparkProgress;
import ying.core.synth.WorldOptions;

/** {@code ying synth}: renders labelled synthetic videos and their Parquet label table. */
@Command(name = "synth", mixinStandardHelpOptions = true,
    description = {"Render labelled synthetic videos: MP4s to OUT/videos/, one label row per scene to OUT/labels/.",
        "A rerun with the same settings finds the finished output and does nothing."})
public final class SynthCommand implements YingCommand {
  private static final WorldOptions DEFAULTS = WorldOptions.defaults();

  @Option(names = "--count", required = true, description = "Number of videos.")
  int count;

  @Option(names = "--out", required = true, paramLabel = "URI", description = "Output folder (any Hadoop URI).")
  String out;

  @Option(names = "--seed", defaultValue = "0", description = "World seed; same seed, same videos. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--width", description = "Frame width (even). Default: 192.")
  Integer width;

  @Option(names = "--height", description = "Frame height (even). Default: 128.")
  Integer height;

  @Option(names = "--fps", description = "Frames per second. Default: 16.")
  Integer fps;

  @Option(names = "--min-scene-s", description = "Shortest scene in seconds. Default: 2.")
  Double minSceneSeconds;

  @Option(names = "--max-scene-s", description = "Longest scene in seconds. Default: 20.")
  Double maxSceneSeconds;

  @Option(names = "--max-scenes", description = "Most scenes (hard cuts + 1) per video. Default: 4.")
  Integer maxScenes;

  @Option(names = "--overwrite", description = "Replace output made with other settings.")
  boolean overwrite;

  @Mixin SparkOptions spark;

  SynthConfig config() {
    WorldOptions w = DEFAULTS;
    return new SynthConfig(count, Storage.normalise(out), seed, new WorldOptions(
        width == null ? w.width() : width,
        height == null ? w.height() : height,
        fps == null ? w.fps() : fps,
        w.minScenes(),
        maxScenes == null ? w.maxScenes() : maxScenes,
        minSceneSeconds == null ? w.minSceneSeconds() : minSceneSeconds,
        maxSceneSeconds == null ? w.maxSceneSeconds() : maxSceneSeconds,
        w.minObjects(),
        w.maxObjects()));
  }

  /** Label table files for {@code videos} videos: one per 5,000 (a few MB each). */
  static int labelFiles(int videos) {
    return Math.max(1, (videos + 4999) / 5000);
  }

  @Override
  public Integer call() throws Exception {
    SynthConfig config = config();
    PrintStream log = System.err;
    log.println("ying synth: " + config);
    try (SparkSession session = Sessions.start("ying-synth", spark.master, spark.conf)) {
      Storage storage = new Storage(session.sparkContext().hadoopConfiguration());
      SynthOutput output = new SynthOutput(storage, config);
      if (output.isComplete()) {
        System.out.println("already complete: " + config.count() + " videos in " + output.videos()
            + ", labels in " + output.labels() + " (nothing to do)");
        return 0;
      }
      output.prepare(overwrite);
      long t0 = System.nanoTime();
      // One task per video spreads the work evenly and reports per video, but written straight from
      // those tasks the labels were one tiny file per video: 10,000 of them slowed every reader of the
      // table (10,000 objects on S3). So the videos are rendered in one job, their label rows kept,
      // and the rows written in a few files by a second.
      Dataset<Row> labels = SynthJob.synthesise(session, config).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        try (SparkProgress ignored = SparkProgress.watch(session, "synth",
            new Progress("synth", "videos", config.count()))) {
          labels.count();
        }
        labels.repartition(labelFiles(config.count())).write().mode(SaveMode.Overwrite).parquet(output.labels());
      } finally {
        labels.unpersist(true);
      }
      long scenes = session.read().parquet(output.labels()).count();
      output.markComplete(scenes);
      System.out.printf(Locale.ROOT, "wrote %d videos (%d scenes) in %.1f s%n  videos: %s%n  labels: %s%n",
          config.count(), scenes, (System.nanoTime() - t0) / 1e9, output.videos(), output.labels());
      return 0;
    }
  }
}
