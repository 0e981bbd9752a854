package ying.core.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Scenes of the default world as a video strings them together, each sampled after the one before. */
final class SampledScenes {
  private SampledScenes() {
  }

  static List<Scene> of(long seed, int count) {
    SceneSampler sampler = new SceneSampler(WorldOptions.defaults());
    SplittableRandom rng = new SplittableRandom(seed);
    List<Scene> scenes = new ArrayList<>(count);
    Scene previous = null;
    for (int i = 0; i < count; i++) {
      previous = sampler.sample(rng, previous);
      scenes.add(previous);
    }
    return scenes;
  }
}
