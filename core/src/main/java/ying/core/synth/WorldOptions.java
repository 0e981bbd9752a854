package ying.core.synth;

import java.io.Serializable;

/**
 * What the synthetic world generates: frame size and rate, scenes per video, scene length in
 * seconds (drawn uniformly, rounded to whole frames), objects per scene. Serializable because Spark
 * job configs carry it to executors.
 */
public record WorldOptions(int width, int height, int fps, int minScenes, int maxScenes,
    double minSceneSeconds, double maxSceneSeconds, int minObjects, int maxObjects) implements Serializable {

  public static WorldOptions defaults() {
    return new WorldOptions(192, 128, 16, 1, 4, 2.0, 20.0, 1, 3);
  }

  public WorldOptions {
    if (width < 2 || height < 2 || fps < 1) {
      throw new IllegalArgumentException("frames " + width + "x" + height + " at " + fps + " fps");
    }
    if (minScenes < 1 || maxScenes < minScenes) {
      throw new IllegalArgumentException("scenes " + minScenes + ".." + maxScenes);
    }
    if (!(minSceneSeconds > 0) || !(maxSceneSeconds >= minSceneSeconds)) {
      throw new IllegalArgumentException("scene seconds " + minSceneSeconds + ".." + maxSceneSeconds);
    }
    if (minSceneFrames(minSceneSeconds, fps) > maxSceneFrames(maxSceneSeconds, fps)) {
      throw new IllegalArgumentException("no whole number of frames lasts " + minSceneSeconds + ".."
          + maxSceneSeconds + " s at " + fps + " fps");
    }
    if (minObjects < 1 || maxObjects < minObjects || maxObjects > Scene.MAX_OBJECTS) {
      throw new IllegalArgumentException("objects " + minObjects + ".." + maxObjects);
    }
  }

  public WorldOptions withFrameSize(int width, int height) {
    return new WorldOptions(width, height, fps, minScenes, maxScenes, minSceneSeconds, maxSceneSeconds,
        minObjects, maxObjects);
  }

  public WorldOptions withFps(int fps) {
    return new WorldOptions(width, height, fps, minScenes, maxScenes, minSceneSeconds, maxSceneSeconds,
        minObjects, maxObjects);
  }

  public WorldOptions withScenes(int minScenes, int maxScenes) {
    return new WorldOptions(width, height, fps, minScenes, maxScenes, minSceneSeconds, maxSceneSeconds,
        minObjects, maxObjects);
  }

  public WorldOptions withSceneSeconds(double minSceneSeconds, double maxSceneSeconds) {
    return new WorldOptions(width, height, fps, minScenes, maxScenes, minSceneSeconds, maxSceneSeconds,
        minObjects, maxObjects);
  }

  public WorldOptions withObjects(int minObjects, int maxObjects) {
    return new WorldOptions(width, height, fps, minScenes, maxScenes, minSceneSeconds, maxSceneSeconds,
        minObjects, maxObjects);
  }

  public double aspect() {
    return width / (double) height;
  }

  /** Shortest scene in frames: the first whole frame count lasting at least minSceneSeconds. */
  public int minSceneFrames() {
    return minSceneFrames(minSceneSeconds, fps);
  }

  /** Longest scene in frames: the last whole frame count lasting at most maxSceneSeconds. */
  public int maxSceneFrames() {
    return maxSceneFrames(maxSceneSeconds, fps);
  }

  // The 1e-9 absorbs binary fractions such as 2.1 * 10 = 20.999999999999996.
  private static int minSceneFrames(double seconds, int fps) {
    return Math.max(1, (int) Math.ceil(seconds * fps - 1e-9));
  }

  private static int maxSceneFrames(double seconds, int fps) {
    return (int) Math.floor(seconds * fps + 1e-9);
  }
}
