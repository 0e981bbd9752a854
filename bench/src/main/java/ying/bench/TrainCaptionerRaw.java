package ying.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
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
import ying.captioner.model.CaptionerConfig;
import ying.captioner.model.CaptionerModel;
import ying.core.dataset.DatasetBatch;
import ying.core.text.Tokenizer;
import ying.trainer.Publishing;
import ying.trainer.captioner.CaptionerTrainer;
import ying.trainer.captioner.CaptionerTrainingConfig;

/**
 * train-captioner's own loop ({@link CaptionerTrainer#fit}) on a {@link RawClips} file and on clips
 * rendered from the synthetic world with their scenes' captions, for a GPU machine without Hadoop,
 * Spark or network (bench/gpu-device/train-captioner.sh). It fine-tunes a checkpoint folder
 * ({@code --init}: the tokenizer stays the checkpoint's). Writes the float16 weights, tokenizer,
 * config, training log and {@code run.json} to {@code --out}; {@link PublishCaptioner} scores and
 * publishes them where the dataset lives. {@code --seconds} works as in {@link TrainVaeRaw}.
 */
@Command(name = "train-captioner-raw", mixinStandardHelpOptions = true,
    description = "Fine-tune the captioner on a raw clip file and rendered clips (train-captioner's loop, no Spark).")
public final class TrainCaptionerRaw implements Callable<Integer> {
  @Option(names = "--init", required = true,
      description = "A checkpoint folder (captioner-0000.params, tokenizer.json, manifest.json) to start from.")
  Path init;

  @Option(names = "--batch", defaultValue = "16", description = "Clips per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.00015", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--warmup", defaultValue = "100", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--seed", defaultValue = "0", description = "Order, frame jitter and mirroring (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--val-every", defaultValue = "250", description = "Steps between val losses (default: ${DEFAULT-VALUE}).")
  int valEvery;

  @Option(names = "--mirror", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Mirror half the clips with their captions, as train-captioner does (default: on).")
  boolean mirror;

  @Option(names = "--keep-last", description = "Publish the last step's weights, not the lowest val loss's, as "
      + "train-captioner --keep-last does.")
  boolean keepLast;

  @CommandLine.Mixin RawTrainingOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainCaptionerRaw()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    RawRun run = options.open();
    RawClips data = run.data;
    JsonNode manifest = RawRun.JSON.readTree(init.resolve("manifest.json").toFile());
    CaptionerConfig config = CaptionerConfig.fromJson(manifest.get("config"));
    Tokenizer tokenizer = Tokenizer.load(init.resolve(CaptionerModel.TOKENIZER_FILE));
    Path out = options.out;
    try (RenderedClips rendered = options.rendered(run, batch)) {
      int planned = options.steps != null ? options.steps : probe(run, config, tokenizer, rendered);
      CaptionerTrainingConfig cfg = new CaptionerTrainingConfig(run.dataset(options.clips), out.toString(), null,
          "captioner", planned, batch, learningRate, warmup, seed, 1, 10, valEvery, mirror, keepLast, null);
      Files.createDirectories(out);
      try (CaptionerModel model = CaptionerModel.load(init, config, tokenizer)) {
        Random rng = new Random(seed);
        Iterator<DatasetBatch> batches = rendered != null ? rendered : data.endless(run.trainClips, batch, rng);
        CaptionerTrainer.Fit fit = CaptionerTrainer.fit(model, cfg, batches,
            data.singles(run.trainClips, data.clips.size()), rng);
        model.save(out);
        Publishing.writeLossLog(out, fit.log(), "Loss");
        ObjectNode facts = run.saveRun(out, config.toJson(RawRun.JSON), TrainCaptionerRaw.class,
            spec.commandLine().getParseResult().originalArgs(), planned, batch, learningRate, warmup, seed);
        facts.put("mirror", mirror);
        facts.put("keep_last", keepLast);
        facts.put("published_step", fit.publishedStep());
        options.record(facts);
        facts.put("init", init.toString());
        facts.put("init_ref", RawRun.checkpointRef(manifest));
        run.writeRunJson(out, facts);
        System.err.printf(Locale.ROOT, "train-captioner-raw: %d steps (published step %d), %.0f s in all; wrote %s%n",
            planned, fit.publishedStep(), run.elapsed(), out);
      }
    }
    return 0;
  }

  /** Times steps of a throwaway copy of the network on this device for --seconds. */
  private int probe(RawRun run, CaptionerConfig config, Tokenizer tokenizer, RenderedClips rendered)
      throws java.io.IOException {
    Random rng = new Random(seed);
    var batches = run.data.endless(run.data.clips.size(), batch, rng);
    try (CaptionerModel probe = CaptionerModel.load(init, config, tokenizer);
        Trainer trainer = probe.djlModel().newTrainer(CaptionerTrainer.trainingConfig(
            ai.djl.training.tracker.Tracker.fixed(1e-6f)))) {
      return run.plannedSteps(options.seconds, options.probeSteps,
          rendered == null ? 0 : rendered.secondsPerBatch(), () -> {
        try (NDManager scope = probe.djlModel().getNDManager().newSubManager()) {
          CaptionerTrainer.backward(trainer, probe, batches.next(), rng, mirror, scope);
          trainer.step();
        }
      });
    }
  }
}
