package ying.core.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ying.core.io.Storage;

class VideoWriterTest {
  @TempDir Path dir;
  private final Storage storage = Storage.local();

  /** Frame k is a solid colour whose red channel encodes k, so a decode can tell frames apart. */
  static byte[] solidFrame(int w, int h, int r, int g, int b) {
    byte[] f = new byte[w * h * 3];
    for (int i = 0; i < f.length; i += 3) {
      f[i] = (byte) r;
      f[i + 1] = (byte) g;
      f[i + 2] = (byte) b;
    }
    return f;
  }

  static void writeCountingVideo(Storage storage, Path file, int frames, double fps) throws VideoException {
    try (VideoWriter w = VideoWriter.create(storage, file.toString(), 64, 48, fps)) {
      for (int k = 0; k < frames; k++) {
        w.write(solidFrame(64, 48, (k * 3) % 256, 128, 255 - (k * 3) % 256));
      }
      w.finish();
    }
  }

  @Test
  void writesH264Yuv420pMp4WithMoovBeforeMdat() throws Exception {
    Path out = dir.resolve("clip.mp4");
    writeCountingVideo(storage, out, 24, 8);
    String streams = Ffmpeg.probe(out, "-show_streams");
    assertTrue(streams.contains("\"codec_name\": \"h264\""), streams);
    assertTrue(streams.contains("\"pix_fmt\": \"yuv420p\""), streams);
    assertTrue(streams.contains("\"nb_frames\": \"24\""), streams);
    byte[] bytes = Files.readAllBytes(out);
    String ascii = new String(bytes, StandardCharsets.ISO_8859_1);
    int moov = ascii.indexOf("moov");
    int mdat = ascii.indexOf("mdat");
    assertTrue(moov > 0 && mdat > 0 && moov < mdat, "faststart puts moov (" + moov + ") before mdat (" + mdat + ")");
  }

  @Test
  void decodedFramesMatchTheWrittenColours() throws Exception {
    Path out = dir.resolve("colours.mp4");
    writeCountingVideo(storage, out, 40, 8);
    try (VideoReader reader = VideoReader.open(storage, out.toString())) {
      Frames frames = reader.readAll(FrameSpec.nativeFrames());
      assertEquals(40, frames.count());
      for (int k = 0; k < 40; k++) {
        int[] px = frames.pixel(k, 32, 24);
        assertEquals((k * 3) % 256, px[0], 6, "red of frame " + k);
        assertEquals(128, px[1], 6, "green of frame " + k);
        assertEquals(255 - (k * 3) % 256, px[2], 6, "blue of frame " + k);
        assertEquals(k / 8.0, frames.timestamps()[k], 1e-3);
      }
    }
  }

  @Test
  void muxesAnAudioTrackCutToTheVideoLength() throws Exception {
    Path wav = dir.resolve("tone.wav");
    Ffmpeg.run("-f", "lavfi", "-i", "sine=frequency=440:duration=10", wav.toString());
    Path out = dir.resolve("music.mp4");
    try (VideoWriter w = VideoWriter.createWithAudio(storage, out.toString(), 64, 48, 8, wav.toString())) {
      for (int k = 0; k < 24; k++) {
        w.write(solidFrame(64, 48, 200, 10, 10));
      }
      w.finish();
    }
    String streams = Ffmpeg.probe(out, "-show_streams");
    assertTrue(streams.contains("\"codec_type\": \"audio\""), streams);
    assertTrue(streams.contains("\"codec_name\": \"aac\""), streams);
    String format = Ffmpeg.probe(out, "-show_format");
    double duration = Double.parseDouble(format.replaceAll("(?s).*\"duration\": \"([0-9.]+)\".*", "$1"));
    assertEquals(3.0, duration, 0.3, "audio is cut to the 3 s of video");
    VideoInfo info = VideoReader.probe(storage, out.toString());
    assertTrue(info.hasAudio());
  }

  @Test
  void abandonedWriterLeavesNothingBehind() throws Exception {
    Path out = dir.resolve("never.mp4");
    try (VideoWriter w = VideoWriter.create(storage, out.toString(), 64, 48, 8)) {
      w.write(solidFrame(64, 48, 1, 2, 3));
    }
    assertFalse(Files.exists(out));
  }

  @Test
  void oddSizesAreRefusedWithAClearMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VideoWriter.create(storage, dir.resolve("odd.mp4").toString(), 97, 61, 8));
    assertTrue(e.getMessage().contains("even"), e.getMessage());
  }
}
