package ying.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import ying.captioner.model.CaptionerConfig;
import ying.captioner.model.CaptionerModel;
import ying.core.text.Tokenizer;
import ying.trainer.Publishing;

class TrainCaptionerRawTest {
  @TempDir Path dir;

  private static final List<String> CAPTIONS = List.of(
      "The camera is static. On a black background, a small red circle moves left.",
      "The camera pans left. On a blue grid background, a large green star rotates. Flat style.",
      "The camera zooms in. On a sunset gradient background, a small white heart grows.");
  private final ObjectMapper json = new ObjectMapper();

  /** A fresh captioner folder with a manifest, as TrainCaptionerRaw's --init takes it. */
  private Path initFolder(Tokenizer tokenizer) throws Exception {
    Path init = dir.resolve("captioner-1");
    Files.createDirectories(init);
    try (CaptionerModel m = CaptionerModel.create(CaptionerConfig.defaults(tokenizer.size()), tokenizer)) {
      m.save(init);
      ObjectNode manifest = json.createObjectNode().put("name", "captioner").put("version", "1");
      manifest.set("config", m.config().toJson(json));
      json.writeValue(init.resolve("manifest.json").toFile(), manifest);
    }
    return init;
  }

  /** Three random 9-frame clips captioned in order, the first two for training, the last for val. */
  private Path clipsFile(List<String> captions) throws Exception {
    Random rng = new Random(2);
    List<byte[]> clips = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] c = new byte[9 * 64 * 96 * 3];
      rng.nextBytes(c);
      clips.add(c);
    }
    Path file = dir.resolve("clips.raw");
    new RawClips(9, 64, 96, clips, captions).write(file);
    Files.writeString(Path.of(file + ".json"), "{\"dataset\": \"file:/ds\", \"train_clips\": 2, \"val_clips\": 1}");
    return file;
  }

  @Test
  void fineTunesACheckpointFolderOnFileAndRenderedClips() throws Exception {
    Tokenizer tokenizer = Tokenizer.build(CAPTIONS);
    Path init = initFolder(tokenizer);
    Path file = clipsFile(CAPTIONS);
    Path out = dir.resolve("run");
    int rc = new CommandLine(new TrainCaptionerRaw()).execute("--clips", file.toString(), "--out", out.toString(),
        "--init", init.toString(), "--steps", "6", "--batch", "2", "--render-seed", "5", "--raw-share", "0.5",
        "--render-threads", "2", "--val-every", "10", "--short-scenes");
    assertEquals(0, rc);
    JsonNode run = json.readTree(out.resolve("run.json").toFile());
    assertEquals(6, run.path("steps").asInt());
    assertEquals("captioner@1", run.path("init_ref").asText());
    assertEquals(5, run.path("rendered_world_seed").asLong());
    assertTrue(run.path("short_scenes").asBoolean(), "the run records that short scenes were rendered");
    List<double[]> log = Publishing.readLossLog(out.resolve("training_log.csv"));
    assertEquals(6, (int) log.get(log.size() - 1)[0]);
    assertTrue(Double.isFinite(log.get(log.size() - 1)[4]), "val loss measured at the last step");
    CaptionerConfig config = CaptionerConfig.fromJson(json.readTree(out.resolve("config.json").toFile()));
    try (CaptionerModel back = CaptionerModel.load(out, config, Tokenizer.load(out.resolve("tokenizer.json")))) {
      assertEquals(tokenizer.size(), back.tokenizer().size());
    }
  }

  @Test
  void keepLastPublishesTheLastStepWhereTheValLossWasLowestEarlier() throws Exception {
    // Training on one caption while the val clip carries another: the val loss rises once the model
    // has learnt the training caption, so the lowest val loss falls before the last step.
    List<String> captions = List.of(CAPTIONS.get(0), CAPTIONS.get(0), CAPTIONS.get(1));
    Tokenizer tokenizer = Tokenizer.build(captions);
    Path init = initFolder(tokenizer);
    Path file = clipsFile(captions);
    int[] published = new int[2];
    for (int keepLast = 0; keepLast < 2; keepLast++) {
      Path out = dir.resolve("run-" + keepLast);
      List<String> args = new ArrayList<>(List.of("--clips", file.toString(), "--out", out.toString(), "--init",
          init.toString(), "--steps", "20", "--batch", "2", "--lr", "0.003", "--warmup", "2", "--val-every", "10"));
      if (keepLast == 1) {
        args.add("--keep-last");
      }
      assertEquals(0, new CommandLine(new TrainCaptionerRaw()).execute(args.toArray(String[]::new)));
      JsonNode run = json.readTree(out.resolve("run.json").toFile());
      assertEquals(keepLast == 1, run.path("keep_last").asBoolean());
      published[keepLast] = run.path("published_step").asInt();
      List<double[]> log = Publishing.readLossLog(out.resolve("training_log.csv"));
      double last = log.get(log.size() - 1)[4];
      double first = log.stream().filter(r -> r[0] == 10).findFirst().orElseThrow()[4];
      assertTrue(first < last, "the val loss should rise: " + first + " at step 10, " + last + " at step 20");
    }
    assertEquals(10, published[0], "without --keep-last, the step of the lowest val loss");
    assertEquals(20, published[1]);
  }
}
