package ying.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import ying.core.dataset.DatasetBatch;
import ying.core.synth.ObjectCover;

/**
 * Same-shaped clips' VAE latents (float16 little-endian {@code [C, T', h, w]}, as a {@code
 * build-dataset --vae} shard holds them) and captions behind a short header: DiT training data for
 * a GPU machine without Hadoop, Spark or network, exported by {@link ExportClips} {@code --latents}.
 * Header: the magic string, the clip count, the clips' frames, height and width in pixels, then the
 * latent shape's four sides, all big-endian ints; then per clip its latent bytes and its caption (an
 * int length and UTF-8 bytes). A 17-frame 96x64 clip is 15 KB, a tenth of its pixels.
 */
final class RawLatents {
  static final String MAGIC = "YINGLATENTS1";

  final int frames;
  final int height;
  final int width;
  final int[] shape;
  final List<byte[]> latents;
  final List<String> captions;
  /** Per clip, the object cover of each latent cell ({@link ObjectCover#cells}), or null. */
  final List<float[]> objectCover;

  RawLatents(int frames, int height, int width, int[] shape, List<byte[]> latents, List<String> captions) {
    this(frames, height, width, shape, latents, captions, null);
  }

  private RawLatents(int frames, int height, int width, int[] shape, List<byte[]> latents, List<String> captions,
      List<float[]> objectCover) {
    if (shape.length != 4 || java.util.Arrays.stream(shape).anyMatch(s -> s < 1)) {
      throw new IllegalArgumentException("a latent shape is [C, T, h, w], got " + java.util.Arrays.toString(shape));
    }
    this.frames = frames;
    this.height = height;
    this.width = width;
    this.shape = shape.clone();
    this.latents = List.copyOf(latents);
    this.captions = List.copyOf(captions);
    this.objectCover = objectCover == null ? null : List.copyOf(objectCover);
    if (captions.size() != latents.size()) {
      throw new IllegalArgumentException(latents.size() + " clips but " + captions.size() + " captions");
    }
    for (byte[] z : latents) {
      if (z.length != clipBytes()) {
        throw new IllegalArgumentException("latents of " + z.length + " bytes, not " + clipBytes());
      }
    }
  }

  /**
   * Standard deviation of every latent value of the first {@code count} clips: what a new DiT scales
   * its inputs by, as train-dit takes it from the VAE's manifest ({@code latent_std}).
   */
  float spread(int count) {
    double sum = 0;
    double squares = 0;
    long n = 0;
    for (byte[] clip : latents.subList(0, count)) {
      for (float v : ying.datasetbuilder.VaeLatents.halfToFloats(clip)) {
        sum += v;
        squares += (double) v * v;
        n++;
      }
    }
    double mean = sum / n;
    return (float) Math.sqrt(Math.max(0, squares / n - mean * mean));
  }

  /**
   * These latents with each clip's object cover, read from {@code pixels}: the same clips' frames
   * in the same order (ExportClips of the same dataset and counts, without --latents).
   */
  RawLatents withObjectCover(RawClips pixels, Path file) {
    if (pixels.clips.size() != latents.size() || !pixels.captions.equals(captions) || pixels.frames != frames
        || pixels.height != height || pixels.width != width) {
      throw new IllegalArgumentException(file + " does not hold these latents' clips: " + pixels.clips.size()
          + " clips of " + pixels.frames + "x" + pixels.height + "x" + pixels.width + " against " + latents.size()
          + " of " + frames + "x" + height + "x" + width + (pixels.captions.equals(captions) ? "" : ", other captions"));
    }
    int temporal = shape[1] == 1 ? 1 : (frames - 1) / (shape[1] - 1);
    int spatial = height / shape[2];
    List<float[]> cover = new ArrayList<>(latents.size());
    for (byte[] clip : pixels.clips) {
      cover.add(ObjectCover.cells(clip, frames, height, width, temporal, spatial));
    }
    return new RawLatents(frames, height, width, shape, latents, captions, cover);
  }

  /** The mean object cover of the first {@code count} clips' cells. */
  double meanObjectCover(int count) {
    double sum = 0;
    long n = 0;
    for (float[] c : objectCover.subList(0, count)) {
      for (float v : c) {
        sum += v;
        n++;
      }
    }
    return sum / n;
  }

  int clipBytes() {
    return 2 * shape[0] * shape[1] * shape[2] * shape[3];
  }

  void write(Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
      out.writeBytes(MAGIC);
      out.writeInt(latents.size());
      out.writeInt(frames);
      out.writeInt(height);
      out.writeInt(width);
      for (int s : shape) {
        out.writeInt(s);
      }
      RawFiles.writeRecords(out, latents, captions);
    }
  }

  static RawLatents read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
      RawFiles.checkMagic(in, file, MAGIC, "raw latent file");
      int count = in.readInt();
      int frames = in.readInt();
      int height = in.readInt();
      int width = in.readInt();
      int[] shape = {in.readInt(), in.readInt(), in.readInt(), in.readInt()};
      long bytes = 2L * shape[0] * shape[1] * shape[2] * shape[3];
      if (count < 1 || frames < 1 || height < 1 || width < 1 || java.util.Arrays.stream(shape).anyMatch(s -> s < 1)
          || bytes > Integer.MAX_VALUE) {
        throw new IOException(file + ": bad header " + count + " clips of " + java.util.Arrays.toString(shape));
      }
      List<byte[]> latents = new ArrayList<>(count);
      List<String> captions = new ArrayList<>(count);
      RawFiles.readRecords(in, file, count, (int) bytes, latents, captions);
      return new RawLatents(frames, height, width, shape, latents, captions);
    }
  }

  /** Clips {@code from} (inclusive) to {@code to} (exclusive) in batches of up to {@code batch}. */
  List<DatasetBatch> batches(int from, int to, int batch) {
    List<DatasetBatch> out = new ArrayList<>();
    for (int i = from; i < to; i += batch) {
      List<Integer> clips = new ArrayList<>();
      for (int k = i; k < Math.min(to, i + batch); k++) {
        clips.add(k);
      }
      out.add(batch(clips));
    }
    return out;
  }

  /**
   * Endless batches of {@code batch} clips drawn from the first {@code count} clips: each pass visits
   * every clip once, in a fresh order from {@code rng}.
   */
  Iterator<DatasetBatch> endless(int count, int batch, Random rng) {
    return RawFiles.shuffledBatches(count, batch, rng, this::batch);
  }

  /** The clips' latents and captions; no pixels (the DiT never reads them). */
  private DatasetBatch batch(List<Integer> clips) {
    byte[] packed = new byte[clips.size() * clipBytes()];
    int cells = shape[1] * shape[2] * shape[3];
    float[] cover = objectCover == null ? null : new float[clips.size() * cells];
    List<String> ids = new ArrayList<>(clips.size());
    List<String> texts = new ArrayList<>(clips.size());
    for (int b = 0; b < clips.size(); b++) {
      System.arraycopy(latents.get(clips.get(b)), 0, packed, b * clipBytes(), clipBytes());
      if (cover != null) {
        System.arraycopy(objectCover.get(clips.get(b)), 0, cover, b * cells, cells);
      }
      ids.add("clip-" + clips.get(b));
      texts.add(captions.get(clips.get(b)));
    }
    return new DatasetBatch(ids, texts, frames, height, width, new byte[0], packed, shape.clone(), cover);
  }
}
