package ying.trainer.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import ying.core.cli.Progress;
import ying.core.dataset.DatasetBatch;
import ying.core.dataset.DatasetLayout;
import ying.core.dataset.ShardReader;
import ying.core.io.Storage;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.report.Charts;
import ying.core.synth.ObjectCover;
import ying.core.video.VideoQuality;
import ying.inference.vae.DiagonalGaussian;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.inference.vae.VideoTensors;
import ying.trainer.Batches;
import ying.trainer.Gradients;
import ying.trainer.Publishing;
import ying.trainer.Schedules;

/**
 * Trains the 3D causal VAE on random windows of dataset clips (L1 reconstruction plus a small KL
 * term, Adam, warm-up then cosine decay), tracks PSNR on a few whole val clips, measures the
 * published metrics on whole val clips, and publishes a checkpoint with its log and plots.
 */
public final class VaeTrainer {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Whole val clips whose PSNR is tracked during training. */
  private static final int VAL_TRACK_CLIPS = 4;
  /** ... and frames of each: enough to see the temporal path, cheap enough to measure often. */
  private static final int VAL_TRACK_FRAMES = 17;
  public static final String LOG_HEADER = "step,loss,l1,kl,train_psnr_db,learning_rate,seconds,val_psnr_db";

  private VaeTrainer() {}

  /** What a run produced: the published ref and its metrics. */
  public record Result(ModelRef ref, Map<String, Object> metrics) {}

  public static Result train(VaeTrainingConfig cfg, Storage storage) throws IOException {
    String parent = null;
    VaeModel model;
    if (cfg.init() != null) {
      try (Checkpoint init = new Registry(storage, cfg.registry()).load(ModelRef.parse(cfg.init()))) {
        model = VaeModel.load(init);
        parent = init.ref().toString();
      }
    } else {
      model = VaeModel.create(cfg.architecture() == null ? VaeConfig.defaults() : cfg.architecture(), cfg.seed());
    }
    try (model) {
      // A dataset built without a val split is tracked and scored on its training clips; the manifest says so.
      String split = Batches.evalSplit(storage, cfg.data());
      List<double[]> log = fit(model, cfg, storage, split);
      return evaluateAndPublish(model, cfg, storage, split, parent, log, Map.of());
    }
  }

  /**
   * Rounds {@code model} to the stored precision, scores it on {@code evalSplit} of {@code cfg.data()}
   * and publishes it with {@code log} (rows as {@link #fit} returns them) and {@code moreFacts} in
   * its manifest: the tail of {@link #train}, and of a run trained elsewhere (on a GPU machine without
   * Spark) that is published here.
   */
  public static Result evaluateAndPublish(VaeModel model, VaeTrainingConfig cfg, Storage storage, String evalSplit,
      String parent, List<double[]> log, Map<String, Object> moreFacts) throws IOException {
    // The checkpoint stores float16; the metrics describe exactly what is published.
    model.roundToStoredPrecision();
    VaeEvaluation.Result eval = VaeEvaluation.run(model, storage, cfg.data(), evalSplit, cfg.evalClips(),
        "train-vae eval");
    System.err.println("train-vae: " + evalSplit + " " + eval);
    Map<String, Object> metrics = new LinkedHashMap<>(eval.toMap());
    metrics.put("eval_split", evalSplit);
    metrics.put("final_train_loss", Math.round(log.get(log.size() - 1)[1] * 100000) / 100000.0);
    Registry registry = new Registry(storage, cfg.registry());
    return new Result(publish(model, cfg, registry, parent, log, metrics, storage, moreFacts), metrics);
  }

  private static void requireCrop(VaeTrainingConfig cfg, VaeConfig c) {
    c.latentFrames(cfg.cropFrames());
    int f = c.spatialFactor();
    if (cfg.cropHeight() % f != 0 || cfg.cropWidth() % f != 0) {
      throw new IllegalArgumentException("crop height and width must be multiples of " + f + ", got "
          + cfg.cropHeight() + "x" + cfg.cropWidth());
    }
  }

