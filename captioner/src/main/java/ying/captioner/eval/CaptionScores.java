package ying.captioner.eval;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import ying.core.synth.CaptionGrammar;
import ying.core.synth.ObjectDescription;
import ying.core.synth.ParsedCaption;

/**
 * Grades captions against references by reading both with the synthetic world's grammar:
 * accuracy per attribute (camera, background, style; shape, colour, size and motion per object)
 * and the exact-match rate. A caption outside the grammar gets every attribute wrong.
 *
 * <p>Each reference object is graded against the predicted object that describes it best, not the
 * one in the same place in the list: a caption that names the right objects in another order would
 * otherwise lose their colour, size and shape twice over, and the figures would blame what the
 * model saw for where it put it. The order is graded on its own ({@link #orderAccuracy()}), and an
 * exact match still needs it.
 */
public final class CaptionScores {
  public static final List<String> ATTRIBUTES = List.of("camera", "background", "style", "shape", "colour", "size",
      "motion");

  /** What a wrong answer is graded as when the caption has no such object, or is outside the grammar. */
  public static final String MISSING = "(none)";

  private final Map<String, long[]> counts = new LinkedHashMap<>();
  /** Per attribute, how often each (reference, prediction) pair of a wrong answer occurred. */
  private final Map<String, Map<String, Long>> confusions = new LinkedHashMap<>();
  /** Shapes right and graded, per size of the reference object: whether small objects are what a model misreads. */
  private final Map<String, long[]> shapeBySize = new TreeMap<>();
  private long exact;
  /** Captions whose reference names several objects, and those of them that name them in its order. */
  private long ordered;
  private long orderGraded;
  private long total;
  private long unparsed;

  public CaptionScores() {
    ATTRIBUTES.forEach(a -> {
      counts.put(a, new long[2]);
      confusions.put(a, new TreeMap<>());
    });
  }

  /** Adds one (prediction, reference) pair; references outside the grammar are skipped. */
  public void add(String predicted, String reference) {
    Optional<ParsedCaption> ref = CaptionGrammar.parse(reference);
    if (ref.isEmpty()) {
      return;
    }
    Optional<ParsedCaption> got = CaptionGrammar.parse(predicted == null ? "" : predicted);
    total++;
    if (got.isEmpty()) {
      unparsed++;
    }
    ParsedCaption r = ref.get();
    ParsedCaption p = got.orElse(null);
    count("camera", r.camera(), p == null ? null : p.camera());
    count("background", r.background(), p == null ? null : p.background());
    count("style", r.style(), p == null ? null : p.style());
    List<ObjectDescription> named = p == null ? List.of() : p.objects();
    int[] match = match(r.objects(), named);
    if (r.objects().size() > 1) {
      orderGraded++;
      boolean inOrder = true;
      for (int i = 0; i < match.length; i++) {
        inOrder &= match[i] == i;
      }
      ordered += inOrder ? 1 : 0;
    }
    for (int i = 0; i < r.objects().size(); i++) {
      ObjectDescription want = r.objects().get(i);
      ObjectDescription have = match[i] < 0 ? null : named.get(match[i]);
      boolean shapeRight = count("shape", want.shape(), have == null ? null : have.shape());
      long[] bySize = shapeBySize.computeIfAbsent(phrase(want.size()), k -> new long[2]);
      bySize[0] += shapeRight ? 1 : 0;
      bySize[1]++;
      count("colour", want.colour(), have == null ? null : have.colour());
      count("size", want.size(), have == null ? null : have.size());
      count("motion", want.motion(), have == null ? null : have.motion());
    }
    if (p != null && p.equals(r)) {
      exact++;
    }
  }

  /**
   * For each reference object, the index of the predicted object graded against it, or -1 when none
   * is left: the one-to-one assignment that agrees on the most attributes, and of those the one that
   * keeps the most objects in their places (so a caption in the right order is graded by position).
   * Scenes hold at most three objects, so every assignment is tried.
   */
  static int[] match(List<ObjectDescription> want, List<ObjectDescription> have) {
    int[] best = new int[want.size()];
    assign(want, have, 0, new int[want.size()], new boolean[have.size()], best, new int[] {-1, -1});
    return best;
  }

  /** Tries every choice for reference object {@code i} onwards; {@code score} holds the best (agreements, in place). */
  private static void assign(List<ObjectDescription> want, List<ObjectDescription> have, int i, int[] current,
      boolean[] used, int[] best, int[] score) {
    if (i == want.size()) {
      int agree = 0;
      int inPlace = 0;
      for (int k = 0; k < current.length; k++) {
        agree += current[k] < 0 ? 0 : agreement(want.get(k), have.get(current[k]));
        inPlace += current[k] == k ? 1 : 0;
      }
      if (agree > score[0] || agree == score[0] && inPlace > score[1]) {
        score[0] = agree;
        score[1] = inPlace;
        System.arraycopy(current, 0, best, 0, current.length);
      }
      return;
    }
    for (int j = -1; j < have.size(); j++) {
      if (j >= 0 && used[j]) {
        continue;
      }
      current[i] = j;
      if (j >= 0) {
        used[j] = true;
      }
      assign(want, have, i + 1, current, used, best, score);
      if (j >= 0) {
        used[j] = false;
      }
    }
  }

