package ying.datasetbuilder;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import ying.core.dataset.Bucket;

/**
 * Everything a dataset build depends on; written into the manifest so a dataset says how it was made.
 *
 * @param buckets training shapes; a clip goes to the longest one it fills
 * @param staticBelow motion score (mean absolute change over one second, 0..1) under which a clip is static
 * @param fastAbove mean absolute change between consecutive frames (0..1) above which a clip is too fast
 * @param flashFraction share of consecutive frames whose mean brightness jumps by more than
 *     {@code flashJump} above which a clip flashes
 * @param duplicateBits most differing bits (of 128, see PerceptualHash) per sampled frame for two clips to be
 *     near-duplicates
 * @param shardTargetBytes the size a Parquet shard aims at
 */
public record BuildConfig(
    List<Bucket> buckets,
    double valFraction,
    Set<Filter> enabled,
    double minClipSeconds,
    int minCaptionWords,
    List<String> blockedWords,
    double staticBelow,
    double fastAbove,
    double flashJump,
    double flashFraction,
    int duplicateBits,
    long shardTargetBytes,
    long seed,
    int maxVideos) implements Serializable {

  public BuildConfig {
    if (buckets.isEmpty()) {
      throw new IllegalArgumentException("at least one bucket");
    }
    List<Bucket> sorted = new ArrayList<>(buckets);
    sorted.sort(Comparator.comparingDouble(Bucket::seconds).reversed());
    buckets = List.copyOf(sorted);
    enabled = Set.copyOf(enabled.isEmpty() ? EnumSet.noneOf(Filter.class) : EnumSet.copyOf(enabled));
    blockedWords = blockedWords.stream().map(w -> w.trim().toLowerCase(java.util.Locale.ROOT))
        .filter(w -> !w.isEmpty()).distinct().sorted().toList();
    if (!(valFraction >= 0 && valFraction < 1)) {
      throw new IllegalArgumentException("--val-fraction must be in [0, 1), got " + valFraction);
    }
    if (maxVideos < 0) {
      throw new IllegalArgumentException("--max-videos must be positive (0: every video), got " + maxVideos);
    }
    if (shardTargetBytes < 1) {
      throw new IllegalArgumentException("shard size must be positive");
    }
  }

  /** 96x64 at 8 fps in the 1+4k frame counts the VAE takes: 6, 4 and 2 seconds. */
  public static List<Bucket> defaultBuckets() {
    return List.of(new Bucket(96, 64, 49, 8), new Bucket(96, 64, 33, 8), new Bucket(96, 64, 17, 8));
  }

  public static BuildConfig defaults() {
    return new BuildConfig(defaultBuckets(), 0.1, EnumSet.allOf(Filter.class), 1.0, 3, List.of(), 0.002, 0.25, 0.2,
        0.3, 6, 256L << 20, 0, 0);
  }

  public boolean on(Filter f) {
    return enabled.contains(f);
  }

  /** The longest bucket a clip of {@code seconds} fills, or null. */
  public Bucket bucketFor(double seconds) {
    for (Bucket b : buckets) {
      if (b.fits(seconds)) {
        return b;
      }
    }
    return null;
  }
}
