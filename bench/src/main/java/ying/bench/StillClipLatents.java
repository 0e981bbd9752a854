package ying.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.io.Storage;
import ying.core.video.FrameSpec;
import ying.core.video.Frames;
import ying.core.video.VideoReader;
import ying.inference.vae.VaeConfig;
import ying.inference.vae.VaeModel;
import ying.inference.vae.VideoTensors;

/**
 * How far a VAE's latents move over time when nothing in the picture does: one frame of a video,
 * repeated, encoded to the posterior mean, and the mean absolute change from each latent frame to
 * the next beside the latents' own mean magnitude, then each decoded frame's error against the
 * picture and its change from the frame before. A DiT has to reproduce whatever change a still
 * picture's latents show, on top of the clip's real motion.
 */
@Command(name = "still-clip-latents", mixinStandardHelpOptions = true,
    description = "Encode one video frame repeated over a clip and print how much each latent frame differs from the last.")
public final class StillClipLatents implements Callable<Integer> {
  @Option(names = "--vae", required = true, description = "A VAE checkpoint folder, e.g. models/vae/5.")
  Path vae;

  @Option(names = "--video", required = true, description = "The video whose frame is repeated (any FFmpeg-readable URI).")
  String video;

  @Option(names = "--at", defaultValue = "1.0", description = "Seconds into the video of that frame (default: ${DEFAULT-VALUE}).")
  double at;

  @Option(names = "--frames", defaultValue = "49", description = "Clip length, 1+4k frames (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--size", defaultValue = "96x64", description = "Frame size WxH (default: ${DEFAULT-VALUE}).")
  String size;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StillClipLatents()).execute(args));
  }

  /** The VAE of a checkpoint folder such as models/vae/5, its config read from the manifest beside it. */
  static VaeModel loadVae(Path dir) throws java.io.IOException {
    JsonNode manifest = RawRun.JSON.readTree(dir.resolve("manifest.json").toFile());
    return VaeModel.load(dir, VaeConfig.fromJson(manifest.get("config")));
  }

  @Override
  public Integer call() throws Exception {
    if (frames < 1 || (frames - 1) % 4 != 0) {
      throw new IllegalArgumentException("--frames must be 1+4k, got " + frames);
    }
    int[] wh = DecodeBench.parseSize(size);
    int w = wh[0];
    int h = wh[1];
    byte[] still;
    try (VideoReader reader = VideoReader.open(Storage.local(), video)) {
      Frames one = reader.read(at, at + reader.nativeFrameSeconds(), FrameSpec.of(0, w, h));
      still = java.util.Arrays.copyOf(one.rgb(), w * h * 3);
    }
    byte[] clip = new byte[frames * still.length];
    for (int t = 0; t < frames; t++) {
      System.arraycopy(still, 0, clip, t * still.length, still.length);
    }
    try (VaeModel model = loadVae(vae); NDManager m = NDManager.newBaseManager()) {
      NDArray mean = model.encode(m, clip, frames, h, w).mean(); // [1, C, 1+k, h/8, w/8]
      long k = mean.getShape().get(2);
      System.out.printf(Locale.ROOT, "%s, frame at %.2f s of %s repeated %d times: latents %s, mean |z| %.4f%n",
          vae, at, video, frames, mean.getShape(), mean.abs().mean().getFloat());
      for (long t = 1; t < k; t++) {
        float d = mean.get(":, :, " + t).sub(mean.get(":, :, " + (t - 1))).abs().mean().getFloat();
        System.out.printf(Locale.ROOT, "  latent frame %2d against %2d: mean |change| %.4f%n", t, t - 1, d);
      }
      // Whether the decoder undoes the settling: the reconstruction of a still clip should be still too.
      byte[] back = VideoTensors.toBytes(model.decode(mean, (int) k));
      int frameBytes = still.length;
      for (int t = 0; t < frames; t++) {
        double toStill = 0;
        double toLast = 0;
        for (int i = 0; i < frameBytes; i++) {
          int v = back[t * frameBytes + i] & 0xff;
          toStill += Math.abs(v - (still[i] & 0xff));
          toLast += t == 0 ? 0 : Math.abs(v - (back[(t - 1) * frameBytes + i] & 0xff));
        }
        System.out.printf(Locale.ROOT, "  decoded frame %2d: mean |error| %.2f of 255, mean |change from the last| %.2f%n",
            t, toStill / frameBytes, toLast / frameBytes);
      }
    }
    return 0;
  }
}
