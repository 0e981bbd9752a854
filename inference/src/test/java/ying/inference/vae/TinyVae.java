package ying.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;

/** A VAE with the default layout (8x space, 4x time, 16 latent channels) but narrow enough for tests. */
final class TinyVae {
  private TinyVae() {}

  static VaeConfig config() {
    return new VaeConfig(3, 16, 4, List.of(8, 8, 16), List.of(true, true, false), 1, 3, 4, 1e-6f, -30f, 20f);
  }

  static NDArray normal(NDManager manager, long seed, long... shape) {
    Shape s = new Shape(shape);
    float[] values = new float[Math.toIntExact(s.size())];
    Random rng = new Random(seed);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) rng.nextGaussian();
    }
    return manager.create(values, s);
  }

  static float maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
