package ying.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A raw latent file of toy pans for {@link TrainDitRaw} and {@link DirectionProbe}: each clip is one
 * random texture of release-shaped latents ({@code 16 x 5 x 8 x 12}, spread 0.5) rolled round the
 * width by {@code --cells-per-frame} latent cells each latent frame, to the left or to the right, and
 * captioned "The camera pans left." or "The camera pans right.". The direction is the caption's only
 * word and the motion is plain in every clip: whether a DiT can learn to read a direction at all.
 */
@Command(name = "toy-pans", mixinStandardHelpOptions = true,
    description = "Write a raw latent file of random textures rolled left or right, captioned with the direction.")
public final class ToyPans implements Callable<Integer> {
  static final int[] SHAPE = {16, 5, 8, 12};

  @Option(names = "--out", required = true, description = "The raw latent file (a .json of its provenance is written beside it).")
  Path out;

  @Option(names = "--clips", defaultValue = "4064", description = "Clips in all (default: ${DEFAULT-VALUE}).")
  int clips;

  @Option(names = "--val-clips", defaultValue = "64", description = "The last clips, kept for val (default: ${DEFAULT-VALUE}).")
  int valClips;

  @Option(names = "--cells-per-frame", defaultValue = "2", description = {"Latent cells the texture moves each latent",
      "frame; 2 is one DiT token of patch 2, 0 leaves it still (default: ${DEFAULT-VALUE})."})
  int cellsPerFrame;

  @Option(names = "--seed", defaultValue = "7", description = "Textures and directions (default: ${DEFAULT-VALUE}).")
  long seed;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ToyPans()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (clips < 1 || valClips < 1 || valClips >= clips || cellsPerFrame < 0) {
      throw new IllegalArgumentException("need 0 < --val-clips < --clips and --cells-per-frame >= 0");
    }
    int[] s = SHAPE;
    Random rng = new Random(seed);
    List<byte[]> z = new ArrayList<>();
    List<String> captions = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int i = 0; i < clips; i++) {
        boolean left = rng.nextBoolean();
        float[] texture = new float[s[0] * s[2] * s[3]];
        for (int k = 0; k < texture.length; k++) {
          texture[k] = (float) rng.nextGaussian() * 0.5f;
        }
        float[] clip = new float[s[0] * s[1] * s[2] * s[3]];
        for (int c = 0; c < s[0]; c++) {
          for (int t = 0; t < s[1]; t++) {
            // "Left" slides the picture left (frame t shows x + shift); a real pan left slides it right,
            // but the toy asks only that one word and one way of moving go together.
            int shift = (left ? 1 : -1) * cellsPerFrame * t;
            for (int y = 0; y < s[2]; y++) {
              for (int x = 0; x < s[3]; x++) {
                clip[((c * s[1] + t) * s[2] + y) * s[3] + x] = texture[(c * s[2] + y) * s[3] + Math.floorMod(x + shift, s[3])];
              }
            }
          }
        }
        z.add(manager.create(clip, new Shape(clip.length)).toType(DataType.FLOAT16, false).toByteArray());
        captions.add(left ? "The camera pans left." : "The camera pans right.");
      }
    }
    // The pixel size a release VAE (4x in time, 8x in space) would have made these latents from.
    new RawLatents(1 + 4 * (s[1] - 1), 8 * s[2], 8 * s[3], s, z, captions).write(out);
    Files.writeString(Path.of(out + ".json"), RawRun.JSON.writeValueAsString(RawRun.JSON.createObjectNode()
        .put("dataset", "toy-pans").put("val_clips", valClips).put("cells_per_frame", cellsPerFrame).put("seed", seed)));
    System.err.printf("toy-pans: %d clips (%d val) moving %d cells a latent frame: %s%n", clips, valClips, cellsPerFrame,
        out);
    return 0;
  }
}
