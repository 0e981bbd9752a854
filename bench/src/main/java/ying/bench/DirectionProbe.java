package ying.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.dataset.DatasetBatch;
import ying.core.synth.Directions;
import ying.core.synth.ObjectWords;
import ying.core.text.Tokenizer;
import ying.inference.dit.DdimSampler;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitModel;
import ying.inference.dit.NoiseSchedule;
import ying.trainer.dit.DitTrainer;

/**
 * Does a DiT read the words that say which way things move? Sampling cannot tell a model that
 * ignores "left" from one that reads it but draws too little motion; the loss can. For the val
 * clips of a raw latent file, the v-loss of the true caption is set against the loss of the same
 * caption with the camera's direction turned round ("pans left" for "pans right"), with the
 * objects' directions turned round (left for right, up for down), with each object's shape, colour
 * or size changed ({@link ObjectWords}: how well the words the videos are graded on are read, set
 * beside the directions), and with no caption at all, each
 * at fixed noise levels with the same noise. A model that reads a word fits its clips worse when
 * the word lies; one that ignores it scores both alike. An image-to-video DiT gets each clip's own
 * first latent frame beside the noisy latents, as in training, or with --no-frame a zeroed one, as
 * an image-to-video DiT trained with image dropout sees a clip from text alone.
 */
@Command(name = "direction-probe", mixinStandardHelpOptions = true,
    description = "Print a DiT's val v-loss with true captions against captions whose directions are turned round.")
public final class DirectionProbe implements Callable<Integer> {
  @Option(names = "--dit", required = true, description = "A DiT checkpoint folder (e.g. models/dit/4) or a TrainDitRaw --out folder.")
  Path dit;

  @Option(names = "--latents", required = true, description = "A raw latent file from ExportClips --latents (its val clips are read, unless --train-clips).")
  Path latents;

  @Option(names = "--steps", split = ",", defaultValue = "100,300,500,700,900",
      description = "Noise steps of the 1,000-step schedule (default: ${DEFAULT-VALUE}).")
  int[] steps;

  @Option(names = "--batch", defaultValue = "16", description = "Clips per forward pass (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seed", defaultValue = "0", description = "The noise (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--train-clips", paramLabel = "N", description = {"Probe the file's first N training clips instead of",
      "its val clips: has a run learnt the words only on the clips it saw?"})
  Integer trainClips;

