package ying.datasetbuilder;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import ying.core.cli.Progress;
import ying.core.dataset.DatasetLayout;
import ying.core.io.Storage;
import ying.core.spark.FaultInjection;
import ying.core.spark.HadoopConf;
import ying.core.spark.SparkProgress;

/**
 * Runs a build end to end against storage: guards the output folder, processes the clips once
 * (persisted, since shards, errors and report all read them), writes shards, errors, report and,
 * last, the manifest.
 */
public final class DatasetWriter {
  private DatasetWriter() {}

  /** What a finished build reports back. */
  public record Summary(String out, long input, long written, long train, long val, long errors, long duplicates) {}

  public static Summary build(SparkSession spark, String clips, String out, BuildConfig config, boolean overwrite,
      String command) throws IOException {
    Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
    DatasetLayout layout = new DatasetLayout(out);
    String clipsUri = Storage.normalise(clips);
    prepare(storage, layout, overwrite);

    Dataset<Row> table = spark.read().parquet(clipsUri);
    String snapshot = DatasetManifest.snapshot(storage, clipsUri);
    long videos = DatasetBuild.clipColumns(table).select("video_uri").distinct().count();
    int partitions = (int) Math.max(1, Math.min(videos, 4L * spark.sparkContext().defaultParallelism()));
    HadoopConf hadoop = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    Dataset<Row> processed = DatasetBuild.process(table, config, hadoop, partitions).persist(StorageLevel.DISK_ONLY());
    try {
      long clipCount;
      try (SparkProgress ignored = SparkProgress.watch(spark, "build-dataset",
          new Progress("build-dataset", "tasks", partitions))) {
        clipCount = processed.count();
      }
      System.err.printf(Locale.ROOT, "build-dataset: decoded and measured %d clips of %d videos%n", clipCount, videos);

      Dataset<Row> ok = processed.where(col("status").equalTo(ProcessedClip.OK));
      Dataset<Row> duplicates = config.on(Filter.DUPLICATE)
          ? DatasetBuild.duplicates(ok, config.duplicateBits()).persist(StorageLevel.MEMORY_AND_DISK())
          : spark.createDataFrame(List.of(), new org.apache.spark.sql.types.StructType().add("clip_id", "string"));
      long duplicateCount = duplicates.count();
      Dataset<Row> rows = DatasetBuild.shardRows(processed, duplicates, clipsUri, snapshot);
      writeShards(spark, rows, layout, config);
      DatasetBuild.errorRows(processed).coalesce(1).write().mode(SaveMode.Overwrite).parquet(layout.errors());

      List<Row> counts = spark.read().parquet(layout.root()).groupBy("split", "bucket").count()
          .orderBy("split", "bucket").collectAsList();
      long written = counts.stream().mapToLong(r -> r.getLong(2)).sum();
      BuildReport report = BuildReport.of(processed, duplicateCount, written);
      storage.writeStringAtomically(layout.report(), DatasetManifest.JSON.writeValueAsString(report.toJson()));
      try (var png = storage.create(layout.reportPng())) {
        png.write(report.png());
      }
      Map<String, Object> manifest = DatasetManifest.build(command, clipsUri, snapshot, config, counts, report,
          DatasetManifest.fileHashes(spark, storage, layout));
      storage.writeStringAtomically(layout.manifest(), DatasetManifest.JSON.writeValueAsString(manifest));
      @SuppressWarnings("unchecked")
      Map<String, Object> rowCounts = (Map<String, Object>) manifest.get("rows");
      return new Summary(layout.root(), report.input(), written, (Long) rowCounts.get(DatasetLayout.TRAIN),
          (Long) rowCounts.get(DatasetLayout.VAL), report.errors(), duplicateCount);
    } finally {
      processed.unpersist();
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

  /**
   * Shards aim at the target size: as many partitions as the bytes need, each file capped at the
   * rows that fit the target. The fault hook sits right before the write, so an injected failure
   * kills a task attempt mid-write.
   */
  static void writeShards(SparkSession spark, Dataset<Row> rows, DatasetLayout layout, BuildConfig config) {
    int largest = config.buckets().stream().mapToInt(Bucket::bytes).max().orElse(1);
    long perShard = Math.max(1, config.shardTargetBytes() / largest);
    long count = rows.count();
    int shards = (int) Math.max(1, Math.min(100_000, (count + perShard - 1) / perShard));
    FaultInjection.guard(rows.repartition(shards, col("split"), col("bucket"), col("clip_id"))).write()
        .mode(SaveMode.Overwrite)
        .option("maxRecordsPerFile", perShard)
        .partitionBy("split", "bucket")
        .parquet(layout.root());
  }
}
