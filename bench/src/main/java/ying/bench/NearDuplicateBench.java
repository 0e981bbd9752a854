package ying.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.synth.ScenePlan;
import ying.core.synth.SyntheticWorld;
import ying.core.synth.VideoPlan;
import ying.core.synth.WorldOptions;
import ying.datasetbuilder.FrameThumbnails;
import ying.datasetbuilder.PerceptualHash;

/**
 * What build-dataset's near-duplicate filter keeps and drops, at each threshold: the share of
 * distinct synthetic scenes it would drop (every scene of the synthetic world is drawn anew, so any
 * match among them is a false one) against the share of altered copies it catches. Compares the
 * ternary dHash that {@link PerceptualHash} computes, alone and confirmed by {@link FrameThumbnails}
 * as build-dataset runs it, with the plain 64-bit dHash it replaced.
 * Run it through {@code bench/near-duplicates.sh}; the table goes into docs/near-duplicates.md.
 */
@Command(name = "near-duplicate-bench", mixinStandardHelpOptions = true,
    description = "Near-duplicate filter: distinct scenes dropped vs altered copies caught, per threshold.")
public final class NearDuplicateBench implements Callable<Integer> {
  private static final int W = 96;
  private static final int H = 64;
  private static final int FPS = 8;
  private static final int MAX_FRAMES = 49;
  private static final int SAMPLES = PerceptualHash.SAMPLES;

  @Option(names = "--videos", defaultValue = "3000", description = "Synthetic videos (1-4 scenes each). Default: ${DEFAULT-VALUE}.")
  int videos;

  @Option(names = "--copies", defaultValue = "300", description = "Scenes copied with alterations. Default: ${DEFAULT-VALUE}.")
  int copies;

