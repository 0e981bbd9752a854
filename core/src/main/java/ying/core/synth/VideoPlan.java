package ying.core.synth;

import java.util.List;

/** A synthetic video: scenes back to back, separated by hard cuts, rendered frame by frame on demand. */
public record VideoPlan(int fps, int width, int height, List<ScenePlan> scenes) {

  /** Renderers are reused per thread: one image per frame size, not one per frame. */
  private static final ThreadLocal<SceneRenderer> RENDERER = new ThreadLocal<>();

  public VideoPlan {
    scenes = List.copyOf(scenes);
    if (scenes.isEmpty()) {
      throw new IllegalArgumentException("a video has at least one scene");
    }
    int next = 0;
    for (int i = 0; i < scenes.size(); i++) {
      ScenePlan s = scenes.get(i);
      if (s.index() != i || s.startFrame() != next || s.fps() != fps) {
        throw new IllegalArgumentException("scene " + i + " does not follow on at " + next + ": " + s);
      }
      next = s.endFrame();
    }
  }

  public int totalFrames() {
    return scenes.get(scenes.size() - 1).endFrame();
  }

  public double durationSeconds() {
    return totalFrames() / (double) fps;
  }

  public ScenePlan sceneAt(int frameIndex) {
    for (ScenePlan s : scenes) {
      if (s.contains(frameIndex)) {
        return s;
      }
    }
    throw new IndexOutOfBoundsException("frame " + frameIndex + " of " + totalFrames());
  }

  /** Writes frame {@code frameIndex} as RGB24 into {@code rgb} (width * height * 3 bytes). */
  public void renderFrame(int frameIndex, byte[] rgb) {
    ScenePlan s = sceneAt(frameIndex);
    renderer().render(s.scene(), (frameIndex - s.startFrame()) / (double) fps, s.durationSeconds(), rgb);
  }

  private SceneRenderer renderer() {
    SceneRenderer r = RENDERER.get();
    if (r == null || r.width() != width || r.height() != height) {
      r = new SceneRenderer(width, height);
      RENDERER.set(r);
    }
    return r;
  }
}
