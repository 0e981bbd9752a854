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
import ying.trainer.dit.DitTrainingConfig;

/**
 * train-dit's own loop ({@link DitTrainer#fit}) on a {@link RawLatents} file, for a GPU machine
 * without Hadoop, Spark or network (bench/gpu-device/train.sh). It fine-tunes a DiT checkpoint
 * folder ({@code --init}: its tokenizer, config and latent scale stay). Writes the float16 weights,
 * tokenizer, config, training log and {@code run.json} (which names the latents' VAE and the init
 * checkpoint) to {@code --out}. {@code --seconds} works as in {@link TrainVaeRaw}.
 */
@Command(name = "train-dit-raw", mixinStandardHelpOptions = true,
    description = "Fine-tune the DiT on a raw latent file (train-dit's loop, no Spark).")
public final class TrainDitRaw implements Callable<Integer> {
  @Option(names = "--latents", required = true, description = "A raw latent file from ExportClips --latents.")
  Path latents;

  @Option(names = "--init", required = true,
      description = "A DiT checkpoint folder (dit-0000.params, tokenizer.json, manifest.json) to start from.")
  Path init;

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
    JsonNode manifest = RawRun.JSON.readTree(init.resolve("manifest.json").toFile());
    DitConfig config = DitConfig.fromJson(manifest.get("config"));
    if (data.shape[0] != config.latentChannels()) {
      throw new IllegalArgumentException(latents + " holds latents of " + data.shape[0] + " channels; "
          + init + " takes " + config.latentChannels());
    }
    Tokenizer tokenizer = Tokenizer.load(init.resolve(DitModel.TOKENIZER_FILE));
    int planned = options.steps != null ? options.steps : probe(run, config, tokenizer, data);
    String vae = run.provenance.path("latents").asText(null);
    DitTrainingConfig cfg = new DitTrainingConfig(run.dataset(latents), options.out.toString(), vae,
        init.toString(), null, "dit", config.imageToVideo(), planned, batch, learningRate, warmup, captionDropout,
        seed, 10, valEvery, 0, null);
    Files.createDirectories(options.out);
    try (DitModel model = DitModel.load(init, config, tokenizer)) {
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
      facts.put("init", init.toString());
      facts.put("init_ref", RawRun.checkpointRef(manifest));
      double[] last = log.get(log.size() - 1);
      facts.put("final_train_loss", last[1]);
      facts.put("final_val_loss", last[4]);
      run.writeRunJson(out, facts);
      System.err.printf(Locale.ROOT, "train-dit-raw: %d steps, val loss %.4f, %.0f s in all; wrote %s%n", planned,
          last[4], run.elapsed(), out);
    }
    return 0;
  }

  /** Times steps of a throwaway copy of the network on this device for --seconds. */
  private int probe(RawRun run, DitConfig config, Tokenizer tokenizer, RawLatents data) throws java.io.IOException {
    Random rng = new Random(seed);
    Iterator<DatasetBatch> batches = data.endless(run.trainClips, batch, rng);
    NoiseSchedule schedule = NoiseSchedule.defaults();
    try (DitModel copy = DitModel.load(init, config, tokenizer);
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
