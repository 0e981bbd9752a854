package ying.datasetbuilder;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import ying.core.report.Charts;

/**
 * What happened to the input clips: the filter funnel in the order clips meet the filters (errors
 * at the stage where they struck), and histograms of duration, motion and caption length.
 */
record BuildReport(long input, List<Map.Entry<String, Long>> removed, long written, double[] durations,
    double[] motions, double[] captionWords) {

  /** Stages in the order {@link ClipProcessor} applies them; the counts come from the processed rows. */
  private static final List<String> ORDER = List.of("error:input", Filter.BAD_CAPTION.key(),
      Filter.BLOCKED_WORDS.key(), Filter.TOO_SHORT.key(), "error:open", Filter.TOO_SMALL.key(), "error:decode",
      Filter.STATIC.key(), Filter.TOO_FAST.key(), Filter.DUPLICATE.key());

  static BuildReport of(Dataset<Row> processed, long duplicates, long written) {
    Map<String, Long> counts = new LinkedHashMap<>();
    long input = 0;
    for (Row r : processed.groupBy("status", "reason").count().collectAsList()) {
      long n = r.getLong(2);
      input += n;
      String status = r.getString(0);
      if (!ProcessedClip.OK.equals(status)) {
        String key = ProcessedClip.ERROR.equals(status) ? "error:" + r.getString(1) : r.getString(1);
        counts.merge(key, n, Long::sum);
      }
    }
    counts.put(Filter.DUPLICATE.key(), duplicates);
    List<Map.Entry<String, Long>> removed = new ArrayList<>();
    for (String stage : ORDER) {
      removed.add(Map.entry(stage, counts.getOrDefault(stage, 0L)));
    }
    List<Row> small = processed.select(col("duration_s"), col("motion_score"), col("caption_words")).collectAsList();
    return new BuildReport(input, removed, written,
        small.stream().filter(r -> !r.isNullAt(0)).mapToDouble(r -> r.getDouble(0)).toArray(),
        small.stream().filter(r -> !r.isNullAt(1)).mapToDouble(r -> r.getDouble(1)).toArray(),
        small.stream().mapToDouble(r -> r.getInt(2)).toArray());
  }

  long errors() {
    return removed.stream().filter(e -> e.getKey().startsWith("error:")).mapToLong(Map.Entry::getValue).sum();
  }

  /** Clips left after each stage, starting from the input. */
  List<Map.Entry<String, Long>> funnel() {
    List<Map.Entry<String, Long>> out = new ArrayList<>();
    long left = input;
    out.add(Map.entry("input", left));
    for (Map.Entry<String, Long> stage : removed) {
      left -= stage.getValue();
      out.add(Map.entry("after " + stage.getKey(), left));
    }
    return out;
  }

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("input_clips", input);
    Map<String, Long> removedJson = new LinkedHashMap<>();
    removed.forEach(e -> removedJson.put(e.getKey(), e.getValue()));
    json.put("removed", removedJson);
    json.put("errors", errors());
    json.put("written", written);
    Map<String, Long> funnelJson = new LinkedHashMap<>();
    funnel().forEach(e -> funnelJson.put(e.getKey(), e.getValue()));
    json.put("funnel", funnelJson);
    json.put("duration_s", summary(durations));
    json.put("motion_score", summary(motions));
    json.put("caption_words", summary(captionWords));
    return json;
  }

  private static Map<String, Object> summary(double[] v) {
    Map<String, Object> s = new LinkedHashMap<>();
    double[] sorted = v.clone();
    java.util.Arrays.sort(sorted);
    s.put("count", sorted.length);
    if (sorted.length > 0) {
      s.put("min", sorted[0]);
      s.put("median", sorted[sorted.length / 2]);
      s.put("max", sorted[sorted.length - 1]);
      s.put("mean", java.util.Arrays.stream(sorted).average().orElse(0));
    }
    return s;
  }

  byte[] png() {
    List<Map.Entry<String, Long>> f = funnel();
    return Charts.png(List.of(
        new Charts.Bars("Filter funnel (clips left)", f.stream().map(Map.Entry::getKey).toList(),
            f.stream().map(e -> (double) e.getValue()).toList()),
        new Charts.Histogram("Clip duration", "seconds", durations, 30),
        new Charts.Histogram("Motion score (decoded clips)", "mean |change| over 1 s", motions, 30),
        new Charts.Histogram("Caption length", "words", captionWords, 30)), 2);
  }
}
