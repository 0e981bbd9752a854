package ying.captioner.eval;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ying.captioner.job.CaptionJob;
import ying.captioner.job.CaptionOptions;
import ying.captioner.job.CaptionerSource;
import ying.core.cli.SparkOptions;
import ying.core.cli.YingCommand;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.core.spark.HadoopConf;
import ying.core.spark.Sessions;

/**
 * {@code ying eval-captioner}: captions the videos of a label table end to end (cuts, clips,
 * model) and grades the result against the labels with the synthetic world's grammar.
 */
@Command(name = "eval-captioner", mixinStandardHelpOptions = true,
    description = {"Caption the videos of a label table (e.g. `ying synth` labels of a seed never trained on) and",
        "print per-attribute accuracy, exact-match rate, and how well clip boundaries find the true cuts."})
public final class EvalCaptionerCommand implements YingCommand {
  @Option(names = "--labels", required = true, paramLabel = "URI",
      description = "Label table: video_uri, start_s, end_s, caption (one row per true scene).")
  String labels;

  @Option(names = "--model", defaultValue = "captioner", paramLabel = "REF",
      description = {"Captioner checkpoint NAME[@VERSION] in --registry, or the URI of an external TorchScript",
          "captioner folder (docs/captioner-contract.md). Default: ${DEFAULT-VALUE}."})
  String model;

  @Option(names = "--registry", paramLabel = "URI", description = "Default: models/ of this checkout.")
  String registry;

  @Option(names = "--beam", defaultValue = "1", description = "Beam width. Default: ${DEFAULT-VALUE}.")
  int beam;

  @Option(names = "--views", defaultValue = "1",
      description = {"Windows of a clip longer than the model's window that it reads, spread over the clip and",
          "decoded as one caption, as `ying caption --views` does. Default: ${DEFAULT-VALUE} (the middle)."})
  int views;

  @Option(names = "--window-s", description = {"Seconds of a clip's middle that the captioner's frames are spread over.",
      "Default: the span of the model's training clips."})
  double windowSeconds;

  @Mixin SparkOptions spark;

  @Override
  public Integer call() throws Exception {
    CaptionOptions d = CaptionOptions.defaults(model, registry == null ? Registry.defaultRoot() : registry);
    CaptionOptions options = new CaptionOptions(d.model(), d.registry(), d.maxClipSeconds(), d.minClipSeconds(), beam,
        views, d.batch(), windowSeconds, d.sampleFps(), d.torchThreads(), d.frameMemoryMb());
    try (SparkSession session = Sessions.start("ying-eval-captioner", spark.master, spark.conf)) {
      Sessions.warnIfDefaultRegistry(session, "eval-captioner", registry);
      Storage storage = new Storage(session.sparkContext().hadoopConfiguration());
      CaptionerSource exact = CaptionerSource.resolve(storage, options.model(), options.registry());
      HadoopConf hadoop = new HadoopConf(session.sparkContext().hadoopConfiguration());
      List<Row> truth = session.read().parquet(Storage.normalise(labels))
          .select("video_uri", "start_s", "end_s", "caption").collectAsList();
      Dataset<Row> videos = session.read().parquet(Storage.normalise(labels)).select("video_uri").distinct();
      int partitions = (int) Math.max(1, Math.min(videos.count(), 4L * session.sparkContext().defaultParallelism()));
      Dataset<Row> results = CaptionJob.caption(CaptionJob.hash(videos.repartition(partitions), hadoop)
          .where(col("error").isNull()), options, exact, hadoop);
      // One pass over the videos: captioning is the expensive part, so results are split here, not re-run.
      List<Row> all = results.collectAsList();
      List<Row> clips = all.stream().filter(r -> r.isNullAt(r.fieldIndex("stage"))).toList();
      long errors = all.size() - clips.size();
      Report report = grade(truth, clips);
      System.out.println("eval-captioner " + exact.label() + " on " + labels + ": " + clips.size() + " clips of "
          + truth.size() + " labelled scenes, " + errors + " unreadable videos");
      System.out.print(report.captions().perAttribute());
      System.out.printf(java.util.Locale.ROOT, "  %-10s %6.2f%%%n  %s%n", "exact", 100 * report.captions().exactMatch(),
          report.cuts());
      return 0;
    }
  }

  /** The grades of a caption run. */
  public record Report(CaptionScores captions, CutScores cuts) {}

  /**
   * Each clip is graded against the labelled scene that holds its midpoint; each video's detected
   * cuts (first clip of every scene after the first) against the labels' scene starts, within a frame.
   */
  public static Report grade(List<Row> truth, List<Row> clips) {
    Map<String, List<Row>> scenes = new TreeMap<>();
    truth.forEach(r -> scenes.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r));
    CaptionScores captions = new CaptionScores();
    Map<String, Double> frame = new TreeMap<>();
    for (Row c : clips) {
      String uri = c.getAs("video_uri");
      double mid = (c.<Double>getAs("start_s") + c.<Double>getAs("end_s")) / 2;
      for (Row s : scenes.getOrDefault(uri, List.of())) {
        if (mid >= s.getDouble(1) && mid < s.getDouble(2)) {
          captions.add(c.getAs("caption"), s.getString(3));
        }
      }
      frame.put(uri, 1 / c.<Double>getAs("fps"));
    }
    CutScores cuts = new CutScores();
    for (Map.Entry<String, List<Row>> e : scenes.entrySet()) {
      if (!frame.containsKey(e.getKey())) {
        continue; // unreadable: counted as an error, not as missed cuts
      }
      List<Double> starts = new ArrayList<>();
      for (Row r : e.getValue()) {
        if (r.getDouble(1) > 1e-9) {
          starts.add(r.getDouble(1));
        }
      }
      List<Double> found = firstOfEachScene(clips, e.getKey());
      cuts.add(found, starts, frame.get(e.getKey()));
    }
    return new Report(captions, cuts);
  }

  /** The first clip of each scene after the first starts at a detected cut; later ones at even splits. */
  private static List<Double> firstOfEachScene(List<Row> clips, String uri) {
    Map<Integer, Double> first = new TreeMap<>();
    for (Row c : clips) {
      if (uri.equals(c.getAs("video_uri"))) {
        int scene = c.getAs("scene_index");
        first.merge(scene, c.getAs("start_s"), Math::min);
      }
    }
    first.remove(0);
    return new ArrayList<>(first.values());
  }
}
