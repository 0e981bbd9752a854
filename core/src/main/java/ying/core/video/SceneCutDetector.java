package ying.core.video;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds hard cuts: frames that differ from the one before far more than their neighbours differ
 * from each other. Works on small thumbnails at the native frame rate, so a cut is placed on the
 * exact first frame of the new shot, and camera motion (which changes pixels but hardly the
 * colour distribution, and does so steadily) does not trip it.
 */
public final class SceneCutDetector {
  /**
   * @param absoluteThreshold a frame-to-frame change score (0..1) below which nothing is a cut
   * @param contrast how many times the local median change a cut must exceed
   * @param window frames on each side that define "local"
   * @param minSceneSeconds the shortest scene a cut may open, which stops flashes from splitting one
   */
  public record Options(double absoluteThreshold, double contrast, int window, double minSceneSeconds) {
    public static Options defaults() {
      return new Options(0.10, 4.0, 8, 0.5);
    }
  }

  /** Cut times in seconds (timestamps of each new shot's first frame) and the per-frame scores. */
  public record Result(List<Double> cutTimes, double[] timestamps, double[] scores) {}

  private static final int ANALYSIS_WIDTH = 64;
  /** The widest frame a streaming scorer reads whole; the caption job's cuts were tuned on 96x64. */
  static final int SCORED_WIDTH = 96;
  private static final int BINS = 4; // per channel: 64 colour bins, coarse enough to ignore compression noise

  private final Options options;

  public SceneCutDetector(Options options) {
    this.options = options;
  }

  public SceneCutDetector() {
    this(Options.defaults());
  }

  /** Decodes the whole video once, at its native frame rate, into thumbnails, and finds the cuts. */
  public Result detect(VideoReader reader) throws VideoException {
    VideoInfo info = reader.info();
    int w = Math.min(ANALYSIS_WIDTH, info.width());
    int h = Math.max(2, (int) Math.round((double) w * info.height() / info.width()));
    Scorer scorer = scorer();
    reader.stream(0, Double.POSITIVE_INFINITY, FrameSpec.of(0, w, h), (i, t, rgb) -> scorer.accept(t, rgb));
    return scorer.result();
  }

  /**
   * Scores frames as they arrive, for a caller that decodes the video for something else too (the
   * caption job samples its clips in the same pass). The scores are normalised per pixel, so any
   * small frame size works; frames must all have one size and come at the native rate, in order.
   */
  public Scorer scorer() {
    return new Scorer(0, 0, 1);
  }

  /**
   * A scorer for {@code width x height} frames that reads every {@code s}-th pixel of every
   * {@code s}-th row, {@code s = width / SCORED_WIDTH} (at least 1), so the scores of a 192x128 frame
   * cost about what a 96x64 frame's do and keep the statistics the thresholds were tuned on.
   */
  public Scorer scorer(int width, int height) {
    return new Scorer(width, height, Math.max(1, width / SCORED_WIDTH));
  }

  /** Frame-to-frame change scores of a stream of frames; {@link #result} picks the cuts. */
  public final class Scorer {
    private double[] times = new double[256];
    private double[] scores = new double[256];
    private int count;
    private final int width;
    private final int height;
    private final int stride;
    private byte[] previous;
    private int[] previousHistogram;
    private byte[] sampled;

    private Scorer(int width, int height, int stride) {
      this.width = width;
      this.height = height;
      this.stride = stride;
    }

    public void accept(double timestampSeconds, byte[] frame) {
      byte[] rgb = width == 0 ? frame : read(frame); // scorer(): any one size, read whole
      int[] histogram = histogram(rgb);
      double score = 0;
      if (previous != null) {
        score = 0.5 * meanAbsDiff(previous, rgb) + 0.5 * histogramDistance(previousHistogram, histogram, rgb.length / 3);
      } else {
        previous = new byte[rgb.length];
      }
      System.arraycopy(rgb, 0, previous, 0, rgb.length);
      previousHistogram = histogram;
      if (count == scores.length) {
        scores = Arrays.copyOf(scores, count * 2);
        times = Arrays.copyOf(times, count * 2);
      }
      scores[count] = score;
      times[count++] = timestampSeconds;
    }