  @Option(names = "--no-frame", description = "An image-to-video DiT gets a zeroed first frame: text alone.")
  boolean noFrame;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DirectionProbe()).execute(args));
  }

  /** A turned caption's mean loss gap over the clips whose caption the turn changed, and how many of them it made worse. */
  record Gap(double mean, int worse, int of) {
    @Override
    public String toString() {
      return of == 0 ? "-" : String.format(Locale.ROOT, "%+.4f, %d of %d", mean, worse, of);
    }
  }

  /**
   * One noise step's result: the true captions' mean loss, the gaps of the two turns of direction and
   * of the three turns of the objects' words ({@link ObjectWords}), and the gap of no caption.
   */
  record Row(int step, double truth, Gap camera, Gap objects, Gap shapes, Gap colours, Gap sizes, double noCaption) {}

  @Override
  public Integer call() throws Exception {
    RawLatents data = RawLatents.read(latents);
    RawRun run = RawRun.ofLatents(latents, data);
    DitConfig config = config(dit);
    if (noFrame && !config.imageToVideo()) {
      throw new IllegalArgumentException("--no-frame zeroes an image-to-video DiT's first frame; " + dit
          + " is text-to-video");
    }
    String kind = trainClips == null ? "val" : "training";
    int from = trainClips == null ? run.trainClips : 0;
    int to = trainClips == null ? data.latents.size() : Math.min(trainClips, run.trainClips);
    List<DatasetBatch> clips = to > from ? data.batches(from, to, batch) : List.of();
    if (clips.isEmpty()) {
      throw new IllegalArgumentException(latents + " holds no " + kind + " clips to probe");
    }
    try (DitModel model = DitModel.load(dit, config, Tokenizer.load(dit.resolve(DitModel.TOKENIZER_FILE)))) {
      System.out.printf(Locale.ROOT, "%s%s on %d %s clips of %s (%d name a camera pan, %d an object's travel)%n",
          dit, noFrame ? " without first frames" : "", to - from, kind, latents,
          count(changed(clips, Directions::turnCamera)), count(changed(clips, Directions::turnObjects)));
      System.out.println("| step | true caption | camera turned (gap, worse in) | objects turned (gap, worse in) "
          + "| shapes turned | colours turned | sizes turned | no caption (gap) |");
      System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
      for (int t : steps) {
        Row r = row(model, clips, t, seed, !noFrame);
        System.out.printf(Locale.ROOT, "| %d | %.4f | %s | %s | %s | %s | %s | %+.4f |%n", t, r.truth(), r.camera(),
            r.objects(), r.shapes(), r.colours(), r.sizes(), r.noCaption());
      }
    }
    return 0;
  }

  /**
   * The probe of the clips in {@code batches} at noise step t, with noise drawn from {@code seed};
   * an image-to-video DiT gets each clip's first frame if {@code frame}, else zeros.
   */
  static Row row(DitModel model, List<DatasetBatch> batches, int t, long seed, boolean frame) {
    NoiseSchedule schedule = NoiseSchedule.defaults();
    if (t < 0 || t >= schedule.steps()) {
      throw new IllegalArgumentException("noise steps lie in 0.." + (schedule.steps() - 1) + ", got " + t);
    }
    double[] truth = losses(model, batches, t, schedule, seed, frame, c -> c);
    double[] none = losses(model, batches, t, schedule, seed, frame, c -> null);
    double base = Arrays.stream(truth).average().orElse(Double.NaN);
    return new Row(t, base, turned(model, batches, t, schedule, seed, frame, truth, Directions::turnCamera),
        turned(model, batches, t, schedule, seed, frame, truth, Directions::turnObjects),
        turned(model, batches, t, schedule, seed, frame, truth, ObjectWords::turnShapes),
        turned(model, batches, t, schedule, seed, frame, truth, ObjectWords::turnColours),
        turned(model, batches, t, schedule, seed, frame, truth, ObjectWords::turnSizes),
        Arrays.stream(none).average().orElse(Double.NaN) - base);
  }

  private static Gap turned(DitModel model, List<DatasetBatch> batches, int t, NoiseSchedule schedule, long seed,
      boolean frame, double[] truth, UnaryOperator<String> turn) {
    return gap(truth, losses(model, batches, t, schedule, seed, frame, turn), changed(batches, turn));
  }

  private static float[] filled(int n, float value) {
    float[] out = new float[n];
    Arrays.fill(out, value);
    return out;
  }

  /** A checkpoint's config (its manifest's) or a TrainDitRaw run folder's (config.json). */
  static DitConfig config(Path dir) throws IOException {
    return DitConfig.fromJson(RawRun.networkConfig(dir));
  }

  private static boolean[] changed(List<DatasetBatch> batches, UnaryOperator<String> turn) {
    List<String> captions = batches.stream().flatMap(b -> b.captions().stream()).toList();
    boolean[] out = new boolean[captions.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = !turn.apply(captions.get(i)).equals(captions.get(i));
    }
    return out;
  }

  private static int count(boolean[] flags) {
    int n = 0;
    for (boolean f : flags) {
      n += f ? 1 : 0;
    }
    return n;
  }

  private static Gap gap(double[] truth, double[] turned, boolean[] changed) {
    double sum = 0;
    int worse = 0;
    for (int i = 0; i < truth.length; i++) {
      if (changed[i]) {
        sum += turned[i] - truth[i];
        worse += turned[i] > truth[i] ? 1 : 0;
      }
    }
    int n = count(changed);
    return new Gap(n == 0 ? Double.NaN : sum / n, worse, n);
  }

  /**
   * Each clip's v-loss at step t with its caption as {@code caption} rewrites it; every rewrite sees
   * the same noise (drawn from seed, t and the batch's place).
   */
  private static double[] losses(DitModel model, List<DatasetBatch> batches, int t, NoiseSchedule schedule, long seed,
      boolean frame, UnaryOperator<String> caption) {
    double[] out = new double[batches.stream().mapToInt(DatasetBatch::size).sum()];
    float a = (float) Math.sqrt(schedule.alphaBar(t));
    float s = (float) Math.sqrt(1 - schedule.alphaBar(t));
    int from = 0;
    for (DatasetBatch batch : batches) {
      int b = batch.size();
      try (NDManager scope = model.djlModel().getNDManager().newSubManager()) {
        List<String> captions = batch.captions().stream().map(caption).toList();
        NDArray x0 = DitTrainer.cleanLatents(scope, batch, model.config().latentScale());
        NDArray eps = DdimSampler.noise(scope, x0.getShape(), seed * 1_000_003L + t * 7919L + from);
        // Image-to-video: the clip's own first latent frame beside the noisy latents, as in training.
        DitTrainer.Noised noised = DitTrainer.noised(model.config(), x0, eps, filled(b, a), filled(b, s),
            filled(b, frame ? 1f : 0f));
        NDArray v = model.velocity(new ParameterStore(scope, false), noised.input(), scope.create(filled(b, t)),
            model.captions(scope, captions), false);
        float[] perClip = v.sub(noised.target()).square().reshape(b, -1).mean(new int[] {1}).toFloatArray();
        for (int k = 0; k < b; k++) {
          out[from + k] = perClip[k];
        }
      }
      from += b;
    }
    return out;
  }
}
