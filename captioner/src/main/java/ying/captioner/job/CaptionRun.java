package ying.captioner.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import ying.core.cli.Progress;
import ying.core.io.Storage;
import ying.core.spark.FaultInjection;
import ying.core.spark.HadoopConf;
import ying.core.spark.SparkProgress;

/**
 * A caption run against storage: list and hash the inputs, skip videos this model version already
 * captioned, caption the rest, append their clips under {@code caption_model=<NAME@VERSION>/} and
 * replace this version's error rows under {@code _errors/}.
 */
public final class CaptionRun {
  private CaptionRun() {}

  public record Summary(String model, int inputs, long skipped, long captionedVideos, long clips, long errors) {}

  public static Summary run(SparkSession spark, String input, String out, CaptionOptions options) throws IOException {
    return run(spark, input, out, options, null);
  }

  /** As above, adding the caption tasks' time, and their time inside the model, to {@code timers} (may be null). */
  public static Summary run(SparkSession spark, String input, String out, CaptionOptions options, CaptionTimers timers)
      throws IOException {
    Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
    CaptionerSource source = CaptionerSource.resolve(storage, options.model(), options.registry());
    String exact = source.label();
    String outUri = Storage.normalise(out);
    String errorsUri = Storage.join(outUri, "_errors");
    List<String> uris = VideoInputs.list(storage, input);
    if (uris.isEmpty()) {
      throw new IllegalArgumentException("--input " + input + " holds no video files");
    }
    HadoopConf hadoop = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    int partitions = Math.max(1, Math.min(uris.size(), 4 * spark.sparkContext().defaultParallelism()));
    Dataset<Row> hashed = CaptionJob.hash(spark.createDataset(uris, Encoders.STRING()).toDF("video_uri")
        .repartition(partitions), hadoop).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> readable = hashed.where(col("error").isNull());
      Dataset<Row> todo = readable;
      if (storage.exists(Storage.join(outUri, "caption_model=" + exact))) {
        Dataset<Row> done = spark.read().parquet(outUri).where(col("caption_model").equalTo(exact))
            .select("video_sha256").distinct();
        todo = readable.join(done, readable.col("video_sha256").equalTo(done.col("video_sha256")), "left_anti");
      }
      // One caption per content: a video stored twice is captioned once, under its first URI.
      todo = todo.groupBy("video_sha256").agg(org.apache.spark.sql.functions.min("video_uri").as("video_uri"))
          .select("video_uri", "video_sha256");
      long toCaption = todo.count();
      long skipped = readable.count() - toCaption;
      System.err.printf("caption: %d inputs, %d already captioned by %s, %d to caption%n", uris.size(), skipped,
          exact, toCaption);
      Dataset<Row> results = CaptionJob.caption(todo.repartition((int) Math.max(1, Math.min(toCaption, partitions))),
          options, source, hadoop, timers).persist(StorageLevel.DISK_ONLY());
      try {
        try (SparkProgress ignored = SparkProgress.watch(spark, "caption", new Progress("caption", "tasks", partitions))) {
          results.count();
        }
        Dataset<Row> clips = CaptionJob.clipRows(results);
        long clipCount = clips.count();
        FaultInjection.guard(clips).write().mode(SaveMode.Append).partitionBy("caption_model").parquet(outUri);
        Dataset<Row> hashErrors = hashed.where(col("error").isNotNull()).select(col("video_uri"), col("video_sha256"),
            lit(exact).as("caption_model"), lit("hash").as("stage"), col("error").as("message"),
            current_timestamp().as("created_at"));
        Dataset<Row> errors = CaptionJob.errorRows(results).unionByName(hashErrors);
        long errorCount = errors.count();
        // This version's errors are replaced, not appended: a rerun retries them and never lists one twice.
        storage.delete(Storage.join(errorsUri, "caption_model=" + exact));
        errors.write().mode(SaveMode.Append).partitionBy("caption_model").parquet(errorsUri);
        long videos = CaptionJob.clipRows(results).select("video_sha256").distinct().count();
        return new Summary(exact, uris.size(), skipped, videos, clipCount, errorCount);
      } finally {
        results.unpersist();
      }
    } finally {
      hashed.unpersist();
    }
  }
}
