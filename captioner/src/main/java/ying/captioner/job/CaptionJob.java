package ying.captioner.job;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import ying.captioner.model.Caption;
import ying.captioner.model.Captioner;
import ying.core.io.Hashing;
import ying.core.io.Storage;
import ying.core.spark.HadoopConf;
import ying.core.video.VideoException;
import ying.core.video.VideoInfo;
import ying.core.video.VideoReader;

/**
 * The caption job as functions over Datasets: hash the input videos, then per video detect cuts,
 * plan clips, sample each clip's frames (all in one decode, {@link ClipSampler}) and caption them in
 * batches with the executor's model. Each video yields its clip rows or one error row; clips are keyed by (video, index), never by
 * their place in a batch.
 */
public final class CaptionJob {
  private CaptionJob() {}

  public static final StructType VIDEOS = new StructType()
      .add("video_uri", DataTypes.StringType, false)
      .add("video_sha256", DataTypes.StringType, true)
      .add("error", DataTypes.StringType, true);

  /** Result rows: a clip ({@code stage} null) or an error ({@code stage} and {@code message} set). */
  public static final StructType RESULTS = new StructType()
      .add("video_uri", DataTypes.StringType, false)
      .add("video_sha256", DataTypes.StringType, true)
      .add("clip_index", DataTypes.IntegerType, true)
      .add("scene_index", DataTypes.IntegerType, true)
      .add("start_s", DataTypes.DoubleType, true)
      .add("end_s", DataTypes.DoubleType, true)
      .add("fps", DataTypes.DoubleType, true)
      .add("width", DataTypes.IntegerType, true)
      .add("height", DataTypes.IntegerType, true)
      .add("codec", DataTypes.StringType, true)
      .add("caption", DataTypes.StringType, true)
      .add("caption_confidence", DataTypes.DoubleType, true)
      .add("motion_score", DataTypes.DoubleType, true)
      .add("caption_model", DataTypes.StringType, false)
      .add("created_at", DataTypes.TimestampType, false)
      .add("stage", DataTypes.StringType, true)
      .add("message", DataTypes.StringType, true);

  /** The output table's columns, in order. */
  public static final String[] CLIP_COLUMNS = {"video_uri", "video_sha256", "clip_index", "scene_index", "start_s",
      "end_s", "fps",
      "width", "height", "codec", "caption", "caption_confidence", "motion_score", "caption_model", "created_at"};

