package ying.captioner.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptionScoresTest {
  private static final String REF =
      "The camera pans left. On a starry night background, a large red circle moves right and a small blue star rotates."
          + " Flat style.";

  @Test
  void gradesEachAttributeAndExactMatch() {
    CaptionScores s = new CaptionScores();
    s.add(REF, REF);
    s.add(REF.replace("small blue star", "small green star").replace("pans left", "pans right"), REF);
    s.add("a cat on a mat", REF);
    assertEquals(3, s.total());
    assertEquals(1 / 3.0, s.exactMatch(), 1e-9);
    assertEquals(1 / 3.0, s.accuracy("camera"), 1e-9);
    assertEquals(2 / 3.0, s.accuracy("background"), 1e-9);
    assertEquals(3 / 6.0, s.accuracy("colour"), 1e-9, "per object: 2 + 1 + 0 right of 6");
    assertEquals(4 / 6.0, s.accuracy("shape"), 1e-9);
    assertEquals(2 / 3.0, s.shapeAccuracy("large"), 1e-9, "the red circle, right twice of three");
    assertEquals(2 / 3.0, s.shapeAccuracy("small"), 1e-9);
    assertTrue(Double.isNaN(s.shapeAccuracy("huge")));
    assertEquals(1L, s.toMap().get("outside_grammar"));
    assertEquals(2 / 3.0, s.orderAccuracy(), 1e-9, "a caption outside the grammar names nothing in order");
  }

  @Test
  void objectsNamedInAnotherOrderKeepTheirAttributesAndLoseTheOrder() {
    CaptionScores s = new CaptionScores();
    String swapped = REF.replace("a large red circle moves right and a small blue star rotates",
        "a small blue star rotates and a large red circle moves right");
    s.add(swapped, REF);
    for (String a : List.of("shape", "colour", "size", "motion")) {
      assertEquals(1.0, s.accuracy(a), 1e-9, a);
    }
    assertEquals(0.0, s.orderAccuracy(), 1e-9);
    assertEquals(0.0, s.exactMatch(), 1e-9, "an exact match needs the order");
    assertTrue(s.perAttribute().contains("  order        0.00% ±0.0   of 1 captions of several objects"), s.perAttribute());
    assertEquals(0.0, s.toMap().get("object_order_accuracy"));

    // Swapped and one colour wrong: the star is still graded against the star.
    s.add(swapped.replace("small blue star", "small green star"), REF);
    assertEquals(List.of(Map.entry("blue -> green", 1L)), s.confusions("colour", 5));
    assertEquals(3 / 4.0, s.accuracy("colour"), 1e-9);
  }

  @Test
  void equallyGoodAssignmentsGradeByPosition() {
    String ref = "The camera is static. On a starry night background, a small red star rotates and a small blue star"
        + " rotates. Flat style.";
    CaptionScores s = new CaptionScores();
    s.add(ref.replace("red", "green").replace("blue", "yellow"), ref);
    assertEquals(List.of(Map.entry("blue -> yellow", 1L), Map.entry("red -> green", 1L)), s.confusions("colour", 5));
    assertEquals(1.0, s.orderAccuracy(), 1e-9);
  }

  @Test
  void aDroppedObjectIsMissingWhateverItsPlace() {
    String ref = "The camera is static. On a starry night background, a small red star rotates, a large blue heart grows"
        + " and a small white circle stays still. Flat style.";
    CaptionScores s = new CaptionScores();
    s.add(ref.replace("a small red star rotates, a large blue heart grows and", "a large blue heart grows and"), ref);
    assertEquals(List.of(Map.entry("red -> " + CaptionScores.MISSING, 1L)), s.confusions("colour", 5));
    assertEquals(2 / 3.0, s.accuracy("shape"), 1e-9);
    assertEquals(0.0, s.orderAccuracy(), 1e-9);
  }

  @Test
  void countsWrongAnswersByReferenceAndPrediction() {
    CaptionScores s = new CaptionScores();
    s.add(REF.replace("small blue star", "small green star"), REF);
    s.add(REF.replace("small blue star", "small green heart"), REF);
    s.add(REF.replace(" and a small blue star rotates", ""), REF);
    assertEquals(List.of(Map.entry("blue -> green", 2L), Map.entry("blue -> " + CaptionScores.MISSING, 1L)),
        s.confusions("colour", 5));
    assertEquals(List.of(Map.entry("star -> " + CaptionScores.MISSING, 1L), Map.entry("star -> heart", 1L)),
        s.confusions("shape", 5), "ties in name order");
    assertEquals(List.of(), s.confusions("background", 5));
    String printed = s.perAttribute();
    // Six objects, three right: one standard error is sqrt(0.5 * 0.5 / 6) = 20.4 points.
    assertTrue(printed.contains("colour      50.00% ±20.4   most often wrong: blue -> green (2), blue -> (none) (1)"),
        printed);
    assertTrue(printed.contains("background 100.00% ±0.0" + System.lineSeparator()), printed);
    assertTrue(printed.contains("    by size: large 100.00% of 3, small 33.33% of 3" + System.lineSeparator()), printed);
  }

  @Test
  void cutsMatchWithinTolerance() {
    CutScores c = new CutScores();
    c.add(List.of(2.0, 5.1, 9.0), List.of(2.05, 5.0, 7.0), 0.0625);
    assertEquals(1 / 3.0, c.precision(), 1e-9);
    assertEquals(1 / 3.0, c.recall(), 1e-9);
  }
}
