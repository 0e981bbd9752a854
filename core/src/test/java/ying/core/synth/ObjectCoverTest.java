package ying.core.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectCoverTest {
  private static final int W = 96;
  private static final int H = 64;

  @Test
  void everyObjectColourIsAnObjectAndNoBackgroundPixelIs() {
    for (Colour c : Colour.values()) {
      assertTrue(ObjectCover.isObject(c.red(), c.green(), c.blue()), c.phrase());
    }
    BackgroundPainter painter = new BackgroundPainter(W, H);
    int[] pixels = new int[W * H];
    for (Background b : Background.values()) {
      for (CameraMove move : CameraMove.values()) {
        for (double t : new double[] {0, 1.7, 4}) {
          painter.paint(b, CameraView.of(move, t, 4), pixels);
          for (int p : pixels) {
            assertTrue(!ObjectCover.isObject((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF),
                b.phrase() + " " + move + " at " + t + " s: " + Integer.toHexString(p));
          }
        }
      }
    }
  }

  @Test
  void readsBackWhereARenderedObjectIsAndNothingElse() {
    SceneRenderer renderer = new SceneRenderer(W, H);
    BackgroundPainter painter = new BackgroundPainter(W, H);
    int[] background = new int[W * H];
    for (Background b : Background.values()) {
      for (RenderStyle style : RenderStyle.values()) {
        for (Colour c : Colour.values()) {
          Scene scene = new Scene(CameraMove.STATIC, b, style,
              List.of(new SceneObject(Shape.HEART, c, ObjectSize.LARGE, Motion.STAYS_STILL, 0.4, 0.5, 0.3)));
          byte[] rgb = renderer.render(scene, 1, 4);
          painter.paint(b, CameraView.of(CameraMove.STATIC, 1, 4), background);
          int drawn = 0;
          int read = 0;
          for (int i = 0; i < W * H; i++) {
            int r = rgb[3 * i] & 0xFF;
            int g = rgb[3 * i + 1] & 0xFF;
            int bl = rgb[3 * i + 2] & 0xFF;
            boolean object = ObjectCover.isObject(r, g, bl);
            boolean changed = ((r << 16) | (g << 8) | bl) != (background[i] & 0xFFFFFF);
            assertTrue(!object || changed, "an object read where the background is untouched: " + b + " " + c);
            // Pixels the body covers all but a sliver of (within 30 of its colour over the three channels),
            // anti-aliased rims and halos left out.
            int cr = c.red();
            int cg = c.green();
            int cb = c.blue();
            if (Math.abs(r - cr) + Math.abs(g - cg) + Math.abs(bl - cb) < 30) {
              drawn++;
              read += object ? 1 : 0;
            }
          }
          assertTrue(drawn > 50, b + " " + style + " " + c + ": only " + drawn + " body pixels");
          assertEquals(drawn, read, b + " " + style + " " + c + ": body pixels not read as an object");
        }
      }
    }
  }

  @Test
  void countsEachLatentCellOverItsFramesAsACausalVaeCutsThem() {
    // 5 frames of 16x8 pixels: latent frame 0 is frame 0, latent frame 1 frames 1-4; cells of 8x8.
    int frames = 5;
    int h = 8;
    int w = 16;
    byte[] rgb = new byte[frames * h * w * 3];
    paint(rgb, 0, h, w, 0, 0, 4, 8); // frame 0: half of the left cell (32 of 64 pixels)
    paint(rgb, 2, h, w, 8, 0, 8, 8); // frame 2: all of the right cell
    paint(rgb, 4, h, w, 8, 0, 8, 2); // frame 4: a quarter of it
    float[] cover = ObjectCover.cells(rgb, frames, h, w, 4, 8);
    assertArrayEquals(new float[] {0.5f, 0f, 0f, (64 + 16) / 256f}, cover, 1e-6f);
    assertThrows(IllegalArgumentException.class, () -> ObjectCover.cells(rgb, frames, h, w, 3, 8));
    assertThrows(IllegalArgumentException.class, () -> ObjectCover.cells(new byte[10], frames, h, w, 4, 8));
    // Pixel by pixel, the same picture: frame 2's right cell is all object, its left cell none of it.
    float[] mask = ObjectCover.pixels(rgb, h, w, 0);
    assertEquals(frames * h * w, mask.length);
    assertEquals(32 + 64 + 16, sum(mask, 0, mask.length), 0f);
    assertEquals(1f, mask[(2 * h + 3) * w + 12]);
    assertEquals(0f, mask[(2 * h + 3) * w + 3]);
    // A margin of 2 pixels: frame 0's 4x8 block grows to 6 columns (the left edge stops it), frame 4's
    // 8x2 strip to 10 columns of which 8 fit, over 4 rows; frame 2's whole right cell to 10 of 16 columns.
    float[] wide = ObjectCover.pixels(rgb, h, w, 2);
    assertEquals(6 * 8, sum(wide, 0, h * w), 0f);
    assertEquals(10 * 8, sum(wide, 2 * h * w, 3 * h * w), 0f);
    assertEquals(10 * 4, sum(wide, 4 * h * w, 5 * h * w), 0f);
    assertEquals(0f, sum(wide, h * w, 2 * h * w), "an empty frame stays empty: no margin leaks across frames");
    assertThrows(IllegalArgumentException.class, () -> ObjectCover.pixels(new byte[10], h, w, 0));
    assertThrows(IllegalArgumentException.class, () -> ObjectCover.pixels(rgb, h, w, -1));
  }

  private static float sum(float[] a, int from, int to) {
    float s = 0;
    for (int i = from; i < to; i++) {
      s += a[i];
    }
    return s;
  }

  private static void paint(byte[] rgb, int frame, int h, int w, int x0, int y0, int cw, int ch) {
    for (int y = y0; y < y0 + ch; y++) {
      for (int x = x0; x < x0 + cw; x++) {
        int p = 3 * ((frame * h + y) * w + x);
        rgb[p] = (byte) 0xE6; // red
        rgb[p + 1] = 0x28;
        rgb[p + 2] = 0x28;
      }
    }
  }
}
