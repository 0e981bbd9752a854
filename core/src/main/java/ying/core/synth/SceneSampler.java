package ying.core.synth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws scenes with every attribute uniform, so a captioner sees all combinations. After a previous
 * scene the background always changes and camera or style too, which makes the hard cut between them
 * plain to a histogram-and-difference detector.
 */
final class SceneSampler {
  private static final Shape[] SHAPES = Shape.values();
  private static final Colour[] COLOURS = Colour.values();
  private static final ObjectSize[] SIZES = ObjectSize.values();
  private static final Motion[] MOTIONS = Motion.values();
  private static final Background[] BACKGROUNDS = Background.values();
  private static final CameraMove[] CAMERAS = CameraMove.values();
  private static final RenderStyle[] STYLES = RenderStyle.values();

  private final WorldOptions options;

  SceneSampler(WorldOptions options) {
    this.options = options;
  }

  /** @param previous the scene before the cut, or null for a video's first scene */
  Scene sample(SplittableRandom rng, Scene previous) {
    Background background = pick(rng, BACKGROUNDS);
    CameraMove camera = pick(rng, CAMERAS);
    RenderStyle style = pick(rng, STYLES);
    if (previous != null) {
      // Redrawing until different keeps each attribute uniform over a whole video.
      while (background == previous.background()) {
        background = pick(rng, BACKGROUNDS);
      }
      while (camera == previous.camera() && style == previous.style()) {
        camera = pick(rng, CAMERAS);
        style = pick(rng, STYLES);
      }
    }
    int count = options.minObjects() + rng.nextInt(options.maxObjects() - options.minObjects() + 1);
    List<Colour> colours = distinctColours(rng, count);
    List<SceneObject> objects = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Shape shape = pick(rng, SHAPES);
      Motion motion = pick(rng, MOTIONS);
      while (!motion.suits(shape)) {
        motion = pick(rng, MOTIONS);
      }
      // Only a spinning object shows its start angle; the rest stand upright, as their names suggest.
      double startAngle = motion == Motion.ROTATES ? rng.nextDouble(2 * Math.PI) : 0;
      objects.add(new SceneObject(shape, colours.get(i), pick(rng, SIZES), motion, 0.5, 0.5, startAngle));
    }
    // Captions name objects left to right as the scene opens: an order a captioner can see, where the
    // sampling order would leave it guessing which object comes first.
    objects = Placement.arrange(rng, objects, camera, options.aspect()).stream()
        .sorted(Comparator.comparingDouble(SceneObject::startX)).toList();
    return new Scene(camera, background, style, objects);
  }

  /** Distinct colours, so every object in a caption can be told apart by colour alone. */
  private static List<Colour> distinctColours(SplittableRandom rng, int count) {
    List<Colour> pool = new ArrayList<>(List.of(COLOURS));
    List<Colour> chosen = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      chosen.add(pool.remove(rng.nextInt(pool.size())));
    }
    return chosen;
  }

  private static <E> E pick(SplittableRandom rng, E[] values) {
    return values[rng.nextInt(values.length)];
  }
}
