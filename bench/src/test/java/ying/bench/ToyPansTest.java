package ying.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import ying.datasetbuilder.VaeLatents;

class ToyPansTest {
  @TempDir Path dir;

  @Test
  void eachClipIsOneTextureRolledTheWayItsCaptionSays() throws Exception {
    Path file = dir.resolve("toy.raw");
    assertEquals(0, new CommandLine(new ToyPans()).execute("--out", file.toString(), "--clips", "6", "--val-clips", "2",
        "--cells-per-frame", "2"));
    RawLatents data = RawLatents.read(file);
    assertEquals(4, RawRun.ofLatents(file, data).trainClips);
    assertArrayEquals(ToyPans.SHAPE, data.shape);
    int[] s = data.shape;
    int lefts = 0;
    for (int i = 0; i < 6; i++) {
      float[] z = VaeLatents.halfToFloats(data.latents.get(i));
      boolean left = data.captions.get(i).equals("The camera pans left.");
      lefts += left ? 1 : 0;
      for (int c = 0; c < s[0]; c++) {
        for (int t = 0; t < s[1]; t++) {
          for (int y = 0; y < s[2]; y++) {
            for (int x = 0; x < s[3]; x++) {
              int from = Math.floorMod(x + (left ? 2 : -2) * t, s[3]);
              assertEquals(z[((c * s[1]) * s[2] + y) * s[3] + from], z[((c * s[1] + t) * s[2] + y) * s[3] + x], 0f,
                  "clip " + i + " frame " + t + " is frame 0 rolled " + (left ? "left" : "right"));
            }
          }
        }
      }
    }
    assertNotEquals(0, lefts, "both directions are drawn");
    assertNotEquals(6, lefts, "both directions are drawn");
  }
}
