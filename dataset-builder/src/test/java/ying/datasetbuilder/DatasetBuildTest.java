package ying.datasetbuilder;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.cli.Main;
import ying.core.dataset.Bucket;
import ying.core.dataset.DatasetBatch;
import ying.core.dataset.ShardReader;
import ying.core.io.Storage;
import ying.core.synth.CameraMove;
import ying.core.synth.Motion;
import ying.core.synth.ScenePlan;
import ying.core.synth.SyntheticWorld;
import ying.core.synth.VideoPlan;
import ying.core.synth.WorldOptions;
import ying.core.video.VideoWriter;

/**
 * Builds a dataset from {@code ying synth} output plus planted bad clips, and checks every filter,
 * the split, the shapes, the manifest, immutability and recovery from a task killed mid-write.
 */
class DatasetBuildTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static final long SEED = 11;
  static final WorldOptions WORLD = new WorldOptions(192, 128, 16, 1, 3, 2.5, 7.0, 1, 3);
  static final int VIDEOS = 6;
  static Path clips;
  static Path blocked;
  /** Clip ids the build must keep (synthetic clips that move), and one of each planted duplicate pair. */
  static final Set<String> movingSynthetic = new TreeSet<>();
  static final Map<String, String> copyOf = new HashMap<>();
  static int staticByDesign;
  static Path built;
  static DatasetWriter.Summary summary;
  static final Storage storage = Storage.local();

  static BuildConfig config() {
    BuildConfig d = BuildConfig.defaults();
    return new BuildConfig(d.buckets(), 0.5, d.enabled(), d.minClipSeconds(), d.minCaptionWords(),
        List.of("forbidden"), d.staticBelow(), d.fastAbove(), d.flashJump(), d.flashFraction(), d.duplicateBits(),
        4L << 20, 0, 0);
  }

  @BeforeAll
  static void buildOnce() throws Exception {
    Path synth = dir.resolve("synth");
    assertEquals(0, Main.run("synth", "--count", Integer.toString(VIDEOS), "--out", synth.toString(), "--seed",
        Long.toString(SEED), "--min-scene-s", "2.5", "--max-scene-s", "7", "--max-scenes", "3", "--master",
        "local[2]"));
    spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    List<Row> rows = new ArrayList<>(spark.read().parquet(synth.resolve("labels").toString())
        .select("video_uri", "start_s", "end_s", "caption").collectAsList());
    SyntheticWorld world = new SyntheticWorld(SEED, WORLD);
    for (Row r : rows) {
      String uri = r.getString(0);
      int index = Integer.parseInt(uri.replaceAll(".*-(\\d+)\\.mp4$", "$1"));
      ScenePlan scene = world.video(index).sceneAt((int) Math.round(r.getDouble(1) * WORLD.fps()));
      boolean still = scene.scene().camera() == CameraMove.STATIC
          && scene.scene().objects().stream().allMatch(o -> o.motion() == Motion.STAYS_STILL);
      String id = ClipProcessor.clipId(uri, r.getDouble(1), r.getDouble(2));
      if (still) {
        staticByDesign++;
      } else {
        movingSynthetic.add(id);
      }
    }
    Path extra = Files.createDirectories(dir.resolve("extra"));
    // A byte-for-byte copy of video 0 under another name: each of its clips has a near-duplicate.
    String original = rows.stream().map(r -> r.getString(0)).filter(u -> u.endsWith("-000000.mp4")).findFirst().get();
    Path copy = extra.resolve("copy of video 0 #1.mp4");
    Files.copy(Path.of(original.substring("file:".length())), copy);
    List<Row> planted = new ArrayList<>();
    for (Row r : List.copyOf(rows)) {
      if (r.getString(0).equals(original)) {
        String copyUri = Storage.normalise(copy.toString());
        planted.add(RowFactory.create(copyUri, r.getDouble(1), r.getDouble(2), r.getString(3)));
        if (movingSynthetic.contains(ClipProcessor.clipId(original, r.getDouble(1), r.getDouble(2)))) {
          copyOf.put(ClipProcessor.clipId(copyUri, r.getDouble(1), r.getDouble(2)),
              ClipProcessor.clipId(original, r.getDouble(1), r.getDouble(2)));
        }
      }
    }
    String caption = "The camera is static. On a blue grid background, a large red circle stays still. Flat style.";
    planted.add(row(video(extra.resolve("frozen.mp4"), 192, 128, 80, k -> 0), 0, 5, caption));
    // White and black by turns every 2 frames: 4 Hz, so sampling at 8 fps still sees every flash.
    planted.add(row(video(extra.resolve("flashing.mp4"), 192, 128, 80, k -> (k / 2) % 2 == 0 ? -1 : -2), 0, 5,
        caption));
    planted.add(row(video(extra.resolve("tiny.mp4"), 64, 48, 80, k -> k), 0, 5, caption));
    planted.add(row(extra.resolve("missing.mp4").toString(), 0, 5, caption));
    planted.add(row(Files.writeString(extra.resolve("notes.mp4"), "not a video").toString(), 0, 5, caption));
    String second = rows.stream().map(r -> r.getString(0)).filter(u -> u.endsWith("-000001.mp4")).findFirst().get();
    planted.add(row(second, 0, 0.5, caption));
    planted.add(row(second, 0, 2.4, ""));
    planted.add(row(second, 0, 2.3, "Hi there"));
    planted.add(row(second, 0, 2.2, "A forbidden red circle moves left."));
    rows.addAll(planted);
    StructType schema = new StructType().add("video_uri", DataTypes.StringType).add("start_s", DataTypes.DoubleType)
        .add("end_s", DataTypes.DoubleType).add("caption", DataTypes.StringType);
    clips = dir.resolve("clips");
    spark.createDataFrame(rows, schema).write().parquet(clips.toString());
    built = dir.resolve("dataset");
    summary = DatasetWriter.build(spark, clips.toString(), built.toString(), config(), false, "test");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Row row(String uri, double start, double end, String caption) {
    return RowFactory.create(uri.startsWith("file:") ? uri : Storage.normalise(uri), start, end, caption);
  }

  /** A video whose frame k is world frame {@code pick(k)}; -1 and -2 are solid white and black. */
  private static String video(Path file, int w, int h, int frames, java.util.function.IntUnaryOperator pick)
      throws Exception {
    VideoPlan plan = new SyntheticWorld(99, WORLD.withFrameSize(w, h)).video(0);
    byte[] rgb = new byte[w * h * 3];
    try (VideoWriter writer = VideoWriter.create(storage, file.toString(), w, h, 16)) {
      for (int k = 0; k < frames; k++) {
        int f = pick.applyAsInt(k);
        if (f < 0) {
          java.util.Arrays.fill(rgb, (byte) (f == -1 ? 255 : 0));
        } else {
          plan.renderFrame(f % plan.totalFrames(), rgb);
        }
        writer.write(rgb);
      }
      writer.finish();
    }
    return file.toString();
  }

  private static JsonNode json(String name) throws Exception {
    return DatasetManifest.JSON.readTree(built.resolve(name).toFile());
  }

  private static List<Row> shards() {
    return spark.read().parquet(built.toString()).collectAsList();
  }

  @Test
  void everyFilterRemovesWhatWasPlantedAndNothingElse() throws Exception {
    JsonNode removed = json("_report.json").get("removed");
    assertEquals(2, removed.get("error:open").asLong(), "missing and non-video files");
    assertEquals(1, removed.get("too_small").asLong());
    assertEquals(1, removed.get("too_fast").asLong(), "the flashing clip");
    assertEquals(1 + staticByDesign, removed.get("static").asLong(), "the frozen clip and still synthetic scenes");
    assertEquals(2, removed.get("bad_caption").asLong());
    assertEquals(1, removed.get("blocked_words").asLong());
    assertEquals(1, removed.get("too_short").asLong());
    assertEquals(copyOf.size(), removed.get("duplicate").asLong());
    assertTrue(copyOf.size() >= 1, "the planted copy has moving clips");

    Set<String> written = new TreeSet<>();
    shards().forEach(r -> assertTrue(written.add(r.getAs("clip_id")), "no clip twice"));
    Set<String> expected = new TreeSet<>(movingSynthetic);
    for (Map.Entry<String, String> pair : copyOf.entrySet()) {
      assertTrue(written.contains(pair.getKey()) ^ written.contains(pair.getValue()),
          "exactly one of a duplicate pair is kept");
      if (written.contains(pair.getKey())) {
        expected.remove(pair.getValue());
        expected.add(pair.getKey());
      }
    }
    assertEquals(expected, written, "every good clip is written, nothing else");
  }

  @Test
  void errorRowsNameTheUriStageAndReason() {
    List<Row> errors = spark.read().parquet(built.resolve("_errors").toString()).orderBy("video_uri").collectAsList();
    assertEquals(2, errors.size());
    assertTrue(errors.get(0).<String>getAs("video_uri").endsWith("missing.mp4"));
    assertTrue(errors.get(0).<String>getAs("message").contains("NOT_FOUND"));
    assertTrue(errors.get(1).<String>getAs("message").contains("NOT_A_VIDEO"));
    errors.forEach(r -> assertEquals("open", r.getAs("stage")));
  }

  @Test
  void clipsHaveTheirBucketsShapeAndTheRightFrames() {
    SyntheticWorld small = new SyntheticWorld(SEED, WORLD.withFrameSize(96, 64));
    int checked = 0;
    for (Row r : shards()) {
      Bucket bucket = Bucket.parse(r.getAs("bucket"));
      double duration = r.<Double>getAs("end_s") - r.<Double>getAs("start_s");
      assertEquals(config().bucketFor(duration), bucket, "the longest bucket the clip fills");
      byte[] frames = r.getAs("frames");
      assertEquals(bucket.bytes(), frames.length);
      assertEquals(bucket.frames(), r.<Integer>getAs("num_frames"));
      assertEquals(64, r.<Integer>getAs("height"));
      assertEquals(96, r.<Integer>getAs("width"));
      String uri = r.getAs("video_uri");
      if (!uri.contains("synth-s")) {
        continue;
      }
      // First and last frames are the world's frames at the sample times: no frame of a neighbouring scene.
      VideoPlan plan = small.video(Integer.parseInt(uri.replaceAll(".*-(\\d+)\\.mp4$", "$1")));
      byte[] expected = new byte[96 * 64 * 3];
      for (int k : new int[] {0, bucket.frames() - 1}) {
        double t = r.<Double>getAs("window_start_s") + k / bucket.fps();
        plan.renderFrame((int) Math.floor(t * WORLD.fps() + 1e-6), expected);
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
          diff += Math.abs((expected[i] & 0xff) - (frames[k * expected.length + i] & 0xff));
        }
        assertTrue(diff / expected.length < 12, "frame " + k + " of " + r.getAs("clip_id") + " differs by "
            + diff / expected.length);
        checked++;
      }
    }
    assertTrue(checked >= 10);
  }

  @Test
  void clipsOfOneVideoNeverStraddleTheSplit() {
    Map<String, Set<String>> splits = new TreeMap<>();
    shards().forEach(r -> splits.computeIfAbsent(r.getAs("video_uri"), k -> new HashSet<>()).add(r.getAs("split")));
    splits.forEach((uri, s) -> assertEquals(1, s.size(), uri + " is in " + s));
    // The split hashes the video's URI, which holds this run's temporary folder, so with a handful of
    // videos all of them may fall on one side: each must be on the side its own hash says.
    splits.forEach((uri, s) -> assertEquals(Set.of(ClipProcessor.split(uri, 0.5)), s, uri));
    assertEquals(summary.train() + summary.val(), summary.written());
  }

  @Test
  void manifestCountsRowsAndHashesEveryShard() throws Exception {
    JsonNode m = json("_manifest.json");
    assertEquals(1, m.get("schema_version").asInt());
    assertEquals(shards().size(), m.get("rows").get("total").asLong());
    assertEquals(summary.train(), m.get("rows").get("train").asLong());
    assertEquals(Storage.normalise(clips.toString()), m.get("source").get("table").asText());
    assertEquals(16, m.get("source").get("snapshot").asText().length());
    assertEquals(DatasetBuild.DUPLICATE_SCHEME, m.get("settings").get("duplicate_hash").asText());
    List<String> onDisk;
    try (Stream<Path> files = Files.walk(built)) {
      onDisk = files.filter(p -> p.toString().endsWith(".parquet") && built.relativize(p).toString().startsWith("split="))
          .map(p -> built.relativize(p).toString()).sorted().toList();
    }
    List<String> listed = new ArrayList<>();
    for (JsonNode f : m.get("files")) {
      listed.add(f.get("path").asText());
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(built.resolve(f.get("path").asText())));
      assertEquals(ClipProcessor.hex(digest, 32), f.get("sha256").asText());
      assertEquals(spark.read().parquet(built.resolve(f.get("path").asText()).toString()).count(), f.get("rows").asLong(),
          "the footer's row count: " + f);
    }
    assertEquals(onDisk, listed);
    assertEquals(64, m.get("content_sha256").asText().length());
    byte[] png = Files.readAllBytes(built.resolve("_report.png"));
    assertEquals((byte) 0x89, png[0]);
    assertEquals('P', png[1]);
  }

  @Test
  void aFinishedDatasetIsImmutableUnlessOverwritten() throws Exception {
    Path few = dir.resolve("few-clips");
    spark.read().parquet(clips.toString()).where("video_uri like '%-000002.mp4'").write().parquet(few.toString());
    Path other = dir.resolve("immutable");
    DatasetWriter.Summary first = DatasetWriter.build(spark, few.toString(), other.toString(), config(), false, "t");
    assertTrue(first.written() >= 1);
    String before = Files.readString(other.resolve("_manifest.json"));
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> DatasetWriter.build(spark, few.toString(), other.toString(), config(), false, "t"));
    assertTrue(refused.getMessage().contains("--overwrite"), refused.getMessage());
    assertEquals(before, Files.readString(other.resolve("_manifest.json")));
    String hash = DatasetManifest.JSON.readTree(before).get("content_sha256").asText();
    DatasetWriter.Summary again = DatasetWriter.build(spark, few.toString(), other.toString(), config(), true, "t");
    assertEquals(first.written(), again.written(), "a rebuild writes the same clips, not twice as many");
    assertEquals(first.written(), spark.read().parquet(other.toString()).count());
    JsonNode rebuilt = DatasetManifest.JSON.readTree(other.resolve("_manifest.json").toFile());
    assertEquals(hash, rebuilt.get("content_sha256").asText(), "the same clips, the same content hash");
    assertNotEquals(json("_manifest.json").get("content_sha256").asText(), hash, "other clips, another hash");
    assertTrue(rebuilt.get("files").findValuesAsText("path").stream().noneMatch(before::contains),
        "Spark named the rebuilt shards anew, so the hash cannot come from their names");
  }

  @Test
  void severalClipTablesAreReadAsOneAndTheFirstListedCaptionsAClipTheyShare() throws Exception {
    // Video 2 captioned anew (listed first) and an older table of videos 2 and 3: the case of a
    // caption table from a better captioner put in front of the one it replaces.
    Dataset<Row> old = spark.read().parquet(clips.toString()).where("video_uri rlike '-00000[23][.]mp4$'");
    Path older = dir.resolve("older-captions");
    old.write().parquet(older.toString());
    Path newer = dir.resolve("newer-captions");
    old.where("video_uri like '%-000002.mp4'")
        .withColumn("caption", org.apache.spark.sql.functions.concat(org.apache.spark.sql.functions.lit("Yet more detail. "),
            col("caption")))
        .write().parquet(newer.toString());
    Path both = dir.resolve("two-tables");
    DatasetWriter.Summary s = DatasetWriter.build(spark, List.of(newer.toString(), older.toString()), both.toString(),
        config(), null, false, "t");
    List<Row> rows = spark.read().parquet(both.toString()).select("clip_id", "video_uri", "caption", "source_table")
        .collectAsList();
    Set<String> expected = new TreeSet<>();
    shards().stream().filter(r -> ((String) r.getAs("video_uri")).matches(".*-00000[23][.]mp4$"))
        .forEach(r -> expected.add(r.getAs("clip_id")));
    Set<String> ids = new TreeSet<>();
    rows.forEach(r -> ids.add(r.getString(0)));
    assertEquals(expected, ids, "the clips of both tables, each once");
    assertEquals(rows.size(), s.written());
    int fromNewer = 0;
    for (Row r : rows) {
      boolean video2 = r.getString(1).endsWith("-000002.mp4");
      assertEquals(video2, r.getString(2).startsWith("Yet more detail. "), r.toString());
      assertEquals(Storage.normalise((video2 ? newer : older).toString()), r.getString(3), r.toString());
      fromNewer += video2 ? 1 : 0;
    }
    assertTrue(fromNewer > 0 && fromNewer < rows.size(), "clips from both tables: " + rows);
    JsonNode sources = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(Files.readString(both.resolve("_manifest.json"))).get("sources");
    assertEquals(2, sources.size());
    assertEquals(Storage.normalise(newer.toString()), sources.get(0).get("table").asText());
    assertEquals(Storage.normalise(older.toString()), sources.get(1).get("table").asText());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> DatasetWriter.build(spark,
        List.of(older.toString(), older.toString()), dir.resolve("twice").toString(), config(), null, false, "t"));
    assertTrue(twice.getMessage().contains("once"), twice.getMessage());
  }

  @Test
  void shardReaderStreamsEveryTrainClipInBatchesOfOneBucket() {
    Map<String, byte[]> byId = new HashMap<>();
    shards().stream().filter(r -> "train".equals(r.getAs("split"))).forEach(r -> byId.put(r.getAs("clip_id"), r.getAs("frames")));
    Set<String> seen = new HashSet<>();
    for (DatasetBatch batch : new ShardReader(storage, built.toString(), "train", null, 3, 7, 8)) {
      assertTrue(batch.size() >= 1 && batch.size() <= 3);
      assertEquals(batch.size() * batch.clipBytes(), batch.pixels().length);
      for (int i = 0; i < batch.size(); i++) {
        String id = batch.clipIds().get(i);
        assertTrue(seen.add(id), "each clip once");
        byte[] expected = byId.get(id);
        assertEquals(expected.length, batch.clipBytes(), "one bucket per batch");
        assertEquals(-1, java.util.Arrays.mismatch(expected, 0, expected.length, batch.pixels(),
            i * batch.clipBytes(), (i + 1) * batch.clipBytes()));
      }
    }
    assertEquals(byId.keySet(), seen);
  }

  @Test
  void aTaskKilledMidWriteLeavesNoDuplicateAndNoMissingClip() throws Exception {
    Path faulty = dir.resolve("faulty");
    spark.stop();
    // local[2,2]: two cores, and a failed task gets a second attempt, as on a cluster.
    SparkSession retrying = SparkSession.builder().master("local[2,2]").config("spark.ui.enabled", "false")
        .config("spark.ying.fault.failFirstAttempt", "0:2").getOrCreate();
    try {
      DatasetWriter.build(retrying, clips.toString(), faulty.toString(), config(), false, "test");
      Map<String, String> clean = contentById(retrying, built);
      Map<String, String> recovered = contentById(retrying, faulty);
      assertEquals(clean, recovered);
      assertEquals(recovered.size(), retrying.read().parquet(faulty.toString()).count(), "no row twice");
    } finally {
      retrying.stop();
      spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    }
  }

  private static Map<String, String> contentById(SparkSession s, Path dataset) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (Row r : s.read().parquet(dataset.toString()).select("clip_id", "frames", "split", "bucket").collectAsList()) {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(r.getAs("frames"));
      out.put(r.getString(0), ClipProcessor.hex(digest, 8) + r.getString(2) + r.getString(3));
    }
    return out;
  }

  @Test
  void maxVideosKeepsEveryClipOfAStableNestedSampleOfVideos() {
    Dataset<Row> table = DatasetBuild.clipColumns(spark.read().parquet(clips.toString()));
    Map<String, Long> all = clipsPerVideo(table);
    Map<String, Long> two = clipsPerVideo(DatasetBuild.sampleVideos(table, 2));
    Map<String, Long> three = clipsPerVideo(DatasetBuild.sampleVideos(table.orderBy(col("end_s").desc()), 3));
    assertEquals(2, two.size());
    assertEquals(3, three.size());
    two.forEach((video, n) -> assertEquals(all.get(video), n, "every clip of " + video));
    assertTrue(three.keySet().containsAll(two.keySet()), "a larger sample keeps a smaller one's videos: " + two + " " + three);
    assertEquals(all, clipsPerVideo(DatasetBuild.sampleVideos(table, 0)));
    assertEquals(all, clipsPerVideo(DatasetBuild.sampleVideos(table, 1000)));
  }

  private static Map<String, Long> clipsPerVideo(Dataset<Row> clipTable) {
    Map<String, Long> out = new TreeMap<>();
    clipTable.groupBy("video_uri").count().collectAsList().forEach(r -> out.put(r.getString(0), r.getLong(1)));
    return out;
  }

  @Test
  void largeBuildsDecodeInTasksOfAFewVideos() {
    assertEquals(8, DatasetWriter.decodeTasks(192, 2), "four tasks per core for a small build");
    assertEquals(3, DatasetWriter.decodeTasks(3, 2), "never more tasks than videos");
    assertEquals(1, DatasetWriter.decodeTasks(0, 2));
    assertEquals(400, DatasetWriter.decodeTasks(10_000, 2));
    assertEquals(400, DatasetWriter.decodeTasks(10_000, 64));
    assertEquals(512, DatasetWriter.decodeTasks(10_000, 128));
  }

  @Test
  void aTableWithoutClipColumnsIsRefusedByName() {
    Path notClips = dir.resolve("not-clips");
    spark.range(3).write().parquet(notClips.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DatasetWriter.build(spark, notClips.toString(), dir.resolve("nope").toString(), config(), false, "t"));
    assertTrue(e.getMessage().contains("video_uri"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("nope").resolve("_manifest.json")));
  }
}
