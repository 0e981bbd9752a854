package ying.inference.generate;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ying.core.io.Storage;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.spark.HadoopConf;
import ying.core.spark.Sessions;
import ying.inference.dit.DitModel;

/** What generate-batch and eval-generation share: the prompts, the checkpoint and the sampling settings. */
public final class BatchOptions {
  @Option(names = "--prompts", required = true, paramLabel = "URI",
      description = "A text file, one prompt per line (blank lines and # comments skipped).")
  String prompts;

  @Option(names = "--out", required = true, paramLabel = "URI",
      description = "Output folder: videos/prompt-NNNNN.mp4 (+ .png) and the generations table.")
  String out;

  @Mixin SamplingOptions sampling;

  public String out() {
    return out;
  }

  public SamplingOptions sampling() {
    return sampling;
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
    Sessions.warnIfDefaultRegistry(session, command, sampling.registryOption());
    // Absolute on the driver: the executors' working directory is not this one.
    String root = sampling.registryRoot();
    Registry registry = new Registry(storage, root);
    ModelRef ref = registry.resolve(ModelRef.parse(sampling.checkpoint()));
    // Every prompt would fail the same way in its task: say it once, before any work.
    if (!DitModel.samplesFromTextAlone(registry.manifest(ref))) {
      throw new IllegalArgumentException(command + " samples from text alone, and " + ref + " is an image-to-video DiT"
          + " that never learnt without a first frame (train one with --image-dropout, or use generate --image)");
    }
    String exact = ref.toString();
    // The decoding VAE, exact and checked once on the driver: a misfit would fail every task alike.
    String vae;
    try (Generator g = Generator.load(registry, ref, sampling.vae() == null ? null : ModelRef.parse(sampling.vae()))) {
      vae = g.vaeRef().toString();
    }
    List<String> lines = storage.readString(Storage.normalise(prompts)).lines().toList();
    Dataset<Row> rows = GenerateBatch.prompts(session, lines);
    int partitions = (int) Math.max(1, Math.min(rows.count(), session.sparkContext().defaultParallelism()));
    SamplingOptions o = sampling;
    GenerateBatch.Settings s = new GenerateBatch.Settings(root, exact, vae, Storage.normalise(out), o.frames(),
        o.width(), o.height(), o.fps(), o.steps(), o.guidance(), o.seed(), o.sampler());
    System.err.printf(java.util.Locale.ROOT, "generating %d prompts with %s and %s in %d tasks: %d frames of %dx%d, %d %s"
        + " steps, guidance %.1f%n", rows.count(), exact, vae, partitions, o.frames(), o.width(), o.height(), o.steps(),
        o.sampler(), o.guidance());
    Dataset<Row> results = GenerateBatch.run(rows.repartition(partitions), s,
        new HadoopConf(session.sparkContext().hadoopConfiguration()));
    List<Row> all = results.collectAsList();
    session.createDataFrame(all, GenerateBatch.RESULTS).coalesce(1).write().mode(SaveMode.Overwrite).parquet(table());
    return all;
  }
}