    /** The pixels this scorer reads, packed RGB (the frame itself when it reads them all). */
    private byte[] read(byte[] frame) {
      if (frame.length != width * height * 3) {
        throw new IllegalArgumentException("a " + width + "x" + height + " scorer got " + frame.length + " bytes");
      }
      if (stride == 1) {
        return frame;
      }
      if (sampled == null) {
        sampled = new byte[((width + stride - 1) / stride) * ((height + stride - 1) / stride) * 3];
      }
      int o = 0;
      for (int y = 0; y < height; y += stride) {
        for (int x = 0, p = y * width * 3; x < width; x += stride, p += 3 * stride) {
          sampled[o++] = frame[p];
          sampled[o++] = frame[p + 1];
          sampled[o++] = frame[p + 2];
        }
      }
      return sampled;
    }

    /**
     * The cuts among the frames so far that no later frame can move: a frame's verdict reads
     * {@code window} frames on each side, so it is final once that many frames have followed it.
     * They are the first cuts {@link #result} will give, in a bounded-memory caller's hands early.
     */
    public List<Double> settledCuts() {
      int settled = count - 1 - options.window();
      if (settled < 1) {
        return List.of();
      }
      List<Double> cuts = new ArrayList<>();
      for (int i : cutFrames(Arrays.copyOf(times, count), Arrays.copyOf(scores, count))) {
        if (i <= settled) {
          cuts.add(times[i]);
        }
      }
      return cuts;
    }

    public Result result() {
      double[] ts = Arrays.copyOf(times, count);
      double[] sc = Arrays.copyOf(scores, count);
      return new Result(pickCuts(ts, sc), ts, sc);
    }
  }

  /** Frame i is a cut when its change is large in absolute terms and large against its neighbours'. */
  List<Double> pickCuts(double[] timestamps, double[] scores) {
    List<Double> cuts = new ArrayList<>();
    for (int i : cutFrames(timestamps, scores)) {
      cuts.add(timestamps[i]);
    }
    return cuts;
  }

  private List<Integer> cutFrames(double[] timestamps, double[] scores) {
    List<Integer> cuts = new ArrayList<>();
    double lastCut = timestamps.length > 0 ? timestamps[0] : 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] < options.absoluteThreshold()) {
        continue;
      }
      if (scores[i] < options.contrast() * localMedian(scores, i)) {
        continue;
      }
      if (!isLocalMaximum(scores, i)) {
        continue;
      }
      if (timestamps[i] - lastCut < options.minSceneSeconds()) {
        continue;
      }
      cuts.add(i);
      lastCut = timestamps[i];
    }
    return cuts;
  }

  private boolean isLocalMaximum(double[] scores, int i) {
    int from = Math.max(1, i - options.window());
    int to = Math.min(scores.length - 1, i + options.window());
    for (int j = from; j <= to; j++) {
      if (scores[j] > scores[i]) {
        return false;
      }
    }
    return true;
  }

  private double localMedian(double[] scores, int i) {
    int from = Math.max(1, i - options.window());
    int to = Math.min(scores.length - 1, i + options.window());
    double[] around = new double[Math.max(0, to - from)];
    int n = 0;
    for (int j = from; j <= to; j++) {
      if (j != i) {
        around[n++] = scores[j];
      }
    }
    if (n == 0) {
      return 0;
    }
    Arrays.sort(around, 0, n);
    return around[n / 2];
  }

  private static int[] histogram(byte[] rgb) {
    int[] hist = new int[BINS * BINS * BINS];
    int shift = 8 - Integer.numberOfTrailingZeros(BINS);
    for (int p = 0; p < rgb.length; p += 3) {
      int r = (rgb[p] & 0xff) >> shift;
      int g = (rgb[p + 1] & 0xff) >> shift;
      int b = (rgb[p + 2] & 0xff) >> shift;
      hist[(r * BINS + g) * BINS + b]++;
    }
    return hist;
  }

  /** Half the L1 distance of the normalised histograms: 0 for the same colours, 1 for disjoint ones. */
  private static double histogramDistance(int[] a, int[] b, int pixels) {
    long sum = 0;
    for (int k = 0; k < a.length; k++) {
      sum += Math.abs(a[k] - b[k]);
    }
    return sum / (2.0 * pixels);
  }

  private static double meanAbsDiff(byte[] a, byte[] b) {
    long sum = 0;
    for (int k = 0; k < a.length; k++) {
      sum += Math.abs((a[k] & 0xff) - (b[k] & 0xff));
    }
    return sum / (255.0 * a.length);
  }
}
