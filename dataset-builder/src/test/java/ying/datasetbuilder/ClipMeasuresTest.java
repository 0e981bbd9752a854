package ying.datasetbuilder;

import ying.core.video.MotionStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import ying.core.synth.Background;
import ying.core.synth.CameraMove;
import ying.core.synth.Colour;
import ying.core.synth.Motion;
import ying.core.synth.ObjectSize;
import ying.core.synth.RenderStyle;
import ying.core.synth.Scene;
import ying.core.synth.SceneObject;
import ying.core.synth.SceneRenderer;
import ying.core.synth.Shape;

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
    long[] ha = PerceptualHash.dHash(a, 0, W, H);
    assertTrue(bits(ha, PerceptualHash.dHash(noisy, 0, W, H)) <= 3);
    byte[] other = new byte[FB];
    r.nextBytes(other);
    assertTrue(bits(ha, PerceptualHash.dHash(other, 0, W, H)) > 16);
  }

  /**
   * The synthetic world's failure case for a plain dHash: flat backgrounds, where noise flipped the
   * bits of equal cells, and different small objects on one background, which flipped few. On every
   * background a re-encode-like copy (noise and a brightness shift) must stay within the default
   * number of bits and pass the thumbnail check; a scene of other small objects must fail the check.
   */
  @Test
  void noisyCopiesMatchAndOtherSmallObjectsOnTheSameBackgroundDoNot() {
    int w = 96;
    int h = 64;
    SceneRenderer renderer = new SceneRenderer(w, h);
    int limit = BuildConfig.defaults().duplicateBits();
    Random r = new Random(5);
    for (Background background : Background.values()) {
      Scene one = new Scene(CameraMove.STATIC, background, RenderStyle.FLAT, List.of(
          new SceneObject(Shape.CIRCLE, Colour.RED, ObjectSize.SMALL, Motion.STAYS_STILL, 0.3, 0.5, 0)));
      Scene two = new Scene(CameraMove.STATIC, background, RenderStyle.FLAT, List.of(
          new SceneObject(Shape.STAR, Colour.BLUE, ObjectSize.SMALL, Motion.STAYS_STILL, 0.7, 0.4, 0)));
      byte[] a = renderer.render(one, 1, 2);
      byte[] copy = a.clone();
      for (int i = 0; i < copy.length; i++) {
        copy[i] = (byte) Math.max(0, Math.min(255, (copy[i] & 0xff) + 4 + (int) Math.round(r.nextGaussian() * 3)));
      }
      byte[] other = renderer.render(two, 1, 2);
      assertTrue(bits(PerceptualHash.dHash(a, 0, w, h), PerceptualHash.dHash(copy, 0, w, h)) <= limit,
          background + ": a noisy copy is a candidate");
      assertTrue(FrameThumbnails.sameFootage(thumbs(a), thumbs(copy), FrameThumbnails.TOLERANCE),
          background + ": a noisy copy's thumbnails agree");
      assertFalse(FrameThumbnails.sameFootage(thumbs(a), thumbs(other), FrameThumbnails.TOLERANCE),
          background + ": other objects on the same background are not the same footage");
    }
  }

  /** Thumbnails of a one-frame clip repeated, as many times as the hash samples. */
  private static byte[] thumbs(byte[] frame) {
    return FrameThumbnails.ofClip(frame, 1, 96, 64);
  }

  @Test
  void bandsKeepTheirPositionAndCloseHashesShareOne() {
    long[] clip = new long[PerceptualHash.SAMPLES * PerceptualHash.WORDS];
    long[] bands = PerceptualHash.bands(clip, 1);
    assertEquals(PerceptualHash.WORDS * PerceptualHash.BANDS_PER_WORD, bands.length);
    for (int i = 1; i < bands.length; i++) {
      assertNotEquals(bands[0], bands[i], "equal bits at different positions are different keys");
    }
    Random r = new Random(9);
    for (int trial = 0; trial < 200; trial++) {
      long[] other = clip.clone();
      for (int flip = 0; flip < bands.length - 1; flip++) {
        int bit = r.nextInt(64 * PerceptualHash.WORDS);
        other[PerceptualHash.WORDS + bit / 64] ^= 1L << (bit % 64);
      }
      java.util.Set<Long> keys = new java.util.HashSet<>();
      for (long k : PerceptualHash.bands(other, 1)) {
        keys.add(k);
      }
      assertTrue(java.util.Arrays.stream(bands).anyMatch(keys::contains), "hashes within 7 bits share a band");
    }
  }

  private static int bits(long[] a, long[] b) {
    return PerceptualHash.distance(a, b, 0);
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
