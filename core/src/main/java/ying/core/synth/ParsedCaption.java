package ying.core.synth;

import java.util.ArrayList;
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

  /**
   * What the caption of the scene's left-right mirror image says: pans and travel swap sides, and
   * the objects, named left to right, come in reverse order. Backgrounds, shapes and styles are
   * their own mirror images in this world.
   */
  public ParsedCaption mirrored() {
    List<ObjectDescription> flipped = new ArrayList<>(objects.size());
    for (int i = objects.size() - 1; i >= 0; i--) {
      ObjectDescription o = objects.get(i);
      flipped.add(new ObjectDescription(o.size(), o.colour(), o.shape(), o.motion().mirrored()));
    }
    return new ParsedCaption(camera.mirrored(), background, style, flipped);
  }

  public static ParsedCaption of(Scene scene) {
    return new ParsedCaption(scene.camera(), scene.background(), scene.style(),
        scene.objects().stream().map(SceneObject::description).toList());
  }
}