  @Option(names = "--seed", defaultValue = "1", description = "Synthetic world seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  /** One way of hashing a clip and of counting the bits two clips' hashes differ in (worst sampled frame). */
  interface ClipHash {
    long[] of(byte[] frames, int count);

    int distance(long[] a, long[] b);
  }

  /** The filter as build-dataset runs it. */
  static final ClipHash TERNARY = new ClipHash() {
    public long[] of(byte[] frames, int count) {
      return PerceptualHash.ofClip(frames, count, W, H);
    }

    public int distance(long[] a, long[] b) {
      int worst = 0;
      for (int f = 0; f < PerceptualHash.SAMPLES; f++) {
        worst = Math.max(worst, PerceptualHash.distance(a, b, f));
      }
      return worst;
    }
  };

  /** The plain dHash the filter used before: one bit per pair of cells, set when the left is darker. */
  static final ClipHash PLAIN = new ClipHash() {
    public long[] of(byte[] frames, int count) {
      long[] out = new long[PerceptualHash.SAMPLES];
      for (int f = 0; f < out.length; f++) {
        out[f] = plain(frames, PerceptualHash.sampledFrame(f, count) * W * H * 3);
      }
      return out;
    }

    public int distance(long[] a, long[] b) {
      int worst = 0;
      for (int f = 0; f < a.length; f++) {
        worst = Math.max(worst, Long.bitCount(a[f] ^ b[f]));
      }
      return worst;
    }
  };

  static long plain(byte[] rgb, int offset) {
    double[] grey = PerceptualHash.greyCells(rgb, offset, W, H);
    long bits = 0;
    for (int gy = 0; gy < 8; gy++) {
      for (int gx = 0; gx < 8; gx++) {
        bits = (bits << 1) | (grey[gy * 9 + gx] < grey[gy * 9 + gx + 1] ? 1 : 0);
      }
    }
    return bits;
  }

  /** A re-encode-like copy: noise of {@code sigma} grey levels, brighter by {@code lift}, shifted right by {@code shift} px. */
  static byte[] alter(byte[] frames, int count, Random rng, double sigma, int lift, int shift) {
    byte[] out = new byte[frames.length];
    for (int k = 0; k < count; k++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int from = ((k * H + y) * W + Math.max(0, x - shift)) * 3;
          int to = ((k * H + y) * W + x) * 3;
          for (int c = 0; c < 3; c++) {
            long v = (frames[from + c] & 0xff) + lift + Math.round(rng.nextGaussian() * sigma);
            out[to + c] = (byte) Math.max(0, Math.min(255, v));
          }
        }
      }
    }
    return out;
  }

  @Override
  public Integer call() {
    SyntheticWorld world = new SyntheticWorld(seed, new WorldOptions(W, H, FPS, 1, 4, 2.5, 8, 1, 3));
    // Only the frames the filter samples are rendered: a clip of those four hashes like the whole clip.
    List<byte[]> clips = new ArrayList<>();
    byte[] frame = new byte[W * H * 3];
    for (int v = 0; v < videos; v++) {
      VideoPlan plan = world.video(v);
      for (ScenePlan s : plan.scenes()) {
        int n = Math.min(s.frameCount(), MAX_FRAMES);
        byte[] frames = new byte[SAMPLES * frame.length];
        for (int i = 0; i < SAMPLES; i++) {
          plan.renderFrame(s.startFrame() + PerceptualHash.sampledFrame(i, n), frame);
          System.arraycopy(frame, 0, frames, i * frame.length, frame.length);
        }
        clips.add(frames);
      }
    }
    int n = clips.size();
    System.out.printf(Locale.ROOT, "%d distinct scenes from %d videos (seed %d, %dx%d, up to %d frames at %d fps); "
        + "%d altered copies of each kind%n%n", n, videos, seed, W, H, MAX_FRAMES, FPS, Math.min(copies, n));
    System.out.println("| hash | threshold (bits per frame) | thumbnail check | distinct scenes dropped"
        + " | noisy copies caught | noisy, 1 px shifted copies caught |");
    System.out.println("|---|---:|---|---:|---:|---:|");
    int[] thresholds = {2, 3, 4, 6, 8};
    report("plain dHash (64 bits)", PLAIN, false, clips, thresholds);
    report("ternary dHash (128 bits)", TERNARY, false, clips, thresholds);
    report("ternary dHash (128 bits)", TERNARY, true, clips, thresholds);
    return 0;
  }

  private void report(String name, ClipHash hash, boolean thumbnails, List<byte[]> clips, int[] thresholds) {
    int n = clips.size();
    long[][] h = new long[n][];
    byte[][] t = new byte[n][];
    for (int i = 0; i < n; i++) {
      h[i] = hash.of(clips.get(i), SAMPLES);
      t[i] = thumbnails ? FrameThumbnails.ofClip(clips.get(i), SAMPLES, W, H) : null;
    }
    // The filter keeps the first of a group: a scene is dropped when an earlier one matches it. Per
    // scene, the fewest differing bits of an earlier scene that also passes the thumbnail check.
    int widest = java.util.Arrays.stream(thresholds).max().orElseThrow();
    int[] nearest = new int[n];
    for (int j = 0; j < n; j++) {
      nearest[j] = Integer.MAX_VALUE;
      for (int i = 0; i < j; i++) {
        int d = hash.distance(h[i], h[j]);
        if (d <= widest && d < nearest[j] && (!thumbnails || FrameThumbnails.sameFootage(t[i], t[j], FrameThumbnails.TOLERANCE))) {
          nearest[j] = d;
        }
      }
    }
    Random rng = new Random(seed);
    int m = Math.min(copies, n);
    int[] noisy = new int[m];
    int[] shifted = new int[m];
    for (int i = 0; i < m; i++) {
      noisy[i] = copyDistance(hash, thumbnails, h[i], t[i], alter(clips.get(i), SAMPLES, rng, 3, 6, 0));
      shifted[i] = copyDistance(hash, thumbnails, h[i], t[i], alter(clips.get(i), SAMPLES, rng, 3, 6, 1));
    }
    for (int k : thresholds) {
      System.out.printf(Locale.ROOT, "| %s | %d | %s | %.1f%% | %.0f%% | %.0f%% |%n", name, k, thumbnails ? "yes" : "no",
          share(nearest, k), share(noisy, k), share(shifted, k));
    }
  }

  /** Differing bits of an altered copy, or "never" when the thumbnail check (if on) rejects it. */
  private static int copyDistance(ClipHash hash, boolean thumbnails, long[] h, byte[] t, byte[] copy) {
    if (thumbnails && !FrameThumbnails.sameFootage(t, FrameThumbnails.ofClip(copy, SAMPLES, W, H),
        FrameThumbnails.TOLERANCE)) {
      return Integer.MAX_VALUE;
    }
    return hash.distance(h, hash.of(copy, SAMPLES));
  }

  private static double share(int[] distances, int threshold) {
    long hits = java.util.Arrays.stream(distances).filter(d -> d <= threshold).count();
    return 100.0 * hits / distances.length;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new NearDuplicateBench()).execute(args));
  }
}
