package ying.captioner.job;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
 *
 * <p>The run is four Spark jobs (hash, caption, write clips, write errors when there are any; a
 * rerun adds one that reads which hashes are done). The driver already holds every input URI, so it holds their hashes
 * too and picks what to caption without a shuffle; each job planned and scheduled one after
 * another costs wall time that no second core can share.
 */
public final class CaptionRun {
  private CaptionRun() {}

  public record Summary(String model, int inputs, long skipped, long captionedVideos, long clips, long errors) {}

  private static final StructType TODO = new StructType()
      .add("video_uri", DataTypes.StringType, false)
      .add("video_sha256", DataTypes.StringType, false);

  private static final StructType ERRORS = new StructType()
      .add("video_uri", DataTypes.StringType, false)
      .add("video_sha256", DataTypes.StringType, true)
      .add("caption_model", DataTypes.StringType, false)
      .add("stage", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, true)
      .add("created_at", DataTypes.TimestampType, false);

  private static final StructType COUNTS = new StructType()
      .add("clips", DataTypes.LongType, false)
      .add("errors", DataTypes.LongType, false)
      .add("videos", DataTypes.LongType, false);

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
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int partitions = Math.max(1, Math.min(uris.size(), 4 * spark.sparkContext().defaultParallelism()));
    List<Row> hashed = CaptionJob.hash(spark.createDataFrame(jsc.parallelize(uris.stream()
        .map(u -> RowFactory.create(u)).toList(), partitions), new StructType().add("video_uri", DataTypes.StringType,
        false)), hadoop).collectAsList();
    Set<String> done = new HashSet<>();
    if (storage.exists(Storage.join(outUri, "caption_model=" + exact))) {
      spark.read().parquet(outUri).where(col("caption_model").equalTo(exact)).select("video_sha256").distinct()
          .collectAsList().forEach(r -> done.add(r.getString(0)));
    }
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> errors = new ArrayList<>();
    // One caption per content: a video stored twice is captioned once, under its first URI.
    TreeMap<String, String> todo = new TreeMap<>();
    long readable = 0;
    for (Row h : hashed) {
      if (h.isNullAt(1)) {
        errors.add(RowFactory.create(h.getString(0), null, exact, "hash", h.getString(2), now));
      } else {
        readable++;
        if (!done.contains(h.getString(1))) {
          todo.merge(h.getString(1), h.getString(0), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
      }
    }
    long skipped = readable - todo.size();
    System.err.printf("caption: %d inputs, %d already captioned by %s, %d to caption%n", uris.size(), skipped,
        exact, todo.size());
    List<Row> todoRows = todo.entrySet().stream().map(e -> RowFactory.create(e.getValue(), e.getKey())).toList();
    int captionPartitions = Math.max(1, Math.min(todoRows.size(), partitions));
    Dataset<Row> results = CaptionJob.caption(spark.createDataFrame(jsc.parallelize(todoRows, captionPartitions), TODO),
        options, source, hadoop, timers).persist(StorageLevel.DISK_ONLY());
    try {
      long clipCount = 0;
      long videos = 0;
      long captionErrors = 0;
      try (SparkProgress ignored = SparkProgress.watch(spark, "caption",
          new Progress("caption", "tasks", captionPartitions))) {
        // Fills the cache and counts in one job: a video's rows all come from one task.
        for (Row c : results.mapPartitions((MapPartitionsFunction<Row, Row>) CaptionRun::count, Encoders.row(COUNTS))
            .collectAsList()) {
          clipCount += c.getLong(0);
          captionErrors += c.getLong(1);
          videos += c.getLong(2);
        }
      }
      FaultInjection.guard(CaptionJob.clipRows(results)).write().mode(SaveMode.Append).partitionBy("caption_model")
          .parquet(outUri);
      // This version's errors are replaced, not appended: a rerun retries them and never lists one twice.
      storage.delete(Storage.join(errorsUri, "caption_model=" + exact));
      if (captionErrors + errors.size() > 0) {
        CaptionJob.errorRows(results).unionByName(spark.createDataFrame(errors, ERRORS)).write().mode(SaveMode.Append)
            .partitionBy("caption_model").parquet(errorsUri);
      }
      return new Summary(exact, uris.size(), skipped, videos, clipCount, captionErrors + errors.size());
    } finally {
      results.unpersist(true);
    }
  }

  /** One partition's clip rows, error rows and videos with clips. */
  private static java.util.Iterator<Row> count(java.util.Iterator<Row> rows) {
    long clips = 0;
    long errors = 0;
    Set<String> videos = new HashSet<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      if (r.isNullAt(r.fieldIndex("stage"))) {
        clips++;
        videos.add(r.getString(1));
      } else {
        errors++;
      }
    }
    return List.of(RowFactory.create(clips, errors, (long) videos.size())).iterator();
  }
}
