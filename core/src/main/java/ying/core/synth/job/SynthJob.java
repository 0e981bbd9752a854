package ying.core.synth.job;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import ying.core.io.Storage;
import ying.core.spark.HadoopConf;
import ying.core.synth.Scene;
import ying.core.synth.SceneObject;
import ying.core.synth.ScenePlan;
import ying.core.synth.SyntheticWorld;
import ying.core.synth.VideoPlan;
import ying.core.video.VideoException;

/**
 * Renders synthetic videos to MP4 and returns their label table: one row per scene, with the
 * clip-table columns ({@code video_uri, start_s, end_s, caption}) every later stage reads.
 */
public final class SynthJob {
  private SynthJob() {}

  public static final StructType LABELS = new StructType()
      .add("video_uri", DataTypes.StringType, false)
      .add("video_index", DataTypes.IntegerType, false)
      .add("seed", DataTypes.LongType, false)
      .add("scene_index", DataTypes.IntegerType, false)
      .add("start_s", DataTypes.DoubleType, false)
      .add("end_s", DataTypes.DoubleType, false)
      .add("start_frame", DataTypes.IntegerType, false)
      .add("end_frame", DataTypes.IntegerType, false)
      .add("fps", DataTypes.DoubleType, false)
      .add("width", DataTypes.IntegerType, false)
      .add("height", DataTypes.IntegerType, false)
      .add("caption", DataTypes.StringType, false)
      .add("camera", DataTypes.StringType, false)
      .add("background", DataTypes.StringType, false)
      .add("style", DataTypes.StringType, false)
      .add("num_objects", DataTypes.IntegerType, false)
      .add("shapes", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("colours", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("sizes", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("motions", DataTypes.createArrayType(DataTypes.StringType, false), false);

  /**
   * The label table of {@code config}'s videos. Lazy, like any Dataset: the videos are rendered and
   * written to {@code out/videos/} by the tasks of whatever action runs it, one task per video, so
   * run exactly one action on it (the write of the labels).
   */
  public static Dataset<Row> synthesise(SparkSession spark, SynthConfig config) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    HadoopConf hadoop = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    List<Integer> indices = IntStream.range(0, config.count()).boxed().toList();
    JavaRDD<Row> rows = jsc.parallelize(indices, config.count())
        .flatMap(i -> renderVideo(config, i, hadoop.storage()).iterator());
    return spark.createDataFrame(rows, LABELS);
  }

  /** Renders video {@code index}, writes it atomically, and returns its scenes' label rows. */
  static List<Row> renderVideo(SynthConfig config, int index, Storage storage) throws VideoException {
    SyntheticWorld world = new SyntheticWorld(config.seed(), config.world());
    VideoPlan plan = world.video(index);
    String uri = Storage.normalise(Storage.join(Storage.join(config.out(), "videos"), config.videoName(index)));
    plan.write(storage, uri);
    List<Row> rows = new ArrayList<>();
    for (ScenePlan s : plan.scenes()) {
      rows.add(labelRow(uri, index, config.seed(), plan, s));
    }
    return rows;
  }

  private static Row labelRow(String uri, int index, long seed, VideoPlan plan, ScenePlan s) {
    Scene scene = s.scene();
    List<SceneObject> objects = scene.objects();
    return RowFactory.create(uri, index, seed, s.index(), s.startSeconds(), s.endSeconds(), s.startFrame(),
        s.endFrame(), (double) plan.fps(), plan.width(), plan.height(), s.caption(), token(scene.camera()),
        token(scene.background()), token(scene.style()), objects.size(),
        objects.stream().map(o -> token(o.shape())).toArray(String[]::new),
        objects.stream().map(o -> token(o.colour())).toArray(String[]::new),
        objects.stream().map(o -> token(o.size())).toArray(String[]::new),
        objects.stream().map(o -> token(o.motion())).toArray(String[]::new));
  }

  /** Attribute values as stable lower-case tokens, e.g. {@code PAN_LEFT -> pan_left}. */
  static String token(Enum<?> value) {
    return value.name().toLowerCase(java.util.Locale.ROOT);
  }
}
