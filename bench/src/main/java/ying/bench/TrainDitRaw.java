package ying.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.dataset.DatasetBatch;
import ying.core.text.Tokenizer;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitModel;
import ying.inference.dit.NoiseSchedule;
import ying.trainer.Publishing;
import ying.trainer.dit.DitTrainer;
import ying.trainer.dit.TrainDitCommand;
import ying.trainer.dit.DitTrainingConfig;

/**
 * train-dit's own loop ({@link DitTrainer#fit}) on a {@link RawLatents} file, for a GPU machine
 * without Hadoop, Spark or network (bench/gpu-device/train.sh). It fine-tunes a DiT checkpoint
 * folder ({@code --init}: its tokenizer, config and latent scale stay), or, without one, trains a
 * new text-to-video DiT shaped as train-dit shapes one ({@code --width}, {@code --blocks},
 * {@code --patch}), its tokenizer built from the file's training captions and its latent scale 1 /
 * the spread of the file's training latents. Writes the float16 weights,
 * tokenizer, config, training log and {@code run.json} (which names the latents' VAE and the init
 * checkpoint) to {@code --out}. {@code --seconds} works as in {@link TrainVaeRaw}.
 */
@Command(name = "train-dit-raw", mixinStandardHelpOptions = true,
    description = "Train or fine-tune the DiT on a raw latent file (train-dit's loop, no Spark).")
public final class TrainDitRaw implements Callable<Integer> {
  @Option(names = "--latents", required = true, description = "A raw latent file from ExportClips --latents.")
  Path latents;

  @Option(names = "--init", description = {"A DiT checkpoint folder (dit-0000.params, tokenizer.json, manifest.json)",
      "to start from; without it, a new DiT."})
  Path init;

  @Option(names = "--width", paramLabel = "N", description = "Token width of a new DiT (heads of 64). Default: 128.")
  Integer width;

  @Option(names = "--blocks", paramLabel = "N", description = "Expert transformer blocks of a new DiT. Default: 4.")
  Integer blocks;

  @Option(names = "--patch", paramLabel = "N", description = "Latent cells per token side of a new DiT. Default: 2.")
  Integer patch;

  @Option(names = "--batch", defaultValue = "8", description = "Clips per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.0003", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--warmup", defaultValue = "100", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--caption-dropout", defaultValue = "0.1",
      description = "Share of captions dropped, for classifier-free guidance (default: ${DEFAULT-VALUE}).")
  float captionDropout;

  @Option(names = "--seed", defaultValue = "0", description = "Order and noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--val-every", defaultValue = "250", description = "Steps between val losses (default: ${DEFAULT-VALUE}).")
  int valEvery;

  @CommandLine.Mixin RawStepOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Val clips scored every --val-every steps: the file's last clips, which ExportClips took from the val split. */
  private static final int VAL_CLIPS = 32;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainDitRaw()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    options.checkLength();
    RawLatents data = RawLatents.read(latents);
    RawRun run = RawRun.ofLatents(latents, data);
    JsonNode manifest = null;
    DitConfig config;
    Tokenizer tokenizer;
    float latentStd = Float.NaN;
    TrainDitCommand.refuseShapeWithInit(init, width, blocks, patch);
    if (init != null) {
      manifest = RawRun.JSON.readTree(init.resolve("manifest.json").toFile());
      config = DitConfig.fromJson(manifest.get("config"));
      tokenizer = Tokenizer.load(init.resolve(DitModel.TOKENIZER_FILE));
    } else {
      tokenizer = Tokenizer.build(data.captions.subList(0, run.trainClips));
      latentStd = data.spread(run.trainClips);
      config = DitTrainer.newConfig(TrainDitCommand.architecture(width, blocks, patch, false), tokenizer, latentStd,
          false);
    }
    if (data.shape[0] != config.latentChannels()) {
      throw new IllegalArgumentException(latents + " holds latents of " + data.shape[0] + " channels; the DiT takes "
          + config.latentChannels());
    }
    int planned = options.steps != null ? options.steps : probe(run, config, tokenizer, data);
    String vae = run.provenance.path("latents").asText(null);
    DitTrainingConfig cfg = new DitTrainingConfig(run.dataset(latents), options.out.toString(), vae,
        init == null ? null : init.toString(), null, "dit", config.imageToVideo(), planned, batch, learningRate, warmup, captionDropout,
        seed, 10, valEvery, 0, null);
    Files.createDirectories(options.out);
    try (DitModel model = startingModel(config, tokenizer)) {
      Random rng = new Random(seed);
      int valFrom = Math.max(run.trainClips, data.latents.size() - VAL_CLIPS);
      List<DatasetBatch> val = data.batches(valFrom, data.latents.size(), batch);
      List<double[]> log = DitTrainer.fit(model, cfg, data.endless(run.trainClips, batch, rng), val, rng);
      Path out = options.out;
      model.save(out);
      Publishing.writeLossLog(out, log, "v loss");
      ObjectNode facts = run.saveRun(out, config.toJson(RawRun.JSON), TrainDitRaw.class,
          spec.commandLine().getParseResult().originalArgs(), planned, batch, learningRate, warmup, seed);
      facts.put("caption_dropout", captionDropout);
      facts.put("vae", vae);
      if (init != null) {
        facts.put("init", init.toString());
        facts.put("init_ref", RawRun.checkpointRef(manifest));
      } else {
        facts.put("latent_std", latentStd);
      }
      double[] last = log.get(log.size() - 1);
      facts.put("final_train_loss", last[1]);
      facts.put("final_val_loss", last[4]);
      run.writeRunJson(out, facts);
      System.err.printf(Locale.ROOT, "train-dit-raw: %d steps, val loss %.4f, %.0f s in all; wrote %s%n", planned,
          last[4], run.elapsed(), out);
    }
    return 0;
  }

  /** The --init checkpoint, or a new DiT drawn from --seed. */
  private DitModel startingModel(DitConfig config, Tokenizer tokenizer) throws java.io.IOException {
    return init != null ? DitModel.load(init, config, tokenizer) : DitModel.create(config, tokenizer, seed);
  }

  /** Times steps of a throwaway copy of the network on this device for --seconds. */
  private int probe(RawRun run, DitConfig config, Tokenizer tokenizer, RawLatents data) throws java.io.IOException {
    Random rng = new Random(seed);
    Iterator<DatasetBatch> batches = data.endless(run.trainClips, batch, rng);
    NoiseSchedule schedule = NoiseSchedule.defaults();
    try (DitModel copy = startingModel(config, tokenizer);
        Trainer trainer = copy.djlModel().newTrainer(DitTrainer.trainingConfig(Tracker.fixed(learningRate)))) {
      return run.plannedSteps(options.seconds, options.probeSteps, 0, () -> {
        try (NDManager scope = copy.djlModel().getNDManager().newSubManager()) {
          DitTrainer.backward(trainer, copy, batches.next(), schedule, rng, captionDropout, scope);
          trainer.step();
        }
      });
    }
  }
}
