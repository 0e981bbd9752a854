package ying.core.synth;

import java.util.List;
import java.util.Objects;

/**
 * The attributes a caption states: everything of a Scene except geometry. Parsed text is compared
 * with {@link #of(Scene)} to grade a captioner.
 */
public record ParsedCaption(CameraMove camera, Background background, RenderStyle style,
    List<ObjectDescription> objects) {

  public ParsedCaption {
    Objects.requireNonNull(camera, "camera");
    Objects.requireNonNull(background, "background");
    Objects.requireNonNull(style, "style");
    objects = List.copyOf(objects);
    if (objects.isEmpty()) {
      throw new IllegalArgumentException("a caption names at least one object");
    }
  }

  public static ParsedCaption of(Scene scene) {
    return new ParsedCaption(scene.camera(), scene.background(), scene.style(),
        scene.objects().stream().map(SceneObject::description).toList());
  }
}
