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
import ying.datasetbuilder.PerceptualHash;

/**
 * What build-dataset's near-duplicate filter keeps and drops, at each threshold: the share of
 * distinct synthetic scenes it would drop (every scene of the synthetic world is drawn anew, so any
 * match among them is a false one) against the share of altered copies it catches. Compares the
 * ternary dHash that {@link PerceptualHash} computes with the plain 64-bit dHash it replaced.
 * Run it through {@code bench/near-duplicates.sh}; the table goes into docs/near-duplicates.md.
 */
@Command(name = "near-duplicate-bench", mixinStandardHelpOptions = true,
    description = "Near-duplicate filter: distinct scenes dropped vs altered copies caught, per threshold.")
public final class NearDuplicateBench implements Callable<Integer> {
  private static final int W = 96;
  private static final int H = 64;
  private static final int FPS = 8;
  private static final int MAX_FRAMES = 49;

  @Option(names = "--videos", defaultValue = "600", description = "Synthetic videos (1-4 scenes each). Default: ${DEFAULT-VALUE}.")
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
        int k = Math.min(count - 1, (2 * f + 1) * count / (2 * PerceptualHash.SAMPLES));
        out[f] = plain(frames, k * W * H * 3);
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
    double[] grey = new double[9 * 8];
    int[] counts = new int[9 * 8];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int p = offset + (y * W + x) * 3;
        int cell = (y * 8 / H) * 9 + x * 9 / W;
        grey[cell] += 0.299 * (rgb[p] & 0xff) + 0.587 * (rgb[p + 1] & 0xff) + 0.114 * (rgb[p + 2] & 0xff);
        counts[cell]++;
      }
    }
    long bits = 0;
    for (int gy = 0; gy < 8; gy++) {
      for (int gx = 0; gx < 8; gx++) {
        bits = (bits << 1) | (grey[gy * 9 + gx] / counts[gy * 9 + gx] < grey[gy * 9 + gx + 1] / counts[gy * 9 + gx + 1]
            ? 1 : 0);
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
    List<byte[]> clips = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    byte[] frame = new byte[W * H * 3];
    for (int v = 0; v < videos; v++) {
      VideoPlan plan = world.video(v);
      for (ScenePlan s : plan.scenes()) {
        int n = Math.min(s.frameCount(), MAX_FRAMES);
        byte[] frames = new byte[n * frame.length];
        for (int f = 0; f < n; f++) {
          plan.renderFrame(s.startFrame() + f, frame);
          System.arraycopy(frame, 0, frames, f * frame.length, frame.length);
        }
        clips.add(frames);
        counts.add(n);
      }
    }
    int n = clips.size();
    System.out.printf(Locale.ROOT, "%d distinct scenes from %d videos (seed %d, %dx%d, up to %d frames at %d fps); "
        + "%d altered copies of each kind%n%n", n, videos, seed, W, H, MAX_FRAMES, FPS, Math.min(copies, n));
    System.out.println("| hash | threshold (bits per frame) | distinct scenes dropped | noisy copies caught"
        + " | noisy, 1 px shifted copies caught |");
    System.out.println("|---|---:|---:|---:|---:|");
    report("plain dHash (64 bits)", PLAIN, clips, counts, new int[] {2, 3, 4, 6, 8});
    report("ternary dHash (128 bits)", TERNARY, clips, counts, new int[] {2, 3, 4, 6, 8});
    return 0;
  }

  private void report(String name, ClipHash hash, List<byte[]> clips, List<Integer> counts, int[] thresholds) {
    int n = clips.size();
    long[][] h = new long[n][];
    for (int i = 0; i < n; i++) {
      h[i] = hash.of(clips.get(i), counts.get(i));
    }
    // The filter keeps the first of a group: a scene is dropped when an earlier one is close enough.
    int[] nearest = new int[n];
    for (int j = 0; j < n; j++) {
      nearest[j] = Integer.MAX_VALUE;
      for (int i = 0; i < j; i++) {
        nearest[j] = Math.min(nearest[j], hash.distance(h[i], h[j]));
      }
    }
    Random rng = new Random(seed);
    int m = Math.min(copies, n);
    int[] noisy = new int[m];
    int[] shifted = new int[m];
    for (int i = 0; i < m; i++) {
      noisy[i] = hash.distance(h[i], hash.of(alter(clips.get(i), counts.get(i), rng, 3, 6, 0), counts.get(i)));
      shifted[i] = hash.distance(h[i], hash.of(alter(clips.get(i), counts.get(i), rng, 3, 6, 1), counts.get(i)));
    }
    for (int t : thresholds) {
      System.out.printf(Locale.ROOT, "| %s | %d | %.1f%% | %.0f%% | %.0f%% |%n", name, t, share(nearest, t),
          share(noisy, t), share(shifted, t));
    }
  }

  private static double share(int[] distances, int threshold) {
    long hits = java.util.Arrays.stream(distances).filter(d -> d <= threshold).count();
    return 100.0 * hits / distances.length;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new NearDuplicateBench()).execute(args));
  }
}
