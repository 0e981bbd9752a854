package ying.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.trainer.vae.VaeTrainer;

class TrainVaeRawTest {
  @TempDir Path dir;

  private Path clips(int count, int frames, int height, int width, int valClips) throws IOException {
    Random rng = new Random(1);
    List<byte[]> clips = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] c = new byte[frames * height * width * 3];
      rng.nextBytes(c);
      clips.add(c);
    }
    Path file = dir.resolve("clips.raw");
    new RawClips(frames, height, width, clips, java.util.Collections.nCopies(count, "A red circle.")).write(file);
    Files.writeString(Path.of(file + ".json"), "{\"dataset\": \"file:/somewhere/ds\", \"train_clips\": "
        + (count - valClips) + ", \"val_clips\": " + valClips + "}");
    return file;
  }

  @Test
  void rawClipsRoundTripAndRefuseATruncatedFile() throws Exception {
    Path file = clips(3, 5, 8, 8, 0);
    RawClips back = RawClips.read(file);
    assertEquals(3, back.clips.size());
    assertEquals(5, back.frames);
    RawClips again = RawClips.read(file);
    assertArrayEquals(back.clips.get(2), again.clips.get(2));
    assertEquals("A red circle.", again.captions.get(2));
    byte[] all = Files.readAllBytes(file);
    Path cut = dir.resolve("cut.raw");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length - 10));
    IOException e = assertThrows(IOException.class, () -> RawClips.read(cut));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    Files.writeString(cut, "not clips at all");
    assertThrows(IOException.class, () -> RawClips.read(cut));
  }

  @Test
  void aFileSmallerThanABatchStillFillsBatchesAndEachPassVisitsEveryClip() {
    java.util.Iterator<List<Integer>> batches = RawFiles.shuffledBatches(3, 5, new Random(2), List::copyOf);
    List<Integer> drawn = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<Integer> batch = batches.next();
      assertEquals(5, batch.size());
      drawn.addAll(batch);
    }
    for (int pass = 0; pass < 5; pass++) {
      assertEquals(java.util.Set.of(0, 1, 2), java.util.Set.copyOf(drawn.subList(3 * pass, 3 * pass + 3)),
          "pass " + pass);
    }
    assertThrows(IllegalArgumentException.class, () -> RawFiles.shuffledBatches(0, 5, new Random(2), List::copyOf));
  }

  @Test
  void theProbePlansNoMoreStepsThanTheDataSourceCanFeed() throws Exception {
    RawRun run = new RawRun(clips(3, 5, 8, 8, 0));
    int seconds = (int) Math.ceil(run.elapsed() + RawRun.RESERVE_SECONDS) + 60;
    int fed = run.plannedSteps(seconds, 2, 2.0, () -> { });
    assertTrue(fed >= 28 && fed <= 30, fed + " steps of a 2 s batch in about 60 s");
    assertTrue(run.plannedSteps(seconds, 2, 0, () -> { }) > 1000, "a free step and a file in memory");
  }

  @Test
  void trainsWritesWhatPublishVaeReadsAndLearns() throws Exception {
    Path file = clips(4, 9, 16, 16, 1);
    Path out = dir.resolve("run");
    int rc = new CommandLine(new TrainVaeRaw()).execute("--clips", file.toString(), "--out", out.toString(),
        "--channels", "8", "--steps", "30", "--batch", "2", "--crop", "9x16x16", "--lr", "0.003", "--warmup", "2",
        "--val-every", "10");
    assertEquals(0, rc);
    JsonNode run = new ObjectMapper().readTree(out.resolve("run.json").toFile());
    assertEquals(30, run.path("steps").asInt());
    assertEquals("file:/somewhere/ds", run.path("clips").path("dataset").asText());
    List<double[]> log = VaeTrainer.readLog(out.resolve("training_log.csv"));
    assertEquals(30, (int) log.get(log.size() - 1)[0]);
    assertTrue(log.get(log.size() - 1)[2] < log.get(0)[2], "L1 should fall on 3 clips: " + log.get(0)[2] + " -> "
        + log.get(log.size() - 1)[2]);
    VaeConfig config = VaeConfig.fromJson(new ObjectMapper().readTree(out.resolve("config.json").toFile()));
    assertEquals(8, config.baseChannels());
    try (VaeModel m = VaeModel.load(out, config)) {
      assertEquals(config, m.config());
    }
    // Fine-tuning a checkpoint folder records which checkpoint, so PublishVae names the parent itself.
    Files.writeString(out.resolve("manifest.json"), "{\"name\": \"vae\", \"version\": 7}");
    Path tuned = dir.resolve("tuned");
    assertEquals(0, new CommandLine(new TrainVaeRaw()).execute("--clips", file.toString(), "--out", tuned.toString(),
        "--init", out.toString(), "--steps", "2", "--batch", "2", "--crop", "9x16x16", "--val-every", "10"));
    assertEquals("vae@7", new ObjectMapper().readTree(tuned.resolve("run.json").toFile()).path("init_ref").asText());

    // The decoder alone, with object pixels weighed: the encoder's weights come back bit for bit.
    Path decoder = dir.resolve("decoder");
    assertEquals(0, new CommandLine(new TrainVaeRaw()).execute("--clips", file.toString(), "--out", decoder.toString(),
        "--init", out.toString(), "--decoder-only", "--object-weight", "4", "--object-margin", "2", "--steps", "4", "--batch", "2", "--crop",
        "9x16x16", "--lr", "0.003", "--warmup", "1", "--val-every", "10"));
    JsonNode decoderRun = new ObjectMapper().readTree(decoder.resolve("run.json").toFile());
    assertTrue(decoderRun.path("decoder_only").asBoolean(), decoderRun.toString());
    assertEquals(4.0, decoderRun.path("object_weight").asDouble());
    assertEquals(2, decoderRun.path("object_margin").asInt());
    int encoderParams = 0;
    int decoderMoved = 0;
    try (VaeModel before = VaeModel.load(out, config); VaeModel after = VaeModel.load(decoder, config)) {
      var was = before.djlModel().getBlock().getParameters();
      var now = after.djlModel().getBlock().getParameters();
      assertEquals(was.keys(), now.keys());
      for (int i = 0; i < was.size(); i++) {
        boolean same = was.valueAt(i).getArray().contentEquals(now.valueAt(i).getArray());
        if (was.keyAt(i).startsWith("01encoder")) {
          encoderParams++;
          assertTrue(same, was.keyAt(i) + " moved");
        } else if (!same) {
          decoderMoved++;
        }
      }
    }
    assertTrue(encoderParams > 10, encoderParams + " encoder parameters");
    assertTrue(decoderMoved > 10, decoderMoved + " decoder parameters moved");
    // A fresh VAE has no latents worth keeping.
    assertEquals(1, new CommandLine(new TrainVaeRaw()).execute("--clips", file.toString(), "--out",
        dir.resolve("refused").toString(), "--decoder-only", "--steps", "2"));
  }
}
