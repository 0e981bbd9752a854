package ying.trainer.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import ying.core.cli.Progress;
import ying.core.dataset.DatasetBatch;
import ying.core.dataset.DatasetLayout;
import ying.core.dataset.ShardReader;
import ying.core.io.Storage;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.synth.Directions;
import ying.core.synth.ObjectWords;
import ying.core.text.Tokenizer;
import ying.core.video.VideoException;
import ying.inference.dit.DdimSampler;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitModel;
import ying.inference.dit.NoiseSchedule;
import ying.inference.generate.GeneratedVideo;
import ying.inference.generate.Generation;
import ying.inference.vae.VaeModel;
import ying.trainer.Batches;
import ying.trainer.Gradients;
import ying.trainer.Publishing;
import ying.trainer.Schedules;

/**
 * Trains the expert DiT on a dataset's VAE latents (v-prediction on the zero-terminal-SNR schedule,
 * captions dropped at random for classifier-free guidance; for image-to-video the first latent
 * frame conditions the model), tracks a fixed val loss, and publishes a checkpoint naming its VAE.
 * Shards without latents of that VAE have their frames encoded on the fly, every step.
 */
public final class DitTrainer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VAL_BATCHES = 4;
  static final String LOG_HEADER = Publishing.LOSS_LOG_HEADER;
  /** How val prompts are sampled into a published checkpoint. */
  private static final int SAMPLE_STEPS = 20;
  private static final float SAMPLE_GUIDANCE = 6f;
  /**
   * How much worse a clip's v-loss should be under a caption with a word turned: a third of what
   * dropping the whole caption costs dit@4 at mid noise (0.015 at step 500).
   */
  static final float WORD_MARGIN = 0.005f;

  private DitTrainer() {}

  public record Result(ModelRef ref, Map<String, Object> metrics) {}

  public static Result train(DitTrainingConfig cfg, List<String> trainCaptions, Storage storage) throws IOException {
    Registry registry = new Registry(storage, cfg.registry());
    JsonNode dataManifest = JSON.readTree(storage.readString(new DatasetLayout(cfg.data()).manifest()));
    ModelRef vae;
    float latentStd;
    try (Checkpoint v = registry.load(ModelRef.parse(cfg.vae()))) {
      vae = v.ref();
      JsonNode std = v.manifest().path("metrics").path("latent_std");
      latentStd = std.isNumber() && std.asDouble() > 0 ? (float) std.asDouble() : 1f;
    }
    String made = dataManifest.path("vae").path("ref").asText(null);
    boolean onTheFly = !vae.toString().equals(made);
    if (onTheFly) {
      // Pixels through the VAE each step cost several DiT steps on a CPU: say so, and how to pay once.
      System.err.println("train-dit: " + cfg.data() + (made == null ? " holds no latents" : " holds latents of " + made
          + ", not of " + vae) + ": encoding its frames with " + vae + " on the fly, every step (slower; "
          + "`build-dataset --vae " + vae + "` encodes them once)");
    }
    String parent = null;
    DitModel model;
    if (cfg.init() != null) {
      try (Checkpoint init = registry.load(ModelRef.parse(cfg.init()))) {
        model = fineTuned(DitModel.load(init), cfg);
        parent = init.ref().toString();
      }
    } else {
      Tokenizer tokenizer = Tokenizer.build(trainCaptions);
      model = DitModel.create(newConfig(cfg.architecture(), tokenizer, latentStd, cfg.imageToVideo()), tokenizer,
          cfg.seed());
    }
    try (model; VaeModel encoder = onTheFly ? loadVae(registry, vae) : null) {
      List<double[]> log = fit(model, cfg, storage, encoder);
      model.roundToStoredPrecision();
      Map<String, Object> metrics = metrics(model, log);
      return new Result(publish(model, cfg, vae, registry, parent, log, metrics, storage, onTheFly, Map.of()),
          metrics);
    }
  }

  /**
   * The --init model for a run in {@code cfg}'s mode: as it is, or, text-to-video for an
   * image-to-video run, widened to read the first frame; deepened when the run's architecture has
   * more blocks. An image-to-video one has no frame to drop for a text-to-video run and is refused.
   */
  private static DitModel fineTuned(DitModel init, DitTrainingConfig cfg) {
    DitConfig c = init.config();
    try {
      refuseTextOnlyRun(cfg.init(), c, cfg.imageToVideo());
    } catch (IllegalArgumentException e) {
      init.close();
      throw e;
    }
    if (cfg.imageToVideo() && !c.imageToVideo()) {
      System.err.println("train-dit: " + cfg.init() + " is text-to-video: widened to read the first frame, its "
          + "weights for the frame zero at first, so training starts from what it learnt");
    }
    int layers = cfg.architecture() == null ? c.layers() : cfg.architecture().layers();
    if (layers > c.layers()) {
      System.err.println("train-dit: " + cfg.init() + "'s " + c.layers() + " blocks spread over " + layers
          + "; the new ones start as the identity, so training starts from what it learnt");
    }
    return DitModel.grown(init, cfg.imageToVideo(), layers);
  }

  /** An image-to-video --init model has no first frame to drop for a text-to-video run. */
  public static void refuseTextOnlyRun(String init, DitConfig initConfig, boolean runImageToVideo) {
    if (initConfig.imageToVideo() && !runImageToVideo) {
      throw new IllegalArgumentException(init + " is an image-to-video model; train it with --mode i2v");
    }
  }

  /**
   * Publishes a DiT that {@link #fit} trained elsewhere on the latents of {@code cfg.vae()} (a GPU
   * machine without Spark): the metrics come from its log, whose val losses were measured on the
   * first val clips of {@code cfg.data()} as train-dit measures its own; samples and manifest as
   * train-dit writes them, {@code facts} added to the manifest.
   */
  public static Result publishTrained(DitModel model, DitTrainingConfig cfg, String parent, List<double[]> log,
      Map<String, Object> facts, Storage storage) throws IOException {
    Registry registry = new Registry(storage, cfg.registry());
    ModelRef vae;
    try (Checkpoint v = registry.load(ModelRef.parse(cfg.vae()))) {
      vae = v.ref();
    }
    Map<String, Object> metrics = metrics(model, log);
    return new Result(publish(model, cfg, vae, registry, parent, log, metrics, storage, false, facts), metrics);
  }

  private static Map<String, Object> metrics(DitModel model, List<double[]> log) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("final_train_loss", Math.round(log.get(log.size() - 1)[1] * 100000) / 100000.0);
    double lastVal = log.stream().filter(r -> !Double.isNaN(r[4])).mapToDouble(r -> r[4]).reduce((x, y) -> y)
        .orElse(Double.NaN);
    if (!Double.isNaN(lastVal)) {
      metrics.put("val_loss", Math.round(lastVal * 100000) / 100000.0);
    }
    metrics.put("parameters", model.network().parameterCount());
    return metrics;
  }

  private static VaeModel loadVae(Registry registry, ModelRef vae) throws IOException {
    try (Checkpoint v = registry.load(vae)) {
      return VaeModel.load(v);
    }
  }

  /**
   * {@code pixels} with its clips' latents as a {@code build-dataset --vae} shard holds them (the
   * posterior means, float16), encoded by {@code vae}.
   */
  public static DatasetBatch encoded(DatasetBatch pixels, VaeModel vae) {
    int tf = vae.config().temporalFactor();
    int sf = vae.config().spatialFactor();
    if ((pixels.frames() - 1) % tf != 0 || pixels.height() % sf != 0 || pixels.width() % sf != 0) {
      throw new IllegalArgumentException("clips of " + pixels.frames() + " frames of " + pixels.width() + "x"
          + pixels.height() + " cannot go through the VAE (frames 1+" + tf + "k, sides multiples of " + sf
          + "): build the dataset with such a --bucket");
    }
    VaeModel.HalfLatents z = vae.encodeMeansAsHalf(pixels.pixels(), pixels.frames(), pixels.height(), pixels.width());
    return new DatasetBatch(pixels.clipIds(), pixels.captions(), pixels.frames(), pixels.height(), pixels.width(),
        pixels.pixels(), z.bytes(), z.clipShape());
  }

  /** {@code encoder} null: the shards' own latents; else every batch's frames encoded by it. */
  static List<double[]> fit(DitModel model, DitTrainingConfig cfg, Storage storage, VaeModel encoder) {
    List<DatasetBatch> val = new ArrayList<>();
    String valSplit = Batches.evalSplit(storage, cfg.data());
    for (DatasetBatch b : new ShardReader(storage, cfg.data(), valSplit, null, cfg.batch(), -1, 1)) {
      val.add(encoder == null ? b : encoded(b, encoder));
      if (val.size() >= VAL_BATCHES) {
        break;
      }
    }
    // One generator for the shard order and the noise, drawn in the order it always was, so a seed
    // still reproduces the runs that made the release checkpoints.
    Random rng = new Random(cfg.seed());
    Iterator<DatasetBatch> shards = Batches.endless(() ->
        new ShardReader(storage, cfg.data(), DatasetLayout.TRAIN, null, cfg.batch(), rng.nextInt(1 << 30), 256)
            .iterator());
    Iterator<DatasetBatch> batches = encoder == null ? shards : new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public DatasetBatch next() {
        return encoded(shards.next(), encoder);
      }
    };
    return fit(model, cfg, batches, val, rng);
  }

  /**
   * The config of a new DiT: {@code architecture} (null: the defaults) with the vocabulary of its
   * tokenizer and a latent scale of 1 / {@code latentStd}, whatever the shape.
   */
  public static DitConfig newConfig(DitConfig architecture, Tokenizer tokenizer, float latentStd, boolean i2v) {
    DitConfig a = architecture == null ? DitConfig.defaults(tokenizer.size(), i2v, 1f) : architecture;
    return a.forData(tokenizer.size(), 1f / latentStd, i2v);
  }

  /**
   * train-dit's loop over any batches with latents ({@code cfg.data()} is not read): {@code cfg.steps()}
   * steps with noise levels, noise and caption dropout drawn from {@code rng}, the val loss of
   * {@code val} every {@code cfg.valEvery()}; returns the log rows (step, loss, learning rate,
   * seconds, val loss or NaN). A GPU machine without Spark runs it on a raw file.
   */
  public static List<double[]> fit(DitModel model, DitTrainingConfig cfg, Iterator<DatasetBatch> batches,
      List<DatasetBatch> val, Random rng) {
    return fit(model, cfg, batches, val, rng, step -> { });
  }

  /** As above, calling {@code afterVal} with the step after each val measurement but the last. */
  public static List<double[]> fit(DitModel model, DitTrainingConfig cfg, Iterator<DatasetBatch> batches,
      List<DatasetBatch> val, Random rng, java.util.function.IntConsumer afterVal) {
    NoiseSchedule schedule = NoiseSchedule.defaults();
    Tracker lr = Schedules.warmUpCosine(cfg.learningRate(), cfg.steps(), cfg.warmupSteps());
    DefaultTrainingConfig tc = trainingConfig(lr);
    List<double[]> log = new ArrayList<>();
    Progress progress = new Progress("train-dit", "steps", cfg.steps());
    long t0 = System.nanoTime();
    Gradients.Guard guard = new Gradients.Guard("train-dit", cfg.steps(), cfg.learningRate());
    try (Trainer trainer = model.djlModel().newTrainer(tc)) {
      for (int step = 1; step <= cfg.steps(); step++) {
        DatasetBatch batch = batches.next();
        try (NDManager scope = model.djlModel().getNDManager().newSubManager()) {
          float value = backward(trainer, model, batch, schedule, rng, cfg.objective(), scope);
          if (!guard.admit(model.djlModel().getBlock(), value, step)) {
            continue;
          }
          trainer.step();
          if (step % cfg.logEvery() == 0 || step == cfg.steps() || step == 1) {
            boolean measure = step % cfg.valEvery() == 0 || step == cfg.steps();
            double valLoss = measure ? valLoss(model, val, schedule) : Double.NaN;
            if (measure) {
              System.err.printf(Locale.ROOT, "train-dit: step %d, loss %.4f, val loss %.4f%n", step, value, valLoss);
            }
            log.add(new double[] {step, value, lr.getNewValue(step), (System.nanoTime() - t0) / 1e9, valLoss});
            if (measure && step < cfg.steps()) {
              afterVal.accept(step);
            }
          }
          progress.update(step);
        }
      }
    }
    return log;
  }

  /** Adam on {@code learningRate}'s schedule, each gradient value clipped to [-1, 1], as every run of this trainer. */
  public static DefaultTrainingConfig trainingConfig(Tracker learningRate) {
    return new DefaultTrainingConfig(Loss.l2Loss())
        .optOptimizer(Optimizer.adam().optLearningRateTracker(learningRate).optClipGrad(1f).build());
  }

  /**
   * Forward and backward pass of one batch at random noise levels (drawn from {@code rng}): the loss,
   * with the gradients left in the trainer's parameters for {@code trainer.step()}.
   */
  public static float backward(Trainer trainer, DitModel model, DatasetBatch batch, NoiseSchedule schedule,
      Random rng, DitObjective objective, NDManager scope) {
    try (GradientCollector gc = trainer.newGradientCollector()) {
      NDArray loss = loss(model, batch, schedule, rng, objective, scope, true, new ParameterStore(scope, false));
      gc.backward(loss);
      return loss.getFloat();
    }
  }

  /**
   * Mean squared error of the predicted v on one batch at random steps (seeded by {@code rng}, drawn
   * as the objective tilts them), each caption dropped with the objective's chance and, for
   * image-to-video, each first-frame condition zeroed with its image dropout, each latent cell weighed
   * by its object cover when the objective asks ({@link #objectWeighted}); with a direction or
   * shape contrast above 0, plus that weight of a {@link #wordHinge} on the directions (camera or
   * objects, turned round) or on the objects' shapes.
   */
  static NDArray loss(DitModel model, DatasetBatch batch, NoiseSchedule schedule, Random rng, DitObjective objective,
      NDManager scope, boolean training, ParameterStore ps) {
    if (!batch.hasLatents()) {
      throw new IllegalArgumentException("a batch without latents: build the dataset with --vae");
    }
    int b = batch.size();
    NDArray x0 = cleanLatents(scope, batch, model.config().latentScale());
    float[] steps = new float[b];
    float[] signal = new float[b];
    float[] noiseLevel = new float[b];
    float[] keepImage = new float[b];
    List<String> captions = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      int t = objective.drawStep(rng, schedule.steps());
      steps[i] = t;
      signal[i] = (float) Math.sqrt(schedule.alphaBar(t));
      noiseLevel[i] = (float) Math.sqrt(1 - schedule.alphaBar(t));
      captions.add(rng.nextFloat() < objective.captionDropout() ? null : batch.captions().get(i));
      // Drawn only when asked for, so a seed without image dropout replays the runs made before it.
      keepImage[i] = objective.imageDropout() > 0 && rng.nextFloat() < objective.imageDropout() ? 0f : 1f;
    }
    NDArray eps = DdimSampler.noise(scope, x0.getShape(), rng.nextLong());
    Noised noised = noised(model.config(), x0, eps, signal, noiseLevel, keepImage);
    NDArray input = noised.input();
    NDArray target = noised.target();
    NDArray v = model.velocity(ps, input, scope.create(steps), model.captions(scope, captions), training);
    if (objective.objectWeight() > 0) {
      return objectWeighted(v.sub(target).square(), batch, objective.objectWeight()).mean();
    }
    if (objective.directionContrast() == 0 && objective.shapeContrast() == 0) {
      return v.sub(target).square().mean();
    }
    NDArray perClip = v.sub(target).square().reshape(b, -1).mean(new int[] {1});
    NDArray total = perClip.mean();
    if (objective.directionContrast() > 0) {
      NDArray hinge = wordHinge(model, captions, input, steps, target, perClip, c -> Directions.turnEither(c, rng),
          training, ps);
      total = hinge == null ? total : total.add(hinge.mul(objective.directionContrast()));
    }
    if (objective.shapeContrast() > 0) {
      NDArray hinge = wordHinge(model, captions, input, steps, target, perClip, ObjectWords::turnShapes, training, ps);
      total = hinge == null ? total : total.add(hinge.mul(objective.shapeContrast()));
    }
    return total;
  }

  /**
   * Each clip's mean of {@code squares} ({@code [B, C, T, h, w]}) with every latent cell weighed
   * 1 + {@code weight} times its object cover, over the sum of the weights: {@code [B]}.
   */
  static NDArray objectWeighted(NDArray squares, DatasetBatch batch, float weight) {
    if (!batch.hasObjectCover()) {
      throw new IllegalArgumentException("an object weight needs clips whose object cover is known (synthetic clips"
          + " exported with it); this batch has none");
    }
    Shape s = squares.getShape();
    NDManager scope = squares.getManager();
    NDArray w = scope.create(batch.objectCover(), new Shape(s.get(0), 1, s.get(2), s.get(3), s.get(4)))
        .mul(weight).add(1f);
    int[] cells = {1, 2, 3, 4};
    return squares.mul(w).sum(cells).div(w.sum(cells).mul(s.get(1)));
  }

  /** A batch's latents as the DiT reads them: float32 [B, C, T, H, W], times the DiT's latent scale. */
  public static NDArray cleanLatents(NDManager scope, DatasetBatch batch, float latentScale) {
    int[] z = batch.latentShape();
    Shape shape = new Shape(batch.size(), z[0], z[1], z[2], z[3]);
    return scope.create(ByteBuffer.wrap(batch.latents()).order(ByteOrder.LITTLE_ENDIAN), shape, DataType.FLOAT16)
        .toType(DataType.FLOAT32, false).mul(scope.create(latentScale));
  }

  /** The DiT's input for a noised batch and the v it should predict there. */
  public record Noised(NDArray input, NDArray target) {}

  /**
   * Clean latents x0 noised by eps with each clip's signal and noise level (sqrt of alpha-bar and of
   * 1 - alpha-bar at its step): x_t, and v = signal eps - noise x0. An image-to-video DiT gets each
   * clip's first latent frame beside x_t, times {@code keepImage} (0 hides it).
   */
  public static Noised noised(DitConfig c, NDArray x0, NDArray eps, float[] signal, float[] noise, float[] keepImage) {
    NDManager scope = x0.getManager();
    Shape perClip = new Shape(signal.length, 1, 1, 1, 1);
    NDArray a = scope.create(signal, perClip);
    NDArray s = scope.create(noise, perClip);
    NDArray xt = x0.mul(a).add(eps.mul(s));
    NDArray target = eps.mul(a).sub(x0.mul(s));
    NDArray input = c.imageToVideo() ? xt.concat(DitModel.firstFrameCondition(x0, x0.getShape().get(2))
        .mul(scope.create(keepImage, perClip)), 1) : xt;
    return new Noised(input, target);
  }

  /**
   * The mean of max(0, margin + loss under the caption - loss under the caption as {@code lie}
   * rewrites it) over the clips whose (kept) caption it changes (null or the caption itself: no
   * word to turn); null when it changes none. Plain v-prediction barely rewards reading some words
   * (at high noise the best guess of a clip of unknown place moves nowhere; a shape changes a few
   * latent cells), so the lie is made to cost.
   */
  static NDArray wordHinge(DitModel model, List<String> captions, NDArray input, float[] steps, NDArray target,
      NDArray perClip, UnaryOperator<String> lie, boolean training, ParameterStore ps) {
    List<String> lies = new ArrayList<>();
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < captions.size(); i++) {
      String turned = captions.get(i) == null ? null : lie.apply(captions.get(i));
      if (turned != null && !turned.equals(captions.get(i))) {
        lies.add(turned);
        rows.add(i);
      }
    }
    if (rows.isEmpty()) {
      return null;
    }
    NDManager scope = input.getManager();
    NDList in = new NDList();
    NDList out = new NDList();
    NDList truth = new NDList();
    float[] t = new float[rows.size()];
    for (int k = 0; k < rows.size(); k++) {
      int i = rows.get(k);
      in.add(input.get(i + ":" + (i + 1)));
      out.add(target.get(i + ":" + (i + 1)));
      truth.add(perClip.get(i + ":" + (i + 1)));
      t[k] = steps[i];
    }
    NDArray v = model.velocity(ps, NDArrays.concat(in), scope.create(t), model.captions(scope, lies), training);
    NDArray turned = v.sub(NDArrays.concat(out)).square().reshape(rows.size(), -1).mean(new int[] {1});
    return NDArrays.concat(truth).sub(turned).add(WORD_MARGIN).maximum(0f).mean();
  }

  private static double valLoss(DitModel model, List<DatasetBatch> val, NoiseSchedule schedule) {
    double sum = 0;
    Random fixed = new Random(12345);
    for (DatasetBatch b : val) {
      try (NDManager scope = model.djlModel().getNDManager().newSubManager()) {
        sum += loss(model, b, schedule, fixed, DitObjective.PLAIN, scope, false, new ParameterStore(scope, false))
            .getFloat();
      }
    }
    return val.isEmpty() ? Double.NaN : sum / val.size();
  }

  /**
   * Samples the first {@code cfg.samples()} val clips' captions (and, for image-to-video, their first
   * frames) with the trained weights into {@code sample-N.mp4} + {@code sample-N.png} in the
   * checkpoint, so a run can be looked at as well as read off its loss.
   */
  private static void writeSamples(DitModel model, DitTrainingConfig cfg, ModelRef vaeRef, Registry registry,
      Storage storage, Path dir) throws IOException {
    List<DatasetBatch> clips = new ArrayList<>();
    if (cfg.samples() == 0) {
      return;
    }
    for (DatasetBatch b : new ShardReader(storage, cfg.data(), Batches.evalSplit(storage, cfg.data()), null, 1, -1, 1)) {
      clips.add(b);
      if (clips.size() >= cfg.samples()) {
        break;
      }
    }
    Storage local = Storage.local();
    try (Checkpoint v = registry.load(vaeRef); VaeModel vae = VaeModel.load(v)) {
      for (int i = 0; i < clips.size(); i++) {
        DatasetBatch clip = clips.get(i);
        int tf = vae.config().temporalFactor();
        int frames = 1 + (clip.frames() - 1) / tf * tf;
        byte[] image = cfg.imageToVideo()
            ? java.util.Arrays.copyOf(clip.pixels(), clip.height() * clip.width() * 3) : null;
        long t0 = System.nanoTime();
        byte[] video = Generation.run(model, vae, new Generation.Request(clip.captions().get(0), image, frames,
            clip.height(), clip.width(), SAMPLE_STEPS, SAMPLE_GUIDANCE, i, "ddim"), step -> { });
        String out = Storage.normalise(dir.resolve("sample-" + i + ".mp4").toString());
        try {
          GeneratedVideo.write(local, out, video, frames, clip.width(), clip.height(), 8, null);
        } catch (VideoException e) {
          throw new IOException("could not write " + out + ": " + e.getMessage(), e);
        }
        System.err.printf(Locale.ROOT, "train-dit: sample %d (%.1f s): \"%s\"%n", i, (System.nanoTime() - t0) / 1e9,
            clip.captions().get(0));
      }
    }
  }

  private static ModelRef publish(DitModel model, DitTrainingConfig cfg, ModelRef vae, Registry registry,
      String parent, List<double[]> log, Map<String, Object> metrics, Storage storage, boolean onTheFly,
      Map<String, Object> facts) throws IOException {
    return Publishing.staged("ying-dit-", dir -> {
      model.save(dir);
      writeSamples(model, cfg, vae, registry, storage, dir);
      Publishing.writeLossLog(dir, log, "v loss");
      Map<String, Object> extra = Publishing.runFacts(cfg.command(), cfg.seed(), cfg.steps(), cfg.batch(),
          cfg.learningRate());
      extra.put("mode", cfg.imageToVideo() ? "i2v" : "t2v");
      cfg.objective().record(extra::put);
      extra.put("vae", vae.toString());
      extra.put("latents", onTheFly ? "encoded on the fly from the shards' frames" : "the shards' latents");
      extra.putAll(facts);
      ModelRef ref = registry.publish(dir, new Registry.Publication(cfg.name(), parent, Storage.normalise(cfg.data()),
          Publishing.datasetHash(storage, cfg.data()), metrics, model.config().toJson(JSON), extra));
      System.err.println("train-dit: published " + ref + " to " + registry.root());
      return ref;
    });
  }
}
