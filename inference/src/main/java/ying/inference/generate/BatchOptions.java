package ying.inference.generate;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;
import ying.core.io.Storage;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.spark.HadoopConf;
import ying.core.spark.Sessions;

/** What generate-batch and eval-generation share: the prompts, the checkpoint and the sampling settings. */
public final class BatchOptions {
  @Option(names = "--prompts", required = true, paramLabel = "URI",
      description = "A text file, one prompt per line (blank lines and # comments skipped).")
  String prompts;

  @Option(names = "--out", required = true, paramLabel = "URI",
      description = "Output folder: videos/prompt-NNNNN.mp4 (+ .png) and the generations table.")
  String out;

  @Option(names = "--checkpoint", defaultValue = "dit", paramLabel = "REF",
      description = "DiT checkpoint in --registry. Default: ${DEFAULT-VALUE} (the latest).")
  String checkpoint;

  @Option(names = "--registry", paramLabel = "URI", description = "Default: models/ of this checkout.")
  String registry;

  @Option(names = "--frames", defaultValue = "49", description = "1+4k frames. Default: ${DEFAULT-VALUE}.")
  int frames;

  @Option(names = "--width", defaultValue = "96", description = "Default: ${DEFAULT-VALUE}.")
  int width;

  @Option(names = "--height", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
  int height;

  @Option(names = "--fps", defaultValue = "8", description = "Default: ${DEFAULT-VALUE}.")
  int fps;

  @Option(names = "--steps", defaultValue = "50", description = "Sampling steps. Default: ${DEFAULT-VALUE}.")
  int steps;

  @Option(names = "--guidance", defaultValue = "6", description = "Classifier-free guidance. Default: ${DEFAULT-VALUE}.")
  float guidance;

  @Option(names = "--seed", defaultValue = "0", description = "Prompt i is sampled with seed + i. Default: ${DEFAULT-VALUE}.")
  long seed;

  public String out() {
    return out;
  }

  public int frames() {
    return frames;
  }

  public int steps() {
    return steps;
  }

  public float guidance() {
    return guidance;
  }

  public long seed() {
    return seed;
  }

  /** The generations table's folder under {@code --out}. */
  public String table() {
    return Storage.join(Storage.normalise(out), "generations");
  }

  /**
   * Generates every prompt, writes the generations table (replacing an earlier run's, whose videos
   * the same names overwrite) and returns its rows.
   */
  public List<Row> run(SparkSession session, String command) throws IOException {
    Storage storage = new Storage(session.sparkContext().hadoopConfiguration());
    Sessions.warnIfDefaultRegistry(session, command, registry, Registry.defaultRoot());
    // Absolute on the driver: the executors' working directory is not this one.
    String root = Storage.normalise(registry == null ? Registry.defaultRoot() : registry);
    String exact = new Registry(storage, root).resolve(ModelRef.parse(checkpoint)).toString();
    List<String> lines = storage.readString(Storage.normalise(prompts)).lines().toList();
    Dataset<Row> rows = GenerateBatch.prompts(session, lines);
    int partitions = (int) Math.max(1, Math.min(rows.count(), session.sparkContext().defaultParallelism()));
    GenerateBatch.Settings s = new GenerateBatch.Settings(root, exact, Storage.normalise(out), frames, width, height,
        fps, steps, guidance, seed);
    System.err.printf(java.util.Locale.ROOT, "generating %d prompts with %s in %d tasks: %d frames of %dx%d, %d steps,"
        + " guidance %.1f%n", rows.count(), exact, partitions, frames, width, height, steps, guidance);
    Dataset<Row> results = GenerateBatch.run(rows.repartition(partitions), s,
        new HadoopConf(session.sparkContext().hadoopConfiguration()));
    List<Row> all = results.collectAsList();
    session.createDataFrame(all, GenerateBatch.RESULTS).coalesce(1).write().mode(SaveMode.Overwrite).parquet(table());
    return all;
  }
}
