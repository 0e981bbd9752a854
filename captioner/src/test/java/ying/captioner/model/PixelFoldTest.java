package ying.captioner.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import ying.core.text.Tokenizer;

/** Folding pixel blocks into channels, and a folded captioner warm-started from an unfolded one. */
class PixelFoldTest {
  private static final Tokenizer TOKENIZER = Tokenizer.build(List.of("the camera pans left. a red circle moves up."));

  @Test
  void foldKeepsEveryPixelInItsBlock() {
    try (NDManager m = NDManager.newBaseManager()) {
      // One 4x4 frame whose value names its pixel: colour + 10 * column + 100 * row.
      float[] v = new float[4 * 4 * 3];
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 4; x++) {
          for (int c = 0; c < 3; c++) {
            v[(y * 4 + x) * 3 + c] = c + 10 * x + 100 * y;
          }
        }
      }
      NDArray folded = PixelFold.fold(m.create(v, new Shape(1, 4, 4, 3)), 2);
      assertEquals(new Shape(1, 12, 2, 2), folded.getShape());
      // Channel (colour 1, row 1, column 0) of block (row 0, column 1) is pixel (row 1, column 2).
      assertEquals(1 + 10 * 2 + 100 * 1, folded.getFloat(0, 1 * 4 + 1 * 2 + 0, 0, 1));
      assertEquals(2 + 10 * 3 + 100 * 3, folded.getFloat(0, 2 * 4 + 1 * 2 + 1, 1, 1));
      NDArray frame = m.create(v, new Shape(1, 4, 4, 3));
      assertArrayEquals(frame.transpose(0, 3, 1, 2).toFloatArray(), PixelFold.fold(frame, 1).toFloatArray(),
          "a fold of 1 is the plain channels-first transpose");
    }
  }

  @Test
  void aWarmStartReadsLargeFramesAsTheBaseReadsTheirAverages() {
    CaptionerConfig c = new CaptionerConfig(4, 32, 48, 2, 16, 32, 2, 1, 1, 16, TOKENIZER.size(), 16);
    Random rng = new Random(5);
    try (CaptionerModel base = CaptionerModel.create(c, TOKENIZER);
        CaptionerModel folded = PixelFold.warmStart(base, 2);
        NDManager scope = base.djlModel().getNDManager().newSubManager()) {
      CaptionerConfig f = folded.config();
      assertEquals(new CaptionerConfig(4, 64, 96, 2, 32, 32, 2, 1, 1, 16, TOKENIZER.size(), 16, 2), f);
      assertEquals(c.videoTokens(), f.videoTokens());
      assertEquals(f, CaptionerConfig.fromJson(f.toJson(new ObjectMapper())));
      assertTrue(!c.toJson(new ObjectMapper()).has("pixel_fold"), "unfolded configs are written as before");
      float[] large = new float[2 * 4 * 64 * 96 * 3];
      for (int i = 0; i < large.length; i++) {
        large[i] = rng.nextInt(256);
      }
      NDArray big = scope.create(large, new Shape(2, 4, 64, 96, 3));
      NDArray averaged = big.reshape(2, 4, 32, 2, 48, 2, 3).mean(new int[] {5}).mean(new int[] {3});
      ParameterStore ps = new ParameterStore(scope, false);
      NDArray a = base.network().encode(ps, averaged, false);
      NDArray b = folded.network().encode(ps, big, false);
      assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 1e-4f);
      byte[] bytes = new byte[large.length];
      for (int i = 0; i < large.length; i++) {
        bytes[i] = (byte) large[i];
      }
      // Different weights would read the same frames differently: the check above can fail.
      try (CaptionerModel other = CaptionerModel.create(f, TOKENIZER)) {
        NDArray o = other.network().encode(ps, big, false);
        assertTrue(o.sub(b).abs().max().getFloat() > 1e-2f);
      }
      assertEquals(2, folded.caption(bytes, 2, 1).size());
    }
    assertThrows(IllegalArgumentException.class,
        () -> new CaptionerConfig(4, 64, 96, 2, 32, 32, 2, 1, 1, 16, 20, 0, 2), "a fold needs a stem");
  }
}
