package ying.captioner.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.captioner.model.TorchScriptCaptioner;
import ying.core.io.Storage;
import ying.core.video.VideoWriter;

/**
 * An external TorchScript captioner under the documented contract (the fixture made by
 * src/test/python/brightness_captioner.py says "A bright clip." or "A dark clip." from the pixels)
 * drives the real caption job: its frames arrive in the contract's layout and its logits decode.
 */
class ExternalCaptionerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static SparkSession spark;
  static Path model;
  static Path input;

  @BeforeAll
  static void setUp() throws Exception {
    model = dir.resolve("brightness model");
    Files.createDirectories(model);
    for (String f : TorchScriptCaptioner.FILES) {
      try (var in = ExternalCaptionerTest.class.getResourceAsStream("/brightness-captioner/" + f)) {
        Files.copy(in, model.resolve(f));
      }
    }
    input = dir.resolve("raw");
    Files.createDirectories(input);
    video(input.resolve("white.mp4"), (byte) 235);
    video(input.resolve("black.mp4"), (byte) 20);
    spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    spark.stop();
  }

  private static void video(Path file, byte level) throws Exception {
    byte[] frame = new byte[96 * 64 * 3];
    Arrays.fill(frame, level);
    try (VideoWriter w = VideoWriter.create(Storage.local(), file.toString(), 96, 64, 16)) {
      for (int i = 0; i < 40; i++) {
        w.write(frame);
      }
      w.finish();
    }
  }

  @Test
  void theCaptionJobRunsAnExternalTorchScriptCaptioner() throws Exception {
    Path out = dir.resolve("captions");
    CaptionOptions d = CaptionOptions.defaults(model.toString(), dir.resolve("no-registry").toString());
    CaptionRun.Summary s = CaptionRun.run(spark, input.toString(), out.toString(), d);
    assertTrue(s.model().matches("brightness_model@ts-[0-9a-f]{12}"), s.model());
    assertEquals(2, s.clips());
    List<Row> rows = spark.read().parquet(out.toString()).orderBy("video_uri").collectAsList();
    assertEquals("A dark clip.", rows.get(0).getAs("caption"), "black.mp4");
    assertEquals("A bright clip.", rows.get(1).getAs("caption"), "white.mp4");
    assertEquals(s.model(), rows.get(0).getAs("caption_model"));
    assertEquals(0.0, rows.get(0).<Double>getAs("caption_confidence"), 1e-3, "the fixture is certain");

    CaptionRun.Summary again = CaptionRun.run(spark, input.toString(), out.toString(), d);
    assertEquals(2, again.skipped(), "the same external model is the same version");
    assertEquals(2, spark.read().parquet(out.toString()).count());
  }

  /**
   * The job spreads the model's frames over the window its captioner.json names: a dark video that a
   * white band fills around its middle reads as bright through a 1-second window, as dark through the
   * default 6.1 s, and as dark through the 1-second model when --window-s widens its window again.
   */
  @Test
  void theFramesAreSpreadOverTheModelsWindow() throws Exception {
    Path raw = bandVideo("bump", 4);
    assertEquals("A dark clip.", onlyCaption(raw, "wide", CaptionOptions.defaults(model.toString(), "unused")));
    CaptionOptions narrowOptions = CaptionOptions.defaults(narrowModel().toString(), "unused");
    assertEquals("A bright clip.", onlyCaption(raw, "narrow", narrowOptions));
    assertEquals("A dark clip.", onlyCaption(raw, "widened", narrowOptions.withWindowSeconds(49 / 8.0)));
  }

  /**
   * Views of a clip outvote its middle: the band fills the frame at 1.67 s and 6.33 s, the middles of
   * the first and last of three 1-second windows of the 8 s clip, and is gone at 4 s, so the middle
   * window alone reads dark and three views read bright.
   */
  @Test
  void viewsOfAClipDecodeAsOneCaption() throws Exception {
    Path raw = bandVideo("two bumps", 1 + 2 / 3.0, 6 + 1 / 3.0);
    CaptionOptions narrowOptions = CaptionOptions.defaults(narrowModel().toString(), "unused");
    assertEquals("A dark clip.", onlyCaption(raw, "one view", narrowOptions));
    assertEquals("A bright clip.", onlyCaption(raw, "three views", narrowOptions.withViews(3)));
  }

  /**
   * An 8 s dark video in which a white band grows from the top to the whole frame at each of
   * {@code peaks} (seconds) and back, a second either side: 4 rows a frame, too little change for a
   * cut, which a whole frame changing level would be.
   */
  private static Path bandVideo(String name, double... peaks) throws Exception {
    Path raw = dir.resolve(name);
    Files.createDirectories(raw);
    byte[] frame = new byte[96 * 64 * 3];
    try (VideoWriter w = VideoWriter.create(Storage.local(), raw.resolve("band.mp4").toString(), 96, 64, 16)) {
      for (int i = 0; i < 8 * 16; i++) {
        double fill = 0;
        for (double peak : peaks) {
          fill = Math.max(fill, 1 - Math.abs(i / 16.0 - peak));
        }
        int rows = (int) Math.round(64 * fill);
        Arrays.fill(frame, (byte) 20);
        Arrays.fill(frame, 0, rows * 96 * 3, (byte) 235);
        w.write(frame);
      }
      w.finish();
    }
    return raw;
  }

  /** The brightness fixture with a 1-second window_seconds in its captioner.json. */
  private static Path narrowModel() throws Exception {
    Path narrow = dir.resolve("narrow model");
    if (!Files.isDirectory(narrow)) {
      Files.createDirectories(narrow);
      for (String f : TorchScriptCaptioner.FILES) {
        Files.copy(model.resolve(f), narrow.resolve(f));
      }
      ObjectNode config = (ObjectNode) JSON.readTree(narrow.resolve(TorchScriptCaptioner.CONFIG_FILE).toFile());
      JSON.writeValue(narrow.resolve(TorchScriptCaptioner.CONFIG_FILE).toFile(), config.put("window_seconds", 1.0));
    }
    return narrow;
  }

  private static String onlyCaption(Path raw, String out, CaptionOptions options) throws Exception {
    CaptionRun.run(spark, raw.toString(), dir.resolve(out).toString(), options);
    List<Row> rows = spark.read().parquet(dir.resolve(out).toString()).collectAsList();
    assertEquals(1, rows.size(), "one scene, one clip: " + rows);
    return rows.get(0).getAs("caption");
  }

  @Test
  void aFolderWithoutTheContractsFilesIsRefusedByName() throws Exception {
    Path partial = dir.resolve("partial");
    Files.createDirectories(partial);
    Files.copy(model.resolve(TorchScriptCaptioner.MODEL_FILE), partial.resolve(TorchScriptCaptioner.MODEL_FILE));
    var e = assertThrows(IllegalArgumentException.class,
        () -> CaptionerSource.resolve(Storage.local(), partial.toString(), "unused"));
    assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
  }
}
