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

/**
 * Same-shaped clips as raw uint8 {@code [T, H, W, 3]} bytes behind a short header: training data for
 * a GPU machine that has no Hadoop, Spark or network (bench/gpu-device), exported from a built
 * dataset by {@link ExportClips}. Header: the magic string, then clip count, frames, height and
 * width as big-endian ints; then per clip its bytes and its caption (an int length and UTF-8 bytes).
 */
final class RawClips {
  static final String MAGIC = "YINGCLIPS2";

  final int frames;
  final int height;
  final int width;
  final List<byte[]> clips;
  final List<String> captions;

  RawClips(int frames, int height, int width, List<byte[]> clips, List<String> captions) {
    this.frames = frames;
    this.height = height;
    this.width = width;
    this.clips = List.copyOf(clips);
    this.captions = List.copyOf(captions);
    if (captions.size() != clips.size()) {
      throw new IllegalArgumentException(clips.size() + " clips but " + captions.size() + " captions");
    }
    for (byte[] c : clips) {
      if (c.length != clipBytes()) {
        throw new IllegalArgumentException("clip of " + c.length + " bytes, not " + clipBytes());
      }
    }
  }

  int clipBytes() {
    return frames * height * width * 3;
  }

  void write(Path file) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
      out.writeBytes(MAGIC);
      out.writeInt(clips.size());
      out.writeInt(frames);
      out.writeInt(height);
      out.writeInt(width);
      RawFiles.writeRecords(out, clips, captions);
    }
  }

  static RawClips read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
      RawFiles.checkMagic(in, file, MAGIC, "raw clip file");
      int count = in.readInt();
      int frames = in.readInt();
      int height = in.readInt();
      int width = in.readInt();
      if (count < 1 || frames < 1 || height < 1 || width < 1
          || (long) frames * height * width * 3 > Integer.MAX_VALUE) {
        throw new IOException(file + ": bad header " + count + " clips of " + frames + "x" + height + "x" + width);
      }
      List<byte[]> clips = new ArrayList<>(count);
      List<String> captions = new ArrayList<>(count);
      RawFiles.readRecords(in, file, count, frames * height * width * 3, clips, captions);
      return new RawClips(frames, height, width, clips, captions);
    }
  }

  /** Clips {@code from} (inclusive) to {@code to} (exclusive), one batch each. */
  List<DatasetBatch> singles(int from, int to) {
    List<DatasetBatch> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(new DatasetBatch(List.of("clip-" + i), List.of(captions.get(i)), frames, height, width, clips.get(i)));
    }
    return out;
  }

  /**
   * Endless batches of {@code batch} clips drawn from the first {@code count} clips: each pass visits
   * every clip once, in a fresh order from {@code rng}.
   */
  Iterator<DatasetBatch> endless(int count, int batch, Random rng) {
    return RawFiles.shuffledBatches(count, batch, rng, picked -> {
      byte[] pixels = new byte[batch * clipBytes()];
      List<String> ids = new ArrayList<>(batch);
      List<String> texts = new ArrayList<>(batch);
      for (int b = 0; b < batch; b++) {
        int clip = picked.get(b);
        System.arraycopy(clips.get(clip), 0, pixels, b * clipBytes(), clipBytes());
        ids.add("clip-" + clip);
        texts.add(captions.get(clip));
      }
      return new DatasetBatch(ids, texts, frames, height, width, pixels);
    });
  }
}
