package ying.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import ying.core.dataset.DatasetBatch;
import ying.core.text.Tokenizer;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitModel;

class DirectionProbeTest {
  @TempDir Path dir;

  @Test
  void findsTheWordADitReadsAndNoneWhereTheCaptionsHaveNone() throws Exception {
    // Latents all +0.5 when the camera pans left and all -0.5 when it pans right.
    Path file = TrainDitRawTest.alternatingLatents(dir.resolve("pans.raw"),
        List.of("The camera pans left.", "The camera pans right."), 24, 8);
    Path out = dir.resolve("t2v");
    assertEquals(0, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out", out.toString(),
        "--width", "64", "--blocks", "1", "--steps", "60", "--batch", "4", "--lr", "0.003", "--warmup", "2",
        "--val-every", "30", "--caption-dropout", "0"));
    RawLatents data = RawLatents.read(file);
    List<DatasetBatch> val = data.batches(16, 24, 3);
    DitConfig config = DirectionProbe.config(out);
    try (DitModel model = DitModel.load(out, config, Tokenizer.load(out.resolve(DitModel.TOKENIZER_FILE)))) {
      DirectionProbe.Row row = DirectionProbe.row(model, val, 900, 0, true);
      // Only the direction tells the two kinds of clip apart, so the lie must cost in every clip.
      assertEquals(8, row.camera().of());
      assertEquals(8, row.camera().worse(), row.toString());
      assertTrue(row.camera().mean() > 0.01, row.toString());
      assertEquals(0, row.objects().of(), "no caption names an object's travel");
      assertEquals(0, row.shapes().of() + row.colours().of() + row.sizes().of(), "no caption names an object");
      assertTrue(row.noCaption() > 0.01, row.toString());
    }

    // Image-to-video with half the first frames zeroed: from text alone it must read the word too.
    Path i2v = dir.resolve("i2v");
    assertEquals(0, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out", i2v.toString(),
        "--i2v", "--image-dropout", "0.5", "--width", "64", "--blocks", "1", "--steps", "60", "--batch", "4", "--lr",
        "0.003", "--warmup", "2", "--val-every", "30", "--caption-dropout", "0"));
    DitConfig i2vConfig = DirectionProbe.config(i2v);
    assertTrue(i2vConfig.imageToVideo());
    assertEquals(0.5, RawRun.JSON.readTree(i2v.resolve("run.json").toFile()).get("image_dropout").asDouble(), 1e-6);
    try (DitModel model = DitModel.load(i2v, i2vConfig, Tokenizer.load(i2v.resolve(DitModel.TOKENIZER_FILE)))) {
      assertTrue(Double.isFinite(DirectionProbe.row(model, val, 500, 0, true).truth()), "probes with the first frame");
      DirectionProbe.Row textAlone = DirectionProbe.row(model, val, 900, 0, false);
      assertEquals(8, textAlone.camera().worse(), textAlone.toString());
      assertTrue(textAlone.camera().mean() > 0.01, textAlone.toString());
    }
    assertEquals(1, new CommandLine(new DirectionProbe()).execute("--dit", out.toString(), "--latents", file.toString(),
        "--no-frame"), "a text-to-video DiT has no frame to zero");
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertEquals(0, new CommandLine(new DirectionProbe()).execute("--dit", out.toString(), "--latents",
          file.toString(), "--train-clips", "6", "--steps", "900"));
    } finally {
      System.setOut(stdout);
    }
    String table = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(table.contains("on 6 training clips") && table.contains("6 name a camera pan"), table);
    assertTrue(table.contains("6 of 6"), "the word is read on the clips it was trained on too: " + table);
    assertEquals(1, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out",
        dir.resolve("t2v-dropout").toString(), "--image-dropout", "0.5", "--steps", "1"),
        "image dropout needs --i2v");
    assertEquals(1, new CommandLine(new TrainDitRaw()).execute("--latents", file.toString(), "--out",
        dir.resolve("refused").toString(), "--init", out.toString(), "--i2v", "--steps", "1"),
        "an --init model keeps its own mode");
  }
}
