package ying.datasetbuilder;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The row every input clip becomes after decoding and measuring: an {@code ok} clip with its
 * frames, a {@code filtered} one with the filter that removed it, or an {@code error} with the
 * stage and message. Nothing is dropped silently; the funnel counts come from these rows.
 */
final class ProcessedClip {
  private ProcessedClip() {}

  static final String OK = "ok";
  static final String FILTERED = "filtered";
  static final String ERROR = "error";

  static final StructType SCHEMA = new StructType()
      .add("clip_id", DataTypes.StringType, false)
      .add("video_uri", DataTypes.StringType, true)
      .add("start_s", DataTypes.DoubleType, true)
      .add("end_s", DataTypes.DoubleType, true)
      .add("caption", DataTypes.StringType, true)
      .add("split", DataTypes.StringType, false)
      .add("duration_s", DataTypes.DoubleType, true)
      .add("caption_words", DataTypes.IntegerType, false)
      .add("status", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, true)
      .add("message", DataTypes.StringType, true)
      .add("bucket", DataTypes.StringType, true)
      .add("window_start_s", DataTypes.DoubleType, true)
      .add("num_frames", DataTypes.IntegerType, true)
      .add("height", DataTypes.IntegerType, true)
      .add("width", DataTypes.IntegerType, true)
      .add("fps", DataTypes.DoubleType, true)
      .add("frames", DataTypes.BinaryType, true)
      .add("motion_score", DataTypes.DoubleType, true)
      .add("change_score", DataTypes.DoubleType, true)
      .add("flash_fraction", DataTypes.DoubleType, true)
      .add("phash", DataTypes.createArrayType(DataTypes.LongType, false), true)
      .add("phash_bands", DataTypes.createArrayType(DataTypes.LongType, false), true)
      .add("thumbs", DataTypes.BinaryType, true)
      .add("source_table", DataTypes.StringType, true)
      .add("source_snapshot", DataTypes.StringType, true);

  /** The columns of a training shard, in order. */
  static final String[] SHARD_COLUMNS = {"clip_id", "caption", "bucket", "num_frames", "height", "width", "fps",
      "frames", "motion_score", "video_uri", "start_s", "end_s", "window_start_s", "source_table", "source_snapshot",
      "split"};
}
