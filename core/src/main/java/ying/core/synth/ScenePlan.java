package ying.core.synth;

import java.util.Objects;

/**
 * One scene of a video: frames [startFrame, startFrame + frameCount) at {@code fps}.
 *
 * @param index position of the scene in its video, from 0
 */
public record ScenePlan(int index, Scene scene, int startFrame, int frameCount, int fps) {

  public ScenePlan {
    Objects.requireNonNull(scene, "scene");
    if (index < 0 || startFrame < 0 || frameCount < 1 || fps < 1) {
      throw new IllegalArgumentException("scene " + index + " frames " + startFrame + "+" + frameCount
          + " at " + fps + " fps");
    }
  }

  /** First frame after this scene. */
  public int endFrame() {
    return startFrame + frameCount;
  }

  public double startSeconds() {
    return startFrame / (double) fps;
  }

  public double endSeconds() {
    return endFrame() / (double) fps;
  }

  public double durationSeconds() {
    return frameCount / (double) fps;
  }

  public boolean contains(int frameIndex) {
    return frameIndex >= startFrame && frameIndex < endFrame();
  }

  public String caption() {
    return CaptionGrammar.caption(scene);
  }
}
