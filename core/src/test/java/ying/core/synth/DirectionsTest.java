package ying.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DirectionsTest {
  private static final String CAPTION = "The camera pans left. On a blue grid background, a small red heart moves right, "
      + "a large cyan star moves up and a small white circle moves down. Flat style.";

  @Test
  void turnsTheCameraAloneRound() {
    assertEquals(CAPTION.replace("pans left", "pans right"), Directions.turnCamera(CAPTION));
    assertEquals("The camera pans left.", Directions.turnCamera("The camera pans right."));
    String still = "The camera zooms in. On a starry night background, a large purple heart moves left. Flat style.";
    assertEquals(still, Directions.turnCamera(still));
  }

  @Test
  void turnsEveryObjectRoundAndLeavesTheCamera() {
    assertEquals("The camera pans left. On a blue grid background, a small red heart moves left, "
        + "a large cyan star moves down and a small white circle moves up. Flat style.",
        Directions.turnObjects(CAPTION));
    String noTravel = "The camera pans right. On a starry night background, a small white heart shrinks. Flat style.";
    assertEquals(noTravel, Directions.turnObjects(noTravel));
  }

  @Test
  void turnsTheCameraOrTheObjectsAndNothingWithoutADirection() {
    Set<String> seen = new HashSet<>();
    Random rng = new Random(1);
    for (int i = 0; i < 20; i++) {
      seen.add(Directions.turnEither(CAPTION, rng));
    }
    assertEquals(Set.of(Directions.turnCamera(CAPTION), Directions.turnObjects(CAPTION)), seen);
    String camera = "The camera pans right. On a starry night background, a small white heart shrinks. Flat style.";
    assertEquals(Directions.turnCamera(camera), Directions.turnEither(camera, rng));
    assertNull(Directions.turnEither("The camera zooms in. On a starry night background, a small white heart shrinks."
        + " Flat style.", rng));
  }
}
