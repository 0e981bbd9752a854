package ying.datasetbuilder;

import ying.core.video.MotionStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClipMeasuresTest {
  private static final int W = 32;
  private static final int H = 24;
  private static final int FB = W * H * 3;

  @Test
  void frozenClipHasNoMotionAndFlashingClipFlashes() {
    byte[] frozen = new byte[FB * 16];
    new Random(1).nextBytes(frozen);
    for (int k = 1; k < 16; k++) {
      System.arraycopy(frozen, 0, frozen, k * FB, FB);
    }
    MotionStats still = MotionStats.of(frozen, 16, FB, 8, 0.2);
    assertEquals(0, still.motion(), 1e-12);
    assertEquals(0, still.flashFraction(), 1e-12);

    byte[] flashing = new byte[FB * 16];
    for (int k = 0; k < 16; k += 2) {
      java.util.Arrays.fill(flashing, k * FB, (k + 1) * FB, (byte) 255);
    }
    MotionStats flash = MotionStats.of(flashing, 16, FB, 8, 0.2);
    assertEquals(1.0, flash.flashFraction(), 1e-12);
    assertEquals(1.0, flash.change(), 1e-12);
    assertEquals(1.0, flash.motion(), 1e-12, "a clip that flashes is not static, whatever its period");
  }

  @Test
  void nearIdenticalFramesHashCloseAndDifferentFramesFar() {
    byte[] a = gradient(0);
    byte[] noisy = a.clone();
    Random r = new Random(3);
    for (int i = 0; i < noisy.length; i++) {
      noisy[i] = (byte) Math.max(0, Math.min(255, (noisy[i] & 0xff) + r.nextInt(7) - 3));
    }
    long ha = PerceptualHash.dHash(a, 0, W, H);
    assertTrue(Long.bitCount(ha ^ PerceptualHash.dHash(noisy, 0, W, H)) <= 3);
    byte[] other = new byte[FB];
    r.nextBytes(other);
    assertTrue(Long.bitCount(ha ^ PerceptualHash.dHash(other, 0, W, H)) > 16);
  }

  @Test
  void bandsKeepTheirPosition() {
    long[] bands = PerceptualHash.bands(0L);
    assertEquals(PerceptualHash.BANDS, bands.length);
    for (int i = 1; i < bands.length; i++) {
      assertNotEquals(bands[0], bands[i], "equal bits at different positions are different keys");
    }
  }

  private static byte[] gradient(int phase) {
    byte[] f = new byte[FB];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int p = (y * W + x) * 3;
        f[p] = (byte) ((x * 8 + phase) & 0xff);
        f[p + 1] = (byte) ((y * 10) & 0xff);
        f[p + 2] = (byte) (((x * y) / 2) & 0xff);
      }
    }
    return f;
  }
}
