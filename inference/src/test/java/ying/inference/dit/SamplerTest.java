package ying.inference.dit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every sampler must do, checked for each; DpmSolverPlusPlusTest checks how closely dpm++ solves the ODE. */
class SamplerTest {
  private static final NoiseSchedule SCHEDULE = NoiseSchedule.defaults();

  /** The v that a perfect model predicts when the clean sample is {@code x0}. */
  static NDArray oracle(NDArray noisy, int t, NDArray x0) {
    double ab = SCHEDULE.alphaBar(t);
    // x_t = sqrt(ab) x0 + sqrt(1-ab) eps and v = sqrt(ab) eps - sqrt(1-ab) x0, so v = (sqrt(ab) x_t - x0) / sqrt(1-ab).
    return noisy.mul((float) Math.sqrt(ab)).sub(x0).div((float) Math.sqrt(1 - ab));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ddim", "dpm++"})
  void aPerfectModelIsSampledToItsCleanLatents(String name) {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape shape = new Shape(1, 4, 3, 2, 2);
      NDArray x0 = DdimSampler.noise(m, shape, 5).mul(0.5f);
      int[] calls = {0};
      NDArray out = Sampler.named(name, SCHEDULE).sample((x, t) -> new NDArray[] {oracle(x, t, x0), oracle(x, t, x0)},
          DdimSampler.noise(m, shape, 9), 10, 6f, i -> calls[0] = i);
      assertEquals(10, calls[0]);
      assertEquals(0f, out.sub(x0).abs().max().getFloat(), 1e-4f);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ddim", "dpm++"})
  void guidanceExtrapolatesFromTheUnconditionalTowardTheConditional(String name) {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape shape = new Shape(1, 2, 1, 2, 2);
      NDArray cond = m.ones(shape);
      NDArray uncond = m.zeros(shape);
      NDArray out = Sampler.named(name, SCHEDULE).sample((x, t) -> new NDArray[] {oracle(x, t, cond),
          oracle(x, t, uncond)}, DdimSampler.noise(m, shape, 1), 25, 3f, i -> { });
      // Linear in v, so the clean sample is uncond + 3 * (cond - uncond) = 3 everywhere.
      assertEquals(0f, out.sub(3f).abs().max().getFloat(), 1e-3f);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ddim", "dpm++"})
  void eachStepFreesWhatItMadeAndKeepsTheCallersStart(String name) {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape shape = new Shape(1, 2, 1, 2, 2);
      NDArray x0 = m.ones(shape);
      NDArray start = DdimSampler.noise(m, shape, 3);
      int before = m.getManagedArrays().size();
      // A model that leaves intermediates behind, as a network's forward does on the input's manager.
      Sampler.VelocityModel leaky = (x, t) -> {
        NDArray v = x;
        for (int i = 0; i < 10; i++) {
          v = v.add(0f);
        }
        return new NDArray[] {oracle(v, t, x0), oracle(v, t, x0)};
      };
      NDArray out = Sampler.named(name, SCHEDULE).sample(leaky, start, 40, 6f, i -> { });
      // Without a scope per step 40 steps leave some 1,400 arrays here; with it, the start, the result
      // and at most the last clean prediction.
      int left = m.getManagedArrays().size() - before;
      assertTrue(left <= 3, left + " arrays left on the manager after 40 steps");
      assertEquals(0f, out.sub(x0).abs().max().getFloat(), 1e-4f);
      assertEquals(shape, start.getShape()); // still open: the caller's to free
      assertEquals(0f, start.sub(DdimSampler.noise(m, shape, 3)).abs().max().getFloat());
    }
  }

  @Test
  void samplersAreChosenByName() {
    assertTrue(Sampler.named("ddim", SCHEDULE) instanceof DdimSampler);
    assertTrue(Sampler.named("dpm++", SCHEDULE) instanceof DpmSolverPlusPlus);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sampler.named("euler", SCHEDULE));
    assertTrue(e.getMessage().contains("ddim") && e.getMessage().contains("euler"), e.getMessage());
  }

  @Test
  void theSameSeedGivesTheSameNoise() {
    try (NDManager m = NDManager.newBaseManager()) {
      Shape s = new Shape(2, 3);
      assertEquals(0f, DdimSampler.noise(m, s, 4).sub(DdimSampler.noise(m, s, 4)).abs().max().getFloat());
    }
  }
}
