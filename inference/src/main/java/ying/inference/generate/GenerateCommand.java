package ying.inference.generate;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import ying.core.cli.Progress;
import ying.core.cli.YingCommand;
import ying.core.io.Storage;
import ying.core.registry.ModelRef;
import ying.core.registry.Registry;
import ying.core.spark.Sessions;

/** {@code ying generate}: a prompt (and optionally a first frame) to an H.264 MP4 and a contact sheet. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Generate a video from a prompt with a DiT checkpoint and the VAE it was trained with: DDIM",
        "sampling with classifier-free guidance, VAE decode, H.264 MP4 plus a contact-sheet PNG beside it.",
        "The same seed gives the same bytes."})
public final class GenerateCommand implements YingCommand {
  @Option(names = "--prompt", required = true, description = "What the video shows, in plain words.")
  String prompt;

  @Option(names = "--out", required = true, paramLabel = "FILE.mp4", description = "The MP4 to write (any URI).")
  String out;

  @Option(names = "--image", paramLabel = "FILE.png", description = {"First frame, for an image-to-video checkpoint (one trained with",
      "--image-dropout may go without it, from text alone)."})
  String image;

  @Mixin SamplingOptions sampling;

  @Option(names = "--music", paramLabel = "FILE", description = "An audio file muxed in, cut to the video's length.")
  String music;

  @Option(names = "--conf", paramLabel = "FILE",
      description = {"A Spark properties file (see conf/); its spark.hadoop.* entries set up storage, e.g. s3a.",
          "Repeatable: a later file wins."})
  List<String> conf = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Storage storage = new Storage(Sessions.hadoopConfiguration(conf));
    SamplingOptions o = sampling;
    Registry r = new Registry(storage, o.registryRoot());
    try (Generator g = Generator.load(r, ModelRef.parse(o.checkpoint()),
        o.vae() == null ? null : ModelRef.parse(o.vae()))) {
      byte[] first = image == null ? null : readImage(storage, image, o.width(), o.height());
      System.err.printf(Locale.ROOT, "ying generate: %s with %s, %d frames of %dx%d, %d steps, guidance %.1f,"
          + " seed %d%n", g.ditRef(), g.vaeRef(), o.frames(), o.width(), o.height(), o.steps(), o.guidance(), o.seed());
      Progress progress = new Progress("generate", "steps", o.steps());
      byte[] video = Generation.run(g.dit(), g.vae(), new Generation.Request(prompt, first, o.frames(), o.height(),
          o.width(), o.steps(), o.guidance(), o.seed(), o.sampler()), progress::update);
      GeneratedVideo.write(storage, out, video, o.frames(), o.width(), o.height(), o.fps(), music);
      System.out.println("wrote " + out + " and " + GeneratedVideo.sheetOf(out));
    }
    return 0;
  }

  /** An image file scaled to cover {@code w x h} and centre-cropped, as RGB bytes. */
  static byte[] readImage(Storage storage, String uri, int w, int h) throws Exception {
    BufferedImage img;
    try (InputStream in = storage.open(Storage.normalise(uri))) {
      img = ImageIO.read(in);
    }
    if (img == null) {
      throw new IllegalArgumentException(uri + " is not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
    }
    double s = Math.max(w / (double) img.getWidth(), h / (double) img.getHeight());
    int sw = (int) Math.ceil(img.getWidth() * s);
    int sh = (int) Math.ceil(img.getHeight() * s);
    BufferedImage scaled = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
    var g = scaled.createGraphics();
    g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, sw, sh, null);
    g.dispose();
    int x0 = (sw - w) / 2;
    int y0 = (sh - h) / 2;
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = scaled.getRGB(x0 + x, y0 + y);
        int o = (y * w + x) * 3;
        rgb[o] = (byte) (p >> 16);
        rgb[o + 1] = (byte) (p >> 8);
        rgb[o + 2] = (byte) p;
      }
    }
    return rgb;
  }
}
