package ying.inference.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class TiledDecodeTest {
  @Test
  void tileStartsCoverTheAxisAndEndAtItsEdge() {
    assertArrayEquals(new int[] {0}, TileBlend.starts(8, 8, 2));
    assertArrayEquals(new int[] {0, 4}, TileBlend.starts(12, 8, 2));
    assertArrayEquals(new int[] {0, 3, 5, 8, 10}, TileBlend.starts(14, 4, 1));
    for (int size = 1; size < 40; size++) {
      int[] s = TileBlend.starts(size, 6, 2);
      assertEquals(0, s[0]);
      assertEquals(Math.max(0, size - 6), s[s.length - 1], "size " + size);
      for (int i = 1; i < s.length; i++) {
        assertEquals(true, s[i] - s[i - 1] <= 4, "gap at size " + size);
      }
    }
  }

  @Test
  void tilesThatAgreeBlendBackToTheWholeImage() {
    // Tiles cut from one image agree where they overlap, so any weighting must give the image back.
    int b = 1;
    int c = 2;
    int t = 3;
    int h = 20;
    int w = 28;
    float[] image = new float[b * c * t * h * w];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) Math.sin(i * 0.37);
    }
    TileBlend blend = new TileBlend(b, c, t, h, w);
    int tile = 12;
    int overlap = 4;
    int[] ys = TileBlend.starts(h, tile, overlap);
    int[] xs = TileBlend.starts(w, tile, overlap);
    for (int y0 : ys) {
      for (int x0 : xs) {
        float[] part = new float[b * c * t * tile * tile];
        for (int p = 0; p < b * c * t; p++) {
          for (int y = 0; y < tile; y++) {
            for (int x = 0; x < tile; x++) {
              part[(p * tile + y) * tile + x] = image[(p * h + y0 + y) * w + x0 + x];
            }
          }
        }
        blend.add(part, y0, x0, tile, tile, overlap, y0 > 0, y0 + tile < h, x0 > 0, x0 + tile < w);
      }
    }
    float[] out = blend.result();
    for (int i = 0; i < image.length; i++) {
      assertEquals(image[i], out[i], 1e-5f, "value " + i);
    }
  }

  @Test
  void aTileAsLargeAsTheLatentsIsAWholeDecode() {
    try (VaeModel vae = VaeModel.create(TinyVae.config(), 3); NDManager m = NDManager.newBaseManager()) {
      NDArray z = TinyVae.normal(m, 4, 1, 16, 2, 3, 4);
      NDArray whole = vae.decode(z, 2);
      NDArray tiled = vae.decodeTiled(z, 2, 4, 1);
      assertEquals(0f, TinyVae.maxAbsDiff(whole, tiled));
      NDArray small = vae.decodeTiled(z, 1, 2, 1); // 2 x 3 tiles of 2x2 latent cells
      assertEquals(whole.getShape(), small.getShape());
      assertThrows(IllegalArgumentException.class, () -> vae.decodeTiled(z, 1, 2, 2));
    }
  }
}
