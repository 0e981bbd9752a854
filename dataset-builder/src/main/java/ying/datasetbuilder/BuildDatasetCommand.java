package ying.datasetbuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ying.core.cli.SparkOptions;
import ying.core.cli.YingCommand;
import ying.core.dataset.Bucket;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.core.spark.Sessions;

/** {@code ying build-dataset}: a clip table to filtered, bucketed, sharded training data. */
@Command(name = "build-dataset", mixinStandardHelpOptions = true,
    description = {"Build training shards from clip tables (video_uri, start_s, end_s, caption): decode each clip's",
        "range, resample and crop to a bucket, filter, deduplicate, split train/val by source video, and write",
        "Parquet shards, _errors/, _report.json, _report.png and _manifest.json to OUT. A finished dataset is",
        "immutable: writing to it again is refused unless --overwrite."})
public final class BuildDatasetCommand implements YingCommand {
  private static final BuildConfig D = BuildConfig.defaults();

  @Option(names = "--clips", required = true, paramLabel = "URI",
      description = {"A clip table (Parquet), repeatable: several are read as one. A clip (same video and range) in",
          "more than one takes its caption from the first listed, so list a newer captioner's table first."})
  List<String> clips;

  @Option(names = "--out", required = true, paramLabel = "URI", description = "The dataset folder to create.")
  String out;

  @Option(names = "--bucket", paramLabel = "WxHxF[@FPS]",
      description = "A training shape, repeatable; a clip goes to the longest one it fills. Default: 96x64x49@8, "
          + "96x64x33@8, 96x64x17@8.")
  List<String> buckets = new ArrayList<>();

  @Option(names = "--val-fraction", description = "Share of source videos held out. Default: 0.1.")
  Double valFraction;

  @Option(names = "--disable-filter", paramLabel = "NAME",
      description = "Switch a filter off, repeatable: bad_caption, blocked_words, too_short, too_small, static, "
          + "too_fast, duplicate.")
  List<String> disabled = new ArrayList<>();

  @Option(names = "--min-clip-s", description = "Shortest clip kept, seconds. Default: 1.")
  Double minClipSeconds;

  @Option(names = "--min-caption-words", description = "Fewest caption words. Default: 3.")
  Integer minCaptionWords;

  @Option(names = "--blocked-words", paramLabel = "FILE",
      description = "Words (one per line, # comments) whose presence drops a caption's clip.")
  Path blockedWords;

  @Option(names = "--static-below",
      description = "Motion score (mean |change| over 1 s, 0..1) under which a clip is static. Default: 0.002.")
  Double staticBelow;

  @Option(names = "--fast-above",
      description = "Mean |change| between frames (0..1) over which a clip is too fast. Default: 0.25.")
  Double fastAbove;

  @Option(names = "--duplicate-bits",
      description = "Most differing hash bits (of 128, per sampled frame) for near-duplicate candidates, whose "
          + "thumbnails must then agree too. Default: 6.")
  Integer duplicateBits;

  @Option(names = "--shard-mb", description = "Target shard size in MiB. Default: 256.")
  Long shardMb;

  @Option(names = "--max-videos", paramLabel = "N",
      description = {"Build from N source videos only (all their clips): a stable sample, the N whose URI hashes",
          "lowest, so a larger N keeps a smaller one's videos. Default: every video."})
  Integer maxVideos;

  @Option(names = "--vae", paramLabel = "REF",
      description = {"Also write each clip's latents with this VAE checkpoint (NAME[@VERSION] in --registry), so",
          "DiT training never decodes pixels."})
  String vae;

  @Option(names = "--registry", paramLabel = "URI", description = "Registry of --vae. Default: models/ of this checkout.")
  String registry;

  @Option(names = "--overwrite", description = "Replace a finished dataset at OUT.")
  boolean overwrite;

  @Mixin SparkOptions spark;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  BuildConfig config() throws java.io.IOException {
    Set<Filter> enabled = EnumSet.allOf(Filter.class);
    disabled.stream().map(Filter::parse).forEach(enabled::remove);
    List<String> blocked = blockedWords == null ? List.of()
        : Files.readAllLines(blockedWords).stream().map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    return new BuildConfig(
        buckets.isEmpty() ? D.buckets() : buckets.stream().map(Bucket::parse).toList(),
        or(valFraction, D.valFraction()), enabled, or(minClipSeconds, D.minClipSeconds()),
        or(minCaptionWords, D.minCaptionWords()), blocked, or(staticBelow, D.staticBelow()),
        or(fastAbove, D.fastAbove()), D.flashJump(), D.flashFraction(), or(duplicateBits, D.duplicateBits()),
        shardMb == null ? D.shardTargetBytes() : shardMb << 20, D.seed(), or(maxVideos, D.maxVideos()));
  }

  private static <T> T or(T given, T fallback) {
    return given == null ? fallback : given;
  }

  @Override
  public Integer call() throws Exception {
    BuildConfig config = config();
    System.err.println("ying build-dataset: clips=" + String.join(",", clips) + " out=" + out + " " + config);
    try (SparkSession session = Sessions.start("ying-build-dataset", spark.master, spark.conf)) {
      if (vae != null) {
        Sessions.warnIfDefaultRegistry(session, "build-dataset", registry);
      }
      // The registry goes to executors absolute: a relative path would resolve against their working directory.
      DatasetWriter.Latents latents = vae == null ? null
          : new DatasetWriter.Latents(Storage.normalise(registry == null ? Registry.defaultRoot() : registry), vae);
      DatasetWriter.Summary s = DatasetWriter.build(session, clips, out, config, latents, overwrite,
          "ying " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
      System.out.printf("built %d clips of %d (train %d, val %d); %d errors, %d near-duplicates dropped%n"
          + "  shards:   %s/split=*/bucket=*/%n  report:   %s/_report.json, _report.png%n"
          + "  errors:   %s/_errors/%n  manifest: %s/_manifest.json%n",
          s.written(), s.input(), s.train(), s.val(), s.errors(), s.duplicates(), s.out(), s.out(), s.out(), s.out());
      return 0;
    }
  }
}
