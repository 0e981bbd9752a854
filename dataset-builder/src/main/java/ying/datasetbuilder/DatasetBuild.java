package ying.datasetbuilder;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import ying.core.spark.HadoopConf;

/**
 * The dataset build as functions over Datasets, free of I/O decisions, so tests run them on
 * {@code local[2]} directly: clips -> processed rows -> near-duplicates -> shard rows.
 */
public final class DatasetBuild {
  private DatasetBuild() {}

  /** The columns a clip table must have; any others are ignored. */
  public static final List<String> REQUIRED = List.of("video_uri", "start_s", "end_s", "caption");

  /** Where a clip table was read from: its URI and {@link DatasetManifest#snapshot}, the shards' provenance. */
  public record Source(String table, String snapshot) {}

  /**
   * The clip tables as one: {@code video_uri, start_s, end_s, caption, source_table, source_snapshot}.
   * A range listed more than once is one clip (same id): the first table that lists it gives its
   * caption (a caption table from a newer captioner, listed first, overrides an older one), and
   * within one table the smallest caption, the same one on every run. A table without the clip
   * columns is refused, naming the table and what is missing.
   */
  public static Dataset<Row> clipTable(List<Dataset<Row>> tables, List<Source> sources) {
    if (tables.isEmpty() || tables.size() != sources.size()) {
      throw new IllegalArgumentException("need one source per clip table, got " + tables.size() + " and " + sources.size());
    }
    Dataset<Row> all = null;
    for (int i = 0; i < tables.size(); i++) {
      Dataset<Row> table = tables.get(i);
      List<String> have = Arrays.asList(table.columns());
      List<String> missing = REQUIRED.stream().filter(c -> !have.contains(c)).toList();
      if (!missing.isEmpty()) {
        String name = sources.get(i).table() == null ? "" : sources.get(i).table() + " is ";
        throw new IllegalArgumentException(name + "not a clip table: missing column(s) " + missing + "; it has " + have);
      }
      Dataset<Row> typed = table.select(col("video_uri").cast("string").as("video_uri"),
          col("start_s").cast("double").as("start_s"), col("end_s").cast("double").as("end_s"),
          lit(i).as("source_index"), col("caption").cast("string").as("caption"),
          lit(sources.get(i).table()).cast("string").as("source_table"),
          lit(sources.get(i).snapshot()).cast("string").as("source_snapshot"));
      all = all == null ? typed : all.union(typed);
    }
    // The struct orders by its first field, the table's place in the list, then by caption.
    Column pick = org.apache.spark.sql.functions.min(
        struct(col("source_index"), col("caption"), col("source_table"), col("source_snapshot"))).as("pick");
    return all.groupBy("video_uri", "start_s", "end_s").agg(pick)
        .select(col("video_uri"), col("start_s"), col("end_s"), col("pick.caption").as("caption"),
            col("pick.source_table").as("source_table"), col("pick.source_snapshot").as("source_snapshot"));
  }

  /** One clip table as {@link #clipTable} reads it, without provenance. */
  public static Dataset<Row> clipColumns(Dataset<Row> table) {
    return clipTable(List.of(table), List.of(new Source(null, null)));
  }

  /**
   * Every clip of a {@link #clipTable} as one {@link ProcessedClip} row. Clips of one video land in
   * one partition, sorted by start, so each video is opened once and read by seeking.
   */
  public static Dataset<Row> process(Dataset<Row> clips, BuildConfig config, HadoopConf hadoop, int partitions) {
    return sampleVideos(clips, config.maxVideos())
        .repartition(partitions, col("video_uri"))
        .sortWithinPartitions("video_uri", "start_s", "end_s")
        .mapPartitions(new ClipProcessor(config, hadoop), Encoders.row(ProcessedClip.SCHEMA));
  }

