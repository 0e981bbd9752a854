package ying.core.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class AttributesTest {

  @Test
  void everyPhraseParsesBackToItsValueWhateverTheCaseAndSpacing() {
    assertRoundTrip(Shape.values(), Shape::phrase, Shape::fromPhrase);
    assertRoundTrip(Colour.values(), Colour::phrase, Colour::fromPhrase);
    assertRoundTrip(ObjectSize.values(), ObjectSize::phrase, ObjectSize::fromPhrase);
    assertRoundTrip(Motion.values(), Motion::phrase, Motion::fromPhrase);
    assertRoundTrip(Background.values(), Background::phrase, Background::fromPhrase);
    assertRoundTrip(CameraMove.values(), CameraMove::phrase, CameraMove::fromPhrase);
    assertRoundTrip(RenderStyle.values(), RenderStyle::phrase, RenderStyle::fromPhrase);
  }

  @Test
  void unknownPhrasesAreEmpty() {
    assertEquals(Optional.empty(), Colour.fromPhrase("magenta"));
    assertEquals(Optional.empty(), Motion.fromPhrase("moves"));
    assertEquals(Optional.empty(), Shape.fromPhrase(null));
    assertEquals(Optional.empty(), Background.fromPhrase("starry"));
  }

  @Test
  void sentencesFollowTheCaptionFormula() {
    assertEquals("The camera is static.", CameraMove.STATIC.sentence());
    assertEquals("The camera pans left.", CameraMove.PAN_LEFT.sentence());
    assertEquals("The camera zooms in.", CameraMove.ZOOM_IN.sentence());
    assertEquals("Glowing style.", RenderStyle.GLOWING.sentence());
    assertEquals("moves left", Motion.MOVES_LEFT.phrase());
    assertEquals("stays still", Motion.STAYS_STILL.phrase());
  }

  @Test
  void coloursAreFarApartInRgb() {
    for (Colour a : Colour.values()) {
      for (Colour b : Colour.values()) {
        if (a != b) {
          double d = Math.sqrt(square(a.red() - b.red()) + square(a.green() - b.green())
              + square(a.blue() - b.blue()));
          assertTrue(d >= 85, a + " and " + b + " are only " + d + " apart");
        }
      }
    }
  }

  @Test
  void onlyCirclesRefuseToRotate() {
    for (Shape s : Shape.values()) {
      for (Motion m : Motion.values()) {
        assertEquals(!(s == Shape.CIRCLE && m == Motion.ROTATES), m.suits(s), m + " on " + s);
      }
    }
  }

  private static <E> void assertRoundTrip(E[] values, Function<E, String> phrase,
      Function<String, Optional<E>> parse) {
    Set<String> seen = new HashSet<>();
    for (E v : values) {
      String p = phrase.apply(v);
      assertTrue(seen.add(p), "duplicate phrase " + p);
      assertEquals(Optional.of(v), parse.apply(p));
      assertEquals(Optional.of(v), parse.apply("  " + p.toUpperCase().replace(" ", " \t ") + " "));
    }
  }

  private static double square(double x) {
    return x * x;
  }
}
