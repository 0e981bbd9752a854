package ying.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ying.core.dataset.DatasetBatch;
import ying.core.synth.ScenePlan;
import ying.core.synth.SyntheticWorld;
import ying.core.synth.VideoPlan;
import ying.core.synth.WorldOptions;

/**
 * Endless training clips rendered from the synthetic world as build-dataset would cut them from
 * {@code ying synth}'s videos, minus the H.264 round trip: frames rendered at the world's 192x128
 * and 16 fps, every second frame (8 fps), halved to 96x64 with the triangle filter FFmpeg's bilinear
 * scaler applies when it halves a picture (or kept at 192x128, for a captioner that reads them
 * whole). For a GPU machine with no FFmpeg, where a data set would not fit the payload: a few
 * threads render ahead of the trainer. Batch {@code k} is the same for a given seed whatever the
 * thread count; a share of the clips can come from a {@link RawClips} file of decoded clips, so the
 * network also sees the codec's artefacts. With {@code shortScenes}, scenes shorter than a clip are
 * rendered too, whole, their frames spread over the scene: the caption job shows the captioner a
 * short scene that way (its frames picked evenly from first to last), and a captioner trained only
 * on windows of long scenes had never seen the quicker motion between them.
 */
final class RenderedClips implements Iterator<DatasetBatch>, AutoCloseable {
  private static final int SOURCE_FPS = 16;
  private static final int AHEAD = 8;
  /** The size of rendered clips without a raw file: the world's frames halved. */
  static final int HEIGHT = 64;
  static final int WIDTH = 96;

  private final SyntheticWorld world;
  private final int frames;
  private final int height;
  private final int width;
  private final int batch;
  private final long seed;
  private final RawClips raw;
  private final int rawCount;
  private final double rawShare;
  private final boolean shortScenes;
  private final boolean chroma420;
  private final ExecutorService pool;
  private final int threads;
  private final ArrayDeque<Future<DatasetBatch>> ahead = new ArrayDeque<>();
  private long submitted;

  /**
   * @param frames clip length at 8 fps
   * @param raw decoded clips of the same shape (its first {@code rawCount}), or null; rendered clips
   *     take its size, 96x64 or 192x128 (96x64 without it)
   * @param rawShare the chance that a clip of a batch comes from {@code raw}
   */
  RenderedClips(long seed, int frames, int batch, int threads, RawClips raw, int rawCount, double rawShare) {
    this(seed, frames, batch, threads, raw, rawCount, rawShare, false);
  }

  RenderedClips(long seed, int frames, int batch, int threads, RawClips raw, int rawCount, double rawShare,
      boolean shortScenes) {
    this(seed, frames, batch, threads, raw, rawCount, rawShare, shortScenes, false);
  }

