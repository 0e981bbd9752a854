package ying.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.core.text.Tokenizer;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitModel;
import ying.trainer.Publishing;
import ying.trainer.dit.DitTrainer;
import ying.trainer.dit.DitTrainingConfig;

/**
 * Publishes what {@link TrainDitRaw} trained on another machine: with the val losses it measured on
 * the dataset's first val clips (as train-dit measures its own), samples of the dataset's val
 * captions, and that run's command, settings, log and device in the manifest; the VAE it names is
 * the one whose latents it learned.
 */
@Command(name = "publish-dit", mixinStandardHelpOptions = true,
    description = "Publish a DiT that TrainDitRaw trained elsewhere (its --out folder).")
public final class PublishDit implements Callable<Integer> {
  @Option(names = "--weights", required = true, description = "TrainDitRaw's --out folder.")
  Path weights;

  @Option(names = "--registry", description = "Registry (default: models/ of this checkout).")
  String registry;

  @Option(names = "--name", defaultValue = "dit", description = "Model name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--samples", defaultValue = "2", description = "Val captions sampled into the checkpoint (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--machine", description = "What the run's device was, for the manifest (e.g. the GPU's name).")
  String machine;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PublishDit()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    JsonNode run = RawRun.JSON.readTree(weights.resolve("run.json").toFile());
    DitConfig config = DitConfig.fromJson(RawRun.JSON.readTree(weights.resolve("config.json").toFile()));
    String vae = run.path("vae").asText(null);
    if (vae == null || vae.isEmpty()) {
      throw new IllegalArgumentException(weights + "/run.json names no VAE: its latent file had no ExportClips"
          + " provenance beside it");
    }
    String dataset = Storage.normalise(run.path("clips").path("dataset").asText());
    DitTrainingConfig cfg = new DitTrainingConfig(dataset, registry == null ? Registry.defaultRoot() : registry, vae,
        run.path("init").asText(null), null, name, config.imageToVideo(), run.path("steps").asInt(),
        run.path("batch").asInt(), (float) run.path("learning_rate").asDouble(), run.path("warmup").asInt(),
        (float) run.path("caption_dropout").asDouble(), (float) run.path("image_dropout").asDouble(0),
        (float) run.path("direction_contrast").asDouble(0),
        run.path("seed").asLong(), 10, 250, samples,
        RawRun.command(run));
    Map<String, Object> facts = RawRun.publishFacts(run, machine, PublishDit.class,
        spec.commandLine().getParseResult().originalArgs());
    if (run.has("widened")) {
      facts.put("widened", run.path("widened").asText());
    }
    try (DitModel model = DitModel.load(weights, config, Tokenizer.load(weights.resolve(DitModel.TOKENIZER_FILE)))) {
      DitTrainer.Result r = DitTrainer.publishTrained(model, cfg, run.path("init_ref").asText(null),
          Publishing.readLossLog(weights.resolve("training_log.csv")), facts, Storage.local());
      System.out.println("published " + r.ref() + " " + r.metrics());
    }
    return 0;
  }
}
