package ying.inference.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ying.captioner.eval.CaptionScores;
import ying.captioner.job.CaptionJob;
import ying.captioner.job.CaptionOptions;
import ying.captioner.job.CaptionerSource;
import ying.core.cli.SparkOptions;
import ying.core.cli.YingCommand;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.core.spark.HadoopConf;
import ying.core.spark.Sessions;
import ying.inference.generate.BatchOptions;

/**
 * {@code ying eval-generation}: does the generator draw what the prompt says? Generates every
 * prompt (as generate-batch), captions each video with the captioner exactly as the caption job
 * would, and grades the caption against the prompt attribute by attribute with the synthetic
 * world's grammar. Prompts outside that grammar are generated but cannot be graded; they are counted.
 */
@Command(name = "eval-generation", mixinStandardHelpOptions = true,
    description = {"Generate every prompt of a prompts file, caption the videos with the captioner and print how often",
        "each attribute of the caption agrees with the prompt (colour, shape, motion direction, ...); OUT/_eval.json",
        "keeps the figures."})
public final class EvalGenerationCommand implements YingCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Mixin BatchOptions batch;

  @Option(names = "--captioner", defaultValue = "captioner", paramLabel = "REF",
      description = "Captioner checkpoint in --captioner-registry. Default: ${DEFAULT-VALUE} (the latest).")
  String captioner;

  @Option(names = "--captioner-registry", paramLabel = "URI", description = "Default: models/ of this checkout.")
  String captionerRegistry;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() throws Exception {
    try (SparkSession session = Sessions.start("ying-eval-generation", spark.master, spark.conf)) {
      List<Row> generated = batch.run(session, "eval-generation");
      Sessions.warnIfDefaultRegistry(session, "eval-generation", captionerRegistry);
      Storage storage = new Storage(session.sparkContext().hadoopConfiguration());
      HadoopConf hadoop = new HadoopConf(session.sparkContext().hadoopConfiguration());
      CaptionOptions options = CaptionOptions.defaults(captioner,
          captionerRegistry == null ? Registry.defaultRoot() : captionerRegistry);
      CaptionerSource source = CaptionerSource.resolve(storage, options.model(), options.registry());
      Map<String, String> promptOf = new HashMap<>();
      List<Row> uris = generated.stream().filter(r -> r.isNullAt(r.fieldIndex("error")))
          .map(r -> {
            promptOf.put(r.getString(r.fieldIndex("video_uri")), r.getString(r.fieldIndex("prompt")));
            return RowFactory.create(r.getString(r.fieldIndex("video_uri")));
          }).toList();
      if (uris.isEmpty()) {
        System.err.println("eval-generation: no prompt was generated; see the errors above");
        return 1;
      }
      Dataset<Row> videos = session.createDataFrame(uris, new StructType().add("video_uri", DataTypes.StringType));
      int partitions = (int) Math.min(uris.size(), session.sparkContext().defaultParallelism());
      List<Row> clips = CaptionJob.clipRows(CaptionJob.caption(CaptionJob.hash(videos.repartition(partitions), hadoop),
          options, source, hadoop)).collectAsList();
      // A generated clip is one scene; where the cut detector splits it, its first clip speaks for it.
      Map<String, Row> first = new HashMap<>();
      for (Row c : clips) {
        first.merge(c.getString(c.fieldIndex("video_uri")), c,
            (a, b) -> a.getInt(a.fieldIndex("clip_index")) <= b.getInt(b.fieldIndex("clip_index")) ? a : b);
      }
      CaptionScores scores = new CaptionScores();
      promptOf.forEach((uri, prompt) -> {
        Row c = first.get(uri);
        scores.add(c == null ? "" : c.getString(c.fieldIndex("caption")), prompt);
      });
      long outside = promptOf.size() - scores.total();
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("checkpoint", generated.get(0).getString(generated.get(0).fieldIndex("checkpoint")));
      report.put("vae", generated.get(0).getString(generated.get(0).fieldIndex("vae")));
      report.put("captioner", source.label());
      report.put("prompts", generated.size());
      report.put("generated", promptOf.size());
      report.put("graded", scores.total());
      report.put("outside_grammar", outside);
      report.put("agreement", scores.toMap());
      report.put("sampling", Map.of("frames", batch.sampling().frames(), "steps", batch.sampling().steps(),
          "sampler", batch.sampling().sampler(), "guidance", batch.sampling().guidance(), "seed",
          batch.sampling().seed()));
      storage.writeStringAtomically(Storage.join(Storage.normalise(batch.out()), "_eval.json"),
          JSON.writeValueAsString(report));
      System.out.printf(Locale.ROOT, "eval-generation %s (decoded by %s), captioned with %s: %d of %d prompts generated,"
          + " %d graded (%d outside the caption grammar)%n", report.get("checkpoint"), report.get("vae"), source.label(),
          promptOf.size(), generated.size(), scores.total(), outside);
      System.out.print(scores.perAttribute());
      System.out.printf(Locale.ROOT, "  %-10s %6.2f%%%n  report: %s/_eval.json%n", "exact", 100 * scores.exactMatch(),
          Storage.normalise(batch.out()));
      return 0;
    }
  }
}
