package ying.trainer.dit;

import java.io.Serializable;
import ying.inference.dit.DitConfig;

/**
 * One DiT training run.
 *
 * @param vae the VAE ref whose latents the dataset holds (checked against the dataset's manifest)
 * @param init a DiT checkpoint to fine-tune from, or null to start fresh
 * @param architecture the network to start fresh with (its vocabulary and latent scale are filled in
 *     from the data and the VAE); null for {@link DitConfig#defaults}. With {@code init}, null, or a
 *     shape whose block count, if more than the init's, grows a deeper DiT from it
 *     ({@link ying.inference.dit.DitModel#deepened})
 * @param imageToVideo whether the first frame's latents condition the model (i2v) or only the caption (t2v)
 * @param objective what each step's loss asks (caption and image dropout, the direction and shape
 *     hinges, the noise steps' tilt); image dropout only for an image-to-video DiT
 * @param samples val clips whose captions (and first frames, for i2v) are sampled into the checkpoint
 */
public record DitTrainingConfig(String data, String registry, String vae, String init, DitConfig architecture,
    String name, boolean imageToVideo, int steps, int batch, float learningRate, int warmupSteps,
    DitObjective objective, long seed, int logEvery, int valEvery, int samples, String command) implements Serializable {

  public DitTrainingConfig {
    if (steps < 1 || batch < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException("steps, batch and learning rate must be positive");
    }
    if (objective.imageDropout() > 0 && !imageToVideo) {
      throw new IllegalArgumentException("image dropout above 0 is only for an image-to-video DiT, got "
          + objective.imageDropout());
    }
    if (samples < 0) {
      throw new IllegalArgumentException("samples must be 0 or more, got " + samples);
    }
    if (logEvery < 1 || valEvery < logEvery || valEvery % logEvery != 0) {
      throw new IllegalArgumentException("val-every (" + valEvery + ") must be a multiple of the log interval ("
          + logEvery + ")");
    }
  }
}
