package ying.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/** What the raw training files ({@link RawClips}, {@link RawLatents}) share: captions and the batch order. */
final class RawFiles {
  private RawFiles() {}

  /** Each clip's bytes, then its caption (an int length and UTF-8 bytes). */
  static void writeRecords(DataOutputStream out, List<byte[]> data, List<String> captions) throws IOException {
    for (int i = 0; i < data.size(); i++) {
      out.write(data.get(i));
      byte[] bytes = captions.get(i).getBytes(StandardCharsets.UTF_8);
      out.writeInt(bytes.length);
      out.write(bytes);
    }
  }

  /**
   * Reads what {@link #writeRecords} wrote for {@code count} clips of {@code bytes} each into
   * {@code data} and {@code captions}; a file that ends early or runs on is refused.
   */
  static void readRecords(DataInputStream in, Path file, int count, int bytes, List<byte[]> data,
      List<String> captions) throws IOException {
    for (int i = 0; i < count; i++) {
      byte[] clip = new byte[bytes];
      try {
        in.readFully(clip);
        captions.add(readCaption(in, file, i));
      } catch (java.io.EOFException e) {
        throw new IOException(file + " is truncated: clip " + i + " of " + count + " ends early", e);
      }
      data.add(clip);
    }
    if (in.read() != -1) {
      throw new IOException(file + " has bytes after its " + count + " clips");
    }
  }

  private static String readCaption(DataInputStream in, Path file, int clip) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 1 << 16) {
      throw new IOException(file + ": clip " + clip + " has a caption of " + length + " bytes");
    }
    byte[] caption = new byte[length];
    in.readFully(caption);
    return new String(caption, StandardCharsets.UTF_8);
  }

  static void checkMagic(DataInputStream in, Path file, String magic, String what) throws IOException {
    byte[] bytes = new byte[magic.length()];
    in.readFully(bytes);
    if (!magic.equals(new String(bytes, StandardCharsets.US_ASCII))) {
      throw new IOException(file + " is not a " + what + " (no " + magic + " header)");
    }
  }

  /**
   * Endless batches of {@code batch} clips drawn from the first {@code count}, each made by
   * {@code make} from the clips' indices: each pass visits every clip once, in a fresh order from
   * {@code rng}. A batch may span two passes, so a file smaller than a batch still trains (its
   * clips then repeat within a batch): the GPU payload carries only a few decoded clips beside
   * the rendered ones, and the timing probe draws whole batches from them.
   */
  static <T> Iterator<T> shuffledBatches(int count, int batch, Random rng,
      java.util.function.Function<List<Integer>, T> make) {
    if (count < 1) {
      throw new IllegalArgumentException("no clips to draw batches of " + batch + " from");
    }
    return new Iterator<>() {
      private final List<Integer> order = new ArrayList<>();
      private int next = count;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public T next() {
        List<Integer> clips = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
          if (next >= count) {
            order.clear();
            for (int i = 0; i < count; i++) {
              order.add(i);
            }
            Collections.shuffle(order, rng);
            next = 0;
          }
          clips.add(order.get(next++));
        }
        return make.apply(clips);
      }
    };
  }
}
