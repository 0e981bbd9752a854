package ying.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;

class BestWeightsTest {
  @Test
  void restoresTheWeightsOfTheLowestLoss() {
    try (NDManager m = NDManager.newBaseManager()) {
      Linear layer = Linear.builder().setUnits(3).build();
      layer.initialize(m, DataType.FLOAT32, new Shape(1, 2));
      var weight = layer.getParameters().valueAt(0).getArray();
      try (BestWeights best = new BestWeights(layer, m)) {
        weight.set(new float[] {1, 1, 1, 1, 1, 1});
        best.offer(0.5, 10);
        weight.set(new float[] {2, 2, 2, 2, 2, 2});
        best.offer(0.4, 20); // the best
        weight.set(new float[] {3, 3, 3, 3, 3, 3});
        best.offer(0.45, 30);
        best.offer(Double.NaN, 40);
        assertEquals(20, best.restore());
        assertEquals(2f, weight.getFloat(0, 0));
        assertEquals(0.4, best.best());
      }
    }
  }
}