  /**
   * @param shortScenes also render scenes shorter than a clip, whole (see the class comment)
   * @param chroma420 keep each rendered frame's colour at half resolution, as the videos' yuv420p
   *     does ({@link ChromaSubsampling})
   */
  RenderedClips(long seed, int frames, int batch, int threads, RawClips raw, int rawCount, double rawShare,
      boolean shortScenes, boolean chroma420) {
    WorldOptions o = WorldOptions.defaults().withSceneSeconds(2.5, 8);
    if (o.width() != 192 || o.height() != 128 || o.fps() != SOURCE_FPS) {
      throw new IllegalStateException("the world's defaults changed: " + o);
    }
    this.height = raw == null ? HEIGHT : raw.height;
    this.width = raw == null ? WIDTH : raw.width;
    boolean halved = height == HEIGHT && width == WIDTH;
    if (raw != null && (raw.frames != frames || !(halved || (height == 128 && width == 192)))) {
      throw new IllegalArgumentException("raw clips of " + raw.frames + "x" + raw.height + "x" + raw.width
          + " do not match rendered clips of " + frames + "x" + HEIGHT + "x" + WIDTH + " or " + frames + "x128x192");
    }
    this.world = new SyntheticWorld(seed, o);
    this.frames = frames;
    this.batch = batch;
    this.seed = seed;
    this.raw = raw;
    this.rawCount = raw == null ? 0 : rawCount;
    this.rawShare = raw == null ? 0 : rawShare;
    this.shortScenes = shortScenes;
    this.chroma420 = chroma420;
    this.threads = threads;
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "render");
      t.setDaemon(true);
      return t;
    });
  }

  /** The scene captions of this world's first {@code videos} videos (planned, not rendered): its vocabulary. */
  List<String> captions(int videos) {
    List<String> out = new ArrayList<>();
    for (int v = 0; v < videos; v++) {
      world.video(v).scenes().forEach(s -> out.add(s.caption()));
    }
    return out;
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public DatasetBatch next() {
    // Enough batches in flight to keep every thread busy.
    while (ahead.size() < Math.max(AHEAD, 2 * threads)) {
      long k = submitted++;
      ahead.add(pool.submit(() -> render(k)));
    }
    return await(ahead.poll());
  }

  private static DatasetBatch await(Future<DatasetBatch> batch) {
    try {
      return batch.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("rendering a batch failed", e.getCause());
    }
  }

  /**
   * Seconds per batch that the threads deliver at full tilt: each renders one batch at once, off the
   * training sequence (negative batch numbers), so the trainer's batches stay the same; a first,
   * untimed round warms up the JIT and Java2D, which made a cold round 1.7 times slower than training
   * then ran. Call it before the first {@link #next}, while the pool is idle; on a fast GPU the
   * renderers, not the network, can set the pace, which a probe of network steps alone does not see.
   */
  double secondsPerBatch() {
    renderRound(1);
    long t0 = System.nanoTime();
    renderRound(1 + threads);
    return (System.nanoTime() - t0) / 1e9 / threads;
  }

  /** Renders batches -first .. -(first + threads - 1), one per thread, and waits for them. */
  private void renderRound(int first) {
    List<Future<DatasetBatch>> round = new ArrayList<>();
    for (int i = first; i < first + threads; i++) {
      long k = -i;
      round.add(pool.submit(() -> render(k)));
    }
    round.forEach(RenderedClips::await);
  }

  private DatasetBatch render(long k) {
    int clipBytes = frames * height * width * 3;
    byte[] pixels = new byte[batch * clipBytes];
    List<String> ids = new ArrayList<>(batch);
    List<String> captions = new ArrayList<>(batch);
    for (int j = 0; j < batch; j++) {
      SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + k * batch + j);
      if (rawCount > 0 && rng.nextDouble() < rawShare) {
        int c = rng.nextInt(rawCount);
        System.arraycopy(raw.clips.get(c), 0, pixels, j * clipBytes, clipBytes);
        ids.add("raw-" + c);
        captions.add(raw.captions.get(c));
      } else {
        ScenePlan scene = renderClip(rng, pixels, j * clipBytes);
        ids.add("scene-" + scene.index());
        captions.add(scene.caption());
      }
    }
    return new DatasetBatch(ids, captions, frames, height, width, pixels);
  }

  /** Renders one window of a scene, from a random video of the world; returns the scene. */
  private ScenePlan renderClip(SplittableRandom rng, byte[] out, int offset) {
    int span = (frames - 1) * 2 + 1; // source frames the window covers
    while (true) {
      int v = rng.nextInt(1 << 30);
      VideoPlan plan = world.video(v);
      List<ScenePlan> usable = plan.scenes().stream().filter(s -> shortScenes || s.frameCount() >= span).toList();
      if (usable.isEmpty()) {
        continue;
      }
      ScenePlan s = usable.get(rng.nextInt(usable.size()));
      int[] at = sourceFrames(s, frames, rng);
      byte[] full = new byte[plan.width() * plan.height() * 3];
      for (int t = 0; t < frames; t++) {
        plan.renderFrame(at[t], full);
        if (chroma420) {
          ChromaSubsampling.apply(full, plan.width(), plan.height());
        }
        if (width == plan.width()) {
          System.arraycopy(full, 0, out, offset + t * full.length, full.length);
        } else {
          halve(full, plan.width(), plan.height(), out, offset + t * width * height * 3);
        }
      }
      return s;
    }
  }

  /**
   * The scene's source frames a clip of {@code frames} shows: every second one (16 fps to 8) from a
   * random start where the scene is long enough, else spread evenly from its first frame to its last.
   */
  static int[] sourceFrames(ScenePlan s, int frames, SplittableRandom rng) {
    int span = (frames - 1) * 2 + 1;
    int[] at = new int[frames];
    if (s.frameCount() >= span) {
      int start = s.startFrame() + rng.nextInt(s.frameCount() - span + 1);
      for (int t = 0; t < frames; t++) {
        at[t] = start + 2 * t;
      }
    } else {
      for (int t = 0; t < frames; t++) {
        at[t] = s.startFrame() + (int) Math.round(t * (s.frameCount() - 1) / (double) Math.max(1, frames - 1));
      }
    }
    return at;
  }

  /**
   * Halves an RGB frame in both directions: each output pixel weighs the four source pixels across
   * it 1, 3, 3, 1 in each direction (edges clamped), as a triangle filter two source pixels wide.
   */
  static void halve(byte[] src, int w, int h, byte[] dst, int offset) {
    int ow = w / 2;
    int oh = h / 2;
    int[] rows = new int[ow * 3 * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < ow; x++) {
        int a = Math.max(2 * x - 1, 0);
        int b = 2 * x;
        int c = 2 * x + 1;
        int d = Math.min(2 * x + 2, w - 1);
        for (int ch = 0; ch < 3; ch++) {
          int base = y * w * 3 + ch;
          rows[(y * ow + x) * 3 + ch] = (src[base + a * 3] & 0xff) + 3 * (src[base + b * 3] & 0xff)
              + 3 * (src[base + c * 3] & 0xff) + (src[base + d * 3] & 0xff);
        }
      }
    }
    for (int y = 0; y < oh; y++) {
      int a = Math.max(2 * y - 1, 0);
      int b = 2 * y;
      int c = 2 * y + 1;
      int d = Math.min(2 * y + 2, h - 1);
      for (int i = 0; i < ow * 3; i++) {
        int sum = rows[a * ow * 3 + i] + 3 * rows[b * ow * 3 + i] + 3 * rows[c * ow * 3 + i] + rows[d * ow * 3 + i];
        dst[offset + y * ow * 3 + i] = (byte) ((sum + 32) >> 6);
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
