package ying.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.io.Storage;
import ying.core.registry.Registry;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.trainer.Batches;
import ying.trainer.vae.VaeTrainer;
import ying.trainer.vae.VaeTrainingConfig;

/**
 * Publishes a trained VAE again, unchanged but for a still lead-in ({@link VaeConfig#settleLatents}):
 * a new version with the same weights, whose encode and decode settle the causal padding before each
 * clip, scored as train-vae scores its runs. Its manifest keeps the source's training facts and
 * names the source as parent; a DiT's latents from the two are not interchangeable.
 */
@Command(name = "settle-vae", mixinStandardHelpOptions = true,
    description = "Publish a VAE checkpoint again with a still lead-in of N latent frames (settle_latents).")
public final class SettleVae implements Callable<Integer> {
  @Option(names = "--from", required = true, paramLabel = "DIR", description = "A VAE checkpoint folder, e.g. models/vae/5.")
  Path from;

  @Option(names = "--settle-latents", required = true, paramLabel = "N", description = "Latent frames of lead-in.")
  int settleLatents;

  @Option(names = "--data", description = "Dataset to score on (default: the source's training data).")
  String data;

  @Option(names = "--registry", description = "Registry (default: models/ of this checkout).")
  String registry;

  @Option(names = "--eval-clips", defaultValue = "32", description = "Clips to score (default: ${DEFAULT-VALUE}).")
  int evalClips;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SettleVae()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (settleLatents < 1) {
      throw new IllegalArgumentException("--settle-latents must be at least 1, got " + settleLatents);
    }
    JsonNode source = RawRun.JSON.readTree(from.resolve("manifest.json").toFile());
    VaeConfig config = VaeConfig.fromJson(source.get("config"));
    if (config.settleLatents() != 0) {
      throw new IllegalArgumentException(from + " already has a lead-in of " + config.settleLatents() + " latent frames");
    }
    String parent = source.path("name").asText() + "@" + source.path("version").asText();
    String dataset = Storage.normalise(data != null ? data : source.path("training_data").path("path").asText());
    String[] crop = source.path("crop").asText().split("x");
    VaeTrainingConfig cfg = new VaeTrainingConfig(dataset, registry == null ? Registry.defaultRoot() : registry, null,
        config, source.path("name").asText(), source.path("steps").asInt(), source.path("batch").asInt(),
        Integer.parseInt(crop[0]), Integer.parseInt(crop[1]), Integer.parseInt(crop[2]),
        (float) source.path("learning_rate").asDouble(), 0, (float) source.path("kl_weight").asDouble(),
        (float) source.path("object_weight").asDouble(0), source.path("object_margin").asInt(0),
        source.path("decoder_only").asBoolean(false),
        source.path("seed").asLong(), evalClips, 10, 250, source.path("command").asText());
    Map<String, Object> facts = new LinkedHashMap<>();
    for (String key : List.of("trained_on", "training_seconds", "raw_clips", "rendered_world_seed", "raw_share")) {
      if (source.has(key)) {
        facts.put(key, RawRun.JSON.convertValue(source.get(key), Object.class));
      }
    }
    facts.put("weights_of", parent);
    facts.put("published_by", "java " + SettleVae.class.getName() + " "
        + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    Storage storage = Storage.local();
    try (VaeModel model = VaeModel.load(from, config.withSettleLatents(settleLatents))) {
      VaeTrainer.Result r = VaeTrainer.evaluateAndPublish(model, cfg, storage, Batches.evalSplit(storage, dataset),
          parent, VaeTrainer.readLog(from.resolve("training_log.csv")), facts);
      System.out.println("published " + r.ref() + " " + r.metrics());
    }
    return 0;
  }
}
