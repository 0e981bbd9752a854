package ying.core.video;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's ffmpeg/ffprobe, for making test inputs and for an independent decode to compare with. */
final class Ffmpeg {
  private Ffmpeg() {}

  static void run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
    cmd.addAll(List.of(args));
    Result r = exec(cmd);
    if (r.exit != 0) {
      throw new IllegalStateException("ffmpeg failed: " + String.join(" ", cmd) + "\n" + new String(r.err));
    }
  }

  static String probe(Path file, String... showArgs) {
    List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error", "-of", "json"));
    cmd.addAll(List.of(showArgs));
    cmd.add(file.toString());
    Result r = exec(cmd);
    if (r.exit != 0) {
      throw new IllegalStateException("ffprobe failed: " + new String(r.err));
    }
    return new String(r.out);
  }

  /** ffmpeg's own decode to RGB24 at the displayed size (ffmpeg auto-rotates), for comparison. */
  static byte[] decodeRgb(Path file, String... filterArgs) {
    List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-threads", "1", "-i",
        file.toString()));
    cmd.addAll(List.of(filterArgs));
    cmd.addAll(List.of("-f", "rawvideo", "-pix_fmt", "rgb24", "-"));
    Result r = exec(cmd);
    if (r.exit != 0) {
      throw new IllegalStateException("ffmpeg decode failed: " + new String(r.err));
    }
    return r.out;
  }

  private record Result(int exit, byte[] out, byte[] err) {}

  private static Result exec(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
      errReader.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      copy(p.getInputStream(), out);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      errReader.join();
      return new Result(p.exitValue(), out.toByteArray(), err.toByteArray());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("could not run " + cmd, e);
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException ignored) {
      // The process died; its exit code tells the caller.
    }
  }

  /** Mean absolute difference per byte. */
  static double meanAbsDiff(byte[] a, int aOff, byte[] b, int bOff, int len) {
    long sum = 0;
    for (int i = 0; i < len; i++) {
      sum += Math.abs((a[aOff + i] & 0xff) - (b[bOff + i] & 0xff));
    }
    return (double) sum / len;
  }
}