  /**
   * The clips of {@code maxVideos} source videos (0: all): those whose URI hashes lowest, a sample
   * that does not depend on the table's order and grows by inclusion (a larger limit keeps a smaller
   * one's videos).
   */
  public static Dataset<Row> sampleVideos(Dataset<Row> clips, int maxVideos) {
    if (maxVideos == 0) {
      return clips;
    }
    Dataset<Row> chosen = clips.select("video_uri").distinct()
        .orderBy(xxhash64(col("video_uri")), col("video_uri")).limit(maxVideos);
    return clips.join(chosen, "video_uri").select(clips.columns()[0],
        Arrays.stream(clips.columns()).skip(1).toArray(String[]::new));
  }

  /** How the manifest names the near-duplicate test of {@link #duplicates}, so older schemes are told apart. */
  static final String DUPLICATE_SCHEME = "ternary-dhash-9x8-margin3+thumbnails-24x16-tolerance16";

  /**
   * Ids of the kept clips' near-duplicates: a clip is dropped when a clip with a smaller id has
   * every sampled frame's hash within {@code bits} bits of its own and their thumbnails agree
   * ({@link FrameThumbnails}). Candidates come from locality-sensitive bands of one frame's hash, so
   * the work grows with the number of matches, not its square. A build whose hashes fit on the
   * driver runs the same rule there ({@link NearDuplicates}).
   */
  public static Dataset<Row> duplicates(Dataset<Row> ok, int bits) {
    Dataset<Row> keyed = ok.select(col("clip_id"), col("phash"), explode(col("phash_bands")).as("band"));
    Dataset<Row> a = keyed.as("a");
    Dataset<Row> b = keyed.as("b");
    Column close = lit(true);
    for (int i = 0; i < PerceptualHash.SAMPLES; i++) {
      Column differing = lit(0);
      for (int w = 0; w < PerceptualHash.WORDS; w++) {
        int at = i * PerceptualHash.WORDS + w;
        differing = differing.plus(org.apache.spark.sql.functions.bit_count(
            col("a.phash").getItem(at).bitwiseXOR(col("b.phash").getItem(at))));
      }
      close = close.and(differing.leq(bits));
    }
    Dataset<Row> candidates = a.join(b, col("a.band").equalTo(col("b.band")).and(col("a.clip_id").lt(col("b.clip_id"))))
        .where(close)
        .select(col("a.clip_id").as("first"), col("b.clip_id").as("second"))
        .distinct();
    // Only candidate pairs fetch their thumbnails, so the exploded bands never carry them.
    Dataset<Row> thumbs = ok.select(col("clip_id"), col("thumbs"));
    UserDefinedFunction sameFootage = udf((UDF2<byte[], byte[], Boolean>) (x, y) ->
        FrameThumbnails.sameFootage(x, y, FrameThumbnails.TOLERANCE), DataTypes.BooleanType);
    return candidates
        .join(thumbs.as("ta"), col("first").equalTo(col("ta.clip_id")))
        .join(thumbs.as("tb"), col("second").equalTo(col("tb.clip_id")))
        .where(sameFootage.apply(col("ta.thumbs"), col("tb.thumbs")))
        .select(col("second").as("clip_id"))
        .distinct();
  }

  /** The rows written to the shards: kept clips with their provenance. */
  public static Dataset<Row> shardRows(Dataset<Row> processed, Dataset<Row> duplicates) {
    return keptClips(processed, duplicates)
        .select(Arrays.stream(ProcessedClip.SHARD_COLUMNS).map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
  }

  /** The {@code ok} clips that are not near-duplicates (the shards' clips), with all of {@code processed}'s columns. */
  public static Dataset<Row> keptClips(Dataset<Row> processed, Dataset<Row> duplicates) {
    return processed.where(col("status").equalTo(ProcessedClip.OK))
        .join(duplicates, processed.col("clip_id").equalTo(duplicates.col("clip_id")), "left_anti");
  }

  /** Error rows as {@code _errors/} holds them. */
  public static Dataset<Row> errorRows(Dataset<Row> processed) {
    return processed.where(col("status").equalTo(ProcessedClip.ERROR))
        .select(col("video_uri"), col("clip_id"), col("start_s"), col("end_s"), col("reason").as("stage"),
            col("message"));
  }
}