  /** sha256 of each video's bytes; a video that cannot be read gets an error instead. */
  public static Dataset<Row> hash(Dataset<Row> uris, HadoopConf hadoop) {
    return uris.mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
      Storage storage = hadoop.storage();
      List<Row> out = new ArrayList<>();
      while (it.hasNext()) {
        String uri = it.next().getString(0);
        try {
          out.add(RowFactory.create(uri, Hashing.sha256(storage.open(uri)), null));
        } catch (IOException | RuntimeException e) {
          out.add(RowFactory.create(uri, null, "hash: " + e));
        }
      }
      return out.iterator();
    }, Encoders.row(VIDEOS));
  }

  /** Captions every video of {@code videos} (video_uri, video_sha256) with the model from {@code source}. */
  public static Dataset<Row> caption(Dataset<Row> videos, CaptionOptions options, CaptionerSource source,
      HadoopConf hadoop) {
    return caption(videos, options, source, hadoop, null);
  }

  /** As above, adding each task's time, and its time inside the model, to {@code timers} (may be null). */
  public static Dataset<Row> caption(Dataset<Row> videos, CaptionOptions options, CaptionerSource source,
      HadoopConf hadoop, CaptionTimers timers) {
    return videos.select(col("video_uri"), col("video_sha256"))
        .mapPartitions(new Captioning(options, source, hadoop, timers), Encoders.row(RESULTS));
  }

  public static Dataset<Row> clipRows(Dataset<Row> results) {
    return results.where(col("stage").isNull()).selectExpr(CLIP_COLUMNS);
  }

  public static Dataset<Row> errorRows(Dataset<Row> results) {
    return results.where(col("stage").isNotNull()).select("video_uri", "video_sha256", "caption_model", "stage",
        "message", "created_at");
  }

  /** One partition's videos: clips are planned per video, then captioned in batches across videos. */
  static final class Captioning implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final CaptionOptions options;
    private final CaptionerSource source;
    private final String model;
    private final HadoopConf hadoop;
    private final CaptionTimers timers;

    Captioning(CaptionOptions options, CaptionerSource source, HadoopConf hadoop, CaptionTimers timers) {
      this.timers = timers;
      this.options = options;
      this.source = source;
      this.model = source.label();
      this.hadoop = hadoop;
    }

    private record Pending(String uri, String sha, VideoInfo info, ClipPlanner.Clip clip, int views, double motion) {}

    @Override
    public Iterator<Row> call(Iterator<Row> videos) throws Exception {
      Storage storage = hadoop.storage();
      long t0 = System.nanoTime();
      Captioner c = LoadedCaptioners.borrow(storage, source, options.torchThreads());
      try {
        return captionPartition(videos, storage, c);
      } finally {
        LoadedCaptioners.giveBack(source, c);
        if (timers != null) {
          timers.tasks().add(System.nanoTime() - t0);
        }
      }
    }

    private Iterator<Row> captionPartition(Iterator<Row> videos, Storage storage, Captioner c) throws IOException {
      Batch batch = new Batch(c, java.sql.Timestamp.from(Instant.now()));
      while (videos.hasNext()) {
        Row v = videos.next();
        String uri = v.getString(0);
        String sha = v.getString(1);
        int rowsBefore = batch.out.size();
        int clipsBefore = batch.clips;
        long modelBefore = batch.modelNanos;
        String stage = "open";
        long decodeStart = System.nanoTime();
        try (VideoReader reader = VideoReader.open(storage, uri)) {
          VideoInfo info = reader.info();
          stage = "decode";
          // A long video's scenes arrive while it decodes: captioned as they come, its frames never pile up.
          ClipSampler.sample(reader, c.width(), c.height(), c.frames(), options.forCaptioner(c), options.frameMemoryBytes(),
              s -> batch.add(new Pending(uri, sha, info, s.clip(), s.views(), s.motion()), s.frames()));
        } catch (VideoException e) {
          batch.discard(uri, rowsBefore);
          batch.out.add(error(uri, sha, stage, e.getMessage(), batch.now));
          continue;
        } finally {
          if (timers != null) {
            timers.decode().add(System.nanoTime() - decodeStart - (batch.modelNanos - modelBefore));
          }
        }
        if (batch.clips == clipsBefore) {
          batch.out.add(error(uri, sha, "plan", "no clip of at least " + options.minClipSeconds() + " s", batch.now));
        }
      }
      batch.flush();
      return batch.out.iterator();
    }

    /** Clips waiting for the model, across videos, and the partition's rows so far. */
    private final class Batch {
      final Captioner captioner;
      final java.sql.Timestamp now;
      final int clipBytes;
      final byte[] frames;
      final List<Pending> pending = new ArrayList<>();
      final List<Row> out = new ArrayList<>();
      int clips;
      long modelNanos;

      Batch(Captioner captioner, java.sql.Timestamp now) {
        this.captioner = captioner;
        this.now = now;
        this.clipBytes = captioner.frames() * captioner.height() * captioner.width() * 3;
        this.frames = new byte[options.batch() * options.views() * clipBytes];
      }

      void add(Pending clip, byte[] clipFrames) {
        System.arraycopy(clipFrames, 0, frames, rows() * clipBytes, clip.views() * clipBytes);
        pending.add(clip);
        clips++;
        if (pending.size() == options.batch()) {
          flush();
        }
      }

      /**
       * Forgets a video that failed part way: its clips still waiting (the last ones added) and the
       * rows already captioned for it, so it leaves one error row and nothing else.
       */
      void discard(String uri, int rowsBefore) {
        while (!pending.isEmpty() && pending.get(pending.size() - 1).uri().equals(uri)) {
          pending.remove(pending.size() - 1);
        }
        out.subList(rowsBefore, out.size()).removeIf(r -> uri.equals(r.getString(0)));
      }

      void flush() {
        if (pending.isEmpty()) {
          return;
        }
        long t0 = System.nanoTime();
        List<Caption> captions = captioner.caption(java.util.Arrays.copyOf(frames, rows() * clipBytes),
            pending.stream().mapToInt(Pending::views).toArray(), options.beam());
        long nanos = System.nanoTime() - t0;
        modelNanos += nanos;
        if (timers != null) {
          timers.model().add(nanos);
        }
        for (int i = 0; i < pending.size(); i++) {
          Pending p = pending.get(i);
          Caption cap = captions.get(i);
          out.add(RowFactory.create(p.uri(), p.sha(), p.clip().index(), p.clip().scene(), p.clip().start(),
              p.clip().end(), p.info().fps(), p.info().width(), p.info().height(), p.info().codec(), cap.text(),
              cap.confidence(), p.motion(), model, now, null, null));
        }
        pending.clear();
      }

      /** Frame sets waiting in {@code frames}: every view of every pending clip. */
      private int rows() {
        return pending.stream().mapToInt(Pending::views).sum();
      }
    }

    private Row error(String uri, String sha, String stage, String message, java.sql.Timestamp now) {
      return RowFactory.create(uri, sha, null, null, null, null, null, null, null, null, null, null, null, model, now,
          stage, message);
    }
  }
}
