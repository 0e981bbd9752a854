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
 * at the stage where they struck), the clips that pass them all ({@code kept}, what the shards
 * should hold), the rows the shards do hold ({@code written}), and histograms of duration, motion
 * and caption length.
 */
record BuildReport(long input, List<Map.Entry<String, Long>> removed, long kept, long written, double[] durations,
    double[] motions, double[] captionWords) {

  /** Stages in the order {@link ClipProcessor} applies them; the counts come from the processed rows. */
  private static final List<String> ORDER = List.of("error:input", Filter.BAD_CAPTION.key(),
      Filter.BLOCKED_WORDS.key(), Filter.TOO_SHORT.key(), "error:open", Filter.TOO_SMALL.key(), "error:decode",
      Filter.STATIC.key(), Filter.TOO_FAST.key(), Filter.DUPLICATE.key());

  /** The columns of the processed rows that the report needs, in one job. */
  static List<Row> rows(Dataset<Row> processed) {
    return processed.select(col("status"), col("reason"), col("duration_s"), col("motion_score"),
        col("caption_words")).collectAsList();
  }

  /**
   * Tallies {@link #rows}; {@code written} stays 0 until {@link #withWritten} sets what the shards
   * hold.
   */
  static BuildReport of(List<Row> rows, long duplicates) {
    Map<String, Long> counts = new LinkedHashMap<>();
    long ok = 0;
    for (Row r : rows) {
      String status = r.getString(0);
      if (ProcessedClip.OK.equals(status)) {
        ok++;
      } else {
        String key = ProcessedClip.ERROR.equals(status) ? "error:" + r.getString(1) : r.getString(1);
        counts.merge(key, 1L, Long::sum);
      }
    }
    counts.put(Filter.DUPLICATE.key(), duplicates);
    List<Map.Entry<String, Long>> removed = new ArrayList<>();
    for (String stage : ORDER) {
      removed.add(Map.entry(stage, counts.getOrDefault(stage, 0L)));
    }
    // The near-duplicates are ok clips (DatasetBuild.duplicates looks at no others).
    return new BuildReport(rows.size(), removed, ok - duplicates, 0,
        rows.stream().filter(r -> !r.isNullAt(2)).mapToDouble(r -> r.getDouble(2)).toArray(),
        rows.stream().filter(r -> !r.isNullAt(3)).mapToDouble(r -> r.getDouble(3)).toArray(),
        rows.stream().mapToDouble(r -> r.getInt(4)).toArray());
  }

  BuildReport withWritten(long rows) {
    return new BuildReport(input, removed, kept, rows, durations, motions, captionWords);
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
