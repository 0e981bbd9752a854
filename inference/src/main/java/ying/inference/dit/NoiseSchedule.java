package ying.inference.dit;

/**
 * The diffusion noise schedule with zero terminal SNR (Lin et al., 2024, "Common Diffusion Noise
 * Schedules and Sample Steps are Flawed", 3.1), as CogVideoX trains with: the scaled-linear betas
 * of latent diffusion, then sqrt(alpha-bar) shifted and rescaled so the last step is pure noise and
 * the first is unchanged. With the last step at zero SNR, epsilon-prediction is undefined there, so
 * the model predicts v (Salimans and Ho, 2022): {@code v = sqrt(ab) * eps - sqrt(1 - ab) * x0}.
 */
public final class NoiseSchedule {
  private final double[] alphaBar;

  private NoiseSchedule(double[] alphaBar) {
    this.alphaBar = alphaBar;
  }

  /** CogVideoX's: 1,000 steps, betas scaled-linear from 0.00085 to 0.012, rescaled to zero terminal SNR. */
  public static NoiseSchedule defaults() {
    return scaledLinearZeroTerminal(1000, 0.00085, 0.012);
  }

  public static NoiseSchedule scaledLinearZeroTerminal(int steps, double betaStart, double betaEnd) {
    if (steps < 2 || !(betaStart > 0) || !(betaEnd > betaStart) || betaEnd >= 1) {
      throw new IllegalArgumentException("bad schedule: " + steps + " steps, betas " + betaStart + ".." + betaEnd);
    }
    double[] sqrtAb = new double[steps];
    double product = 1;
    for (int i = 0; i < steps; i++) {
      double root = Math.sqrt(betaStart) + (Math.sqrt(betaEnd) - Math.sqrt(betaStart)) * i / (steps - 1);
      product *= 1 - root * root;
      sqrtAb[i] = Math.sqrt(product);
    }
    double first = sqrtAb[0];
    double last = sqrtAb[steps - 1];
    double[] alphaBar = new double[steps];
    for (int i = 0; i < steps; i++) {
      double shifted = (sqrtAb[i] - last) * first / (first - last);
      alphaBar[i] = shifted * shifted;
    }
    return new NoiseSchedule(alphaBar);
  }

  public int steps() {
    return alphaBar.length;
  }

  /** Cumulative signal fraction at step {@code t} (0 = cleanest, steps-1 = pure noise). */
  public double alphaBar(int t) {
    return alphaBar[t];
  }

  /** {@code x_t = sqrt(ab) * x0 + sqrt(1 - ab) * eps}, per value. */
  public float noisy(float x0, float eps, int t) {
    return (float) (Math.sqrt(alphaBar[t]) * x0 + Math.sqrt(1 - alphaBar[t]) * eps);
  }

  /** The v-prediction target for {@code x0} noised with {@code eps} at step {@code t}. */
  public float velocity(float x0, float eps, int t) {
    return (float) (Math.sqrt(alphaBar[t]) * eps - Math.sqrt(1 - alphaBar[t]) * x0);
  }

  /** The clean sample implied by {@code x_t} and a predicted v. */
  public float cleanFromVelocity(float xt, float v, int t) {
    return (float) (Math.sqrt(alphaBar[t]) * xt - Math.sqrt(1 - alphaBar[t]) * v);
  }

  /** The noise implied by {@code x_t} and a predicted v. */
  public float noiseFromVelocity(float xt, float v, int t) {
    return (float) (Math.sqrt(1 - alphaBar[t]) * xt + Math.sqrt(alphaBar[t]) * v);
  }

  /**
   * {@code n} sampling steps spread evenly from the noisiest step down ("trailing" spacing, which
   * Lin et al. recommend so sampling starts at the zero-SNR step the model was trained on).
   */
  public int[] samplingSteps(int n) {
    if (n < 1 || n > steps()) {
      throw new IllegalArgumentException("sampling steps must be in 1.." + steps() + ", got " + n);
    }
    int[] out = new int[n];
    double stride = steps() / (double) n;
    for (int i = 0; i < n; i++) {
      out[i] = (int) Math.round(steps() - i * stride) - 1;
    }
    return out;
  }
}
