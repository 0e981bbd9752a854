package ying.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.trainer.Publishing;
import ying.trainer.dit.DitObjective;
import ying.trainer.dit.DitTrainer;
import ying.trainer.dit.TrainDitCommand;
import ying.trainer.dit.DitTrainingConfig;

/**
 * train-dit's own loop ({@link DitTrainer#fit}) on a {@link RawLatents} file, for a GPU machine
 * without Hadoop, Spark or network (bench/gpu-device/train.sh). It fine-tunes a DiT checkpoint
 * folder ({@code --init}: its tokenizer, config and latent scale stay; {@code --i2v} widens a
 * text-to-video one to read the first frame, {@link DitModel#widenedForImage}; {@code --blocks} deepens
 * it, {@link DitModel#deepened}), or, without one, trains a
 * new text-to-video DiT shaped as train-dit shapes one ({@code --width}, {@code --blocks},
 * {@code --patch}), its tokenizer built from the file's training captions and its latent scale 1 /
 * the spread of the file's training latents. Writes the float16 weights,
 * tokenizer, config, training log and {@code run.json} (which names the latents' VAE and the init
 * checkpoint) to {@code --out}. {@code --seconds} works as in {@link TrainVaeRaw}.
 *
 * <p>With {@code --render-seed}, most training batches are clips rendered from the synthetic world and
 * encoded by {@code --vae} (the VAE the file's latents came from) as training goes
 * ({@link RenderedLatents}); the file gives the val clips and {@code --file-share} of the batches. A
 * GPU machine's payload holds about 1,850 clips' latents; rendered ones never repeat.
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

  @Option(names = "--blocks", paramLabel = "N", description = {"Expert transformer blocks of a new DiT (default: 4), or,",
      "with --init, of a deeper DiT grown from it: its blocks spread evenly, new ones that start as the identity between them."})
  Integer blocks;

  @Option(names = "--patch", paramLabel = "N", description = "Latent cells per token side of a new DiT. Default: 2.")
  Integer patch;

  @Option(names = "--i2v", description = {"Image-to-video: the clip's first latent frame goes in beside the noisy",
      "latents. With a text-to-video --init, it is widened to read the frame (zero weights for it at first)."})
  boolean i2v;

  @Option(names = "--batch", defaultValue = "8", description = "Clips per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.0003", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  float learningRate;

  @Option(names = "--warmup", defaultValue = "100", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--caption-dropout", defaultValue = "0.1",
      description = "Share of captions dropped, for classifier-free guidance (default: ${DEFAULT-VALUE}).")
  float captionDropout;

  @Option(names = "--image-dropout", defaultValue = "0", description = {"With --i2v, the share of clips trained without",
      "their first frame (the condition zeroed), so the DiT also goes from text alone (default: ${DEFAULT-VALUE})."})
  float imageDropout;

  @Option(names = "--direction-contrast", defaultValue = "0", description = {"Weight of a hinge asking each clip's loss",
      "to be lower under its caption than under the caption with its directions turned round (default: ${DEFAULT-VALUE})."})
  float directionContrast;

  @Option(names = "--shape-contrast", defaultValue = "0", description = {"Weight of the same hinge with each object's",
      "shape changed instead (default: ${DEFAULT-VALUE})."})
  float shapeContrast;

  @Option(names = "--noise-tilt", defaultValue = "1", paramLabel = "K", description = {"How each clip's noise step t of T",
      "is drawn: 1 uniformly, K with density K (t/T)^(K-1), above 1 more near pure noise (default: ${DEFAULT-VALUE})."})
  float noiseTilt;

  @Option(names = "--object-weight", defaultValue = "0", paramLabel = "W", description = {"Each latent cell counts 1 + W",
      "times the share of it that objects cover in the v-loss (default: ${DEFAULT-VALUE}); needs --object-pixels."})
  float objectWeight;

  @Option(names = "--object-pixels", paramLabel = "FILE", description = {"With --object-weight: the same clips' frames",
      "(ExportClips without --latents, same dataset and counts), read for where the synthetic world's objects are."})
  Path objectPixels;

  @Option(names = "--seed", defaultValue = "0", description = "Order and noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--val-every", defaultValue = "250", description = "Steps between val losses (default: ${DEFAULT-VALUE}).")
  int valEvery;

  @CommandLine.Mixin RenderOptions render;

  @Option(names = "--vae", paramLabel = "DIR", description = {"With --render-seed: the VAE checkpoint folder whose latents",
      "the file holds (e.g. models/vae/5), which encodes the rendered clips on the training device."})
  Path vae;

  @Option(names = "--file-share", defaultValue = "0.25", description = {"With --render-seed, the share of training batches",
      "taken from the file (default: ${DEFAULT-VALUE})."})
  double fileShare;

  @Option(names = "--snapshots", description = {"At each val measurement but the last, save the weights so far",
      "(float32, with tokenizer and config) to OUT/step-NNNNN/, a folder DirectionProbe reads:",
      "a long run can be probed as it goes, and one stopped early keeps its last snapshot."})
  boolean snapshots;

  @CommandLine.Mixin RawStepOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The --init checkpoint's own config (text-to-video where --i2v widens it). */
  private DitConfig initConfig;

  /** Val clips scored every --val-every steps: the file's last clips, which ExportClips took from the val split. */
  private static final int VAL_CLIPS = 32;

  /** Videos of the rendered world whose captions join a new DiT's tokenizer, so it knows the world's words. */
  private static final int VOCABULARY_VIDEOS = 1000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TrainDitRaw()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    options.checkLength();
    if ((objectWeight > 0) != (objectPixels != null)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--object-weight and --object-pixels go together");
    }
    if (objectWeight > 0 && render.renderSeed != null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--object-weight reads the file's clips' frames;"
          + " rendered batches carry no object cover, so it does not go with --render-seed");
    }
    RawLatents data = RawLatents.read(latents);
    if (objectPixels != null) {
      data = data.withObjectCover(RawClips.read(objectPixels), objectPixels);
    }
    RawRun run = RawRun.ofLatents(latents, data);
    if (data.objectCover != null) {
      System.err.printf(Locale.ROOT, "train-dit-raw: objects cover %.1f%% of the training clips' latent cells (%s)%n",
          100 * data.meanObjectCover(run.trainClips), objectPixels);
    }
    TrainDitCommand.refuseShapeWithInit(init, width, patch);
    try (RenderedLatents rendered = rendered(run, data)) {
      return train(run, data, rendered);
    }
  }

  private int train(RawRun run, RawLatents data, RenderedLatents rendered) throws Exception {
    JsonNode manifest = null;
    DitConfig config;
    Tokenizer tokenizer;
    float latentStd = Float.NaN;
    if (init != null) {
      manifest = RawRun.JSON.readTree(init.resolve("manifest.json").toFile());
      initConfig = DitConfig.fromJson(manifest.get("config"));
      config = grown(i2v ? initConfig.withFirstFrame() : initConfig);
      tokenizer = Tokenizer.load(init.resolve(DitModel.TOKENIZER_FILE));
    } else {
      List<String> words = new ArrayList<>(data.captions.subList(0, run.trainClips));
      if (rendered != null) {
        words.addAll(rendered.clips().captions(VOCABULARY_VIDEOS));
      }
      tokenizer = Tokenizer.build(words);
      latentStd = data.spread(run.trainClips);
      if (!(latentStd > 0)) {
        throw new IllegalArgumentException(latents + ": the training clips' latents do not vary (spread " + latentStd
            + "), so they set no latent scale");
      }
      config = DitTrainer.newConfig(TrainDitCommand.architecture(width, blocks, patch, i2v), tokenizer, latentStd,
          i2v);
    }
    if (data.shape[0] != config.latentChannels()) {
      throw new IllegalArgumentException(latents + " holds latents of " + data.shape[0] + " channels; the DiT takes "
          + config.latentChannels());
    }
    int planned = options.steps != null ? options.steps : probe(run, config, tokenizer, data, rendered);
    String latentVae = run.provenance.path("latents").asText(null);
    DitTrainingConfig cfg = new DitTrainingConfig(run.dataset(latents), options.out.toString(), latentVae,
        init == null ? null : init.toString(), null, "dit", config.imageToVideo(), planned, batch, learningRate, warmup,
        objective(), seed, 10, valEvery, 0, null);
    Files.createDirectories(options.out);
    try (DitModel model = startingModel(config, tokenizer)) {
      Random rng = new Random(seed);
      int valFrom = Math.max(run.trainClips, data.latents.size() - VAL_CLIPS);
      List<DatasetBatch> val = data.batches(valFrom, data.latents.size(), batch);
      Iterator<DatasetBatch> fromFile = data.endless(run.trainClips, batch, rng);
      Iterator<DatasetBatch> batches = rendered == null ? fromFile : rendered.mixedWith(fromFile, fileShare, rng);
      List<double[]> log = DitTrainer.fit(model, cfg, batches, val, rng, step -> {
        if (snapshots) {
          snapshot(model, config, step);
        }
      });
      Path out = options.out;
      model.save(out);
      Publishing.writeLossLog(out, log, "v loss");
      ObjectNode facts = run.saveRun(out, config.toJson(RawRun.JSON), TrainDitRaw.class,
          spec.commandLine().getParseResult().originalArgs(), planned, batch, learningRate, warmup, seed);
      facts.put("caption_dropout", captionDropout);
      cfg.objective().record(facts::put);
      facts.put("vae", latentVae);
      render.record(facts);
      if (rendered != null) {
        facts.put("file_share", fileShare);
        facts.put("rendered_batches", rendered.rendered());
        facts.put("file_batches", rendered.fromFile());
      }
      if (init != null) {
        facts.put("init", init.toString());
        facts.put("init_ref", RawRun.checkpointRef(manifest));
        if (config.imageToVideo() != initConfig.imageToVideo()) {
          facts.put("widened", "text-to-video init widened to read the first frame (zero weights for it at first)");
        }
        if (config.layers() != initConfig.layers()) {
          facts.put("deepened", String.format(Locale.ROOT, "the init's %d blocks spread over %d; the %d new ones began"
              + " as the identity (modulation zero)", initConfig.layers(), config.layers(),
              config.layers() - initConfig.layers()));
        }
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

  private void snapshot(DitModel model, DitConfig config, int step) {
    Path dir = options.out.resolve(snapshotName(step));
    try {
      Files.createDirectories(dir);
      model.snapshot(dir);
      RawRun.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(),
          config.toJson(RawRun.JSON));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write the snapshot " + dir, e);
    }
    System.err.println("train-dit-raw: snapshot of step " + step + " in " + dir);
  }

  private DitObjective objective() {
    return new DitObjective(captionDropout, imageDropout, directionContrast, shapeContrast, noiseTilt, objectWeight);
  }

  /** The --init checkpoint's shape deepened to --blocks, when given. */
  private DitConfig grown(DitConfig fromInit) {
    TrainDitCommand.refuseShallowerInit(init, initConfig, blocks);
    return blocks == null ? fromInit : fromInit.withLayers(blocks);
  }

  /** The folder under --out that --snapshots writes at {@code step}. */
  static String snapshotName(int step) {
    return String.format(Locale.ROOT, "step-%05d", step);
  }

  /**
   * The --init checkpoint (widened to read a first frame if it is text-to-video and --i2v asks,
   * deepened if --blocks asks), or a new DiT drawn from --seed.
   */
  private DitModel startingModel(DitConfig config, Tokenizer tokenizer) throws java.io.IOException {
    if (init == null) {
      return DitModel.create(config, tokenizer, seed);
    }
    return DitModel.grown(DitModel.load(init, initConfig, tokenizer), config.imageToVideo(), config.layers());
  }

  /**
   * The rendered batches of --render-seed, encoded by --vae, or null without it. The VAE must be the
   * one the file names, and must turn the file's clip shape into the file's latent shape.
   */
  private RenderedLatents rendered(RawRun run, RawLatents data) throws java.io.IOException {
    if (render.renderSeed == null) {
      if (vae != null) {
        throw new IllegalArgumentException("--vae encodes rendered clips: give --render-seed too");
      }
      return null;
    }
    if (vae == null) {
      throw new IllegalArgumentException("--render-seed needs --vae, the VAE the file's latents came from");
    }
    JsonNode manifest = RawRun.JSON.readTree(vae.resolve("manifest.json").toFile());
    String ref = RawRun.checkpointRef(manifest);
    String fileVae = run.provenance.path("latents").asText("");
    if (!ref.equals(fileVae)) {
      throw new IllegalArgumentException(latents + " holds latents of " + (fileVae.isEmpty() ? "an unnamed VAE" : fileVae)
          + " but --vae is " + ref + ": one DiT would learn two latent spaces");
    }
    VaeConfig c = VaeConfig.fromJson(manifest.get("config"));
    int[] expected = {c.latentChannels(), 1 + (data.frames - 1) / c.temporalFactor(),
        RenderedClips.HEIGHT / c.spatialFactor(), RenderedClips.WIDTH / c.spatialFactor()};
    if (data.height != RenderedClips.HEIGHT || data.width != RenderedClips.WIDTH
        || (data.frames - 1) % c.temporalFactor() != 0 || !java.util.Arrays.equals(expected, data.shape)) {
      throw new IllegalArgumentException(latents + " holds latents " + java.util.Arrays.toString(data.shape) + " of "
          + data.frames + "x" + data.height + "x" + data.width + " clips; " + ref + " makes "
          + java.util.Arrays.toString(expected) + " of the " + data.frames + "x" + RenderedClips.HEIGHT + "x"
          + RenderedClips.WIDTH + " clips rendering gives");
    }
    RenderedClips clips = new RenderedClips(render.renderSeed, data.frames, batch, render.renderThreads, null, 0, 0, false,
        render.chroma420);
    return new RenderedLatents(clips, VaeModel.load(vae, c));
  }

  /** Times steps of a throwaway copy of the network on this device for --seconds (on rendered batches, if any: the slower kind). */
  private int probe(RawRun run, DitConfig config, Tokenizer tokenizer, RawLatents data, RenderedLatents rendered)
      throws java.io.IOException {
    Random rng = new Random(seed);
    double supply = rendered == null ? 0 : rendered.clips().secondsPerBatch();
    Iterator<DatasetBatch> batches = rendered == null ? data.endless(run.trainClips, batch, rng) : rendered.alone();
    NoiseSchedule schedule = NoiseSchedule.defaults();
    try (DitModel copy = startingModel(config, tokenizer);
        Trainer trainer = copy.djlModel().newTrainer(DitTrainer.trainingConfig(Tracker.fixed(learningRate)))) {
      return run.plannedSteps(options.seconds, options.probeSteps, supply, () -> {
        try (NDManager scope = copy.djlModel().getNDManager().newSubManager()) {
          DitTrainer.backward(trainer, copy, batches.next(), schedule, rng, objective(), scope);
          trainer.step();
        }
      });
    }
  }
}
