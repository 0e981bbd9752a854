package ying.inference.generate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import ying.core.io.Storage;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.spark.HadoopConf;

/**
 * Many prompts to many videos as a Spark job: each task loads the DiT and its VAE once and
 * generates its prompts one by one. Prompt {@code i} is sampled with seed {@code seed + i} and
 * written as {@code OUT/videos/prompt-NNNNN.mp4} (+ .png), so a rerun rewrites the same files
 * rather than adding new ones. A prompt that fails becomes a row with its error; the others go on.
 */
public final class GenerateBatch {
  private GenerateBatch() {}

  public static final StructType PROMPTS = new StructType()
      .add("prompt_index", DataTypes.IntegerType, false)
      .add("prompt", DataTypes.StringType, false);

  public static final StructType RESULTS = new StructType()
      .add("prompt_index", DataTypes.IntegerType, false)
      .add("prompt", DataTypes.StringType, false)
      .add("seed", DataTypes.LongType, false)
      .add("video_uri", DataTypes.StringType, true)
      .add("checkpoint", DataTypes.StringType, false)
      .add("vae", DataTypes.StringType, false)
      .add("seconds", DataTypes.DoubleType, false)
      .add("error", DataTypes.StringType, true);

  /**
   * @param checkpoint an exact DiT ref (resolve it on the driver, so every task uses the same one)
   * @param vae the exact VAE ref that decodes: the one the checkpoint names, or one that makes the same latents
   */
  public record Settings(String registry, String checkpoint, String vae, String out, int frames, int width, int height,
      double fps, int steps, float guidance, long seed, String sampler) implements java.io.Serializable {}

  /** Prompt lines as rows: blank lines and {@code #} comments are skipped, the rest numbered from 0. */
  public static Dataset<Row> prompts(SparkSession spark, List<String> lines) {
    List<Row> rows = new ArrayList<>();
    for (String line : lines) {
      String p = line.strip();
      if (!p.isEmpty() && !p.startsWith("#")) {
        rows.add(RowFactory.create(rows.size(), p));
      }
    }
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("the prompts file holds no prompt (one per line, # for comments)");
    }
    return spark.createDataFrame(rows, PROMPTS);
  }

  /** Where prompt {@code index}'s video goes. */
  public static String videoUri(String out, int index) {
    return Storage.join(Storage.join(out, "videos"), String.format(Locale.ROOT, "prompt-%05d.mp4", index));
  }

  /** Generates every prompt of {@code prompts} (prompt_index, prompt); one result row per prompt. */
  public static Dataset<Row> run(Dataset<Row> prompts, Settings s, HadoopConf hadoop) {
    return prompts.mapPartitions((MapPartitionsFunction<Row, Row>) it -> generate(it, s, hadoop),
        Encoders.row(RESULTS));
  }

  private static Iterator<Row> generate(Iterator<Row> prompts, Settings s, HadoopConf hadoop) throws Exception {
    List<Row> out = new ArrayList<>();
    if (!prompts.hasNext()) {
      return out.iterator();
    }
    Storage storage = hadoop.storage();
    Registry registry = new Registry(storage, s.registry());
    try (Generator g = Generator.load(registry, ModelRef.parse(s.checkpoint()), ModelRef.parse(s.vae()))) {
      while (prompts.hasNext()) {
        Row p = prompts.next();
        int index = p.getInt(0);
        String prompt = p.getString(1);
        long seed = s.seed() + index;
        long t0 = System.nanoTime();
        String uri = videoUri(s.out(), index);
        try {
          byte[] video = Generation.run(g.dit(), g.vae(), new Generation.Request(prompt, null, s.frames(), s.height(),
              s.width(), s.steps(), s.guidance(), seed, s.sampler()), step -> { });
          GeneratedVideo.write(storage, uri, video, s.frames(), s.width(), s.height(), s.fps(), null);
          out.add(RowFactory.create(index, prompt, seed, uri, s.checkpoint(), s.vae(), (System.nanoTime() - t0) / 1e9,
              null));
        } catch (Exception e) {
          out.add(RowFactory.create(index, prompt, seed, null, s.checkpoint(), s.vae(), (System.nanoTime() - t0) / 1e9,
              e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
      }
    }
    return out.iterator();
  }
}
