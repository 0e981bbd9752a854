package ying.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.dataset.DatasetBatch;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.inference.vae.VideoTensors;
import ying.trainer.vae.VaeCrops;
import ying.trainer.vae.VaeTrainer;
import ying.trainer.vae.VaeTrainingConfig;

/**
 * train-vae's own loop ({@link VaeTrainer#fit}) on a {@link RawClips} file instead of a dataset: for
 * a GPU machine without Hadoop, Spark or network (bench/gpu-device/train.sh). Writes the float16
 * weights, the config, the training log and {@code run.json} (the exact settings, the step count it
 * settled on, the device) to {@code --out}; {@link PublishVae} scores and publishes them on a machine
 * that has the dataset.
 *
 * <p>With {@code --seconds}, it first times a few steps of a throwaway copy of the network on this
 * device and then fixes the step count that fits, so the cosine schedule ends on time; run.json
 * records that count, and {@code --steps} with it repeats the run.
 */
@Command(name = "train-vae-raw", mixinStandardHelpOptions = true,
    description = "Train the causal VAE on a raw clip file (train-vae's loop without a dataset or Spark).")
public final class TrainVaeRaw implements Callable<Integer> {
  @Option(names = "--init", description = "A folder with vae-0000.params and config.json (or a checkpoint's"
      + " manifest.json) to start from.")
  Path init;

  @Option(names = "--channels", defaultValue = "16", description = "Base channels of a new VAE (default: ${DEFAULT-VALUE}).")
  int channels;

  @Option(names = "--levels", split = ",", description = "Channels of each level (default: 2N,4N,8N of --channels).")
  List<Integer> levels;

  @Option(names = "--res-blocks", defaultValue = "1", description = "Residual blocks per level (default: ${DEFAULT-VALUE}).")
  int resBlocks;

  @Option(names = "--batch", defaultValue = "4", description = "Windows per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--crop", defaultValue = "49x64x96", description = "FRAMESxHEIGHTxWIDTH window (default: ${DEFAULT-VALUE}).")
  String crop;

  @Option(names = "--lr", defaultValue = "0.0005", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--warmup", defaultValue = "100", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--kl-weight", defaultValue = "0.0001", description = "KL weight per latent value (default: ${DEFAULT-VALUE}).")
  float klWeight;

  @Option(names = "--object-weight", defaultValue = "0", description = {"Weigh pixels of a synthetic object's colour 1+W",
      "times in the L1 loss (default: ${DEFAULT-VALUE})."})
  float objectWeight;

  @Option(names = "--object-margin", defaultValue = "0", description = {"With --object-weight, also weigh pixels within",
      "this many of an object's (default: ${DEFAULT-VALUE})."})
  int objectMargin;

  @Option(names = "--decoder-only", description = "Train the decoder of the --init VAE alone; its latents stay as they are.")
  boolean decoderOnly;

  @Option(names = "--seed", defaultValue = "0", description = "Weights, order and crops (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--val-every", defaultValue = "250", description = "Steps between val PSNR (default: ${DEFAULT-VALUE}).")
  int valEvery;

  @CommandLine.Mixin RawTrainingOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainVaeRaw()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (decoderOnly && init == null) {
      throw new IllegalArgumentException("--decoder-only trains the decoder of an existing VAE: name it with --init");
    }
    RawRun run = options.open();
    RawClips data = run.data;
    int[] window = Arrays.stream(crop.split("x")).mapToInt(Integer::parseInt).toArray();
    VaeConfig config;
    if (init != null) {
      config = VaeConfig.fromJson(RawRun.networkConfig(init));
    } else {
      VaeConfig d = VaeConfig.defaults();
      List<Integer> widths = levels == null ? List.of(2 * channels, 4 * channels, 8 * channels) : levels;
      config = new VaeConfig(d.imageChannels(), d.latentChannels(), channels, widths,
          d.temporalDownsample().subList(0, widths.size()), resBlocks, d.kernel(), d.groups(), d.normEps(),
          d.logVarMin(), d.logVarMax());
    }
    Path out = options.out;
    try (RenderedClips rendered = options.rendered(run, batch)) {
      int planned = options.steps != null ? options.steps : probe(run, config, window, rendered);
      VaeTrainingConfig cfg = new VaeTrainingConfig(run.dataset(options.clips), out.toString(), null, config, "vae",
          planned, batch, window[0], window[1], window[2], learningRate, warmup, klWeight, objectWeight, objectMargin,
          decoderOnly, seed, 1, 10, valEvery, null);
      Files.createDirectories(out);
      try (VaeModel model = init != null ? VaeModel.load(init, config) : VaeModel.create(config, seed)) {
        Random rng = new Random(seed);
        Iterator<DatasetBatch> batches = rendered != null ? rendered : data.endless(run.trainClips, batch, rng);
        List<double[]> log = VaeTrainer.fit(model, cfg, batches, data.singles(run.trainClips, data.clips.size()), rng);
        model.save(out);
        VaeTrainer.writeLogCsv(out, log);
        ObjectNode facts = run.saveRun(out, config.toJson(RawRun.JSON), TrainVaeRaw.class,
            spec.commandLine().getParseResult().originalArgs(), planned, batch, learningRate, warmup, seed);
        facts.put("crop", crop);
        facts.put("kl_weight", klWeight);
        facts.put("object_weight", objectWeight);
        facts.put("object_margin", objectMargin);
        facts.put("decoder_only", decoderOnly);
        options.record(facts);
        facts.put("init", init == null ? null : init.toString());
        if (init != null && Files.exists(init.resolve("manifest.json"))) {
          // A checkpoint folder names itself: PublishVae records it as the new version's parent.
          var manifest = RawRun.JSON.readTree(init.resolve("manifest.json").toFile());
          facts.put("init_ref", RawRun.checkpointRef(manifest));
        }
        facts.put("parameters", model.djlModel().getBlock().getParameters().stream()
            .mapToLong(p -> p.getValue().getArray().size()).sum());
        double[] last = log.get(log.size() - 1);
        facts.put("final_train_loss", last[1]);
        facts.put("final_val_psnr_db", last[7]);
        run.writeRunJson(out, facts);
        System.err.printf(Locale.ROOT, "train-vae-raw: %d steps, val PSNR %.2f dB, %.0f s in all; wrote %s%n", planned,
            last[7], run.elapsed(), out);
      }
    }
    return 0;
  }

  /** Times steps of a throwaway copy of this network on this device for --seconds. */
  private int probe(RawRun run, VaeConfig config, int[] w, RenderedClips rendered) {
    Random rng = new Random(seed);
    var batches = run.data.endless(run.data.clips.size(), batch, rng);
    try (VaeModel probe = VaeModel.create(config, seed);
        Trainer trainer = probe.djlModel().newTrainer(VaeTrainer.trainingConfig(Tracker.fixed(1e-5f)))) {
      probe.network().freezeEncoder(decoderOnly);
      return run.plannedSteps(options.seconds, options.probeSteps,
          rendered == null ? 0 : rendered.secondsPerBatch(), () -> {
        byte[] crops = VaeCrops.cut(batches.next(), w[0], w[1], w[2], rng);
        try (NDManager scope = probe.djlModel().getNDManager().newSubManager()) {
          NDArray video = VideoTensors.fromBytes(scope, crops, w[0], w[1], w[2]);
          VaeTrainer.backward(trainer, video, klWeight,
              VaeTrainer.objectWeights(scope, crops, video.getShape(), objectWeight, objectMargin));
          trainer.step();
        }
      });
    }
  }
}
