package ying.trainer.captioner;

import java.io.Serializable;

/**
 * One captioner training run: data, where to publish, what to start from, and the schedule.
 *
 * @param init a checkpoint ref to fine-tune from, or null to start fresh
 * @param evalClips how many val clips to caption for the metrics
 * @param valEvery steps between measurements of the val loss (a multiple of logEvery)
 * @param mirror train on left-right mirror images of half the clips (see MirrorAugment)
 * @param keepLast publish the last step's weights, not those of the lowest val loss
 */
public record CaptionerTrainingConfig(String data, String registry, String init, String name, int steps, int batch,
    float learningRate, int warmupSteps, long seed, int evalClips, int logEvery, int valEvery, boolean mirror,
    boolean keepLast, String command)
    implements Serializable {

  public CaptionerTrainingConfig {
    if (steps < 1 || batch < 1 || !(learningRate > 0)) {
      throw new IllegalArgumentException("steps, batch and learning rate must be positive");
    }
    if (logEvery < 1 || valEvery < logEvery || valEvery % logEvery != 0) {
      throw new IllegalArgumentException("val-every (" + valEvery + ") must be a multiple of the log interval ("
          + logEvery + ")");
    }
  }
}
