package ying.inference.dit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class DitBlockTest {
  private static final int D = 16;
  private static final int NT = 3;
  private static final int T = 2;
  private static final int H = 2;
  private static final int W = 3;

  @Test
  void startsAsTheIdentityAndEveryPartLearns() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(7);
      DitBlock block = new DitBlock(D, 2);
      int nv = T * H * W;
      block.initialize(m, DataType.FLOAT32, new Shape(1, NT, D), new Shape(1, nv, D), new Shape(1, 8));
      NDArray text = m.randomNormal(new Shape(1, NT, D));
      NDArray video = m.randomNormal(new Shape(1, nv, D));
      NDArray c = m.randomNormal(new Shape(1, 8));
      var params = Rope3d.params(new Rope3d(D / 2, 10000).tables(m, T, H, W).afterUnrotated(NT));
      NDList out = block.forward(new ParameterStore(m, false), new NDList(text, video, c), false, params);
      assertEquals(0f, out.get(0).sub(text).abs().max().getFloat(), "adaLN-Zero: the block starts as the identity");
      assertEquals(0f, out.get(1).sub(video).abs().max().getFloat());

      // Open the gates; then every parameter gets a gradient, and video tokens see the text.
      block.getParameters().stream().filter(p -> p.getKey().contains("modulation_weight"))
          .forEach(p -> p.getValue().getArray().set(m.randomNormal(p.getValue().getArray().getShape()).mul(0.5f)
              .toFloatArray()));
      NDList opened;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        opened = block.forward(new ParameterStore(m, false), new NDList(text, video, c), true, params);
        gc.backward(opened.get(1).square().sum().add(opened.get(0).square().sum()));
      }
      for (var p : block.getParameters()) {
        assertTrue(p.getValue().getArray().getGradient().abs().sum().getFloat() > 0f, p.getKey() + " gets no gradient");
      }
      NDArray otherText = m.randomNormal(new Shape(1, NT, D));
      NDList changed = block.forward(new ParameterStore(m, false), new NDList(otherText, video, c), false, params);
      NDList again = block.forward(new ParameterStore(m, false), new NDList(text, video, c), false, params);
      assertTrue(changed.get(1).sub(again.get(1)).abs().max().getFloat() > 1e-4f, "video tokens attend to the text");
    }
  }

  @Test
  void paddingMaskedKeysChangeNothing() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(8);
      DitBlock block = new DitBlock(D, 2);
      int nv = T * H * W;
      block.initialize(m, DataType.FLOAT32, new Shape(1, NT, D), new Shape(1, nv, D), new Shape(1, 8));
      block.getParameters().stream().filter(p -> p.getKey().contains("modulation_weight"))
          .forEach(p -> p.getValue().getArray().set(m.randomNormal(p.getValue().getArray().getShape()).toFloatArray()));
      NDArray video = m.randomNormal(new Shape(1, nv, D));
      NDArray c = m.randomNormal(new Shape(1, 8));
      var params = Rope3d.params(new Rope3d(D / 2, 10000).tables(m, T, H, W).afterUnrotated(NT));
      // The last text token is padding: whatever it holds, the video tokens come out the same.
      float[] bias = new float[NT + nv];
      bias[NT - 1] = -1e9f;
      NDArray mask = m.create(bias, new Shape(1, 1, 1, NT + nv));
      NDArray a = m.randomNormal(new Shape(1, NT, D));
      NDArray b = a.duplicate();
      b.set(new ai.djl.ndarray.index.NDIndex(":, " + (NT - 1)), 5f);
      NDArray va = block.forward(new ParameterStore(m, false), new NDList(a, video, c, mask), false, params).get(1);
      NDArray vb = block.forward(new ParameterStore(m, false), new NDList(b, video, c, mask), false, params).get(1);
      assertEquals(0f, va.sub(vb).abs().max().getFloat(), 1e-5f);
    }
  }
}
