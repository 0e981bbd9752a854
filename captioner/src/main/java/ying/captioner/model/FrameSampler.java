package ying.captioner.model;

/**
 * Picks the captioner's frames from a longer clip: {@code count} frames spread evenly from the
 * first to the last, so a 2-second and a 6-second clip are both seen whole. Training shifts the
 * spread by up to one source frame as augmentation; captioning never does.
 */
public final class FrameSampler {
  private FrameSampler() {}

  /** Indices of the frames to keep out of {@code available}. */
  public static int[] indices(int available, int count, double jitter, java.util.Random rng) {
    if (available < 1 || count < 1) {
      throw new IllegalArgumentException("cannot take " + count + " frames from " + available);
    }
    int[] out = new int[count];
    double span = available - 1;
    for (int i = 0; i < count; i++) {
      double at = count == 1 ? span / 2 : i * span / (count - 1);
      if (jitter > 0 && rng != null) {
        at += (rng.nextDouble() * 2 - 1) * jitter;
      }
      out[i] = (int) Math.max(0, Math.min(available - 1, Math.round(at)));
    }
    return out;
  }

  /** Copies the chosen frames of one packed clip ({@code available} frames of {@code frameBytes}) into {@code out}. */
  public static void copy(byte[] clips, int clipOffset, int frameBytes, int[] indices, byte[] out, int outOffset) {
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(clips, clipOffset + indices[i] * frameBytes, out, outOffset + i * frameBytes, frameBytes);
    }
  }
}
