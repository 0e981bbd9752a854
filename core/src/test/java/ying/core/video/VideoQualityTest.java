package ying.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VideoQualityTest {
  private static final int T = 5;
  private static final int H = 16;
  private static final int W = 24;

  /** A textured clip with a bright square sliding right, so frames differ. */
  private static byte[] clip() {
    byte[] v = new byte[T * H * W * 3];
    Random rng = new Random(3);
    for (int f = 0; f < T; f++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          boolean square = y >= 4 && y < 10 && x >= 2 + 3 * f && x < 8 + 3 * f;
          for (int c = 0; c < 3; c++) {
            v[((f * H + y) * W + x) * 3 + c] = (byte) (square ? 220 : 40 + rng.nextInt(60));
          }
        }
      }
    }
    return v;
  }

  @Test
  void identicalClipsScorePerfectly() {
    byte[] a = clip();
    VideoQuality q = new VideoQuality();
    q.add(a, a.clone(), T, H, W);
    VideoQuality.Report r = q.report();
    assertEquals(VideoQuality.MAX_PSNR, r.psnr());
    assertEquals(VideoQuality.MAX_PSNR, r.firstFramePsnr());
    assertEquals(1.0, r.ssim(), 1e-9);
    assertEquals(0.0, r.flickerChange(), 1e-12);
    assertTrue(r.inputFlicker() > 5, "the test clip moves: " + r.inputFlicker());
  }

  @Test
  void psnrFollowsTheMeanSquaredError() {
    byte[] a = clip();
    byte[] b = a.clone();
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ((a[i] & 0xff) + 10); // every value off by 10: MSE 100
    }
    // Only the second frame off: the clip's MSE is 100 / T, the first frame is exact.
    byte[] c = a.clone();
    int frame = H * W * 3;
    for (int i = frame; i < 2 * frame; i++) {
      c[i] = (byte) ((a[i] & 0xff) + 10);
    }
    VideoQuality q = new VideoQuality();
    q.add(a, b, T, H, W);
    assertEquals(10 * Math.log10(255.0 * 255 / 100), q.report().psnr(), 1e-9);
    VideoQuality second = new VideoQuality();
    second.add(a, c, T, H, W);
    assertEquals(10 * Math.log10(255.0 * 255 * T / 100), second.report().psnr(), 1e-9);
    assertEquals(VideoQuality.MAX_PSNR, second.report().firstFramePsnr());
  }

  @Test
  void noiseLowersSsimAndAddsFlicker() {
    byte[] a = clip();
    Random rng = new Random(9);
    byte[] mild = a.clone();
    byte[] strong = a.clone();
    for (int i = 0; i < a.length; i++) {
      int v = a[i] & 0xff;
      mild[i] = (byte) Math.max(0, Math.min(255, v + rng.nextInt(7) - 3));
      strong[i] = (byte) Math.max(0, Math.min(255, v + rng.nextInt(61) - 30));
    }
    VideoQuality m = new VideoQuality();
    m.add(a, mild, T, H, W);
    VideoQuality s = new VideoQuality();
    s.add(a, strong, T, H, W);
    assertTrue(m.report().ssim() < 1 && s.report().ssim() < m.report().ssim() - 0.1,
        m.report() + " / " + s.report());
    assertTrue(s.report().flickerChange() > 0.1, s.report().toString());
  }

  @Test
  void averagesOverClipsAndRejectsWhatDoesNotFit() {
    byte[] a = clip();
    VideoQuality q = new VideoQuality();
    byte[] two = new byte[2 * a.length];
    System.arraycopy(a, 0, two, 0, a.length);
    System.arraycopy(a, 0, two, a.length, a.length);
    q.add(two, 0, two, a.length, T, H, W);
    q.add(two, a.length, two, a.length, T, H, W);
    assertEquals(2, q.report().clips());
    assertThrows(IllegalArgumentException.class, () -> q.add(a, a, T + 1, H, W));
    assertThrows(IllegalStateException.class, () -> new VideoQuality().report());
  }
}
