package ying.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.captioner.model.CaptionerConfig;
import ying.captioner.model.CaptionerModel;
import ying.captioner.model.PixelFold;
import ying.core.text.Tokenizer;

/**
 * Turns a captioner checkpoint into one that reads frames {@code --fold} times larger and, before
 * any training, captions them as the original captions their area averages ({@link PixelFold}): a
 * start for {@link TrainCaptionerRaw} on 192x128 clips. Writes an {@code --init} folder (weights,
 * tokenizer, a manifest with the new config and where it came from).
 */
@Command(name = "fold-captioner", mixinStandardHelpOptions = true,
    description = "Warm-start a captioner for larger frames from a checkpoint folder (pixel blocks folded into channels).")
public final class FoldCaptioner implements Callable<Integer> {
  @Option(names = "--init", required = true, description = "A checkpoint folder to start from, e.g. models/captioner/7.")
  Path init;

  @Option(names = "--fold", defaultValue = "2", description = "Side of the pixel blocks (default: ${DEFAULT-VALUE}).")
  int fold;

  @Option(names = "--out", required = true, description = "The folder to write.")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FoldCaptioner()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    JsonNode manifest = RawRun.JSON.readTree(init.resolve("manifest.json").toFile());
    CaptionerConfig config = CaptionerConfig.fromJson(manifest.get("config"));
    Tokenizer tokenizer = Tokenizer.load(init.resolve(CaptionerModel.TOKENIZER_FILE));
    Files.createDirectories(out);
    try (CaptionerModel base = CaptionerModel.load(init, config, tokenizer);
        CaptionerModel folded = PixelFold.warmStart(base, fold)) {
      folded.save(out);
      ObjectNode m = RawRun.JSON.createObjectNode();
      m.put("name", manifest.path("name").asText());
      m.put("version", manifest.path("version").asText());
      m.set("config", folded.config().toJson(RawRun.JSON));
      m.put("folded_from", init.toString());
      m.put("pixel_fold", fold);
      RawRun.JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("manifest.json").toFile(), m);
      System.err.printf("fold-captioner: %s (%dx%d frames) -> %s (%dx%d frames, fold %d)%n", init, config.width(),
          config.height(), out, folded.config().width(), folded.config().height(), fold);
    }
    return 0;
  }
}
