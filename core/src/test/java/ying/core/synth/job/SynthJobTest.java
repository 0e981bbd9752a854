package ying.core.synth.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.cli.Main;
import ying.core.io.Storage;
import ying.core.synth.CaptionGrammar;
import ying.core.synth.ScenePlan;
import ying.core.synth.SyntheticWorld;
import ying.core.synth.VideoPlan;
import ying.core.synth.WorldOptions;
import ying.core.video.VideoInfo;
import ying.core.video.VideoReader;

/** Runs {@code ying synth} end to end on Spark {@code local[2]}, as a user would. */
class SynthJobTest {
  @TempDir Path dir;

  private static final String[] SMALL = {"--width", "64", "--height", "48", "--fps", "8", "--min-scene-s", "2",
      "--max-scene-s", "3", "--master", "local[2]"};

  private static int synth(Path out, int count, long seed, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("synth", "--count", Integer.toString(count), "--out",
        out.toString(), "--seed", Long.toString(seed)));
    args.addAll(List.of(SMALL));
    args.addAll(List.of(extra));
    return Main.run(args.toArray(String[]::new));
  }

  private static List<Row> labels(Path out) {
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    try {
      return spark.read().parquet(out.resolve("labels").toString()).orderBy("video_index", "scene_index").collectAsList();
    } finally {
      spark.stop();
    }
  }

  private static List<Path> videos(Path out) throws Exception {
    try (Stream<Path> files = Files.list(out.resolve("videos"))) {
      return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  @Test
  void writesOneVideoPerIndexAndOneLabelRowPerScene() throws Exception {
    Path out = dir.resolve("world");
    assertEquals(0, synth(out, 3, 5));
    List<Path> videos = videos(out);
    assertEquals(3, videos.size());
    try (Stream<Path> files = Files.list(out.resolve("labels"))) {
      assertEquals(1, files.filter(p -> p.toString().endsWith(".parquet")).count(), "one label file, not one per video");
    }
    assertEquals(2, SynthCommand.labelFiles(10_000));
    assertEquals(1, SynthCommand.labelFiles(1));
    SyntheticWorld world = new SyntheticWorld(5, new WorldOptions(64, 48, 8, 1, 4, 2, 3, 1, 3));
    List<Row> rows = labels(out);
    int expectedScenes = 0;
    for (int i = 0; i < 3; i++) {
      VideoPlan plan = world.video(i);
      expectedScenes += plan.scenes().size();
      VideoInfo info = VideoReader.probe(Storage.local(), videos.get(i).toString());
      assertEquals(plan.totalFrames(), info.frameCount(), "every planned frame is in the file");
      assertEquals(64, info.width());
      assertEquals(48, info.height());
    }
    assertEquals(expectedScenes, rows.size());
    for (Row row : rows) {
      VideoPlan plan = world.video(row.getAs("video_index"));
      ScenePlan scene = plan.scenes().get(row.<Integer>getAs("scene_index"));
      assertEquals(scene.startSeconds(), row.<Double>getAs("start_s"), 1e-9);
      assertEquals(scene.endSeconds(), row.<Double>getAs("end_s"), 1e-9);
      assertEquals(CaptionGrammar.caption(scene.scene()), row.getAs("caption"));
      assertTrue(CaptionGrammar.parse(row.getAs("caption")).isPresent());
      assertEquals(scene.scene().camera().name().toLowerCase(), row.getAs("camera"));
      assertEquals(scene.scene().objects().size(), row.<Integer>getAs("num_objects"));
      assertEquals(scene.scene().objects().size(), row.getList(row.fieldIndex("colours")).size());
      String uri = row.getAs("video_uri");
      assertTrue(uri.startsWith("file:") && uri.endsWith(new SynthConfig(3, "x", 5, world.options()).videoName(
          row.getAs("video_index"))), uri);
    }
  }

  @Test
  void rerunWithTheSameSettingsAddsNothing() throws Exception {
    Path out = dir.resolve("again");
    assertEquals(0, synth(out, 2, 1));
    List<Row> first = labels(out);
    long modified = Files.getLastModifiedTime(videos(out).get(0)).toMillis();
    assertEquals(0, synth(out, 2, 1));
    assertEquals(first, labels(out));
    assertEquals(2, videos(out).size());
    assertEquals(modified, Files.getLastModifiedTime(videos(out).get(0)).toMillis(), "finished videos are not redone");
  }

  @Test
  void otherSettingsOnFinishedOutputAreRefusedUnlessOverwrite() throws Exception {
    Path out = dir.resolve("refuse");
    assertEquals(0, synth(out, 2, 1));
    List<Row> first = labels(out);
    assertEquals(1, synth(out, 2, 2), "a different seed into finished output is an error");
    assertEquals(first, labels(out), "and it leaves the output alone");
    assertEquals(0, synth(out, 1, 2, "--overwrite"));
    List<Path> videos = videos(out);
    assertEquals(1, videos.size(), "the old seed's videos are gone");
    assertTrue(videos.get(0).getFileName().toString().startsWith("synth-s2-"));
    assertNotEquals(first, labels(out));
    assertFalse(labels(out).isEmpty());
  }

  @Test
  void sameSeedGivesByteIdenticalVideos() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    assertEquals(0, synth(a, 1, 9));
    assertEquals(0, synth(b, 1, 9));
    assertEquals(-1L, Files.mismatch(videos(a).get(0), videos(b).get(0)));
  }
}
