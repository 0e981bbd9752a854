package ying.trainer.captioner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.captioner.model.Caption;
import ying.captioner.model.CaptionerModel;
import ying.captioner.model.FrameSampler;
import ying.core.cli.Main;
import ying.core.dataset.DatasetBatch;
import ying.core.dataset.DatasetLayout;
import ying.core.dataset.ShardReader;
import ying.core.io.Storage;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;

/** Real DJL training on a tiny synthetic dataset: the loss falls, the checkpoint round-trips. */
class CaptionerTrainingTest {
  @TempDir static Path dir;
  static String data;
  static List<String> captions;

  @BeforeAll
  static void tinyDataset() {
    Path synth = dir.resolve("synth");
    assertEquals(0, Main.run("synth", "--count", "3", "--seed", "5", "--out", synth.toString(), "--min-scene-s", "2.5",
        "--max-scene-s", "4", "--max-scenes", "2", "--master", "local[2]"));
    data = dir.resolve("dataset").toString();
    assertEquals(0, Main.run("build-dataset", "--clips", synth.resolve("labels").toString(), "--out", data,
        "--val-fraction", "0", "--disable-filter", "static", "--master", "local[2]"));
    SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
    captions = spark.read().parquet(data).select("caption").distinct().as(Encoders.STRING()).collectAsList();
    spark.stop();
  }

  @AfterAll
  static void done() {}

  @Test
  void lossFallsAndThePublishedCheckpointCaptionsLikeTheTrainedModel() throws Exception {
    String registry = dir.resolve("models").toString();
    CaptionerTrainingConfig cfg = new CaptionerTrainingConfig(data, registry, null, "captioner", 60, 4, 2e-3f, 5, 1, 4,
        5, 20, true, false, "test");
    CaptionerTrainer.Result result = CaptionerTrainer.train(cfg, captions, Storage.local());
    assertEquals(new ModelRef("captioner", "1"), result.ref());
    Registry r = new Registry(Storage.local(), registry);
    try (Checkpoint ckpt = r.load(ModelRef.parse("captioner"))) {
      List<String> log = Files.readAllLines(ckpt.file("training_log.csv"));
      double first = Double.parseDouble(log.get(1).split(",")[1]);
      double last = Double.parseDouble(log.get(log.size() - 1).split(",")[1]);
      assertTrue(last < first * 0.5, "loss fell from " + first + " to " + last);
      assertTrue(Files.size(ckpt.file("training.png")) > 1000);
      assertEquals("test", ckpt.manifest().get("command").asText());
      assertTrue(ckpt.manifest().get("mirror").asBoolean(), "the manifest records the mirror augmentation");
      assertEquals(64, ckpt.manifest().get("training_data").get("hash").asText().length());
      // Scenes of 2.5..4 s fill only the 17-frame bucket: the caption job must show the model 2.1 s of a clip.
      assertEquals(17 / 8.0, ckpt.manifest().get("window_seconds").asDouble(), 1e-9);
      try (CaptionerModel model = CaptionerModel.load(ckpt)) {
        assertEquals(17 / 8.0, model.windowSeconds(), 1e-9);
        DatasetBatch batch = new ShardReader(Storage.local(), data, DatasetLayout.TRAIN, null, 2, -1, 1).iterator().next();
        int frameBytes = 64 * 96 * 3;
        byte[] frames = new byte[2 * 8 * frameBytes];
        for (int i = 0; i < 2; i++) {
          FrameSampler.copy(batch.pixels(), i * batch.clipBytes(), frameBytes, FrameSampler.indices(batch.frames(), 8, 0,
              null), frames, i * 8 * frameBytes);
        }
        List<Caption> greedy = model.caption(frames, 2, 1);
        List<Caption> beam = model.caption(frames, 2, 3);
        for (int i = 0; i < 2; i++) {
          assertTrue(greedy.get(i).text().length() > 10, greedy.get(i).text());
          assertTrue(greedy.get(i).confidence() <= 0 && greedy.get(i).confidence() > -10);
          assertTrue(beam.get(i).confidence() >= greedy.get(i).confidence() - 1e-4,
              "beam search finds at least the greedy caption's score");
        }
      }
    }
  }
}
