package ying.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * The encoder's posterior q(z|x): independent Gaussians per latent value, N(mean, exp(logVar))
 * (Kingma and Welling, 2014, 2.4). Sampling is the reparameterisation mean + std * noise, so
 * gradients flow to both moments.
 */
public final class DiagonalGaussian {
  private final NDArray mean;
  private final NDArray logVar;

  public DiagonalGaussian(NDArray mean, NDArray logVar) {
    this.mean = mean;
    this.logVar = logVar;
  }

  /** Splits the encoder's moments {@code [B, 2C, T, h, w]} into mean and clamped log-variance, C each. */
  static DiagonalGaussian fromMoments(NDArray moments, VaeConfig c) {
    int latent = c.latentChannels();
    NDArray mean = moments.get(":, :" + latent); // [B, C, T, h, w]
    NDArray logVar = moments.get(":, " + latent + ":").clip(c.logVarMin(), c.logVarMax());
    return new DiagonalGaussian(mean, logVar);
  }

  public NDArray mean() {
    return mean;
  }

  public NDArray logVar() {
    return logVar;
  }

  /** The most likely latent: the mean. */
  public NDArray mode() {
    return mean;
  }

  /** mean + std * noise, noise of the mean's shape drawn from N(0, 1). */
  public NDArray sample(NDArray noise) {
    // exp then sqrt rather than exp(0.5 * logVar): DJL's mul(Number) breaks gradients (see ResnetBlock3d#silu).
    return mean.add(logVar.exp().sqrt().mul(noise));
  }

  /**
   * A sample whose noise comes from {@code seed} alone (drawn in Java, not from the engine's global
   * generator), owned by {@code manager}.
   */
  public NDArray sample(NDManager manager, long seed) {
    Shape shape = mean.getShape();
    float[] noise = new float[Math.toIntExact(shape.size())];
    Random rng = new Random(seed);
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) rng.nextGaussian();
    }
    NDArray z = sample(manager.create(noise, shape).toDevice(mean.getDevice(), false));
    z.attach(manager);
    return z;
  }

  /** KL(q || N(0, I)) per sample, summed over its latent values: {@code [B]}. */
  public NDArray kl() {
    NDArray twice = mean.square().add(logVar.exp()).sub(1f).sub(logVar).sum(new int[] {1, 2, 3, 4}); // [B]
    // The half as an array that lives as long as the batch: DJL's mul(Number) breaks gradients (see ResnetBlock3d#silu).
    return twice.mul(mean.getManager().create(0.5f));
  }
}
