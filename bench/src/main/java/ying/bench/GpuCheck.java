package ying.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.dataset.DatasetBatch;
import ying.core.djl.Devices;
import ying.core.djl.Weights;
import ying.core.text.Tokenizer;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitModel;
import ying.inference.dit.NoiseSchedule;
import ying.inference.generate.Generation;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.inference.vae.VideoTensors;
import ying.trainer.dit.DitObjective;
import ying.trainer.dit.DitTrainer;
import ying.trainer.dit.TrainDitCommand;
import ying.trainer.vae.TrainVaeCommand;
import ying.trainer.vae.VaeTrainer;

/**
 * The trainer's and the generator's own steps on whatever device the engine picks, for a GPU check
 * run twice on one machine: first with the GPU hidden ({@code CUDA_VISIBLE_DEVICES=}), which saves
 * its weights, outputs and timings to {@code --out}; then with the GPU, {@code --baseline} naming the
 * first run, which loads the same weights, checks that every parameter, gradient and VAE input lives
 * on the GPU, that losses and the generated clip agree with the CPU's, and prints the speed-up of
 * each workload.
 * Random weights of the release configs (dit@3, vae@3) and of wider ones: speed does not depend on
 * the weights' values, and agreement between devices is as telling on random weights as on trained.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
    description = "Train and generate on the engine's device; with --baseline, compare with a CPU run's results.")
public final class GpuCheck implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "Folder for this run's results (and weights).")
  Path out;

  @Option(names = "--baseline", description = "A CPU run's --out: load its weights, compare, print speed-ups.")
  Path baseline;

  @Option(names = "--allow-cpu", description = "Compare with --baseline even without a GPU (to test this check).")
  boolean allowCpu;

  @Option(names = "--steps", defaultValue = "10", description = "Timed training steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--large-steps", defaultValue = "3",
      description = "Timed steps of the wide DiT and VAE, 0 to skip them (default: ${DEFAULT-VALUE}).")
  int largeSteps;

  @Option(names = "--wide-batch", defaultValue = "2",
      description = "Batch of the wide DiT, 49 frames of 128x192 (default: ${DEFAULT-VALUE}).")
  int wideBatch;

  @Option(names = "--warmups", defaultValue = "2", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmups;

  @Option(names = "--sampling-steps", defaultValue = "50",
      description = "DDIM steps of the generated clip (default: ${DEFAULT-VALUE}).")
  int samplingSteps;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROMPT =
      "The camera pans left. On a blue grid background, a large red circle moves right. Flat style.";
  /** Loss agreement between devices: float32 with reductions in another order, over a few Adam steps. */
  private static final double FIRST_LOSS_TOLERANCE = 1e-3;
  private static final double LAST_LOSS_TOLERANCE = 2e-2;
  private static final double VAE_LOSS_TOLERANCE = 5e-2;
  /** Mean absolute difference of the generated clip's bytes, of 255. */
  private static final double PIXEL_TOLERANCE = 2.0;

  private final List<String> failures = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new GpuCheck()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Engine engine = Engine.getInstance();
    Device device = Devices.current();
    Files.createDirectories(out);
    ObjectNode results = JSON.createObjectNode();
    results.put("engine", engine.getEngineName() + " " + engine.getVersion());
    results.put("device", device.toString());
    results.put("gpus", engine.getGpuCount());
    if (device.isGpu()) {
      results.put("cuda", CudaUtils.getCudaVersionString());
      results.put("compute_capability", CudaUtils.getComputeCapability(device.getDeviceId()));
    }
    results.put("cpus", Runtime.getRuntime().availableProcessors());
    System.out.println("gpu-check: " + results);
    JsonNode base = baseline == null ? null : JSON.readTree(baseline.resolve("results.json").toFile());
    if (base != null && !device.isGpu() && !allowCpu) {
      failures.add("--baseline given but the engine sees no GPU (" + engine.getGpuCount() + " GPUs)");
      return finish(results, base);
    }

    Tokenizer tokenizer = Tokenizer.build(prompts());
    // The shapes train-dit --width/--blocks and train-vae --channels/--res-blocks build.
    DitConfig release = TrainDitCommand.architecture(192, 6, false).forData(tokenizer.size(), 0.53f, false); // dit@3's
    DitConfig wide = TrainDitCommand.architecture(768, 12, false).forData(tokenizer.size(), 0.53f, false);
    VaeConfig vaeRelease = VaeConfig.defaults(); // vae@3's
    VaeConfig vaeWide = TrainVaeCommand.architecture(32, 2);

    try (DitModel dit = DitModel.create(release, tokenizer, 1); VaeModel vae = VaeModel.create(vaeRelease, 2)) {
      shareWeights(dit.djlModel(), DitModel.PARAMS, vae.djlModel(), VaeModel.PARAMS);
      requireOn(device, "dit@3-sized DiT", dit.djlModel().getBlock().getParameters());
      requireOn(device, "vae@3-sized VAE", vae.djlModel().getBlock().getParameters());
      // Generation first: training below changes the weights.
      results.set("generate", generate(dit, vae, device));
      results.set("train_dit", trainDit(dit, 8, new long[] {16, 5, 8, 12}, warmups, steps, device));
      results.set("train_vae", trainVae(vae, 2, 49, 32, 32, warmups, steps, device));
    }
    if (largeSteps > 0) {
      try (DitModel dit = DitModel.create(wide, tokenizer, 3)) {
        results.set("train_dit_wide", trainDit(dit, wideBatch, new long[] {16, 13, 16, 24}, 1, largeSteps, device));
      }
      try (VaeModel vae = VaeModel.create(vaeWide, 4)) {
        results.set("train_vae_wide", trainVae(vae, 2, 49, 64, 64, 1, largeSteps, device));
      }
    }
    return finish(results, base);
  }

  /** CPU run: round and save the weights; GPU run: load the CPU run's. */
  private void shareWeights(ai.djl.Model dit, String ditName, ai.djl.Model vae, String vaeName) throws Exception {
    if (baseline == null) {
      Weights.saveHalf(dit, out.resolve("dit"), ditName);
      Weights.saveHalf(vae, out.resolve("vae"), vaeName);
    } else {
      Weights.loadHalf(dit, baseline.resolve("dit"), ditName);
      Weights.loadHalf(vae, baseline.resolve("vae"), vaeName);
    }
  }

  private ObjectNode generate(DitModel dit, VaeModel vae, Device device) throws IOException {
    Generation.Request r = new Generation.Request(PROMPT, null, 49, 64, 96, samplingSteps, 6f, 7, "ddim");
    Generation.run(dit, vae, new Generation.Request(PROMPT, null, 49, 64, 96, 2, 6f, 7, "ddim"), s -> { });
    long t0 = System.nanoTime();
    byte[] clip = Generation.run(dit, vae, r, s -> { });
    double seconds = (System.nanoTime() - t0) / 1e9;
    Files.write(out.resolve("generated.bin"), clip);
    ObjectNode n = JSON.createObjectNode();
    n.put("what", "text-to-video, 49x64x96, " + samplingSteps + " DDIM steps with guidance, VAE decode");
    n.put("seconds", seconds);
    n.put("device", device.toString());
    double mean = 0;
    for (byte b : clip) {
      mean += b & 0xff;
    }
    n.put("mean_pixel", mean / clip.length);
    System.out.printf(Locale.ROOT, "gpu-check: generate %.2f s%n", seconds);
    return n;
  }

  private ObjectNode trainDit(DitModel dit, int batch, long[] latent, int warm, int timed, Device device) {
    Random rng = new Random(11);
    List<String> captions = new ArrayList<>(prompts().subList(0, batch));
    int values = Math.toIntExact(batch * latent[0] * latent[1] * latent[2] * latent[3]);
    ByteBuffer half = ByteBuffer.allocate(values * 2).order(ByteOrder.LITTLE_ENDIAN);
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      // Latents as the shards store them: float16 little-endian.
      float[] z = new float[values];
      for (int i = 0; i < values; i++) {
        z[i] = (float) rng.nextGaussian();
      }
      half.put(m.create(z).toType(ai.djl.ndarray.types.DataType.FLOAT16, false).toByteBuffer());
    }
    int[] clipShape = {(int) latent[0], (int) latent[1], (int) latent[2], (int) latent[3]};
    DatasetBatch b = new DatasetBatch(Collections.nCopies(batch, "clip"), captions, 1, 1, 1, new byte[0],
        half.array(), clipShape);
    NoiseSchedule schedule = NoiseSchedule.defaults();
    List<Double> losses = new ArrayList<>();
    try (Trainer trainer = dit.djlModel().newTrainer(DitTrainer.trainingConfig(Tracker.fixed(1e-4f)))) {
      return timeSteps("train-dit " + dit.config().dim() + "x" + dit.config().layers(), warm, timed, losses, device,
          () -> {
            try (NDManager scope = dit.djlModel().getNDManager().newSubManager()) {
              float loss = DitTrainer.backward(trainer, dit, b, schedule, rng, DitObjective.captionDropout(0.1f), scope);
              requireOn(device, "DiT gradients", dit.djlModel().getBlock().getParameters());
              trainer.step();
              return loss;
            }
          }, "batch " + batch + " of latents " + java.util.Arrays.toString(latent));
    }
  }

  private ObjectNode trainVae(VaeModel vae, int batch, int t, int h, int w, int warm, int timed, Device device) {
    Random rng = new Random(13);
    byte[] frames = new byte[batch * t * h * w * 3];
    rng.nextBytes(frames);
    List<Double> losses = new ArrayList<>();
    try (Trainer trainer = vae.djlModel().newTrainer(VaeTrainer.trainingConfig(Tracker.fixed(2e-4f)))) {
      return timeSteps("train-vae " + vae.config().baseChannels() + "ch", warm, timed, losses, device, () -> {
        try (NDManager scope = vae.djlModel().getNDManager().newSubManager()) {
          NDArray video = VideoTensors.fromBytes(scope, frames, t, h, w);
          requireOn(device, "VAE input", video);
          float loss = VaeTrainer.backward(trainer, video, 1e-6f).total();
          trainer.step();
          return loss;
        }
      }, "batch " + batch + " of " + t + "x" + h + "x" + w + " crops");
    }
  }

  interface Step {
    float run();
  }

  private ObjectNode timeSteps(String what, int warm, int timed, List<Double> losses, Device device, Step step,
      String shape) {
    for (int i = 0; i < warm; i++) {
      losses.add((double) step.run());
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < timed; i++) {
      losses.add((double) step.run()); // reading the loss waits for the device
    }
    double perStep = (System.nanoTime() - t0) / 1e9 / timed;
    System.out.printf(Locale.ROOT, "gpu-check: %s, %s: %.4f s/step, losses %s%n", what, shape, perStep, losses);
    ObjectNode n = JSON.createObjectNode();
    n.put("what", what + ", " + shape);
    n.put("seconds_per_step", perStep);
    n.put("device", device.toString());
    ArrayNode l = n.putArray("losses");
    losses.forEach(l::add);
    return n;
  }

  private void requireOn(Device device, String what, ai.djl.util.PairList<String, Parameter> params) {
    for (Pair<String, Parameter> p : params) {
      NDArray a = p.getValue().getArray();
      if (!a.getDevice().equals(device)) {
        failures.add(what + ": " + p.getKey() + " on " + a.getDevice() + ", not " + device);
        return;
      }
      if (a.hasGradient() && !a.getGradient().getDevice().equals(device)) {
        failures.add(what + ": gradient of " + p.getKey() + " on " + a.getGradient().getDevice());
        return;
      }
    }
  }

  private void requireOn(Device device, String what, NDArray a) {
    if (!a.getDevice().equals(device)) {
      failures.add(what + " on " + a.getDevice() + ", not " + device);
    }
  }

  private int finish(ObjectNode results, JsonNode base) throws IOException {
    if (base != null && failures.isEmpty()) {
      compare(results, base);
    }
    ArrayNode f = results.putArray("failures");
    failures.forEach(f::add);
    JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve("results.json").toFile(), results);
    failures.forEach(x -> System.out.println("gpu-check: FAILED: " + x));
    System.out.println(failures.isEmpty() ? "gpu-check: passed" : "gpu-check: " + failures.size() + " failures");
    return failures.isEmpty() ? 0 : 1;
  }

  private void compare(ObjectNode gpu, JsonNode cpu) throws IOException {
    System.out.printf(Locale.ROOT, "| workload | %s | %s | speed-up |%n", cpu.path("device").asText(),
        gpu.path("device").asText());
    System.out.println("|---|---|---|---|");
    for (String k : List.of("train_dit", "train_vae", "train_dit_wide", "train_vae_wide")) {
      JsonNode c = cpu.path(k);
      JsonNode g = gpu.path(k);
      if (c.isMissingNode() || g.isMissingNode()) {
        continue;
      }
      double cs = c.path("seconds_per_step").asDouble();
      double gs = g.path("seconds_per_step").asDouble();
      System.out.printf(Locale.ROOT, "| %s | %.3f s/step | %.4f s/step | %.1fx |%n", g.path("what").asText(), cs, gs,
          cs / gs);
      if (k.endsWith("_wide")) {
        continue; // different random weights on each device: no agreement to check
      }
      JsonNode cl = c.path("losses");
      JsonNode gl = g.path("losses");
      if (k.equals("train_vae")) {
        // The VAE samples its posterior with the device's own random generator: only close, not equal.
        agree(k + " first loss", cl.get(0).asDouble(), gl.get(0).asDouble(), VAE_LOSS_TOLERANCE);
        continue;
      }
      int last = Math.min(cl.size(), gl.size()) - 1; // the same step on both devices
      agree(k + " first loss", cl.get(0).asDouble(), gl.get(0).asDouble(), FIRST_LOSS_TOLERANCE);
      agree(k + " loss at step " + (last + 1), cl.get(last).asDouble(), gl.get(last).asDouble(), LAST_LOSS_TOLERANCE);
    }
    double cs = cpu.path("generate").path("seconds").asDouble();
    double gs = gpu.path("generate").path("seconds").asDouble();
    System.out.printf(Locale.ROOT, "| %s | %.2f s | %.2f s | %.1fx |%n", gpu.path("generate").path("what").asText(),
        cs, gs, cs / gs);
    byte[] c = Files.readAllBytes(baseline.resolve("generated.bin"));
    byte[] g = Files.readAllBytes(out.resolve("generated.bin"));
    double diff = 0;
    for (int i = 0; i < c.length; i++) {
      diff += Math.abs((c[i] & 0xff) - (g[i] & 0xff));
    }
    diff /= c.length;
    gpu.with("generate").put("mean_abs_diff_vs_cpu", diff);
    System.out.printf(Locale.ROOT, "gpu-check: generated clip differs from the CPU's by %.3f of 255 on average%n",
        diff);
    if (c.length != g.length || !(diff <= PIXEL_TOLERANCE)) {
      failures.add("generated clip differs from the CPU's by " + diff + " of 255 on average (tolerance "
          + PIXEL_TOLERANCE + ")");
    }
  }

  private void agree(String what, double cpu, double gpu, double tolerance) {
    double rel = Math.abs(cpu - gpu) / Math.max(Math.abs(cpu), 1e-12);
    System.out.printf(Locale.ROOT, "gpu-check: %s: cpu %.6f, gpu %.6f (relative difference %.2e)%n", what, cpu, gpu,
        rel);
    if (!(rel <= tolerance)) {
      failures.add(what + " differs by " + rel + " (tolerance " + tolerance + ")");
    }
  }

  private static List<String> prompts() {
    return List.of(PROMPT,
        "The camera pans right. On a sandy dotted background, a large yellow star rotates. Glowing style.",
        "The camera zooms in. On a sunset gradient background, a small green heart shrinks. Outlined style.",
        "The camera is static. On a black background, a small white square moves down. Flat style.",
        "The camera tilts up. On a blue grid background, a large purple triangle grows. Glowing style.",
        "The camera pans left. On a sandy dotted background, a small cyan circle moves left. Flat style.",
        "The camera zooms out. On a black background, a large orange star stays still. Outlined style.",
        "The camera is static. On a sunset gradient background, a large red heart rotates. Flat style.");
  }
}
