package ying.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Deterministic DDIM sampling (Song et al., 2021, eta = 0) for a v-predicting model, with
 * classifier-free guidance (Ho and Salimans, 2022): each step blends the conditional and the
 * unconditional prediction, {@code v = v_u + g * (v_c - v_u)}, then moves to the next step's noise
 * level along the implied clean sample. Starts from seeded noise, so a seed gives the same latents.
 */
public final class DdimSampler implements Sampler {
  private final NoiseSchedule schedule;

  public DdimSampler(NoiseSchedule schedule) {
    this.schedule = schedule;
  }

  /** Seeded standard normal noise, drawn in Java so it does not depend on the engine or the device. */
  public static NDArray noise(NDManager manager, Shape shape, long seed) {
    float[] values = new float[Math.toIntExact(shape.size())];
    Random rng = new Random(seed);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) rng.nextGaussian();
    }
    return manager.create(values, shape);
  }

  @Override
  public NDArray sample(VelocityModel model, NDArray start, int steps, float guidance, IntConsumer progress) {
    int[] ts = schedule.samplingSteps(steps);
    NDManager manager = start.getManager();
    NDArray x = start;
    for (int i = 0; i < ts.length; i++) {
      int t = ts[i];
      double ab = schedule.alphaBar(t);
      double abPrev = i + 1 < ts.length ? schedule.alphaBar(ts[i + 1]) : 1.0;
      NDArray in = x;
      x = Sampler.step(() -> {
        NDArray velocity = Sampler.guided(model.predict(in, t), guidance, manager);
        NDArray clean = in.mul(manager.create((float) Math.sqrt(ab)))
            .sub(velocity.mul(manager.create((float) Math.sqrt(1 - ab))));
        NDArray noise = in.mul(manager.create((float) Math.sqrt(1 - ab)))
            .add(velocity.mul(manager.create((float) Math.sqrt(ab))));
        return new NDArray[] {clean.mul(manager.create((float) Math.sqrt(abPrev)))
            .add(noise.mul(manager.create((float) Math.sqrt(1 - abPrev))))};
      }, i == 0 ? null : in)[0]; // the caller's start is its own to free
      progress.accept(i + 1);
    }
    return x;
  }
}