  private static int agreement(ObjectDescription a, ObjectDescription b) {
    return (a.shape() == b.shape() ? 1 : 0) + (a.colour() == b.colour() ? 1 : 0) + (a.size() == b.size() ? 1 : 0)
        + (a.motion() == b.motion() ? 1 : 0);
  }

  /** Grades one answer and says whether it was right. */
  private boolean count(String attribute, Object want, Object got) {
    boolean right = want.equals(got);
    long[] c = counts.get(attribute);
    c[0] += right ? 1 : 0;
    c[1]++;
    if (!right) {
      confusions.get(attribute).merge(phrase(want) + " -> " + (got == null ? MISSING : phrase(got)), 1L, Long::sum);
    }
    return right;
  }

  private static String phrase(Object value) {
    return value.toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  /**
   * The most frequent wrong answers for {@code attribute}, as "reference -> prediction" with their
   * counts, most frequent first (ties in name order): where a model's errors concentrate.
   */
  public List<Map.Entry<String, Long>> confusions(String attribute, int limit) {
    return confusions.get(attribute).entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(limit).toList();
  }

  public double accuracy(String attribute) {
    long[] c = counts.get(attribute);
    return c[1] == 0 ? Double.NaN : c[0] / (double) c[1];
  }

  /** Shape accuracy over the reference objects of one size ("small", "large"); NaN when there are none. */
  public double shapeAccuracy(String size) {
    long[] c = shapeBySize.get(size);
    return c == null ? Double.NaN : c[0] / (double) c[1];
  }

  /**
   * Of the captions whose reference names several objects, the share that name them in the
   * reference's order (left to right as the scene opens), each matched as graded; NaN when none.
   */
  public double orderAccuracy() {
    return orderGraded == 0 ? Double.NaN : ordered / (double) orderGraded;
  }

  public double exactMatch() {
    return total == 0 ? Double.NaN : exact / (double) total;
  }

  public long total() {
    return total;
  }

  /**
   * One line per attribute: its accuracy with one binomial standard error and its three most
   * frequent wrong answers, as the eval commands print them; shape adds a line with its accuracy per
   * object size, and a last line grades the object order. The standard error says how far a second
   * draw of as many objects would likely land: two runs' rows closer than about twice it are not
   * told apart.
   */
  public String perAttribute() {
    StringBuilder sb = new StringBuilder();
    for (String a : ATTRIBUTES) {
      sb.append(String.format(java.util.Locale.ROOT, "  %-10s %6.2f%% %s", a, 100 * accuracy(a),
          standardError(accuracy(a), counts.get(a)[1])));
      List<Map.Entry<String, Long>> wrong = confusions(a, 3);
      if (!wrong.isEmpty()) {
        sb.append("   most often wrong: ");
        sb.append(String.join(", ", wrong.stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList()));
      }
      sb.append(System.lineSeparator());
      if (a.equals("shape") && !shapeBySize.isEmpty()) {
        sb.append("    by size: ").append(String.join(", ", shapeBySize.entrySet().stream()
            .map(e -> String.format(java.util.Locale.ROOT, "%s %.2f%% of %d", e.getKey(),
                100.0 * e.getValue()[0] / e.getValue()[1], e.getValue()[1])).toList()));
        sb.append(System.lineSeparator());
      }
    }
    if (orderGraded > 0) {
      sb.append(String.format(java.util.Locale.ROOT,
          "  %-10s %6.2f%% %s   of %d captions of several objects, named left to right as the scene opens%n", "order",
          100 * orderAccuracy(), standardError(orderAccuracy(), orderGraded), orderGraded));
    }
    return sb.toString();
  }

  /** Metrics as a manifest records them. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    ATTRIBUTES.forEach(a -> m.put(a + "_accuracy", round(accuracy(a))));
    if (orderGraded > 0) {
      m.put("object_order_accuracy", round(orderAccuracy()));
    }
    m.put("exact_match", round(exactMatch()));
    m.put("captions", total);
    m.put("outside_grammar", unparsed);
    return m;
  }

  /** "±x.x", one binomial standard error in points of a share p of n. */
  static String standardError(double p, long n) {
    return n == 0 ? "±n/a" : String.format(java.util.Locale.ROOT, "±%.1f", 100 * Math.sqrt(p * (1 - p) / n));
  }

  private static double round(double v) {
    return Math.round(v * 10000) / 10000.0;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    ATTRIBUTES.forEach(a -> sb.append(String.format(java.util.Locale.ROOT, "%s %.1f%%, ", a, 100 * accuracy(a))));
    return sb.append(String.format(java.util.Locale.ROOT, "exact match %.1f%% of %d", 100 * exactMatch(), total))
        .toString();
  }
}
