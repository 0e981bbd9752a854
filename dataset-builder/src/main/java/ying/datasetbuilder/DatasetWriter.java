package ying.datasetbuilder;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import ying.core.cli.Progress;
import ying.core.dataset.Bucket;
import ying.core.dataset.DatasetLayout;
import ying.core.io.Storage;
import ying.core.registry.ModelRef;
import ying.core.spark.FaultInjection;
import ying.core.spark.HadoopConf;
import ying.core.spark.SparkProgress;

/**
 * Runs a build end to end against storage: guards the output folder, processes the clips once
 * (persisted, with a frameless copy for every step but the shard write), writes shards, errors,
 * report and, last, the manifest.
 */
public final class DatasetWriter {
  private DatasetWriter() {}

  /** What a finished build reports back. */
  public record Summary(String out, long input, long written, long train, long val, long errors, long duplicates) {}

  /** Source videos per decoding task of a large build. */
  static final int VIDEOS_PER_DECODE_TASK = 25;

  /**
   * Decoding tasks: at least four per core, and for a large build one per {@link
   * #VIDEOS_PER_DECODE_TASK} videos, so progress moves in small steps (eight tasks over 10,000 videos
   * sat at one figure for minutes) and the last tasks leave no core idle for long.
   */
  static int decodeTasks(long videos, int cores) {
    long byVideos = (videos + VIDEOS_PER_DECODE_TASK - 1) / VIDEOS_PER_DECODE_TASK;
    return (int) Math.max(1, Math.min(videos, Math.max(4L * cores, byVideos)));
  }

  /** Clips per task of the latents stage: enough to pay for loading the VAE, few enough to spread and report. */
  static final int CLIPS_PER_LATENT_TASK = 16;

  private static final String ADAPTIVE = "spark.sql.adaptive.enabled";

  /** Which VAE writes latents: a registry and a ref in it (NAME[@VERSION]). */
  public record Latents(String registry, String ref) {}

  public static Summary build(SparkSession spark, String clips, String out, BuildConfig config, boolean overwrite,
      String command) throws IOException {
    return build(spark, List.of(clips), out, config, null, overwrite, command);
  }

