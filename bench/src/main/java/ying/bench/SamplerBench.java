package ying.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.io.Storage;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.text.Tokenizer;
import ying.inference.dit.DitConfig;
import ying.inference.dit.DitCost;
import ying.inference.dit.DitModel;
import ying.inference.generate.Generation;
import ying.inference.generate.Generator;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeCost;
import ying.inference.vae.VaeModel;

/**
 * Text-to-video generation of one clip (DDIM with classifier-free guidance, then the VAE decode)
 * against a large matrix product in the same run: seconds per clip, and the GFLOP/s the sampler's
 * DiT passes reach as a fraction of the matrix product's. The VAE decode is timed on its own too
 * and subtracted to give the sampler's share.
 */
@Command(name = "sampler-bench", mixinStandardHelpOptions = true,
    description = "Time generate (sampling + VAE decode) of one clip and compare the sampler's GFLOP/s with a matrix product's.")
public final class SamplerBench implements Callable<Integer> {
  @Option(names = "--checkpoint", defaultValue = "dit",
      description = "DiT checkpoint in the default registry; random weights of the default configs if absent (default: ${DEFAULT-VALUE}).")
  String checkpoint;

  @Option(names = "--threads", defaultValue = "2", description = "libtorch intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--frames", defaultValue = "49", description = "Frames, 1+4k (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--steps", defaultValue = "50", description = "Sampling steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--guidance", defaultValue = "6", description = "Classifier-free guidance (default: ${DEFAULT-VALUE}).")
  float guidance;

  @Option(names = "--reps", defaultValue = "3", description = "Timed repetitions; the median is reported (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--warmups", defaultValue = "1", description = "Untimed repetitions first (default: ${DEFAULT-VALUE}).")
  int warmups;

  @Option(names = "--matmul", defaultValue = "2048", description = "Size N of the N x N matrix product (default: ${DEFAULT-VALUE}).")
  int n;

  private static final int HEIGHT = 64;
  private static final int WIDTH = 96;
  private static final String PROMPT =
      "The camera pans left. On a blue grid background, a large red circle moves right. Flat style.";

  public static void main(String[] args) {
    System.exit(new CommandLine(new SamplerBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    ai.djl.engine.Engine.getInstance(); // loads libtorch, which JniUtils needs
    JniUtils.setNumThreads(threads);
    System.out.printf(Locale.ROOT, "sampler-bench: %d libtorch threads, %d CPUs, load %s%n", threads,
        Runtime.getRuntime().availableProcessors(), Machine.loadAverage());
    Registry registry = new Registry(Storage.local(), Registry.defaultRoot());
    try (Models models = load(registry); NDManager m = NDManager.newBaseManager()) {
      VaeConfig v = models.vae.config();
      int latentFrames = v.latentFrames(frames);
      int h = HEIGHT / v.spatialFactor();
      int w = WIDTH / v.spatialFactor();
      double matmul = Matmul.gflops(m, n, reps, warmups);
      double[] total = new double[reps];
      double[] decode = new double[reps];
      for (int i = -warmups; i < reps; i++) {
        long t0 = System.nanoTime();
        Generation.run(models.dit, models.vae, new Generation.Request(PROMPT, null, frames, HEIGHT, WIDTH, steps,
            guidance, 1, "ddim"), s -> { });
        long t1 = System.nanoTime();
        try (NDManager scope = m.newSubManager()) {
          NDArray z = scope.randomNormal(new Shape(1, v.latentChannels(), latentFrames, h, w));
          long t2 = System.nanoTime();
          models.vae.decode(z, latentFrames).toFloatArray();
          if (i >= 0) {
            total[i] = (t1 - t0) / 1e9;
            decode[i] = (System.nanoTime() - t2) / 1e9;
          }
        }
      }
      double totalS = Matmul.median(total);
      double decodeS = Matmul.median(decode);
      double samplerS = totalS - decodeS;
      // Each step runs the DiT on a batch of two (with and without the prompt).
      long samplerMacs = 2L * steps * DitCost.forwardMacs(models.dit.config(), latentFrames, h, w);
      double gflops = 2.0 * samplerMacs / 1e9 / samplerS;
      long decodeMacs = VaeCost.decoderMacs(v, frames, HEIGHT, WIDTH);
      System.out.printf(Locale.ROOT, "  matrix product %dx%d: %.1f GFLOP/s%n", n, n, matmul);
      System.out.printf(Locale.ROOT, "  generate %.2f s per %dx%dx%d clip, %d steps, guidance %.1f: sampler %.2f s"
          + " (%.1f GMAC), VAE decode %.2f s (%.1f GMAC)%n", totalS, frames, HEIGHT, WIDTH, steps, guidance, samplerS,
          samplerMacs / 1e9, decodeS, decodeMacs / 1e9);
      System.out.printf(Locale.ROOT, "  sampler %.1f GFLOP/s = %.0f%% of the matrix product's%n", gflops,
          100 * gflops / matmul);
      System.out.printf(Locale.ROOT, "| %s | %d | %d | %.2f | %.2f | %.2f | %.1f | %.1f | %.0f%% |%n", models.what,
          threads, steps, totalS, samplerS, decodeS, gflops, matmul, 100 * gflops / matmul);
    }
    return 0;
  }

  private record Models(DitModel dit, VaeModel vae, String what) implements AutoCloseable {
    @Override
    public void close() {
      dit.close();
      vae.close();
    }
  }

  private Models load(Registry registry) throws Exception {
    if (!registry.versions(ModelRef.parse(checkpoint).name()).isEmpty()) {
      Generator g = Generator.load(registry, ModelRef.parse(checkpoint));
      System.out.println("sampler-bench: " + g.ditRef() + " with " + g.vaeRef() + " from " + registry.root());
      return new Models(g.dit(), g.vae(), g.ditRef() + " + " + g.vaeRef());
    }
    System.out.println("sampler-bench: no checkpoint " + checkpoint + " in " + registry.root() + "; default configs,"
        + " random weights (speed does not depend on the weights)");
    Tokenizer tokenizer = Tokenizer.build(List.of(PROMPT));
    return new Models(DitModel.create(DitConfig.defaults(tokenizer.size(), false, 1f), tokenizer, 0),
        VaeModel.create(VaeConfig.defaults(), 0), "random default DiT + VAE");
  }
}
