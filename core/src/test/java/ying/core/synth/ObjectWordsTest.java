package ying.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectWordsTest {
  private static final String CAPTION = "The camera pans left. On a blue grid background, a small red heart moves right, "
      + "a large white star grows and a small blue circle moves down. Flat style.";

  @Test
  void turnsEachObjectsShapeAndNothingElse() {
    assertEquals("The camera pans left. On a blue grid background, a small red circle moves right, "
        + "a large white heart grows and a small blue square moves down. Flat style.", ObjectWords.turnShapes(CAPTION));
  }

  @Test
  void turnsEachObjectsColourButNotTheBackgrounds() {
    assertEquals("The camera pans left. On a blue grid background, a small orange heart moves right, "
        + "a large red star grows and a small purple circle moves down. Flat style.", ObjectWords.turnColours(CAPTION));
  }

  @Test
  void turnsEachObjectsSize() {
    assertEquals("The camera pans left. On a blue grid background, a large red heart moves right, "
        + "a small white star grows and a large blue circle moves down. Flat style.", ObjectWords.turnSizes(CAPTION));
  }

  @Test
  void leavesACaptionWithoutObjectsAlone() {
    String empty = "The camera is static. On a green checkerboard background. Outlined style.";
    assertEquals(empty, ObjectWords.turnShapes(empty));
    assertEquals(empty, ObjectWords.turnColours(empty));
  }

  @Test
  void everySampledSceneChangesUnderEachTurnAndParsesAsTheTurnedScene() {
    for (Scene scene : SampledScenes.of(5, 500)) {
      String caption = CaptionGrammar.caption(scene);
      ParsedCaption truth = CaptionGrammar.parse(caption).orElseThrow();
      for (String turned : List.of(ObjectWords.turnShapes(caption), ObjectWords.turnColours(caption),
          ObjectWords.turnSizes(caption))) {
        ParsedCaption parsed = CaptionGrammar.parse(turned).orElseThrow(() -> new AssertionError(turned));
        assertEquals(truth.objects().size(), parsed.objects().size(), turned);
        assertNotEquals(truth.objects(), parsed.objects(), turned);
        assertEquals(truth.camera(), parsed.camera(), turned);
        assertEquals(truth.background(), parsed.background(), turned);
      }
    }
  }
}
