package ying.trainer.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.captioner.job.CaptionerSource;
import ying.captioner.model.Captioner;
import ying.core.cli.Main;
import ying.core.dataset.DatasetBatch;
import ying.core.dataset.DatasetLayout;
import ying.core.io.Storage;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;

/** Real DJL training of a narrow VAE on a tiny synthetic dataset: it learns, publishes, and scores the same on reload. */
class VaeTrainingTest {
  @TempDir static Path dir;
  static String data;
  /** The checkout's release registry: its captioner judges reconstructions. */
  static final Path RELEASE = Path.of("").toAbsolutePath().getParent().resolve("models");

  /** The default layout (8x space, 4x time, 16 latent channels), narrow enough to train in a test. */
  static final VaeConfig NARROW = new VaeConfig(3, 16, 8, List.of(16, 16, 16), List.of(true, true, false), 1, 3, 4,
      1e-6f, -30f, 20f);

  @BeforeAll
  static void tinyDataset() {
    Path synth = dir.resolve("synth");
    assertEquals(0, Main.run("synth", "--count", "3", "--seed", "8", "--out", synth.toString(), "--min-scene-s", "2.5",
        "--max-scene-s", "4", "--max-scenes", "2", "--master", "local[2]"));
    data = dir.resolve("dataset").toString();
    assertEquals(0, Main.run("build-dataset", "--clips", synth.resolve("labels").toString(), "--out", data,
        "--val-fraction", "0", "--disable-filter", "static", "--master", "local[2]"));
  }

  @Test
  void learnsPublishesAndTheCheckpointScoresAsItsManifestSays() throws Exception {
    String registry = dir.resolve("models").toString();
    VaeTrainingConfig cfg = new VaeTrainingConfig(data, registry, null, NARROW, "vae", 60, 2, 5, 16, 16, 3e-3f, 5,
        1e-4f, 0, 0, false, 3, 3, 2, 20, "test");
    VaeTrainer.Result result = VaeTrainer.train(cfg, Storage.local());
    assertEquals(new ModelRef("vae", "1"), result.ref());
    try (Checkpoint ckpt = new Registry(Storage.local(), registry).load(ModelRef.parse("vae"))) {
      List<String> log = Files.readAllLines(ckpt.file("training_log.csv"));
      assertEquals(VaeTrainer.LOG_HEADER, log.get(0));
      double first = meanL1(log.subList(1, 4));
      double last = meanL1(log.subList(log.size() - 3, log.size()));
      assertTrue(last < first * 0.6, "L1 fell from " + first + " to " + last);
      assertTrue(log.stream().skip(1).anyMatch(l -> !l.endsWith(",")), "val PSNR was measured during training");
      assertTrue(Files.size(ckpt.file("training.png")) > 1000);
      JsonNode manifest = ckpt.manifest();
      assertEquals("test", manifest.get("command").asText());
      assertEquals("train", manifest.get("metrics").get("eval_split").asText(), "no val split: scored on train");
      assertEquals(3, manifest.get("metrics").get("clips").asInt());
      double psnr = manifest.get("metrics").get("psnr_db").asDouble();
      assertTrue(psnr > 10 && psnr < 60, "PSNR " + psnr);
      try (VaeModel vae = VaeModel.load(ckpt)) {
        assertEquals(NARROW, vae.config());
        VaeEvaluation.Result again = VaeEvaluation.run(vae, Storage.local(), data, DatasetLayout.TRAIN, 3, "test");
        assertEquals(psnr, Math.round(again.quality().psnr() * 100) / 100.0, 1e-9,
            "the published metrics describe the published (float16) weights");
        // The release captioner as judge: it reads the input clips as it reads any synthetic clip,
        // and scores the reconstructions beside them.
        try (Captioner judge = CaptionerSource.resolve(Storage.local(), "captioner", RELEASE.toString())
            .open(Storage.local())) {
          VaeEvaluation.Judged judged = VaeEvaluation.run(vae, Storage.local(), data, DatasetLayout.TRAIN, 3, "test",
              judge, "release").judged();
          assertEquals(3, judged.inputs().total());
          assertEquals(3, judged.reconstructions().total());
          assertEquals(1.0, judged.inputs().accuracy("background"), judged.inputs().toString());
          assertEquals(1.0, judged.inputs().accuracy("camera"), judged.inputs().toString());
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.run("eval-vae", "--data", data, "--registry", registry, "--split", "train", "--clips", "1",
          "--master", "local[1]"));
      assertEquals(0, Main.run("eval-vae", "--data", data, "--registry", registry, "--split", "train", "--clips", "2",
          "--captioner", "captioner", "--captioner-registry", RELEASE.toString(), "--master", "local[1]"));
    } finally {
      System.setOut(saved);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("eval-vae vae@1") && printed.contains("PSNR") && printed.contains("SSIM"), printed);
    String captioner = "captioner@" + Files.readString(RELEASE.resolve("captioner/LATEST")).trim();
    assertTrue(printed.contains(captioner + " on the 2 input clips:") && printed.contains(captioner
        + " on their reconstructions:") && printed.contains("shape"), printed);
  }

  @Test
  void cropsAreWindowsOfTheClipsMirroredOrNot() {
    int t = 6;
    int h = 4;
    int w = 5;
    byte[] pixels = new byte[2 * t * h * w * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) i;
    }
    DatasetBatch batch = new DatasetBatch(List.of("a", "b"), List.of("x", "y"), t, h, w, pixels);
    byte[] crops = VaeCrops.cut(batch, 5, 2, 3, new Random(1));
    assertEquals(2 * 5 * 2 * 3 * 3, crops.length);
    // Each crop row is a run of consecutive source pixels, forwards or backwards (mirrored).
    for (int row = 0; row < crops.length / 9; row++) {
      int a = crops[row * 9] & 0xff;
      int b = crops[row * 9 + 3] & 0xff;
      int c = crops[row * 9 + 6] & 0xff;
      assertTrue((b - a == 3 && c - b == 3) || (a - b == 3 && b - c == 3), "row " + row + ": " + a + " " + b + " " + c);
    }
    assertThrows(IllegalArgumentException.class, () -> VaeCrops.cut(batch, 7, 2, 3, new Random(1)));
    assertThrows(IllegalArgumentException.class, () -> TrainVaeCommand.parseCrop("9x32"));
    assertEquals(List.of(9, 32, 48), java.util.Arrays.stream(TrainVaeCommand.parseCrop("9x32x48")).boxed().toList());
  }

  @Test
  void channelsAndResBlocksReshapeTheDefaultVae() {
    assertEquals(null, TrainVaeCommand.architecture(null, null), "no options: the trainer's defaults");
    VaeConfig wide = TrainVaeCommand.architecture(32, 2);
    assertEquals(32, wide.baseChannels());
    assertEquals(List.of(64, 128, 256), wide.levelChannels());
    assertEquals(2, wide.resBlocksPerLevel());
    VaeConfig d = VaeConfig.defaults();
    assertEquals(d, TrainVaeCommand.architecture(d.baseChannels(), null), "--channels 16 is the default VAE");
    assertEquals(d.spatialFactor(), wide.spatialFactor());
    assertEquals(d.temporalFactor(), wide.temporalFactor());
    assertThrows(IllegalArgumentException.class, () -> TrainVaeCommand.architecture(4, null));
    assertThrows(IllegalArgumentException.class, () -> TrainVaeCommand.architecture(null, 0));
  }

  private static double meanL1(List<String> rows) {
    return rows.stream().mapToDouble(r -> Double.parseDouble(r.split(",")[2])).average().orElseThrow();
  }
}
