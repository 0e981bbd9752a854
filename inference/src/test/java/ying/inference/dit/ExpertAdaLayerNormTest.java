package ying.inference.dit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class ExpertAdaLayerNormTest {
  private static final int D = 8;

  @Test
  void startsAsPlainLayerNormWithClosedGates() {
    try (NDManager m = NDManager.newBaseManager()) {
      ExpertAdaLayerNorm block = new ExpertAdaLayerNorm(D);
      block.initialize(m, DataType.FLOAT32, new Shape(2, 3, D), new Shape(2, 5, D), new Shape(2, 4));
      NDArray text = m.randomNormal(new Shape(2, 3, D));
      NDArray video = m.randomNormal(new Shape(2, 5, D));
      NDArray c = m.randomNormal(new Shape(2, 4));
      NDList out = block.forward(new ParameterStore(m, false), new NDList(text, video, c), false);
      assertEquals(0f, out.get(2).abs().max().getFloat());
      assertEquals(0f, out.get(3).abs().max().getFloat());
      assertEquals(0f, out.get(1).mean(new int[] {2}).abs().max().getFloat(), 1e-5f, "normalised per token");
    }
  }

  @Test
  void textAndVideoGetTheirOwnModulationAndItLearns() {
    try (NDManager m = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(5);
      ExpertAdaLayerNorm block = new ExpertAdaLayerNorm(D);
      block.initialize(m, DataType.FLOAT32, new Shape(1, 4, D), new Shape(1, 4, D), new Shape(1, 4));
      Parameter weight = block.getParameters().stream().filter(p -> p.getKey().endsWith("modulation_weight"))
          .findFirst().orElseThrow().getValue();
      weight.getArray().set(m.randomNormal(weight.getArray().getShape()).toFloatArray());
      NDArray tokens = m.randomNormal(new Shape(1, 4, D));
      NDArray c = m.randomNormal(new Shape(1, 4));
      NDList out;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        out = block.forward(new ParameterStore(m, false), new NDList(tokens, tokens, c), true);
        gc.backward(out.get(0).sub(out.get(1)).square().sum());
      }
      // The same tokens as text and as video come out differently: separate experts.
      assertTrue(out.get(0).sub(out.get(1)).abs().max().getFloat() > 1e-3f);
      assertTrue(out.get(2).sub(out.get(3)).abs().max().getFloat() > 1e-3f);
      assertTrue(weight.getArray().getGradient().abs().sum().getFloat() > 0f, "the modulation gets gradients");
    }
  }
}