  /**
   * Tracks PSNR on clips of {@code evalSplit}. Returns the log rows {@code [step, loss, l1, kl, train PSNR, learning rate, seconds, val PSNR]}
   * (val PSNR NaN where it was not measured).
   */
  static List<double[]> fit(VaeModel model, VaeTrainingConfig cfg, Storage storage, String evalSplit) {
    Random rng = new Random(cfg.seed());
    // Buckets of clips shorter or smaller than the crop are skipped, not padded.
    Iterator<DatasetBatch> batches = Batches.endless(() -> Batches.filter(
        new ShardReader(storage, cfg.data(), DatasetLayout.TRAIN, null, cfg.batch(), rng.nextInt(1 << 30), 256)
            .iterator(), b -> VaeCrops.fits(b, cfg.cropFrames(), cfg.cropHeight(), cfg.cropWidth())),
        "no training clip of " + cfg.data() + " holds a crop of " + cfg.cropFrames() + "x" + cfg.cropHeight() + "x"
            + cfg.cropWidth() + " (frames x height x width); pass a smaller --crop");
    return fit(model, cfg, batches, valClips(cfg, storage, evalSplit), rng);
  }

  /**
   * The training loop over {@code batches} (whole clips of at least the crop's size; {@code rng} cuts
   * the windows), tracking PSNR on the first 17 frames of the {@code val} clips. Returns the log rows
   * as above.
   */
  public static List<double[]> fit(VaeModel model, VaeTrainingConfig cfg, Iterator<DatasetBatch> batches,
      List<DatasetBatch> val, Random rng) {
    requireCrop(cfg, model.config());
    Tracker schedule = Schedules.warmUpCosine(cfg.learningRate(), cfg.steps(), cfg.warmupSteps());
    DefaultTrainingConfig tc = trainingConfig(schedule);
    List<double[]> log = new ArrayList<>();
    Progress progress = new Progress("train-vae", "steps", cfg.steps());
    long t0 = System.nanoTime();
    double smoothed = Double.NaN;
    Gradients.Guard guard = new Gradients.Guard("train-vae", cfg.steps(), cfg.learningRate());
    try (Trainer trainer = model.djlModel().newTrainer(tc)) {
      model.network().freezeEncoder(cfg.decoderOnly());
      for (int step = 1; step <= cfg.steps(); step++) {
        DatasetBatch batch = batches.next();
        byte[] crops = VaeCrops.cut(batch, cfg.cropFrames(), cfg.cropHeight(), cfg.cropWidth(), rng);
        try (NDManager scope = model.djlModel().getNDManager().newSubManager()) {
          NDArray video = VideoTensors.fromBytes(scope, crops, cfg.cropFrames(), cfg.cropHeight(), cfg.cropWidth());
          NDArray weights = objectWeights(scope, crops, video.getShape(), cfg.objectWeight(), cfg.objectMargin());
          Losses l = backward(trainer, video, cfg.klWeight(), weights);
          float loss = l.total();
          float l1Value = l.l1();
          float klValue = l.kl();
          float mse = l.mse();
          if (!guard.admit(model.djlModel().getBlock(), loss, step)) {
            continue;
          }
          trainer.step();
          smoothed = Double.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
          // Pixels span [-1, 1], a range of 2.
          double psnr = 10 * Math.log10(4.0 / Math.max(mse, 1e-10));
          if (step % cfg.logEvery() == 0 || step == cfg.steps() || step == 1) {
            boolean measure = !val.isEmpty() && (step % cfg.valEvery() == 0 || step == cfg.steps());
            double valPsnr = measure ? valPsnr(model, val) : Double.NaN;
            if (measure) {
              System.err.printf(Locale.ROOT, "train-vae: step %d, loss %.5f (smoothed %.5f), L1 %.4f, KL %.3f, "
                  + "train PSNR %.2f dB, val PSNR %.2f dB%n", step, loss, smoothed, l1Value, klValue, psnr, valPsnr);
            }
            log.add(new double[] {step, loss, l1Value, klValue, psnr, schedule.getNewValue(step),
                (System.nanoTime() - t0) / 1e9, valPsnr});
          }
          progress.update(step);
        }
      }
    } finally {
      model.network().freezeEncoder(false);
    }
    System.err.printf(Locale.ROOT, "train-vae: %d steps in %.0f s, smoothed loss %.5f, %d non-finite steps skipped%n",
        cfg.steps(), (System.nanoTime() - t0) / 1e9, smoothed, guard.dropped());
    return log;
  }

