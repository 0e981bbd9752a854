package ying.inference.dit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import ying.core.djl.Weights;
import ying.core.text.Tokenizer;

class DitModelTest {
  private static final List<String> CAPTIONS = List.of("a red ball moves left", "the camera pans right over grass");

  /** A fresh DiT predicts zero (its output starts at zero): every weight given a value, as training would. */
  private static DitModel trainedLooking(DitConfig c, Tokenizer tokenizer, NDManager m, int seed) {
    DitModel model = DitModel.create(c, tokenizer, 3);
    m.getEngine().setRandomSeed(seed);
    for (Parameter p : model.network().getParameters().values()) {
      Weights.replace(p, m.randomNormal(p.getArray().getShape()).mul(0.3f));
    }
    return model;
  }

  @Test
  void aWidenedModelReadsTheFirstFrameButPredictsAsItsTextToVideoSource() {
    Tokenizer tokenizer = Tokenizer.build(CAPTIONS);
    DitConfig c = new DitConfig(4, 4, 2, 32, 4, 2, 1, 12, tokenizer.size(), 32, 0.7f);
    try (NDManager m = NDManager.newBaseManager(); DitModel source = trainedLooking(c, tokenizer, m, 4)) {
      try (DitModel wide = DitModel.widenedForImage(source)) {
        assertTrue(wide.config().imageToVideo());
        assertEquals(c.forData(c.vocabSize(), c.latentScale(), true), wide.config());
        NDArray xt = m.randomNormal(new Shape(2, 4, 3, 4, 4));
        NDArray frame = DitModel.firstFrameCondition(m.randomNormal(new Shape(2, 4, 3, 4, 4)), 3);
        NDArray steps = m.create(new int[] {120, 870});
        NDList captions = source.captions(m, CAPTIONS);
        NDArray before = source.velocity(new ParameterStore(m, false), xt, steps, captions, false);
        NDArray after = wide.velocity(new ParameterStore(m, false), xt.concat(frame, 1), steps, captions, false);
        assertTrue(before.abs().mean().getFloat() > 0.05f, "the source predicts something");
        assertEquals(0f, after.sub(before).abs().max().getFloat(), 1e-4f);
        // The frame's weights are there to learn: moving them makes the frame count.
        var params = wide.network().getParameters();
        for (int i = 0; i < params.size(); i++) {
          if (params.get(i).getKey().endsWith("patch_embed_weight")) {
            Parameter p = params.get(i).getValue();
            Weights.replace(p, p.getArray().add(m.randomNormal(p.getArray().getShape())));
          }
        }
        NDArray moved = wide.velocity(new ParameterStore(m, false), xt.concat(frame, 1), steps, captions, false);
        assertTrue(moved.sub(after).abs().max().getFloat() > 1e-2f, "the patch embedding reads the frame");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> DitModel.widenedForImage(wide));
        assertTrue(twice.getMessage().contains("already reads a first frame"), twice.getMessage());
      }
    }
  }

  @Test
  void aDeepenedModelPredictsAsItsSourceUntilItsNewBlocksLearn() {
    Tokenizer tokenizer = Tokenizer.build(CAPTIONS);
    DitConfig c = new DitConfig(4, 8, 2, 32, 4, 3, 1, 12, tokenizer.size(), 32, 0.7f);
    try (NDManager m = NDManager.newBaseManager(); DitModel source = trainedLooking(c, tokenizer, m, 5)) {
      try (DitModel deep = DitModel.deepened(source, 5)) {
        assertEquals(c.withLayers(5), deep.config());
        NDArray input = m.randomNormal(new Shape(2, 8, 3, 4, 4));
        NDArray steps = m.create(new int[] {40, 650});
        NDList captions = source.captions(m, CAPTIONS);
        NDArray before = source.velocity(new ParameterStore(m, false), input, steps, captions, false);
        NDArray after = deep.velocity(new ParameterStore(m, false), input, steps, captions, false);
        assertTrue(before.abs().mean().getFloat() > 0.05f, "the source predicts something");
        assertEquals(0f, after.sub(before).abs().max().getFloat(), 1e-4f);
        // The source's three blocks sit at 0, 1 and 3 of five; 2 and 4 are new, their gates shut.
        var to = deep.network().getParameters();
        var from = source.network().getParameters();
        for (int i = 0; i < to.size(); i++) {
          String key = to.get(i).getKey();
          NDArray w = to.get(i).getValue().getArray();
          if (key.matches("\\d\\dblock[24]_.*modulation.*")) {
            assertEquals(0f, w.abs().max().getFloat(), key);
          } else if (key.matches("\\d\\dblock3_.*")) {
            NDArray was = from.get(key.replaceFirst("^\\d\\dblock3_", "07block2_")).getArray();
            assertEquals(0f, w.sub(was).abs().max().getFloat(), key);
          }
        }
        // Open a new block's gates: the deeper network now computes something else.
        for (int i = 0; i < to.size(); i++) {
          if (to.get(i).getKey().matches("\\d\\dblock2_.*modulation_weight")) {
            Parameter p = to.get(i).getValue();
            Weights.replace(p, m.randomNormal(p.getArray().getShape()));
          }
        }
        NDArray moved = deep.velocity(new ParameterStore(m, false), input, steps, captions, false);
        assertTrue(moved.sub(after).abs().max().getFloat() > 1e-2f, "the new block takes part");
        IllegalArgumentException shallower = assertThrows(IllegalArgumentException.class,
            () -> DitModel.deepened(source, 3));
        assertTrue(shallower.getMessage().contains("more than the source's 3 blocks"), shallower.getMessage());
      }
    }
  }
}
