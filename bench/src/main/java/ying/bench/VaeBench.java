package ying.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.registry.Checkpoint;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.io.Storage;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeCost;
import ying.inference.vae.VaeModel;

/**
 * Encode + decode of one clip with the VAE, against a large matrix product measured in the same
 * run: seconds per clip, and the GFLOP/s the VAE's convolutions reach as a fraction of what the
 * matrix product reaches on the same cores (the best a dense kernel does here).
 */
@Command(name = "vae-bench", mixinStandardHelpOptions = true,
    description = "Time VAE encode + decode of one clip and compare its GFLOP/s with a large matrix product's.")
public final class VaeBench implements Callable<Integer> {
  @Option(names = "--model", defaultValue = "vae",
      description = "VAE checkpoint in the default registry; random weights of the default config if absent (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--threads", defaultValue = "2", description = "libtorch intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--clip", defaultValue = "49x64x96", description = "FRAMESxHEIGHTxWIDTH (default: ${DEFAULT-VALUE}).")
  String clip;

  @Option(names = "--reps", defaultValue = "5", description = "Timed repetitions; the median is reported (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--warmups", defaultValue = "2", description = "Untimed repetitions first (default: ${DEFAULT-VALUE}).")
  int warmups;

  @Option(names = "--matmul", defaultValue = "2048", description = "Size N of the N x N matrix product (default: ${DEFAULT-VALUE}).")
  int n;

  public static void main(String[] args) {
    System.exit(new CommandLine(new VaeBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    int[] size = Arrays.stream(clip.split("x")).mapToInt(Integer::parseInt).toArray();
    int t = size[0];
    int h = size[1];
    int w = size[2];
    ai.djl.engine.Engine.getInstance(); // loads libtorch, which JniUtils needs
    JniUtils.setNumThreads(threads);
    System.out.printf(Locale.ROOT, "vae-bench: %d libtorch threads, %d CPUs, load %s%n", threads,
        Runtime.getRuntime().availableProcessors(), Machine.loadAverage());
    try (VaeModel vae = load(); NDManager m = NDManager.newBaseManager()) {
      VaeConfig c = vae.config();
      byte[] frames = new byte[t * h * w * 3];
      new Random(1).nextBytes(frames);
      double matmul = Matmul.gflops(m, n, reps, warmups);
      double[] enc = new double[reps];
      double[] dec = new double[reps];
      for (int i = -warmups; i < reps; i++) {
        try (NDManager scope = m.newSubManager()) {
          long t0 = System.nanoTime();
          NDArray z = vae.encode(scope, frames, t, h, w).mode();
          z.toFloatArray(); // waits for the result
          long t1 = System.nanoTime();
          vae.decode(z, (int) z.getShape().get(2)).toFloatArray();
          long t2 = System.nanoTime();
          if (i >= 0) {
            enc[i] = (t1 - t0) / 1e9;
            dec[i] = (t2 - t1) / 1e9;
          }
        }
      }
      double encS = Matmul.median(enc);
      double decS = Matmul.median(dec);
      long encMacs = VaeCost.encoderMacs(c, t, h, w);
      long decMacs = VaeCost.decoderMacs(c, t, h, w);
      double gflops = 2.0 * (encMacs + decMacs) / 1e9 / (encS + decS);
      System.out.printf(Locale.ROOT, "  matrix product %dx%d: %.1f GFLOP/s%n", n, n, matmul);
      System.out.printf(Locale.ROOT, "  encode %.2f s (%.1f GMAC), decode %.2f s (%.1f GMAC), total %.2f s per %s clip%n",
          encS, encMacs / 1e9, decS, decMacs / 1e9, encS + decS, clip);
      System.out.printf(Locale.ROOT, "  VAE %.1f GFLOP/s = %.0f%% of the matrix product's%n", gflops,
          100 * gflops / matmul);
      System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.1f | %.1f | %.0f%% |%n", clip, threads, encS,
          decS, encS + decS, gflops, matmul, 100 * gflops / matmul);
    }
    return 0;
  }

  private VaeModel load() throws Exception {
    Registry registry = new Registry(Storage.local(), Registry.defaultRoot());
    try (Checkpoint ckpt = registry.load(ModelRef.parse(model))) {
      System.out.println("vae-bench: " + ckpt.ref() + " from " + registry.root());
      return VaeModel.load(ckpt);
    } catch (Exception e) {
      System.out.println("vae-bench: no checkpoint " + model + " (" + e.getMessage() + "); default config, random"
          + " weights (speed does not depend on the weights)");
      return VaeModel.create(VaeConfig.defaults(), 0);
    }
  }
}
