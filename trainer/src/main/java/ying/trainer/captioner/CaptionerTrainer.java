package ying.trainer.captioner;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import ying.captioner.eval.CaptionScores;
import ying.captioner.model.Caption;
import ying.captioner.model.CaptionWindow;
import ying.captioner.model.CaptionerConfig;
import ying.captioner.model.CaptionerModel;
import ying.captioner.model.FrameSampler;
import ying.core.text.Tokenizer;
import ying.core.cli.Progress;
import ying.core.dataset.DatasetBatch;
import ying.core.dataset.DatasetLayout;
import ying.core.dataset.ShardReader;
import ying.core.io.Storage;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.trainer.Batches;
import ying.trainer.BestWeights;
import ying.trainer.Gradients;
import ying.trainer.Publishing;
import ying.trainer.Schedules;

/**
 * Trains the captioner on dataset shards with teacher forcing (Adam, warm-up then cosine decay),
 * evaluates it on the val split with the grammar-based scores, and publishes a checkpoint with its
 * training log and loss plot.
 */
public final class CaptionerTrainer {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Val clips are captioned this many at a time. */
  private static final int EVAL_BATCH = 16;
  /** Val clips in the loss tracked during training. */
  private static final int VAL_LOSS_CLIPS = 64;

  private CaptionerTrainer() {}

  /** What a run produced: the published ref and its metrics. */
  public record Result(ModelRef ref, Map<String, Object> metrics) {}

  public static Result train(CaptionerTrainingConfig cfg, List<String> trainCaptions, Storage storage)
      throws IOException {
    String parent = null;
    CaptionerModel model;
    if (cfg.init() != null) {
      try (Checkpoint init = new Registry(storage, cfg.registry()).load(ModelRef.parse(cfg.init()))) {
        model = CaptionerModel.load(init);
        parent = init.ref().toString();
      }
    } else {
      Tokenizer tokenizer = Tokenizer.build(trainCaptions);
      // Xavier draws from the engine's generator: seeding it makes --seed name the initial weights too.
      Engine.getInstance().setRandomSeed((int) cfg.seed());
      model = CaptionerModel.create(CaptionerConfig.defaults(tokenizer.size()), tokenizer);
    }
    try (model) {
      Fit fit = fit(model, cfg, storage);
      return evaluateAndPublish(model, cfg, storage, parent, fit, Map.of());
    }
  }

  /**
   * Rounds {@code model} to the stored precision, captions the val clips of {@code cfg.data()} and
   * publishes it with the run's log and {@code moreFacts} in its manifest: the tail of {@link #train},
   * and of a run trained elsewhere (on a GPU machine without Spark) that is published here.
   */
  public static Result evaluateAndPublish(CaptionerModel model, CaptionerTrainingConfig cfg, Storage storage,
      String parent, Fit fit, Map<String, Object> moreFacts) throws IOException {
    List<double[]> log = fit.log();
    // The checkpoint stores float16; the metrics describe exactly what is published.
    model.roundToStoredPrecision();
    Map<String, Object> metrics = new LinkedHashMap<>(evaluate(model, cfg, storage).toMap());
    double[] last = log.get(log.size() - 1);
    metrics.put("final_train_loss", Math.round(last[1] * 10000) / 10000.0);
    metrics.put("published_step", fit.publishedStep());
    Registry registry = new Registry(storage, cfg.registry());
    return new Result(publish(model, cfg, registry, parent, log, metrics, storage, moreFacts), metrics);
  }

  /**
   * A run's log and the step whose weights it ended with: the lowest val loss, or the last step with
   * {@code keepLast} or without val clips.
   */
  public record Fit(List<double[]> log, int publishedStep) {}

