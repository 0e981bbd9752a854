package ying.core.synth;

import java.util.List;
import ying.core.io.Storage;
import ying.core.video.VideoException;
import ying.core.video.VideoWriter;

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

  /** Renders every frame into an H.264 file at {@code uri} (written atomically, as {@link VideoWriter} does). */
  public void write(Storage storage, String uri) throws VideoException {
    byte[] frame = new byte[width * height * 3];
    try (VideoWriter writer = VideoWriter.create(storage, uri, width, height, fps)) {
      for (int f = 0; f < totalFrames(); f++) {
        renderFrame(f, frame);
        writer.write(frame);
      }
      writer.finish();
    }
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
