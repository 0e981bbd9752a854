package ying.inference.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class Rope3dTest {
  private static final int D = 16;

  @Test
  void splitsTheHeadAsCogVideoXDoes() {
    assertArrayEquals(new int[] {16, 24, 24}, new Rope3d(64, 10000).axisDims());
  }

  @Test
  void dotProductsDependOnRelativePositionOnly() {
    Rope3d rope = new Rope3d(D, 10000);
    try (NDManager m = NDManager.newBaseManager()) {
      int t = 3;
      int h = 4;
      int w = 5;
      Rope3d.Tables tables = rope.tables(m, t, h, w);
      m.getEngine().setRandomSeed(3);
      NDArray q = m.randomNormal(new Shape(1, 1, 1, D)).repeat(2, t * h * w); // the same query at every position
      NDArray k = m.randomNormal(new Shape(1, 1, 1, D)).repeat(2, t * h * w);
      NDArray rq = Rope3d.apply(q, tables).reshape(t * h * w, D);
      NDArray rk = Rope3d.apply(k, tables).reshape(t * h * w, D);
      // Query at (0,1,1) against key at (1,2,3), and both moved by (+1,+1,+1): the same score.
      float a = dot(rq, index(0, 1, 1, h, w), rk, index(1, 2, 3, h, w));
      float b = dot(rq, index(1, 2, 2, h, w), rk, index(2, 3, 4, h, w));
      assertEquals(a, b, 1e-4f);
      // A different offset scores differently.
      float c = dot(rq, index(0, 1, 1, h, w), rk, index(2, 2, 3, h, w));
      assertTrue(Math.abs(a - c) > 1e-3f, a + " vs " + c);
      // Rotations keep lengths, and position (0, 0, 0) is not rotated at all.
      assertEquals(q.get(0, 0, 7).norm().getFloat(), rq.get(7).norm().getFloat(), 1e-4f);
      assertEquals(0f, rq.get(0).sub(q.get(0, 0, 0)).abs().max().getFloat(), 1e-6f);
    }
  }

  @Test
  void tablesBehindUnrotatedRowsLeaveTheTextAsItIsAndRotateTheVideoAsBefore() {
    try (NDManager m = NDManager.newBaseManager()) {
      Rope3d.Tables video = new Rope3d(D, 10000).tables(m, 2, 3, 4);
      m.getEngine().setRandomSeed(5);
      NDArray text = m.randomNormal(new Shape(2, 3, 7, D)); // [B, heads, text tokens, D]
      NDArray clip = m.randomNormal(new Shape(2, 3, 24, D));
      NDArray whole = Rope3d.apply(text.concat(clip, 2), video.afterUnrotated(7));
      assertEquals(0f, whole.get(":, :, :7").sub(text).abs().max().getFloat());
      assertEquals(0f, whole.get(":, :, 7:").sub(Rope3d.apply(clip, video)).abs().max().getFloat());
    }
  }

  private static int index(int t, int y, int x, int h, int w) {
    return (t * h + y) * w + x;
  }

  private static float dot(NDArray a, int i, NDArray b, int j) {
    return a.get(new NDIndex(i)).mul(b.get(new NDIndex(j))).sum().getFloat();
  }
}
