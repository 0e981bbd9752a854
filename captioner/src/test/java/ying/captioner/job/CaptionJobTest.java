package ying.captioner.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.captioner.model.CaptionerConfig;
import ying.captioner.model.CaptionerModel;
import ying.core.text.Tokenizer;
import ying.core.cli.Main;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.core.synth.ScenePlan;
import ying.core.synth.SyntheticWorld;
import ying.core.synth.VideoPlan;
import ying.core.synth.WorldOptions;

/**
 * The caption job's mechanics on real videos with a real (untrained) DJL captioner: clips follow
 * the scene cuts, bad files become error rows, reruns add nothing, a new model version adds a
 * partition, and batching never moves a caption to another clip.
 */
class CaptionJobTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Path input;
  static String registry;
  static final long SEED = 3;
  static final WorldOptions WORLD = new WorldOptions(192, 128, 16, 1, 3, 2.5, 12, 1, 3);

  @BeforeAll
  static void setUp() throws Exception {
    input = dir.resolve("raw");
    assertEquals(0, Main.run("synth", "--count", "3", "--seed", Long.toString(SEED), "--out", dir.resolve("s").toString(),
        "--min-scene-s", "2.5", "--max-scene-s", "12", "--max-scenes", "3", "--master", "local[2]"));
    Files.createDirectories(input.resolve("nested"));
    try (var videos = Files.list(dir.resolve("s/videos"))) {
      for (Path v : videos.toList()) {
        Files.copy(v, input.resolve("nested").resolve(v.getFileName()));
      }
    }
    Files.writeString(input.resolve("broken.mp4"), "not a video at all");
    Files.createFile(input.resolve("empty.mov"));
    Files.writeString(input.resolve("README.md"), "ignored: not a video extension");
    // Made here: a command's own Spark session would stop the tests' shared one.
    assertEquals(0, Main.run("synth", "--count", "98", "--seed", "9", "--out", dir.resolve("s98").toString(),
        "--min-scene-s", "1", "--max-scene-s", "1.5", "--max-scenes", "1", "--width", "96", "--height", "64",
        "--master", "local[2]"));
    registry = dir.resolve("models").toString();
    publishUntrained(1);
    spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  static void publishUntrained(long seed) throws Exception {
    List<String> captions = new ArrayList<>();
    SyntheticWorld world = new SyntheticWorld(seed, WORLD);
    for (int i = 0; i < 20; i++) {
      world.video(i).scenes().forEach(s -> captions.add(s.caption()));
    }
    Tokenizer tokenizer = Tokenizer.build(captions);
    Path files = Files.createTempDirectory(dir, "ckpt");
    // Seeded weights: an unseeded untrained model now and then gave every clip the same caption, and
    // batchingNeverMovesACaptionToAnotherClip needs captions that differ.
    ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
    try (CaptionerModel model = CaptionerModel.create(CaptionerConfig.defaults(tokenizer.size()), tokenizer)) {
      model.save(files);
      new Registry(Storage.local(), registry).publish(files, new Registry.Publication("captioner", null, "none", "none",
          Map.of(), model.config().toJson(new com.fasterxml.jackson.databind.ObjectMapper()), Map.of()));
    }
  }

  private static CaptionOptions options(int batch) {
    CaptionOptions d = CaptionOptions.defaults("captioner", registry);
    return new CaptionOptions(d.model(), d.registry(), 6, 1, 1, 1, batch, d.windowSeconds(), d.sampleFps(), 1,
        d.frameMemoryMb());
  }

  private static List<Row> clips(Path out, String model) {
    return spark.read().parquet(out.toString()).where("caption_model = '" + model + "'")
        .orderBy("video_uri", "clip_index").collectAsList();
  }

  @Test
  void clipsFollowTheCutsAndBadFilesBecomeErrorRows() throws Exception {
    Path out = dir.resolve("captions");
    CaptionRun.Summary s = CaptionRun.run(spark, input.toString(), out.toString(), options(16));
    assertEquals(5, s.inputs(), "three videos, one broken, one empty; the README is not an input");
    assertEquals(3, s.captionedVideos());
    assertEquals(2, s.errors());
    List<Row> rows = clips(out, "captioner@1");
    assertEquals(s.clips(), rows.size());
    SyntheticWorld world = new SyntheticWorld(SEED, WORLD);
    Map<String, List<Row>> byVideo = new TreeMap<>();
    rows.forEach(r -> byVideo.computeIfAbsent(r.getAs("video_uri"), k -> new ArrayList<>()).add(r));
    for (Map.Entry<String, List<Row>> e : byVideo.entrySet()) {
      VideoPlan plan = world.video(Integer.parseInt(e.getKey().replaceAll(".*-(\\d+)\\.mp4$", "$1")));
      List<Row> vclips = e.getValue();
      for (int i = 0; i < vclips.size(); i++) {
        Row r = vclips.get(i);
        assertEquals(i, r.<Integer>getAs("clip_index"));
        double start = r.getAs("start_s");
        double end = r.getAs("end_s");
        assertTrue(end - start <= 6 + 1e-9 && end - start >= 1);
        // No clip spans a true cut.
        for (ScenePlan scene : plan.scenes().subList(1, plan.scenes().size())) {
          double cut = scene.startSeconds();
          assertTrue(end <= cut + 1.0 / plan.fps() + 1e-6 || start >= cut - 1.0 / plan.fps() - 1e-6,
              "clip [" + start + ", " + end + ") spans the cut at " + cut);
        }
        for (String column : CaptionJob.CLIP_COLUMNS) {
          assertNotNull(r.getAs(column), column);
        }
        assertEquals(64, r.<String>getAs("video_sha256").length());
        assertEquals(plan.durationSeconds(), vclips.get(vclips.size() - 1).<Double>getAs("end_s"), 0.1);
      }
    }
    List<Row> errors = spark.read().parquet(out.resolve("_errors").toString()).orderBy("video_uri").collectAsList();
    assertEquals(2, errors.size());
    assertTrue(errors.get(0).<String>getAs("message").contains("NOT_A_VIDEO"), errors.get(0).toString());
    assertTrue(errors.get(1).<String>getAs("message").contains("EMPTY"), errors.get(1).toString());
  }

  @Test
  void rerunAddsNothingAndANewVersionAddsAPartition() throws Exception {
    Path out = dir.resolve("incremental");
    CaptionRun.run(spark, input.toString(), out.toString(), options(16));
    long first = spark.read().parquet(out.toString()).count();
    CaptionRun.Summary again = CaptionRun.run(spark, input.toString(), out.toString(), options(16));
    assertEquals(3, again.skipped());
    assertEquals(0, again.clips());
    assertEquals(first, spark.read().parquet(out.toString()).count(), "a rerun never duplicates");
    assertEquals(2, spark.read().parquet(out.resolve("_errors").toString()).count(), "nor error rows");
    publishUntrained(2);
    try {
      CaptionRun.Summary v2 = CaptionRun.run(spark, input.toString(), out.toString(), options(16));
      assertEquals("captioner@2", v2.model());
      assertEquals(first, clips(out, "captioner@1").size(), "the old version's captions stay");
      assertEquals(first, clips(out, "captioner@2").size());
    } finally {
      // Other tests caption with LATEST; keep it on version 1.
      Storage.local().writeStringAtomically(Storage.join(Storage.normalise(registry), "captioner/LATEST"), "1\n");
    }
  }

  @Test
  void ofAHundredVideosWithACorruptAndAnEmptyOneNinetyEightAreCaptionedAndTwoAreErrorRows() throws Exception {
    Path synth = dir.resolve("s98");
    Path hundred = dir.resolve("hundred");
    Files.createDirectories(hundred);
    List<String> good = new ArrayList<>();
    try (var videos = Files.list(synth.resolve("videos"))) {
      for (Path v : videos.sorted().toList()) {
        Files.copy(v, hundred.resolve(v.getFileName()));
        good.add(Storage.normalise(hundred.resolve(v.getFileName()).toString()));
      }
    }
    assertEquals(98, good.size());
    // Corrupt: a real video whose container header (the first quarter; these files are tiny) is overwritten.
    byte[] bytes = Files.readAllBytes(synth.resolve("videos").resolve(Storage.fileName(good.get(0))));
    java.util.Arrays.fill(bytes, 0, bytes.length / 4, (byte) 0x5a);
    Files.write(hundred.resolve("corrupt.mp4"), bytes);
    Files.createFile(hundred.resolve("empty.mp4"));
    Path out = dir.resolve("hundred-captions");
    CaptionRun.Summary s = CaptionRun.run(spark, hundred.toString(), out.toString(), options(16));
    assertEquals(100, s.inputs());
    assertEquals(98, s.captionedVideos());
    assertEquals(2, s.errors());
    List<Row> rows = clips(out, "captioner@1");
    assertEquals(good, rows.stream().map(r -> r.<String>getAs("video_uri")).distinct().sorted().toList(),
        "every good video has its clips");
    assertEquals(rows.size(), rows.stream().map(r -> r.getAs("video_uri") + "#" + r.getAs("clip_index")).distinct()
        .count(), "no clip twice");
    List<String> errors = spark.read().parquet(out.resolve("_errors").toString()).orderBy("video_uri")
        .collectAsList().stream().map(r -> Storage.fileName(r.getAs("video_uri")) + ":" + r.getAs("stage")).toList();
    assertEquals(2, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("corrupt.mp4:") && errors.get(1).startsWith("empty.mp4:"), errors.toString());
  }

  @Test
  void aTaskKilledMidWriteGivesTheSameRowsAsACleanRun() throws Exception {
    Path clean = dir.resolve("clean");
    Path faulty = dir.resolve("faulty");
    CaptionRun.run(spark, input.toString(), clean.toString(), options(16));
    List<String> expected = clips(clean, "captioner@1").stream().map(CaptionJobTest::key).toList();
    spark.stop();
    // local[2,2]: a failed task gets a second attempt, as on a cluster.
    spark = SparkSession.builder().master("local[2,2]").config("spark.ui.enabled", "false")
        .config("spark.ying.fault.failFirstAttempt", "0:1").getOrCreate();
    try {
      CaptionRun.run(spark, input.toString(), faulty.toString(), options(16));
      assertEquals(expected, clips(faulty, "captioner@1").stream().map(CaptionJobTest::key).toList());
    } finally {
      spark.stop();
      spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    }
  }

  @Test
  void aLongVideoIsCaptionedWhileItDecodesAndOneThatBreaksPartWayLeavesOnlyAnErrorRow() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("long"));
    // Ten scenes of 1.5-2.5 s at the model's 96x64: 1 MB holds 56 frames, enough for any one scene
    // and the 8 frames that settle its cut, not for the video; so its clips go to the model while it
    // decodes, as a long video's do.
    VideoPlan plan = new SyntheticWorld(5, new WorldOptions(96, 64, 16, 10, 10, 1.5, 2.5, 1, 3)).video(0);
    Path whole = folder.resolve("long.mp4");
    plan.write(Storage.local(), whole.toString());
    byte[] bytes = Files.readAllBytes(whole);
    // Cut part way: its first scenes are captioned before the missing frames show.
    Files.write(folder.resolve("cut.mp4"), java.util.Arrays.copyOf(bytes, bytes.length * 3 / 5));
    Path small = dir.resolve("long-1mb");
    Path large = dir.resolve("long-default");
    CaptionRun.Summary s = CaptionRun.run(spark, folder.toString(), small.toString(), options(1).withFrameMemoryMb(1));
    CaptionRun.run(spark, folder.toString(), large.toString(), options(1));
    assertEquals(1, s.captionedVideos());
    assertEquals(1, s.errors());
    List<String> rows = clips(small, "captioner@1").stream().map(CaptionJobTest::key).toList();
    assertEquals(clips(large, "captioner@1").stream().map(CaptionJobTest::key).toList(), rows);
    assertTrue(rows.stream().allMatch(r -> r.contains("/long.mp4#")), "nothing of the cut video: " + rows);
    assertTrue(rows.size() >= plan.scenes().size(), rows.size() + " clips");
    List<Row> errors = spark.read().parquet(small.resolve("_errors").toString()).collectAsList();
    assertEquals(1, errors.size());
    assertEquals("cut.mp4", Storage.fileName(errors.get(0).getAs("video_uri")));
    assertEquals("decode", errors.get(0).<String>getAs("stage"));
  }

  private static String key(Row r) {
    return r.getAs("video_uri") + "#" + r.getAs("clip_index") + "[" + r.getAs("start_s") + "," + r.getAs("end_s")
        + "]=" + r.getAs("caption");
  }

  @Test
  void batchingNeverMovesACaptionToAnotherClip() throws Exception {
    Path a = dir.resolve("batch-1");
    Path b = dir.resolve("batch-16");
    CaptionRun.run(spark, input.toString(), a.toString(), options(1));
    CaptionRun.run(spark, input.toString(), b.toString(), options(16));
    List<String> one = clips(a, "captioner@1").stream().map(r -> r.getAs("video_uri") + "#" + r.getAs("clip_index")
        + "=" + r.getAs("caption")).toList();
    List<String> many = clips(b, "captioner@1").stream().map(r -> r.getAs("video_uri") + "#" + r.getAs("clip_index")
        + "=" + r.getAs("caption")).toList();
    assertEquals(one, many);
    assertTrue(one.stream().map(s -> s.substring(s.indexOf('='))).distinct().count() > 1,
        "an untrained model still tells clips apart, so a shuffle would show");
  }
}
