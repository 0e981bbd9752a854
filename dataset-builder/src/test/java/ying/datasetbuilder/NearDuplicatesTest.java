package ying.datasetbuilder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The driver's near-duplicate search against the Spark joins and against every pair tested by hand. */
class NearDuplicatesTest {
  private static final int BITS = BuildConfig.defaults().duplicateBits();
  private static final int THUMB_BYTES = PerceptualHash.SAMPLES * FrameThumbnails.COLUMNS * FrameThumbnails.ROWS * 3;

  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** One clip as the processed rows hold it. */
  private record Clip(String id, long[] phash, byte[] thumbs) {
    NearDuplicates.Hashed hashed() {
      return new NearDuplicates.Hashed(id, phash, PerceptualHash.bands(phash, PerceptualHash.SAMPLES / 2));
    }
  }

  /**
   * 200 distinct clips, 40 re-encoded copies (and copies of copies), then 30 look-alikes whose hash
   * is close but whose thumbnails differ where an object sits and 30 clips that share a band key but
   * differ in another sampled frame, each of another distinct clip.
   */
  private static List<Clip> plantedClips(Random r) {
    List<Clip> clips = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long[] phash = r.longs(PerceptualHash.SAMPLES * PerceptualHash.WORDS).toArray();
      byte[] thumbs = new byte[THUMB_BYTES];
      r.nextBytes(thumbs);
      for (int k = 0; k < thumbs.length; k++) {
        thumbs[k] = (byte) (40 + (thumbs[k] & 0x7f));
      }
      clips.add(new Clip(id(r), phash, thumbs));
    }
    for (int i = 0; i < 40; i++) {
      Clip source = clips.get(r.nextInt(clips.size()));
      byte[] copy = source.thumbs().clone();
      int shift = r.nextInt(9) - 4;
      for (int k = 0; k < copy.length; k++) {
        copy[k] = (byte) ((copy[k] & 0xff) + shift + r.nextInt(7) - 3);
      }
      clips.add(new Clip(id(r), flip(source.phash(), r.nextInt(BITS + 1), r), copy));
    }
    for (int i = 0; i < 30; i++) {
      Clip source = clips.get(i);
      byte[] other = source.thumbs().clone();
      int cell = r.nextInt(other.length - 30);
      for (int k = cell; k < cell + 30; k++) {
        other[k] = (byte) ((other[k] & 0xff) + 60);
      }
      clips.add(new Clip(id(r), flip(source.phash(), r.nextInt(BITS + 1), r), other));
    }
    for (int i = 0; i < 30; i++) {
      Clip source = clips.get(30 + i);
      long[] phash = source.phash().clone();
      // 16 bits apart in the first sampled frame, equal in the middle one that the band keys come from.
      phash[0] ^= 0xFFFFL << 8;
      clips.add(new Clip(id(r), phash, source.thumbs().clone()));
    }
    return clips;
  }

  private static String id(Random r) {
    return String.format("%016x", r.nextLong());
  }

  /** {@code n} bits flipped in each sampled frame's hash. */
  private static long[] flip(long[] phash, int n, Random r) {
    long[] out = phash.clone();
    for (int f = 0; f < PerceptualHash.SAMPLES; f++) {
      Set<Integer> bits = new HashSet<>();
      while (bits.size() < n) {
        bits.add(r.nextInt(64 * PerceptualHash.WORDS));
      }
      for (int b : bits) {
        out[f * PerceptualHash.WORDS + b / 64] ^= 1L << (b % 64);
      }
    }
    return out;
  }

  /** The rule over every pair, no band keys: with at most 7 bits a close pair always shares a band. */
  private static Set<String> everyPair(List<Clip> clips) {
    Set<String> dropped = new TreeSet<>();
    for (Clip a : clips) {
      for (Clip b : clips) {
        if (a.id().compareTo(b.id()) < 0 && NearDuplicates.close(a.phash(), b.phash(), BITS)
            && FrameThumbnails.sameFootage(a.thumbs(), b.thumbs(), FrameThumbnails.TOLERANCE)) {
          dropped.add(b.id());
        }
      }
    }
    return dropped;
  }

  @Test
  void theDriverDropsWhatTheSparkJoinsDropAndEveryPairSays() {
    List<Clip> clips = plantedClips(new Random(3));
    Map<String, byte[]> thumbs = new HashMap<>();
    clips.forEach(c -> thumbs.put(c.id(), c.thumbs()));
    Set<String> fetched = new HashSet<>();
    Set<String> driver = NearDuplicates.find(clips.stream().map(Clip::hashed).toList(), BITS, wanted -> {
      fetched.addAll(wanted);
      return thumbs;
    });

    StructType schema = new StructType().add("clip_id", DataTypes.StringType, false)
        .add("phash", DataTypes.createArrayType(DataTypes.LongType, false))
        .add("phash_bands", DataTypes.createArrayType(DataTypes.LongType, false))
        .add("thumbs", DataTypes.BinaryType);
    List<Row> rows = clips.stream().map(c -> RowFactory.create(c.id(), boxed(c.phash()),
        boxed(c.hashed().bands()), c.thumbs())).toList();
    var ok = spark.createDataFrame(rows, schema);
    Set<String> joined = new TreeSet<>();
    DatasetBuild.duplicates(ok, BITS).collectAsList().forEach(r -> joined.add(r.getString(0)));
    Set<String> collected = new TreeSet<>();
    NearDuplicates.collected(spark, ok, BITS).collectAsList().forEach(r -> collected.add(r.getString(0)));

    Set<String> expected = everyPair(clips);
    for (Clip kept : clips.subList(240, clips.size())) {
      assertFalse(expected.contains(kept.id()), "look-alikes and band-sharing clips are kept");
    }
    assertTrue(expected.size() >= 30, "the planted copies are found: " + expected.size());
    assertTrue(expected.size() <= 40, "one clip of a pair at most: " + expected.size());
    assertEquals(expected, driver);
    assertEquals(expected, joined);
    assertEquals(expected, collected);
    assertTrue(fetched.size() <= 2 * (40 + 30), "only candidate pairs fetch thumbnails: " + fetched.size());
  }

  @Test
  void nothingCloseFetchesNoThumbnails() {
    List<Clip> clips = plantedClips(new Random(5)).subList(0, 200);
    Set<String> dropped = NearDuplicates.find(clips.stream().map(Clip::hashed).toList(), BITS, wanted -> {
      throw new AssertionError("no candidate pair, so no thumbnails: " + wanted);
    });
    assertTrue(dropped.isEmpty());
  }

  private static List<Long> boxed(long[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
