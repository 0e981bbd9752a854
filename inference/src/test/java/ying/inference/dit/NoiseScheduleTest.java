package ying.inference.dit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoiseScheduleTest {
  @Test
  void lastStepIsPureNoiseAndTheFirstIsUnchanged() {
    NoiseSchedule s = NoiseSchedule.defaults();
    assertEquals(0.0, s.alphaBar(s.steps() - 1), 0.0, "zero terminal SNR");
    assertEquals(1 - 0.00085, s.alphaBar(0), 1e-12, "the first step keeps the original schedule's value");
    for (int t = 1; t < s.steps(); t++) {
      assertTrue(s.alphaBar(t) < s.alphaBar(t - 1), "signal falls monotonically at step " + t);
    }
  }

  @Test
  void velocityRecoversTheCleanSampleAndTheNoise() {
    NoiseSchedule s = NoiseSchedule.defaults();
    float x0 = 0.7f;
    float eps = -1.3f;
    for (int t : new int[] {0, 10, 500, 998, 999}) {
      float xt = s.noisy(x0, eps, t);
      float v = s.velocity(x0, eps, t);
      assertEquals(x0, s.cleanFromVelocity(xt, v, t), 1e-5f, "x0 at step " + t);
      assertEquals(eps, s.noiseFromVelocity(xt, v, t), 1e-5f, "eps at step " + t);
    }
    // At zero SNR x_t is the noise itself and v is -x0: the model must predict the clean sample there.
    assertEquals(eps, s.noisy(x0, eps, 999), 1e-6f);
    assertEquals(-x0, s.velocity(x0, eps, 999), 1e-6f);
  }

  @Test
  void samplingStartsAtTheNoisiestStep() {
    NoiseSchedule s = NoiseSchedule.defaults();
    assertArrayEquals(new int[] {999, 749, 499, 249}, s.samplingSteps(4));
    int[] fifty = s.samplingSteps(50);
    assertEquals(999, fifty[0]);
    assertEquals(19, fifty[49]);
    assertThrows(IllegalArgumentException.class, () -> s.samplingSteps(0));
  }
}
