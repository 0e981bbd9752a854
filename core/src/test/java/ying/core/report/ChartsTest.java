package ying.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
  /** A loss chart as the trainers draw it: two curves and a learning rate. */
  static List<Charts.Panel> lossChart() {
    double[] steps = new double[200];
    double[] loss = new double[200];
    double[] lr = new double[200];
    for (int i = 0; i < steps.length; i++) {
      steps[i] = i + 1;
      loss[i] = 1.0 / Math.sqrt(i + 1);
      lr[i] = 1e-4 * Math.cos(i / 200.0);
    }
    return List.of(
        new Charts.Series("v loss", "step", List.of("train", "val"), List.of(steps, new double[] {50, 100, 200}),
            List.of(loss, new double[] {0.2, 0.15, 0.1})),
        new Charts.Series("Learning rate", "step", List.of("lr"), List.of(steps), List.of(lr)));
  }

  /**
   * Run in a JVM whose libharfbuzz does not load: draws the chart twice, since after the first
   * failure every string would meet a font class that failed to initialise and must be skipped.
   */
  public static final class WithoutFonts {
    public static void main(String[] args) throws Exception {
      Charts.png(lossChart(), 2);
      Files.write(Path.of(args[0]), Charts.png(lossChart(), 2));
    }
  }

  /**
   * A lent GPU node's JRE found no libharfbuzz, and the DiT run there stopped at its loss chart,
   * after its weights but before its run facts. Staged here with a libharfbuzz.so.0 that is not a
   * library, first on the child JVM's library path: the chart must still come out, curves and all.
   */
  @Test
  void aJvmWhoseFontLibrariesDoNotLoadDrawsTheChartWithoutText(@TempDir Path dir) throws Exception {
    Path fontManager = Path.of(System.getProperty("java.home"), "lib", "libfontmanager.so");
    assumeTrue(Files.exists(fontManager), "no libfontmanager.so in this JDK");
    String links;
    try {
      Process ldd = new ProcessBuilder("ldd", fontManager.toString()).redirectErrorStream(true).start();
      links = new String(ldd.getInputStream().readAllBytes());
      ldd.waitFor();
    } catch (java.io.IOException e) {
      links = "no ldd: " + e.getMessage();
    }
    assumeTrue(links.contains("libharfbuzz.so.0"), "this JDK does not load the system's libharfbuzz: " + links);

    Path broken = Files.createDirectories(dir.resolve("lib"));
    Files.writeString(broken.resolve("libharfbuzz.so.0"), "not a library");
    Path png = dir.resolve("chart.png");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), WithoutFonts.class.getName(),
        png.toString()).redirectErrorStream(true);
    pb.environment().put("LD_LIBRARY_PATH", broken.toString());
    Process child = pb.start();
    String out = new String(child.getInputStream().readAllBytes());
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), out);
    assertEquals(0, child.exitValue(), out);
    assertTrue(out.contains("without text") && out.contains("libharfbuzz"), out);

    BufferedImage plain = ImageIO.read(png.toFile());
    BufferedImage full = ImageIO.read(new ByteArrayInputStream(Charts.png(lossChart(), 2)));
    assertEquals(full.getWidth(), plain.getWidth());
    assertEquals(full.getHeight(), plain.getHeight());
    assertTrue(dark(plain) < dark(full), "the words are missing, so fewer dark pixels: " + dark(plain) + " vs " + dark(full));
    assertTrue(reddish(plain) > 200, "the train curve is drawn: " + reddish(plain) + " red pixels");
  }

  private static int dark(BufferedImage img) {
    return count(img, (r, g, b) -> r < 80 && g < 80 && b < 80);
  }

  private static int reddish(BufferedImage img) {
    return count(img, (r, g, b) -> r > 150 && g < 130 && b < 120);
  }

  private interface Rgb {
    boolean test(int r, int g, int b);
  }

  private static int count(BufferedImage img, Rgb test) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        if (test.test((p >> 16) & 255, (p >> 8) & 255, p & 255)) {
          n++;
        }
      }
    }
    return n;
  }
}
