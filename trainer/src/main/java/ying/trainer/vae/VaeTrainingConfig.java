package ying.trainer.vae;

import java.io.Serializable;
import ying.inference.vae.VaeConfig;

/**
 * One VAE training run: data, where to publish, what to start from, the crops it learns on and the
 * schedule.
 *
 * @param init a checkpoint ref to fine-tune from, or null to start fresh
 * @param architecture the network to start fresh with; null for {@link VaeConfig#defaults()}
 * @param cropFrames, cropHeight, cropWidth the random window cut from each clip per step: the VAE is
 *     convolutional, so it learns from small windows what it then applies to whole clips, at a
 *     fraction of a whole clip's cost
 * @param klWeight weight of the KL term, per latent value, against the L1 loss per pixel value
 * @param objectWeight how much more a pixel with a synthetic object's colour ({@link
 *     ying.core.synth.ObjectCover}) weighs in the L1 loss: each pixel weighs 1 + W x object, the loss
 *     is over the weights' sum. Objects fill a tenth of the synthetic world's frames, yet their
 *     outlines are what captions name; 0 is the plain L1
 * @param objectMargin how many pixels around each object pixel weigh as it does, so colour bled
 *     past an outline costs what colour missing inside it costs
 * @param decoderOnly train the decoder alone: the encoder, and so every latent a dataset or a DiT
 *     already holds, stays as it is
 * @param evalClips how many whole val clips the published metrics are measured on
 * @param valEvery steps between val PSNR measurements (a multiple of logEvery)
 */
public record VaeTrainingConfig(String data, String registry, String init, VaeConfig architecture, String name, int steps, int batch,
    int cropFrames, int cropHeight, int cropWidth, float learningRate, int warmupSteps, float klWeight,
    float objectWeight, int objectMargin, boolean decoderOnly, long seed, int evalClips, int logEvery, int valEvery, String command)
    implements Serializable {

  public VaeTrainingConfig {
    if (steps < 1 || batch < 1 || !(learningRate > 0) || !(klWeight >= 0) || evalClips < 1) {
      throw new IllegalArgumentException("steps, batch, learning rate and eval clips must be positive, the KL weight"
          + " not negative");
    }
    if (!(objectWeight >= 0) || objectMargin < 0) {
      throw new IllegalArgumentException("the object weight and margin must not be negative, got " + objectWeight
          + " and " + objectMargin);
    }
    if (objectMargin > 0 && objectWeight == 0) {
      throw new IllegalArgumentException("an object margin widens what the object weight weighs: give an object weight");
    }
    if (cropFrames < 1 || cropHeight < 1 || cropWidth < 1) {
      throw new IllegalArgumentException("bad crop " + cropFrames + "x" + cropHeight + "x" + cropWidth);
    }
    if (logEvery < 1 || valEvery < logEvery || valEvery % logEvery != 0) {
      throw new IllegalArgumentException("val-every (" + valEvery + ") must be a multiple of the log interval ("
          + logEvery + ")");
    }
  }
}
