package ying.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.IntConsumer;

/**
 * DPM-Solver++(2M) (Lu et al., 2022): a second-order multistep solver of the diffusion ODE in its
 * clean-sample form. Each step reuses the previous step's clean prediction rather than calling the
 * model twice, so a step costs what a DDIM step costs and fewer steps reach the same accuracy.
 *
 * <p>Where the step in log-SNR is unbounded it falls back to first order, which is exactly DDIM:
 * the first step leaves the zero-SNR step (alpha 0) and the last one lands on clean latents
 * (sigma 0); the second step, whose predecessor was unbounded, is first order too.
 */
public final class DpmSolverPlusPlus implements Sampler {
  private final NoiseSchedule schedule;

  public DpmSolverPlusPlus(NoiseSchedule schedule) {
    this.schedule = schedule;
  }

  @Override
  public NDArray sample(VelocityModel model, NDArray start, int steps, float guidance, IntConsumer progress) {
    int[] ts = schedule.samplingSteps(steps);
    NDManager manager = start.getManager();
    NDArray x = start;
    NDArray previousClean = null;
    double previousH = Double.POSITIVE_INFINITY;
    for (int i = 0; i < ts.length; i++) {
      double ab = schedule.alphaBar(ts[i]);
      double abNext = i + 1 < ts.length ? schedule.alphaBar(ts[i + 1]) : 1.0;
      double alpha = Math.sqrt(ab);
      double sigma = Math.sqrt(1 - ab);
      double alphaNext = Math.sqrt(abNext);
      double sigmaNext = Math.sqrt(1 - abNext);
      double h = alpha == 0 || sigmaNext == 0 ? Double.POSITIVE_INFINITY
          : Math.log(alphaNext / sigmaNext) - Math.log(alpha / sigma);
      // exp(-h) as a ratio, which is 0 at either unbounded end rather than a NaN of infinities.
      double expMinusH = alpha * sigmaNext / (sigma * alphaNext);
      int t = ts[i];
      NDArray in = x;
      NDArray before = previousClean;
      double previous = previousH;
      NDArray[] next = Sampler.step(() -> {
        NDArray velocity = Sampler.guided(model.predict(in, t), guidance, manager);
        NDArray clean = in.mul(manager.create((float) alpha)).sub(velocity.mul(manager.create((float) sigma)));
        NDArray d = clean;
        if (before != null && Double.isFinite(previous) && Double.isFinite(h)) {
          double half = h / (2 * previous); // 1 / (2r), r = previousH / h
          d = clean.mul(manager.create((float) (1 + half))).sub(before.mul(manager.create((float) half)));
        }
        NDArray moved = in.mul(manager.create((float) (sigmaNext / sigma)))
            .add(d.mul(manager.create((float) (alphaNext * (1 - expMinusH)))));
        return new NDArray[] {moved, clean};
      }, i == 0 ? null : in, before); // the caller's start is its own to free
      x = next[0];
      previousClean = next[1];
      previousH = h;
      progress.accept(i + 1);
    }
    return x;
  }
}
