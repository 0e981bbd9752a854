package ying.captioner.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ying.core.synth.CaptionGrammar;
import ying.core.synth.ObjectDescription;
import ying.core.synth.ParsedCaption;

/**
 * Grades captions against references by reading both with the synthetic world's grammar:
 * accuracy per attribute (camera, background, style; shape, colour, size and motion per object)
 * and the exact-match rate. A caption outside the grammar gets every attribute wrong.
 */
public final class CaptionScores {
  public static final List<String> ATTRIBUTES = List.of("camera", "background", "style", "shape", "colour", "size",
      "motion");

  private final Map<String, long[]> counts = new LinkedHashMap<>();
  private long exact;
  private long total;
  private long unparsed;

  public CaptionScores() {
    ATTRIBUTES.forEach(a -> counts.put(a, new long[2]));
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
    count("camera", p != null && p.camera() == r.camera());
    count("background", p != null && p.background() == r.background());
    count("style", p != null && p.style() == r.style());
    for (int i = 0; i < r.objects().size(); i++) {
      ObjectDescription want = r.objects().get(i);
      ObjectDescription have = p != null && i < p.objects().size() ? p.objects().get(i) : null;
      count("shape", have != null && have.shape() == want.shape());
      count("colour", have != null && have.colour() == want.colour());
      count("size", have != null && have.size() == want.size());
      count("motion", have != null && have.motion() == want.motion());
    }
    if (p != null && p.equals(r)) {
      exact++;
    }
  }

  private void count(String attribute, boolean right) {
    long[] c = counts.get(attribute);
    c[0] += right ? 1 : 0;
    c[1]++;
  }

  public double accuracy(String attribute) {
    long[] c = counts.get(attribute);
    return c[1] == 0 ? Double.NaN : c[0] / (double) c[1];
  }

  public double exactMatch() {
    return total == 0 ? Double.NaN : exact / (double) total;
  }

  public long total() {
    return total;
  }

  /** Metrics as a manifest records them. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    ATTRIBUTES.forEach(a -> m.put(a + "_accuracy", round(accuracy(a))));
    m.put("exact_match", round(exactMatch()));
    m.put("captions", total);
    m.put("outside_grammar", unparsed);
    return m;
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
