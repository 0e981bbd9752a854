package ying.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.io.Storage;
import ying.core.synth.ScenePlan;
import ying.core.synth.SyntheticWorld;
import ying.core.synth.VideoPlan;
import ying.core.synth.WorldOptions;
import ying.core.video.FrameSpec;
import ying.core.video.Frames;
import ying.core.video.VideoReader;

class ChromaSubsamplingTest {
  @TempDir Path dir;

  /** The simulated frame is nearer what FFmpeg decodes from synth's H.264 video than the render is. */
  @Test
  void subsampledRenderIsNearerTheDecodedVideo() throws Exception {
    VideoPlan plan = new SyntheticWorld(5, WorldOptions.defaults().withSceneSeconds(2.5, 8)).video(1);
    Storage storage = Storage.local();
    String uri = dir.resolve("v.mp4").toUri().toString();
    plan.write(storage, uri);
    int w = plan.width();
    int h = plan.height();
    double rendered = 0;
    double simulated = 0;
    int values = 0;
    for (ScenePlan scene : plan.scenes()) {
      Frames decoded;
      try (VideoReader r = VideoReader.open(storage, uri)) {
        decoded = r.read(scene.startSeconds(), scene.startSeconds() + 1, FrameSpec.of(plan.fps(), w, h));
      }
      byte[] frame = new byte[w * h * 3];
      for (int t = 0; t < decoded.count(); t++) {
        plan.renderFrame(scene.startFrame() + t, frame);
        byte[] subsampled = frame.clone();
        ChromaSubsampling.apply(subsampled, w, h);
        byte[] d = decoded.frame(t);
        for (int i = 0; i < d.length; i++) {
          rendered += Math.abs((frame[i] & 0xff) - (d[i] & 0xff));
          simulated += Math.abs((subsampled[i] & 0xff) - (d[i] & 0xff));
        }
        values += d.length;
      }
    }
    rendered /= values;
    simulated /= values;
    System.out.printf("decoded vs render: %.2f of 255; vs chroma-subsampled render: %.2f%n", rendered, simulated);
    assertTrue(simulated < 0.9 * rendered, "subsampling brought the render from " + rendered + " to " + simulated
        + " of 255 off the decoded video");
  }

  /** Flat colour keeps its colour; a one-pixel line keeps its brightness and bleeds its colour. */
  @Test
  void onlyColourDetailIsLost() {
    int w = 8;
    int h = 4;
    byte[] flat = new byte[w * h * 3];
    for (int i = 0; i < w * h; i++) {
      flat[3 * i] = (byte) 200;
      flat[3 * i + 1] = (byte) 40;
      flat[3 * i + 2] = (byte) 90;
    }
    byte[] copy = flat.clone();
    ChromaSubsampling.apply(copy, w, h);
    assertArrayEquals(flat, copy);

    byte[] line = new byte[w * h * 3];
    Arrays.fill(line, (byte) 128);
    for (int y = 0; y < h; y++) {
      line[(y * w + 3) * 3] = (byte) 255; // a red column on grey
      line[(y * w + 3) * 3 + 1] = 0;
      line[(y * w + 3) * 3 + 2] = 0;
    }
    byte[] before = line.clone();
    ChromaSubsampling.apply(line, w, h);
    int at = (1 * w + 3) * 3;
    assertEquals(luma(before, at), luma(line, at), 1.0);
    assertTrue((line[at] & 0xff) < 230, "the line's red is diluted: " + (line[at] & 0xff));
    int beside = (1 * w + 2) * 3;
    assertTrue((line[beside] & 0xff) > (line[beside + 2] & 0xff) + 10, "its neighbour turns reddish");
  }

  private static double luma(byte[] rgb, int at) {
    return 0.299 * (rgb[at] & 0xff) + 0.587 * (rgb[at + 1] & 0xff) + 0.114 * (rgb[at + 2] & 0xff);
  }
}
