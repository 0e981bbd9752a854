package ying.datasetbuilder;

import ying.core.video.MotionStats;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import ying.core.dataset.Bucket;
import org.apache.spark.sql.RowFactory;
import ying.core.dataset.DatasetLayout;
import ying.core.io.Storage;
import ying.core.spark.HadoopConf;
import ying.core.video.FrameSpec;
import ying.core.video.Frames;
import ying.core.video.VideoException;
import ying.core.video.VideoReader;

/**
 * Turns clip-table rows into {@link ProcessedClip} rows, one for one. Rows arrive sorted by video,
 * so each video is opened once and its clips are read by seeking; a video that cannot be opened
 * yields an error row per clip and the partition goes on.
 */
final class ClipProcessor implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");

  private final BuildConfig config;
  private final HadoopConf hadoop;

  ClipProcessor(BuildConfig config, HadoopConf hadoop) {
    this.config = config;
    this.hadoop = hadoop;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> clips) {
    Storage storage = hadoop.storage();
    return new Iterator<>() {
      private String openUri;
      private VideoReader reader;
      private VideoException openError;

      @Override
      public boolean hasNext() {
        boolean more = clips.hasNext();
        if (!more) {
          closeReader();
        }
        return more;
      }

      @Override
      public Row next() {
        Row clip = clips.next();
        return process(clip);
      }

      private Row process(Row clip) {
        String uri = clip.getAs("video_uri");
        Double start = clip.getAs("start_s");
        Double end = clip.getAs("end_s");
        String caption = clip.getAs("caption");
        Clip c = new Clip(clipId(uri, start, end), uri, start, end, caption, config.valFraction(),
            clip.getAs("source_table"), clip.getAs("source_snapshot"));
        if (uri == null || uri.isBlank() || start == null || end == null || !(end > start) || start < 0) {
          return c.error("input", "clip needs a video_uri and 0 <= start_s < end_s, got " + uri + " [" + start + ", "
              + end + ")");
        }
        if (config.on(Filter.BAD_CAPTION) && c.words < config.minCaptionWords()) {
          return c.filtered(Filter.BAD_CAPTION, c.words + " words");
        }
        if (config.on(Filter.BLOCKED_WORDS)) {
          String blocked = firstBlockedWord(caption);
          if (blocked != null) {
            return c.filtered(Filter.BLOCKED_WORDS, "'" + blocked + "'");
          }
        }
        double duration = end - start;
        Bucket bucket = config.bucketFor(duration);
        if (bucket == null || (config.on(Filter.TOO_SHORT) && duration < config.minClipSeconds())) {
          return c.filtered(Filter.TOO_SHORT, String.format(Locale.ROOT, "%.3f s", duration));
        }
        VideoReader video;
        try {
          video = open(uri);
        } catch (VideoException e) {
          return c.error("open", e.getMessage());
        }
        if (config.on(Filter.TOO_SMALL)
            && (video.info().width() < bucket.width() || video.info().height() < bucket.height())) {
          return c.filtered(Filter.TOO_SMALL, video.info().width() + "x" + video.info().height() + " < " + bucket);
        }
        // The bucket's window sits in the middle of the clip: away from the cuts at either end.
        double windowStart = start + (duration - bucket.seconds()) / 2;
        Frames frames;
        try {
          frames = video.read(windowStart, windowStart + bucket.seconds(),
              FrameSpec.of(bucket.fps(), bucket.width(), bucket.height()));
        } catch (VideoException e) {
          return c.error("decode", e.getMessage());
        }
        if (frames.count() != bucket.frames()) {
          return c.error("decode", "decoded " + frames.count() + " of the bucket's " + bucket.frames()
              + " frames: the video is shorter than the clip table says");
        }
        MotionStats stats = MotionStats.of(frames.rgb(), frames.count(), frames.frameBytes(), bucket.fps(),
            config.flashJump());
        long[] hashes = PerceptualHash.ofClip(frames.rgb(), frames.count(), frames.width(), frames.height());
        byte[] thumbs = FrameThumbnails.ofClip(frames.rgb(), frames.count(), frames.width(), frames.height());
        Measured m = new Measured(bucket, windowStart, frames, stats, hashes, thumbs);
        if (config.on(Filter.STATIC) && stats.motion() < config.staticBelow()) {
          return c.row(ProcessedClip.FILTERED, Filter.STATIC.key(),
              String.format(Locale.ROOT, "motion %.5f", stats.motion()), m, false);
        }
        if (config.on(Filter.TOO_FAST)
            && (stats.change() > config.fastAbove() || stats.flashFraction() > config.flashFraction())) {
          return c.row(ProcessedClip.FILTERED, Filter.TOO_FAST.key(), String.format(Locale.ROOT,
              "change %.3f, flashing %.2f", stats.change(), stats.flashFraction()), m, false);
        }
        return c.row(ProcessedClip.OK, null, null, m, true);
      }

      private VideoReader open(String uri) throws VideoException {
        if (!uri.equals(openUri)) {
          closeReader();
          openUri = uri;
          try {
            reader = VideoReader.open(storage, uri);
          } catch (VideoException e) {
            openError = e;
          }
        }
        if (openError != null) {
          throw openError;
        }
        return reader;
      }

      private void closeReader() {
        if (reader != null) {
          reader.close();
        }
        reader = null;
        openError = null;
        openUri = null;
      }
    };
  }

  private String firstBlockedWord(String caption) {
    if (caption == null || config.blockedWords().isEmpty()) {
      return null;
    }
    var m = WORD.matcher(caption.toLowerCase(Locale.ROOT));
    while (m.find()) {
      if (config.blockedWords().contains(m.group())) {
        return m.group();
      }
    }
    return null;
  }

  static int words(String caption) {
    if (caption == null) {
      return 0;
    }
    int n = 0;
    var m = WORD.matcher(caption);
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** A stable id from where the clip comes from, so reruns and joins agree on it. */
  static String clipId(String uri, Double start, Double end) {
    String key = uri + "|" + (start == null ? "" : String.format(Locale.ROOT, "%.6f", start)) + "|"
        + (end == null ? "" : String.format(Locale.ROOT, "%.6f", end));
    return hex(sha256(key), 8);
  }

  /** Train or val from a hash of the source video alone, so one video's clips share a split. */
  static String split(String uri, double valFraction) {
    byte[] h = sha256(uri == null ? "" : uri);
    long top = 0;
    for (int i = 0; i < 7; i++) {
      top = (top << 8) | (h[i] & 0xff);
    }
    double u = top / (double) (1L << 56);
    return u < valFraction ? DatasetLayout.VAL : DatasetLayout.TRAIN;
  }

  static byte[] sha256(String s) {
    return ying.core.io.Hashing.sha256(s);
  }

  static String hex(byte[] bytes, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(String.format("%02x", bytes[i]));
    }
    return sb.toString();
  }

  private record Measured(Bucket bucket, double windowStart, Frames frames, MotionStats stats, long[] hashes,
      byte[] thumbs) {}

  /** One input clip on its way to a {@link ProcessedClip} row. */
  private static final class Clip {
    final String id;
    final String uri;
    final Double start;
    final Double end;
    final String caption;
    final String split;
    final int words;
    final String sourceTable;
    final String sourceSnapshot;

    Clip(String id, String uri, Double start, Double end, String caption, double valFraction, String sourceTable,
        String sourceSnapshot) {
      this.id = id;
      this.uri = uri;
      this.start = start;
      this.end = end;
      this.caption = caption;
      this.split = split(uri, valFraction);
      this.words = words(caption);
      this.sourceTable = sourceTable;
      this.sourceSnapshot = sourceSnapshot;
    }

    Row filtered(Filter f, String message) {
      return row(ProcessedClip.FILTERED, f.key(), message, null, false);
    }

    Row error(String stage, String message) {
      return row(ProcessedClip.ERROR, stage, message, null, false);
    }

    Row row(String status, String reason, String message, Measured m, boolean keepFrames) {
      Double duration = start != null && end != null ? end - start : null;
      List<Object> v = new ArrayList<>(List.of());
      v.add(id);
      v.add(uri);
      v.add(start);
      v.add(end);
      v.add(caption);
      v.add(split);
      v.add(duration);
      v.add(words);
      v.add(status);
      v.add(reason);
      v.add(message);
      if (m == null) {
        for (int i = 0; i < 13; i++) {
          v.add(null);
        }
      } else {
        v.add(m.bucket().name());
        v.add(m.windowStart());
        v.add(m.frames().count());
        v.add(m.frames().height());
        v.add(m.frames().width());
        v.add(m.bucket().fps());
        v.add(keepFrames ? m.frames().rgb() : null);
        v.add(m.stats().motion());
        v.add(m.stats().change());
        v.add(m.stats().flashFraction());
        v.add(m.hashes());
        v.add(PerceptualHash.bands(m.hashes(), PerceptualHash.SAMPLES / 2));
        v.add(m.thumbs());
      }
      v.add(sourceTable);
      v.add(sourceSnapshot);
      return RowFactory.create(v.toArray());
    }
  }
}
