package ying.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CaptionGrammarTest {

  private static final SceneObject RED_CIRCLE =
      new SceneObject(Shape.CIRCLE, Colour.RED, ObjectSize.LARGE, Motion.MOVES_RIGHT, 0.3, 0.5, 0);
  private static final SceneObject BLUE_STAR =
      new SceneObject(Shape.STAR, Colour.BLUE, ObjectSize.SMALL, Motion.ROTATES, 0.7, 0.3, 1);
  private static final SceneObject GREEN_HEART =
      new SceneObject(Shape.HEART, Colour.GREEN, ObjectSize.SMALL, Motion.STAYS_STILL, 0.5, 0.8, 0);

  private static final String TWO_OBJECTS = "The camera pans left. On a starry night background, a large red "
      + "circle moves right and a small blue star rotates. Flat style.";

  @Test
  void captionFollowsThePromptFormula() {
    assertEquals("The camera pans left. On a starry night background, a large red circle moves right. Flat style.",
        CaptionGrammar.caption(scene(CameraMove.PAN_LEFT, RenderStyle.FLAT, RED_CIRCLE)));
    assertEquals(TWO_OBJECTS, CaptionGrammar.caption(scene(CameraMove.PAN_LEFT, RenderStyle.FLAT, RED_CIRCLE,
        BLUE_STAR)));
    assertEquals("The camera zooms in. On a starry night background, a small blue star rotates, a large red "
        + "circle moves right and a small green heart stays still. Glowing style.",
        CaptionGrammar.caption(scene(CameraMove.ZOOM_IN, RenderStyle.GLOWING, BLUE_STAR, RED_CIRCLE,
            GREEN_HEART)));
  }

  @Test
  void mirrorSwapsLeftAndRightAndReversesTheObjects() {
    ParsedCaption c = ParsedCaption.of(scene(CameraMove.PAN_LEFT, RenderStyle.FLAT, RED_CIRCLE, BLUE_STAR));
    assertEquals("The camera pans right. On a starry night background, a small blue star rotates and a large red "
        + "circle moves left. Flat style.", CaptionGrammar.caption(c.mirrored()));
    SceneSampler sampler = new SceneSampler(WorldOptions.defaults());
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 500; i++) {
      ParsedCaption p = ParsedCaption.of(sampler.sample(rng, null));
      assertEquals(p, p.mirrored().mirrored());
      assertEquals(p.objects().size(), p.mirrored().objects().size());
    }
  }

  @Test
  void parseInvertsCaptionForTwoThousandRandomScenes() {
    for (Scene scene : SampledScenes.of(11, 2000)) {
      String caption = CaptionGrammar.caption(scene);
      assertEquals(Optional.of(ParsedCaption.of(scene)), CaptionGrammar.parse(caption), caption);
    }
  }

  @Test
  void parseToleratesCaseAndWhitespaceButKeepsObjectOrder() {
    Optional<ParsedCaption> parsed = CaptionGrammar.parse("  the CAMERA pans   left .on a Starry Night "
        + "background ,\ta LARGE red circle moves right\nand an small blue star rotates.flat style.  ");
    assertEquals(Optional.of(ParsedCaption.of(scene(CameraMove.PAN_LEFT, RenderStyle.FLAT, RED_CIRCLE,
        BLUE_STAR))), parsed);
    assertEquals(List.of(Colour.RED, Colour.BLUE),
        parsed.orElseThrow().objects().stream().map(ObjectDescription::colour).toList());
  }

  @Test
  void parseRejectsTextOutsideTheGrammar() {
    List<String> rejected = List.of(
        "",
        "hello",
        TWO_OBJECTS.replace("red", "magenta"),
        TWO_OBJECTS.replace(" Flat style.", ""),
        TWO_OBJECTS.replace("Flat style.", "Flat style"),
        TWO_OBJECTS.replace("Flat style.", "Shiny style."),
        TWO_OBJECTS.replace("The camera pans left. ", ""),
        TWO_OBJECTS.replace(" background", ""),
        TWO_OBJECTS.replace("large ", ""),
        TWO_OBJECTS.replace(" and ", ", "),
        TWO_OBJECTS.replace("moves right", "moves sideways"),
        TWO_OBJECTS.replace(" a small", " small"),
        TWO_OBJECTS + " Extra.",
        "The camera pans left. On a starry night background, a large red circle moves right and a small "
            + "blue star rotates and a small green heart stays still. Flat style.",
        "The camera pans left. On a starry night background, a large red circle moves right, a small "
            + "blue star rotates, and a small green heart stays still. Flat style.");
    for (String text : rejected) {
      assertEquals(Optional.empty(), CaptionGrammar.parse(text), text);
    }
    assertEquals(Optional.empty(), CaptionGrammar.parse(null));
  }

  @Test
  void parseNeverThrowsAndAcceptsOnlyTextThatReadsBackTheSame() {
    SplittableRandom rng = new SplittableRandom(5);
    String[] vocabulary = TWO_OBJECTS.replace(".", " .").replace(",", " ,").split(" ");
    String alphabet = "abcdefghijklmnopqrstuvwxyz .,\t\n-'!?0123456789ÄéЖ\u0000";
    int accepted = 0;
    for (int i = 0; i < 20000; i++) {
      String text = i % 4 == 0 ? randomText(rng, alphabet) : mutate(rng, vocabulary);
      Optional<ParsedCaption> parsed = CaptionGrammar.parse(text);
      if (parsed.isPresent()) {
        accepted++;
        assertEquals(CaptionGrammar.normalise(text), CaptionGrammar.normalise(
            CaptionGrammar.caption(parsed.get())), text);
      }
    }
    // Some mutations (one word for a word of the same kind) are still captions; most are not.
    assertTrue(accepted > 0 && accepted < 5000, "accepted " + accepted);
  }

  private static String randomText(SplittableRandom rng, String alphabet) {
    StringBuilder sb = new StringBuilder();
    int length = rng.nextInt(200);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(rng.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /** A caption with one word deleted, duplicated, swapped with a neighbour or replaced by another. */
  private static String mutate(SplittableRandom rng, String[] vocabulary) {
    List<String> words = new ArrayList<>(Arrays.asList(vocabulary));
    int i = rng.nextInt(words.size());
    switch (rng.nextInt(4)) {
      case 0 -> words.remove(i);
      case 1 -> words.add(i, words.get(i));
      case 2 -> words.add(Math.min(i + 1, words.size() - 1), words.remove(i));
      default -> words.set(i, vocabulary[rng.nextInt(vocabulary.length)]);
    }
    return String.join(" ", words);
  }

  private static Scene scene(CameraMove camera, RenderStyle style, SceneObject... objects) {
    return new Scene(camera, Background.STARRY_NIGHT, style, List.of(objects));
  }
}