  /**
   * As above, from one or more clip tables read as one ({@link DatasetBuild#clipTable}: a clip in
   * several takes the first table's caption); with {@code latents} non-null each row also carries
   * its clip's VAE latents.
   */
  public static Summary build(SparkSession spark, List<String> clips, String out, BuildConfig config,
      Latents latents, boolean overwrite, String command) throws IOException {
    Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
    DatasetLayout layout = new DatasetLayout(out);
    List<String> clipsUris = clips.stream().map(Storage::normalise).toList();
    if (clipsUris.isEmpty() || new HashSet<>(clipsUris).size() != clipsUris.size()) {
      throw new IllegalArgumentException("name each clip table once, got " + clips);
    }
    HadoopConf hadoop = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    // Checked before anything is written: a bad --vae must not leave a half-built dataset behind.
    ModelRef vae = latents == null ? null
        : VaeLatents.resolve(hadoop, latents.registry(), latents.ref(), config.buckets());
    prepare(storage, layout, overwrite);

    List<Dataset<Row>> tables = new ArrayList<>();
    List<DatasetBuild.Source> sources = new ArrayList<>();
    for (String uri : clipsUris) {
      tables.add(spark.read().parquet(uri));
      sources.add(new DatasetBuild.Source(uri, DatasetManifest.snapshot(storage, uri)));
    }
    Dataset<Row> table = DatasetBuild.clipTable(tables, sources);
    Row size = DatasetBuild.sampleVideos(table, config.maxVideos())
        .agg(functions.count(functions.lit(1)), functions.countDistinct("video_uri")).first();
    long videos = size.getLong(1);
    if (spark.sparkContext().isLocal()) {
      String localDirs = System.getenv("SPARK_LOCAL_DIRS") != null ? System.getenv("SPARK_LOCAL_DIRS")
          : spark.sparkContext().getConf().get("spark.local.dir", null);
      long clipRows = size.getLong(0);
      long frameBytes = clipRows * DiskNeed.clipBytes(config.buckets());
      for (String w : DiskNeed.warnings(DiskNeed.uses(localDirs, out, frameBytes), clipRows)) {
        System.err.println("build-dataset: warning: " + w);
      }
    }
    int partitions = decodeTasks(videos, spark.sparkContext().defaultParallelism());
    // Every step but the shard write needs only the small columns. Each pass over the persisted
    // rows reads their frames back from disk, so the near-duplicate search, counts, errors and report
    // read a copy without them, filled by the same tasks that decode the clips. Both caches are
    // planned without adaptive execution: with it, the copy's plan fills the clips' cache in a job of
    // its own and then reads every frame back from disk to fill the copy.
    Dataset<Row> processed = withoutAdaptive(spark,
        () -> DatasetBuild.process(table, config, hadoop, partitions).persist(StorageLevel.DISK_ONLY()));
    Dataset<Row> meta = withoutAdaptive(spark, () -> processed.drop("frames").persist(StorageLevel.MEMORY_AND_DISK()));
    Dataset<Row> duplicates = null;
    ExecutorService side = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "build-dataset-side");
      t.setDaemon(true);
      return t;
    });
    try {
      long clipCount;
      try (SparkProgress ignored = SparkProgress.watch(spark, "build-dataset",
          new Progress("build-dataset", "tasks", partitions))) {
        // Without adaptive execution the decode tasks count their own rows; with it, the count ran
        // after them as a job of its own over the copy, 0.2 to 0.3 s before the next step could start.
        clipCount = withoutAdaptive(spark, meta::count);
      }
      System.err.printf(Locale.ROOT, "build-dataset: decoded and measured %d clips of %d videos%n", clipCount, videos);
      // Neither the report's tally nor the error rows need the near-duplicates, so they run beside the
      // search for them, on the cores its small stages leave idle.
      Future<List<Row>> reportRows = side.submit(() -> BuildReport.rows(meta));
      Future<?> errorsWritten = side.submit(() -> DatasetBuild.errorRows(meta).coalesce(1).write()
          .mode(SaveMode.Overwrite).parquet(layout.errors()));
      Dataset<Row> ok = meta.where(col("status").equalTo(ProcessedClip.OK));
      if (!config.on(Filter.DUPLICATE)) {
        duplicates = spark.createDataFrame(List.of(), new org.apache.spark.sql.types.StructType().add("clip_id", "string"));
      } else if (clipCount <= NearDuplicates.DRIVER_MAX_CLIPS) {
        duplicates = NearDuplicates.collected(spark, ok, config.duplicateBits());
      } else {
        duplicates = DatasetBuild.duplicates(ok, config.duplicateBits()).persist(StorageLevel.MEMORY_AND_DISK());
      }
      long duplicateCount = duplicates.count();
      Dataset<Row> rows = DatasetBuild.shardRows(processed, duplicates);
      // Tallied before the latents join (counting after would run the VAE over every clip twice), on
      // the small columns, in the one pass that also feeds the report.
      BuildReport tally = BuildReport.of(await(reportRows), duplicateCount);
      long rowCount = tally.kept();
      int shards = shardCount(rowCount, config);
      if (vae == null) {
        System.err.printf(Locale.ROOT, "build-dataset: writing %d clips to shards%n", rowCount);
        try (SparkProgress ignored = SparkProgress.watch(spark, "build-dataset-shards",
            new Progress("build-dataset shards", "tasks", Math.min(shards, partitions)))) {
          // The rows sit in the persisted decode partitions: merging those into the shard tasks writes
          // them without first shuffling every frame through local disk once more.
          writeShards(rows.coalesce(shards), layout, config);
        }
      } else {
        // The VAE is the slow part (seconds per clip on a CPU). In the write's few tasks it kept cores
        // idle and printed nothing for minutes; small tasks of their own use every core and report.
        long bySize = (rowCount + CLIPS_PER_LATENT_TASK - 1) / CLIPS_PER_LATENT_TASK;
        int latentTasks = (int) Math.max(1, Math.min(rowCount, Math.max(spark.sparkContext().defaultParallelism(), bySize)));
        rows = VaeLatents.add(rows.repartition(latentTasks, col("clip_id")), latents.registry(), vae, hadoop);
        System.err.printf(Locale.ROOT, "build-dataset: encoding %d clips with %s in %d tasks, then writing %d shards%n",
            rowCount, vae, latentTasks, shards);
        try (SparkProgress ignored = SparkProgress.watch(spark, "build-dataset-latents",
            new Progress("build-dataset latents", "tasks", partitions + latentTasks + shards))) {
          // A shuffle here, not a merge: merging would pull the VAE into the few shard tasks.
          writeShards(rows.repartition(shards, col("split"), col("bucket"), col("clip_id")), layout, config);
        }
      }
      await(errorsWritten);

      // What the shards hold, from their footers, read in the job that hashes them.
      List<Map<String, Object>> files = DatasetManifest.fileHashes(spark, storage, layout);
      List<Row> counts = DatasetManifest.countsBySplitAndBucket(files);
      long written = counts.stream().mapToLong(r -> r.getLong(2)).sum();
      if (written != rowCount) {
        throw new IllegalStateException("the shards hold " + written + " clips, " + rowCount + " passed the filters");
      }
      BuildReport report = tally.withWritten(written);
      storage.writeStringAtomically(layout.report(), DatasetManifest.JSON.writeValueAsString(report.toJson()));
      try (var png = storage.create(layout.reportPng())) {
        png.write(report.png());
      }
      Map<String, Object> manifest = DatasetManifest.build(command, sources, config, counts, report, files,
          DatasetManifest.contentHash(spark, layout.root()));
      if (vae != null) {
        Map<String, Object> v = new java.util.LinkedHashMap<>();
        v.put("ref", vae.toString());
        v.put("registry", latents.registry());
        v.put("latents", "posterior mean, float16 little-endian, [C, 1+k, H/8, W/8] (column latent_shape)");
        manifest.put("vae", v);
      }
      storage.writeStringAtomically(layout.manifest(), DatasetManifest.JSON.writeValueAsString(manifest));
      @SuppressWarnings("unchecked")
      Map<String, Object> rowCounts = (Map<String, Object>) manifest.get("rows");
      return new Summary(layout.root(), report.input(), written, (Long) rowCounts.get(DatasetLayout.TRAIN),
          (Long) rowCounts.get(DatasetLayout.VAL), report.errors(), duplicateCount);
    } finally {
      side.shutdownNow();
      unpersist(processed);
      unpersist(meta);
      unpersist(duplicates);
    }
  }

  /** What {@code plan} returns, planned (and, for an action, run) with adaptive execution off. */
  private static <T> T withoutAdaptive(SparkSession spark, java.util.function.Supplier<T> plan) {
    String adaptive = spark.conf().get(ADAPTIVE);
    spark.conf().set(ADAPTIVE, "false");
    try {
      return plan.get();
    } finally {
      spark.conf().set(ADAPTIVE, adaptive);
    }
  }

  /** The result of a job run beside the main thread's, its failure rethrown as the main thread's. */
  private static <T> T await(Future<T> job) throws IOException {
    try {
      return job.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for a Spark job", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IOException(e.getCause());
    }
  }

  /**
   * Waits for the blocks to go: the command stops its session right after the build, and a removal
   * still running then failed with a stack trace under the build's summary.
   */
  private static void unpersist(Dataset<Row> cached) {
    if (cached != null) {
      cached.unpersist(true);
    }
  }

  /**
   * A finished dataset (one with a manifest) is immutable: refused unless {@code overwrite}. A folder
   * without a manifest is an unfinished build and is cleared.
   */
  static void prepare(Storage storage, DatasetLayout layout, boolean overwrite) throws IOException {
    if (storage.exists(layout.manifest())) {
      if (!overwrite) {
        throw new IllegalStateException(layout.root() + " is a finished dataset and datasets are immutable; "
            + "write to a new folder, or pass --overwrite to replace it");
      }
      storage.delete(layout.root());
    } else if (storage.exists(layout.root())) {
      System.err.println("build-dataset: " + layout.root() + " holds an unfinished build; replacing it");
      storage.delete(layout.root());
    }
  }

  /** Shards aim at the target size: as many as the bytes need, each file capped at the rows that fit it. */
  static int shardCount(long rows, BuildConfig config) {
    return (int) Math.max(1, Math.min(100_000, (rows + rowsPerShard(config) - 1) / rowsPerShard(config)));
  }

  private static long rowsPerShard(BuildConfig config) {
    int largest = config.buckets().stream().mapToInt(Bucket::bytes).max().orElse(1);
    return Math.max(1, config.shardTargetBytes() / largest);
  }

  /**
   * Writes each partition of {@code rows} as one shard per split and bucket it holds, each file capped
   * at the rows that fit the target. The fault hook sits right before the write, so an injected
   * failure kills a task attempt mid-write.
   */
  static void writeShards(Dataset<Row> rows, DatasetLayout layout, BuildConfig config) {
    // Append, not Overwrite: the folder was emptied before the build, and overwriting would delete
    // the _errors/ written beside the shards.
    FaultInjection.guard(rows).write()
        .mode(SaveMode.Append)
        .option("maxRecordsPerFile", rowsPerShard(config))
        .partitionBy("split", "bucket")
        .parquet(layout.root());
  }
}
