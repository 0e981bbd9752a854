package ying.core.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The labelled seed data: an endless, reproducible sequence of captioned videos. Video {@code i} of a
 * seed is the same on every call and machine, and independent of every other index, so Spark tasks
 * can generate any range of videos without coordination.
 */
public final class SyntheticWorld {
  private final long seed;
  private final WorldOptions options;
  private final SceneSampler sampler;

  public SyntheticWorld(long seed, WorldOptions options) {
    this.seed = seed;
    this.options = options;
    this.sampler = new SceneSampler(options);
  }

  public long seed() {
    return seed;
  }

  public WorldOptions options() {
    return options;
  }

  public VideoPlan video(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("video index " + index);
    }
    SplittableRandom rng = new SplittableRandom(videoSeed(seed, index));
    int sceneCount = between(rng, options.minScenes(), options.maxScenes());
    List<ScenePlan> scenes = new ArrayList<>();
    Scene previous = null;
    int start = 0;
    for (int i = 0; i < sceneCount; i++) {
      int frames = between(rng, options.minSceneFrames(), options.maxSceneFrames());
      Scene scene = sampler.sample(rng, previous);
      scenes.add(new ScenePlan(i, scene, start, frames, options.fps()));
      start += frames;
      previous = scene;
    }
    return new VideoPlan(options.fps(), options.width(), options.height(), scenes);
  }

  /** Mixes seed and index through two SplitMix64 rounds, so that nearby seeds and indices decorrelate. */
  static long videoSeed(long seed, int index) {
    return mix64(mix64(seed) + 0x9E3779B97F4A7C15L * (index + 1L));
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static int between(SplittableRandom rng, int min, int max) {
    return min + rng.nextInt(max - min + 1);
  }
}
