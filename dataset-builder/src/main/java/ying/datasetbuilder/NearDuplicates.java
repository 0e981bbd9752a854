package ying.datasetbuilder;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@link DatasetBuild#duplicates}'s rule run on the driver, for a build whose clip hashes fit there:
 * two small collects in place of the band join, the candidate join and the thumbnail joins, which
 * on a build of a few thousand clips cost more in Spark's stages than in the comparisons (1.3 to 2 s
 * a build, on the driver's critical path between decoding and the shard write). The same candidates
 * (a shared band, the clip with the smaller id first), the same hash test and the same thumbnail
 * check, so both ways drop the same clips.
 */
final class NearDuplicates {
  private NearDuplicates() {}

  /**
   * The most clips a build hashes on the driver: 16 longs of hash and band keys each, about 1 KB
   * while the collected rows box them, so at most some 50 MB there. Larger builds join in Spark.
   */
  static final long DRIVER_MAX_CLIPS = 50_000;

  /** One clip's hash of its sampled frames ({@link PerceptualHash#ofClip}) and band keys. */
  record Hashed(String clipId, long[] phash, long[] bands) {}

  /** {@link DatasetBuild#duplicates} of the {@code ok} rows, found on the driver, as the same one-column Dataset. */
  static Dataset<Row> collected(SparkSession spark, Dataset<Row> ok, int bits) {
    List<Hashed> clips = ok.select(col("clip_id"), col("phash"), col("phash_bands")).collectAsList().stream()
        .map(r -> new Hashed(r.getString(0), longs(r.getList(1)), longs(r.getList(2))))
        .toList();
    Set<String> dropped = find(clips, bits, wanted -> {
      Map<String, byte[]> thumbs = new HashMap<>();
      ok.where(col("clip_id").isin(wanted.toArray())).select(col("clip_id"), col("thumbs")).collectAsList()
          .forEach(r -> thumbs.put(r.getString(0), (byte[]) r.get(1)));
      return thumbs;
    });
    List<Row> rows = dropped.stream().map(RowFactory::create).toList();
    return spark.createDataFrame(rows, new StructType().add("clip_id", DataTypes.StringType, false));
  }

  /**
   * Ids of the clips to drop: a clip whose every sampled frame's hash is within {@code bits} bits of
   * a clip with a smaller id that shares one of its band keys, and whose thumbnails agree with that
   * clip's. {@code thumbnails} fetches the thumbnails of the clips in candidate pairs only.
   */
  static Set<String> find(List<Hashed> clips, int bits, Function<Set<String>, Map<String, byte[]>> thumbnails) {
    Map<Long, List<Hashed>> byBand = new HashMap<>();
    for (Hashed c : clips) {
      for (long band : c.bands()) {
        byBand.computeIfAbsent(band, k -> new ArrayList<>()).add(c);
      }
    }
    // A pair that shares several bands is met in each of them; the candidate sets keep it once.
    Map<String, Set<String>> candidates = new HashMap<>();
    for (List<Hashed> group : byBand.values()) {
      group.sort(Comparator.comparing(Hashed::clipId));
      for (int i = 0; i < group.size(); i++) {
        for (int j = i + 1; j < group.size(); j++) {
          Hashed first = group.get(i);
          Hashed second = group.get(j);
          if (!first.clipId().equals(second.clipId()) && close(first.phash(), second.phash(), bits)) {
            candidates.computeIfAbsent(second.clipId(), k -> new TreeSet<>()).add(first.clipId());
          }
        }
      }
    }
    if (candidates.isEmpty()) {
      return new TreeSet<>();
    }
    Set<String> wanted = new TreeSet<>(candidates.keySet());
    candidates.values().forEach(wanted::addAll);
    Map<String, byte[]> thumbs = thumbnails.apply(wanted);
    Set<String> dropped = new TreeSet<>();
    candidates.forEach((second, firsts) -> {
      for (String first : firsts) {
        if (FrameThumbnails.sameFootage(thumbs.get(first), thumbs.get(second), FrameThumbnails.TOLERANCE)) {
          dropped.add(second);
          return;
        }
      }
    });
    return dropped;
  }

  /** Every sampled frame within {@code bits} differing bits, as the Spark join tests it. */
  static boolean close(long[] a, long[] b, int bits) {
    for (int f = 0; f < PerceptualHash.SAMPLES; f++) {
      if (PerceptualHash.distance(a, b, f) > bits) {
        return false;
      }
    }
    return true;
  }

  private static long[] longs(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).toArray();
  }
}
