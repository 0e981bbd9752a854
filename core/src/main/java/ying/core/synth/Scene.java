package ying.core.synth;

import java.util.List;
import java.util.Objects;

/**
 * One shot between two hard cuts; objects are drawn, and captioned, in list order, which the world
 * samples left to right by where each object starts on screen.
 */
public record Scene(CameraMove camera, Background background, RenderStyle style, List<SceneObject> objects) {

  /** More would crowd a 192x128 frame and a one-sentence caption. */
  public static final int MAX_OBJECTS = 3;

  public Scene {
    Objects.requireNonNull(camera, "camera");
    Objects.requireNonNull(background, "background");
    Objects.requireNonNull(style, "style");
    objects = List.copyOf(objects);
    if (objects.isEmpty() || objects.size() > MAX_OBJECTS) {
      throw new IllegalArgumentException("a scene holds 1.." + MAX_OBJECTS + " objects, not " + objects.size());
    }
  }
}
