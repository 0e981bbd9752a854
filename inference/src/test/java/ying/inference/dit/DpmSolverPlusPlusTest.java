package ying.inference.dit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** How closely DPM-Solver++ solves the diffusion ODE against DDIM; SamplerTest checks what both must do. */
class DpmSolverPlusPlusTest {
  private final NoiseSchedule schedule = NoiseSchedule.defaults();
  private static final float MEAN = 0.7f;
  private static final float SPREAD = 0.5f;

  /**
   * The exact v for data drawn from N(MEAN, SPREAD^2) in every value: the best clean estimate is
   * MEAN + alpha SPREAD^2 / (alpha^2 SPREAD^2 + sigma^2) (x - alpha MEAN), and v = (alpha x - clean) / sigma.
   */
  private NDArray gaussianData(NDArray x, int t) {
    double ab = schedule.alphaBar(t);
    float alpha = (float) Math.sqrt(ab);
    float sigma = (float) Math.sqrt(1 - ab);
    float gain = alpha * SPREAD * SPREAD / (alpha * alpha * SPREAD * SPREAD + sigma * sigma);
    NDArray clean = x.sub(alpha * MEAN).mul(gain).add(MEAN);
    return x.mul(alpha).sub(clean).div(sigma);
  }

  /**
   * For Gaussian data the diffusion ODE is solved in closed form: (x - alpha MEAN) / sqrt(alpha^2
   * SPREAD^2 + sigma^2) stays put, so noise z at the zero-SNR step ends at MEAN + SPREAD z.
   */
  private float error(Sampler sampler, int steps, NDManager m) {
    Shape shape = new Shape(1, 4, 3, 4, 4);
    NDArray z = DdimSampler.noise(m, shape, 3);
    NDArray out = sampler.sample((x, t) -> {
      NDArray v = gaussianData(x, t);
      return new NDArray[] {v, v};
    }, z, steps, 1f, i -> { });
    return out.sub(z.mul(SPREAD).add(MEAN)).abs().max().getFloat();
  }

  @Test
  void itSolvesTheOdeMoreCloselyThanDdimInAsManySteps() {
    try (NDManager m = NDManager.newBaseManager()) {
      // Measured: 20 steps 0.17 against 0.27, 50 steps 0.063 against 0.126. Both share the last
      // step's error (a first-order jump from the least noisy step to clean latents), which is most
      // of what remains at 50 steps.
      for (int steps : new int[] {20, 50}) {
        float ddim = error(new DdimSampler(schedule), steps, m);
        float dpm = error(new DpmSolverPlusPlus(schedule), steps, m);
        assertTrue(dpm < 0.75f * ddim, steps + " steps: dpm++ " + dpm + ", ddim " + ddim);
      }
      assertTrue(error(new DpmSolverPlusPlus(schedule), 50, m) < error(new DdimSampler(schedule), 100, m),
          "50 dpm++ steps do what 100 DDIM steps do");
    }
  }
}