  /** One step's losses: the weighted total that was back-propagated, its L1 and KL terms, and the MSE. */
  public record Losses(float total, float l1, float kl, float mse) {}

  /** Adam on {@code learningRate}'s schedule, each gradient value clipped to [-1, 1], as every run of this trainer. */
  public static DefaultTrainingConfig trainingConfig(Tracker learningRate) {
    return new DefaultTrainingConfig(Loss.l1Loss())
        .optOptimizer(Optimizer.adam().optLearningRateTracker(learningRate).optClipGrad(1f).build());
  }

  /**
   * Forward and backward pass of one batch of videos ({@code [B, 3, T, H, W]} in [-1, 1]): the
   * gradients are left in the trainer's parameters for {@code trainer.step()}.
   */
  public static Losses backward(Trainer trainer, NDArray video, float klWeight) {
    return backward(trainer, video, klWeight, null);
  }

  /**
   * As above, with the L1 term weighed pixel by pixel by {@code pixelWeights} ({@code [B, 1, T, H, W]},
   * over all three channels; null for the plain mean). The logged L1 stays the plain mean, so runs
   * with and without weights read alike.
   */
  public static Losses backward(Trainer trainer, NDArray video, float klWeight, NDArray pixelWeights) {
    NDManager scope = video.getManager();
    // Weights as arrays, not Numbers: DJL 0.33 frees a scalar operand before backward needs it.
    NDArray klScale = scope.create(klWeight);
    try (GradientCollector gc = trainer.newGradientCollector()) {
      NDList out = trainer.forward(new NDList(video)); // [reconstruction, mean, logVar]
      NDArray error = out.get(0).sub(video);
      NDArray l1 = error.abs().mean();
      NDArray reconstruction = pixelWeights == null ? l1
          : error.abs().mul(pixelWeights).sum().div(pixelWeights.sum().mul(scope.create((float) video.getShape().get(1))));
      // KL per latent value, so the weight does not depend on the crop size.
      NDArray kl = new DiagonalGaussian(out.get(1), out.get(2)).kl().sum()
          .div(scope.create((float) out.get(1).getShape().size()));
      NDArray total = reconstruction.add(kl.mul(klScale));
      gc.backward(total);
      return new Losses(total.getFloat(), l1.getFloat(), kl.getFloat(), error.square().mean().getFloat());
    }
  }

  /**
   * Each pixel's weight for {@link VaeTrainingConfig#objectWeight}: 1 + {@code objectWeight} where
   * {@code frames} (B clips of uint8 {@code [T, H, W, 3]}) has a synthetic object's colour or lies within
   * {@code margin} pixels of one, 1 elsewhere, as {@code [B, 1, T, H, W]} for a video of {@code videoShape};
   * null when {@code objectWeight} is 0, which {@link #backward} takes as the plain L1.
   */
  public static NDArray objectWeights(NDManager manager, byte[] frames, Shape videoShape, float objectWeight,
      int margin) {
    if (objectWeight == 0) {
      return null;
    }
    float[] weights = ObjectCover.pixels(frames, (int) videoShape.get(3), (int) videoShape.get(4), margin);
    for (int i = 0; i < weights.length; i++) {
      weights[i] = 1 + objectWeight * weights[i];
    }
    return manager.create(weights, new Shape(videoShape.get(0), 1, videoShape.get(2), videoShape.get(3),
        videoShape.get(4)));
  }