  /**
   * Teacher-forced training; the log rows are {@code [step, loss, learning rate, seconds, val loss]}
   * (val loss NaN on rows where it was not measured).
   */
  static Fit fit(CaptionerModel model, CaptionerTrainingConfig cfg, Storage storage) {
    Random rng = new Random(cfg.seed());
    Iterator<DatasetBatch> batches = Batches.endless(() ->
        new ShardReader(storage, cfg.data(), DatasetLayout.TRAIN, null, cfg.batch(), rng.nextInt(1 << 30), 512)
            .iterator());
    return fit(model, cfg, batches, valBatches(cfg, storage, model.config()), rng);
  }

  /**
   * The training loop over {@code batches} ({@code rng} samples and jitters frames and mirrors),
   * tracking the teacher-forced loss on {@code val}; log rows as above.
   */
  public static Fit fit(CaptionerModel model, CaptionerTrainingConfig cfg, Iterator<DatasetBatch> batches,
      List<DatasetBatch> val, Random rng) {
    CaptionerConfig c = model.config();
    Tracker schedule = Schedules.warmUpCosine(cfg.learningRate(), cfg.steps(), cfg.warmupSteps());
    DefaultTrainingConfig tc = trainingConfig(schedule);
    MaskedTokenLoss loss = new MaskedTokenLoss();
    List<double[]> log = new ArrayList<>();
    Progress progress = new Progress("train-captioner", "steps", cfg.steps());
    long t0 = System.nanoTime();
    double smoothed = Double.NaN;
    Gradients.Guard guard = new Gradients.Guard("train-captioner", cfg.steps(), cfg.learningRate());
    int kept;
    try (Trainer trainer = model.djlModel().newTrainer(tc);
        BestWeights best = new BestWeights(model.djlModel().getBlock(), model.djlModel().getNDManager())) {
      for (int step = 1; step <= cfg.steps(); step++) {
        DatasetBatch batch = batches.next();
        requireSize(batch, c);
        try (NDManager scope = model.djlModel().getNDManager().newSubManager()) {
          float value = backward(trainer, model, batch, rng, cfg.mirror(), scope);
          if (!guard.admit(model.djlModel().getBlock(), value, step)) {
            continue;
          }
          trainer.step();
          smoothed = Double.isNaN(smoothed) ? value : 0.95 * smoothed + 0.05 * value;
          if (step % (cfg.logEvery() * 20) == 0) {
            System.err.printf(Locale.ROOT, "train-captioner: step %d, loss %.4f (smoothed %.4f)%n", step, value,
                smoothed);
          }
          if (step % cfg.logEvery() == 0 || step == cfg.steps() || step == 1) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            boolean measure = !val.isEmpty() && (step % cfg.valEvery() == 0 || step == cfg.steps());
            double valLoss = measure ? valLoss(model, val, loss) : Double.NaN;
            if (measure) {
              System.err.printf(Locale.ROOT, "train-captioner: step %d, val loss %.4f%n", step, valLoss);
              if (!cfg.keepLast()) {
                best.offer(valLoss, step);
              }
            }
            log.add(new double[] {step, value, schedule.getNewValue(step), seconds, valLoss});
          }
          progress.update(step);
        }
      }
      // A run that overfits late publishes its best point, not its last; the log keeps every step.
      kept = best.restore();
      if (kept < 0) {
        kept = cfg.steps();
      } else if (kept != cfg.steps()) {
        System.err.printf(Locale.ROOT, "train-captioner: publishing the weights of step %d (lowest val loss %.4f)%n",
            kept, best.best());
      }
    }
    System.err.printf(Locale.ROOT, "train-captioner: %d steps in %.0f s, smoothed loss %.4f, %d non-finite steps"
        + " skipped%n", cfg.steps(), (System.nanoTime() - t0) / 1e9, smoothed, guard.dropped());
    return new Fit(log, kept);
  }

  /** Adam on {@code learningRate}'s schedule, each gradient value clipped to [-1, 1], as every run of this trainer. */
  public static DefaultTrainingConfig trainingConfig(Tracker learningRate) {
    return new DefaultTrainingConfig(new MaskedTokenLoss())
        .optOptimizer(Optimizer.adam().optLearningRateTracker(learningRate).optClipGrad(1f).build());
  }

  /**
   * Forward and backward pass of one teacher-forced batch ({@code rng} jitters the sampled frames and,
   * with {@code mirror}, mirrors half the clips): the gradients are left in the trainer's parameters
   * for {@code trainer.step()}. Returns the loss.
   */
  public static float backward(Trainer trainer, CaptionerModel model, DatasetBatch batch, Random rng, boolean mirror,
      NDManager scope) {
    NDList inputs = inputs(scope, batch, model, rng, mirror);
    try (GradientCollector gc = trainer.newGradientCollector()) {
      NDList logits = trainer.forward(new NDList(inputs.get(0), inputs.get(1)));
      NDArray l = new MaskedTokenLoss().evaluate(new NDList(inputs.get(2), inputs.get(3)), logits);
      gc.backward(l);
      return l.getFloat();
    }
  }

  /** A fixed handful of val clips whose teacher-forced loss is tracked during training, to see overfitting. */
  private static List<DatasetBatch> valBatches(CaptionerTrainingConfig cfg, Storage storage, CaptionerConfig c) {
    List<DatasetBatch> out = new ArrayList<>();
    int clips = 0;
    for (DatasetBatch batch : new ShardReader(storage, cfg.data(), DatasetLayout.VAL, null, EVAL_BATCH, -1, 1)) {
      requireSize(batch, c);
      out.add(batch);
      clips += batch.size();
      if (clips >= VAL_LOSS_CLIPS) {
        break;
      }
    }
    return out;
  }

  private static double valLoss(CaptionerModel model, List<DatasetBatch> val, MaskedTokenLoss loss) {
    double sum = 0;
    int clips = 0;
    for (DatasetBatch batch : val) {
      try (NDManager scope = model.djlModel().getNDManager().newSubManager()) {
        NDList in = inputs(scope, batch, model, null, false);
        NDArray logits = model.network().forward(new ParameterStore(scope, false),
            new NDList(in.get(0), in.get(1)), false).head();
        sum += loss.evaluate(new NDList(in.get(2), in.get(3)), new NDList(logits)).getFloat() * batch.size();
        clips += batch.size();
      }
    }
    return sum / clips;
  }

  private static void requireSize(DatasetBatch batch, CaptionerConfig c) {
    if (batch.height() != c.height() || batch.width() != c.width() || batch.frames() < c.frames()) {
      throw new IllegalArgumentException("the captioner takes " + c.frames() + " frames of " + c.width() + "x"
          + c.height() + "; this dataset's bucket has " + batch.frames() + " of " + batch.width() + "x" + batch.height()
          + " (build it with a " + c.width() + "x" + c.height() + " bucket of at least " + c.frames() + " frames)");
    }
  }

  /**
   * {@code [frames uint8 [B,T,H,W,3], input ids [B,L-1], target ids [B,L-1], mask [B,L-1]]}. With an
   * {@code rng} (training), frames are jittered and, when {@code mirror}, half the clips are mirrored.
   */
  static NDList inputs(NDManager scope, DatasetBatch batch, CaptionerModel model, Random rng, boolean mirror) {
    CaptionerConfig c = model.config();
    int frameBytes = c.height() * c.width() * 3;
    byte[] frames = new byte[batch.size() * c.frames() * frameBytes];
    List<String> captions = new ArrayList<>(batch.captions());
    for (int i = 0; i < batch.size(); i++) {
      int[] pick = FrameSampler.indices(batch.frames(), c.frames(), rng == null ? 0 : 1.0, rng);
      FrameSampler.copy(batch.pixels(), i * batch.clipBytes(), frameBytes, pick, frames, i * c.frames() * frameBytes);
      if (mirror && rng != null && rng.nextBoolean()) {
        Optional<String> mirrored = MirrorAugment.caption(captions.get(i));
        if (mirrored.isPresent()) {
          MirrorAugment.frames(frames, i * c.frames() * frameBytes, c.frames(), c.height(), c.width());
          captions.set(i, mirrored.get());
        }
      }
    }
    int[][] ids = new int[batch.size()][];
    int longest = 2;
    for (int i = 0; i < batch.size(); i++) {
      ids[i] = model.tokenizer().encode(captions.get(i), c.maxTokens());
      longest = Math.max(longest, ids[i].length);
    }
    int l = longest - 1;
    int[] in = new int[batch.size() * l];
    int[] target = new int[batch.size() * l];
    float[] mask = new float[batch.size() * l];
    for (int i = 0; i < batch.size(); i++) {
      for (int t = 0; t < l; t++) {
        in[i * l + t] = t < ids[i].length ? ids[i][t] : Tokenizer.PAD;
        boolean real = t + 1 < ids[i].length;
        target[i * l + t] = real ? ids[i][t + 1] : Tokenizer.PAD;
        mask[i * l + t] = real ? 1f : 0f;
      }
    }
    return new NDList(
        scope.create(ByteBuffer.wrap(frames), new Shape(batch.size(), c.frames(), c.height(), c.width(), 3),
            DataType.UINT8),
        scope.create(in, new Shape(batch.size(), l)),
        scope.create(target, new Shape(batch.size(), l)),
        scope.create(mask, new Shape(batch.size(), l)));
  }

  /** Greedy captions of up to {@code evalClips} val clips, graded against their reference captions. */
  static CaptionScores evaluate(CaptionerModel model, CaptionerTrainingConfig cfg, Storage storage) {
    CaptionScores scores = new CaptionScores();
    CaptionerConfig c = model.config();
    int frameBytes = c.height() * c.width() * 3;
    int seen = 0;
    for (DatasetBatch batch : new ShardReader(storage, cfg.data(), DatasetLayout.VAL, null, EVAL_BATCH, -1, 1)) {
      requireSize(batch, c);
      int n = Math.min(batch.size(), cfg.evalClips() - seen);
      if (n <= 0) {
        break;
      }
      byte[] frames = new byte[n * c.frames() * frameBytes];
      for (int i = 0; i < n; i++) {
        FrameSampler.copy(batch.pixels(), i * batch.clipBytes(), frameBytes,
            FrameSampler.indices(batch.frames(), c.frames(), 0, null), frames, i * c.frames() * frameBytes);
      }
      List<Caption> got = model.caption(frames, n, 1);
      for (int i = 0; i < n; i++) {
        scores.add(got.get(i).text(), batch.captions().get(i));
      }
      seen += n;
    }
    System.err.println("train-captioner: val " + scores);
    return scores;
  }

  /** The span of the longest training clips: what the caption job will show the model of a clip ({@link CaptionWindow}). */
  static double trainWindow(Storage storage, String data) {
    return CaptionWindow.ofBuckets(new ShardReader(storage, data, DatasetLayout.TRAIN, null, 1, -1, 1).bucketNames());
  }

  private static ModelRef publish(CaptionerModel model, CaptionerTrainingConfig cfg, Registry registry, String parent,
      List<double[]> log, Map<String, Object> metrics, Storage storage, Map<String, Object> moreFacts)
      throws IOException {
    return Publishing.staged("ying-captioner-", dir -> {
      model.save(dir);
      Publishing.writeLossLog(dir, log, "Loss");
      Map<String, Object> extra = Publishing.runFacts(cfg.command(), cfg.seed(), cfg.steps(), cfg.batch(),
          cfg.learningRate());
      extra.put("mirror", cfg.mirror());
      extra.put(CaptionWindow.MANIFEST_KEY, trainWindow(storage, cfg.data()));
      extra.putAll(moreFacts);
      ModelRef ref = registry.publish(dir, new Registry.Publication(cfg.name(), parent, Storage.normalise(cfg.data()),
          Publishing.datasetHash(storage, cfg.data()), metrics, model.config().toJson(JSON), extra));
      System.err.println("train-captioner: published " + ref + " to " + registry.root());
      return ref;
    });
  }
}