  /** A fixed handful of whole val clips (their first 17 frames) whose PSNR is tracked during training. */
  private static List<DatasetBatch> valClips(VaeTrainingConfig cfg, Storage storage, String split) {
    List<DatasetBatch> out = new ArrayList<>();
    for (DatasetBatch batch : new ShardReader(storage, cfg.data(), split, null, 1, -1, 1)) {
      out.add(batch);
      if (out.size() >= VAL_TRACK_CLIPS) {
        break;
      }
    }
    return out;
  }

  private static double valPsnr(VaeModel model, List<DatasetBatch> val) {
    VideoQuality quality = new VideoQuality();
    for (DatasetBatch clip : val) {
      VaeEvaluation.reconstruct(model, clip, VAL_TRACK_FRAMES, quality);
    }
    return quality.report().psnr();
  }

  private static ModelRef publish(VaeModel model, VaeTrainingConfig cfg, Registry registry, String parent,
      List<double[]> log, Map<String, Object> metrics, Storage storage, Map<String, Object> moreFacts)
      throws IOException {
    return Publishing.staged("ying-vae-", dir -> {
      model.save(dir);
      writeLog(dir, log);
      Map<String, Object> extra = Publishing.runFacts(cfg.command(), cfg.seed(), cfg.steps(), cfg.batch(),
          cfg.learningRate());
      extra.put("crop", cfg.cropFrames() + "x" + cfg.cropHeight() + "x" + cfg.cropWidth());
      extra.put("kl_weight", cfg.klWeight());
      if (cfg.objectWeight() > 0) {
        extra.put("object_weight", cfg.objectWeight());
        extra.put("object_margin", cfg.objectMargin());
      }
      if (cfg.decoderOnly()) {
        extra.put("decoder_only", true);
      }
      extra.putAll(moreFacts);
      ModelRef ref = registry.publish(dir, new Registry.Publication(cfg.name(), parent, Storage.normalise(cfg.data()),
          Publishing.datasetHash(storage, cfg.data()), metrics, model.config().toJson(JSON), extra));
      System.err.println("train-vae: published " + ref + " to " + registry.root());
      return ref;
    });
  }

  /** Writes {@code training_log.csv} and {@code training.png} for log rows as {@link #fit} returns them. */
  public static void writeLog(Path dir, List<double[]> log) throws IOException {
    writeLogCsv(dir, log);
    List<double[]> measured = log.stream().filter(r -> !Double.isNaN(r[7])).toList();
    double[] steps = log.stream().mapToDouble(r -> r[0]).toArray();
    Files.write(dir.resolve("training.png"), Charts.png(List.of(
        new Charts.Series("L1 loss", "step", List.of("train"), List.of(steps),
            List.of(log.stream().mapToDouble(r -> r[2]).toArray())),
        new Charts.Series("PSNR (dB)", "step", List.of("train crops", "val clips"),
            List.of(steps, measured.stream().mapToDouble(r -> r[0]).toArray()),
            List.of(log.stream().mapToDouble(r -> r[4]).toArray(), measured.stream().mapToDouble(r -> r[7]).toArray())),
        new Charts.Series("KL per latent value", "step", List.of("train"), List.of(steps),
            List.of(log.stream().mapToDouble(r -> r[3]).toArray())),
        new Charts.Series("Learning rate", "step", List.of("lr"), List.of(steps),
            List.of(log.stream().mapToDouble(r -> r[5]).toArray()))), 2));
  }

  /** Writes {@code training_log.csv} alone (no plot: a JRE without java.desktop can do this). */
  public static void writeLogCsv(Path dir, List<double[]> log) throws IOException {
    StringBuilder csv = new StringBuilder(LOG_HEADER).append('\n');
    for (double[] r : log) {
      csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.5f,%.3f,%.6g,%.1f,%s%n", (long) r[0], r[1], r[2], r[3],
          r[4], r[5], r[6], Double.isNaN(r[7]) ? "" : String.format(Locale.ROOT, "%.3f", r[7])));
    }
    Files.writeString(dir.resolve("training_log.csv"), csv);
  }

  /** Reads back the rows of a {@code training_log.csv} that {@link #writeLog} wrote. */
  public static List<double[]> readLog(Path csv) throws IOException {
    return Publishing.readLog(csv, LOG_HEADER);
  }
}
