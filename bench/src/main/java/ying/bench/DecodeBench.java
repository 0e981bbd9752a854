package ying.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bytedeco.ffmpeg.global.avutil;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ying.core.io.Storage;
import ying.core.video.FrameSpec;
import ying.core.video.VideoException;
import ying.core.video.VideoInfo;
import ying.core.video.VideoReader;

/**
 * Decode-and-resize throughput of {@link VideoReader} against {@code ffmpeg -threads 1 ... -f rawvideo -}
 * on the same files, alternating the two in one run so that both see the same machine load.
 * Run it through {@code bench/decode.sh}; the results table goes into BENCHMARKS.md.
 */
@Command(
    name = "decode-bench",
    mixinStandardHelpOptions = true,
    description = "VideoReader vs ffmpeg -threads 1: frames/s of decode + resize to a small RGB size.")
public final class DecodeBench implements Callable<Integer> {
  @Option(names = "--dir", description = "Folder for the generated inputs; reused when they exist (default: a new temp folder, left in place).")
  Path dir;

  // Nine runs give quartiles that are runs of their own, so the spread column means something.
  @Option(names = "--reps", defaultValue = "9",
      description = "Timed runs of each side per file and size, after one warm-up each (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--seconds", defaultValue = "10", description = "Length of each generated input (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--sizes", split = ",", defaultValue = "96x64,192x128",
      description = "Output sizes WxH (default: ${DEFAULT-VALUE}).")
  List<String> sizes;

  @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "The ffmpeg binary to compare with (default: ${DEFAULT-VALUE}).")
  String ffmpeg;

  @Option(names = "--target", defaultValue = "0.9", description = "Ratio reader/ffmpeg the issue asks for (default: ${DEFAULT-VALUE}).")
  double target;

  /** An input file and the ffmpeg recipe that makes it. */
  record Input(String file, String description, String lavfiSource, List<String> encodeArgs) {}

  /*
   * Per-frame methods (JavaCV's grab, the reader's crop, the consumer) run once a frame; C2 compiles
   * a method after about 10,000 calls (HotSpot's CompileThreshold), so decode that many frames before
   * anything is timed. The per-row warm-up runs then only warm caches and the page cache.
   */
  private static final int JIT_WARMUP_FRAMES = 10_000;

  // The rate most web video and phone footage comes at.
  private static final int FPS = 30;

  /*
   * Mandelbrot zooms, so every frame differs in fine detail: at CRF 23 it comes out near web-video
   * bitrates (about 2 Mbit/s at 360p, 6 at 720p), unlike flat test patterns that decode for free.
   */
  private static List<Input> inputs(int seconds) {
    List<String> x264 = List.of("-c:v", "libx264", "-preset", "medium", "-crf", "23", "-pix_fmt", "yuv420p");
    // VP9's realtime mode keeps generation to seconds; the bitrate is what a 360p upload gets.
    List<String> vp9 = List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M",
        "-pix_fmt", "yuv420p");
    String tag = "-" + seconds + "s";
    return List.of(
        new Input("mandelbrot-640x360" + tag + ".mp4", "H.264 640x360 " + FPS + " fps, libx264 CRF 23",
            "mandelbrot=size=640x360:rate=" + FPS, x264),
        new Input("mandelbrot-1280x720" + tag + ".mp4", "H.264 1280x720 " + FPS + " fps, libx264 CRF 23",
            "mandelbrot=size=1280x720:rate=" + FPS, x264),
        new Input("mandelbrot-640x360" + tag + ".webm", "VP9 640x360 " + FPS + " fps, libvpx-vp9 1 Mbit/s",
            "mandelbrot=size=640x360:rate=" + FPS, vp9));
  }

  /** One timed decode: frames delivered, seconds from start to exit, and from first to last frame. */
  record Run(long frames, double totalSeconds, double steadySeconds, byte[] firstFrame) {
    /** Frames/s once frames flow: leaves out process start (ffmpeg) and open + probe (both). */
    double steadyFps() {
      return (frames - 1) / steadySeconds;
    }

    double totalFps() {
      return frames / totalSeconds;
    }
  }

  record Row(Input input, VideoInfo info, int width, int height, int coverW, int coverH, long frames,
      double readerSteady, double ffmpegSteady, double readerTotal, double ffmpegTotal, double readerSpread,
      double ffmpegSpread, double firstFrameDiff) {
    double ratio() {
      return readerSteady / ffmpegSteady;
    }

    double totalRatio() {
      return readerTotal / ffmpegTotal;
    }
  }

  private final Storage storage = Storage.local();
  // The consumer folds one byte of each frame in here, so the JIT cannot treat the frames as unused.
  private int touched;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DecodeBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path folder = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("ying-decode-bench-");
    List<int[]> outSizes = sizes.stream().map(DecodeBench::parseSize).toList();
    printMachine(folder);

    for (Input input : inputs(seconds)) {
      make(input, folder.resolve(input.file()));
    }
    warmUpJit(folder.resolve(inputs(seconds).get(0).file()), outSizes.get(0));

    List<Row> rows = new ArrayList<>();
    for (Input input : inputs(seconds)) {
      Path file = folder.resolve(input.file());
      for (int[] size : outSizes) {
        Row row = measure(input, file, size[0], size[1]);
        rows.add(row);
        System.out.printf(Locale.ROOT, "  %-28s %4dx%-4d reader %7.1f fps, ffmpeg %7.1f fps, ratio %.2f%n",
            input.file(), size[0], size[1], row.readerSteady(), row.ffmpegSteady(), row.ratio());
      }
    }
    System.out.println();
    printTable(rows);
    System.out.println("load average after: " + loadAverage());
    return 0;
  }

  private void printMachine(Path folder) throws IOException, InterruptedException {
    System.out.println("# Decode and resize: VideoReader vs ffmpeg, both single-threaded");
    System.out.println("cpus: " + Runtime.getRuntime().availableProcessors() + ", " + cpuModel());
    System.out.println("java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    System.out.println("ffmpeg (baseline): " + firstLine(capture(List.of(ffmpeg, "-hide_banner", "-version"))));
    // The reader runs JavaCV's bundled FFmpeg, not Debian's: state both, as decoder versions differ.
    System.out.println("FFmpeg in the reader (JavaCV): " + avutil.av_version_info().getString());
    System.out.println("inputs: " + folder + " (" + seconds + " s each)");
    for (Input input : inputs(seconds)) {
      System.out.println("  " + input.file() + ": " + input.description() + ", lavfi " + input.lavfiSource());
    }
    System.out.println("runs: 1 warm-up + " + reps + " timed per side, alternating reader, ffmpeg, reader, ...");
    System.out.println("load average before: " + loadAverage());
    System.out.println();
  }

  private void make(Input input, Path file) throws IOException, InterruptedException {
    if (Files.isRegularFile(file) && Files.size(file) > 0) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", input.lavfiSource(), "-t", Integer.toString(seconds)));
    cmd.addAll(input.encodeArgs());
    Path partial = file.resolveSibling("partial-" + file.getFileName());
    cmd.add(partial.toString());
    System.out.println("making " + file.getFileName() + " ...");
    capture(cmd);
    Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private void warmUpJit(Path file, int[] size) throws VideoException {
    String uri = Storage.normalise(file.toString());
    FrameSpec spec = FrameSpec.of(0, size[0], size[1]);
    long start = System.nanoTime();
    long frames = 0;
    while (frames < JIT_WARMUP_FRAMES) {
      frames += runReader(uri, spec, false).frames();
    }
    System.out.printf(Locale.ROOT, "JIT warm-up: %d frames of %s in %.1f s%n%n", frames, file.getFileName(),
        (System.nanoTime() - start) / 1e9);
  }

  private Row measure(Input input, Path file, int width, int height) throws Exception {
    String uri = Storage.normalise(file.toString());
    VideoInfo info = VideoReader.probe(storage, uri);
    int[] cover = coverSize(info.width(), info.height(), width, height);
    FrameSpec spec = FrameSpec.of(0, width, height);
    List<String> cmd = ffmpegCommand(file, cover, width, height);

    Run readerWarm = runReader(uri, spec, true);
    Run ffmpegWarm = runFfmpeg(cmd, width * height * 3, true);
    if (readerWarm.frames() != ffmpegWarm.frames()) {
      throw new IllegalStateException(input.file() + ": reader gave " + readerWarm.frames() + " frames, ffmpeg "
          + ffmpegWarm.frames());
    }
    double diff = meanAbsDiff(readerWarm.firstFrame(), ffmpegWarm.firstFrame());

    double[] rs = new double[reps];
    double[] fs = new double[reps];
    double[] rt = new double[reps];
    double[] ft = new double[reps];
    for (int i = 0; i < reps; i++) {
      Run r = runReader(uri, spec, false);
      Run f = runFfmpeg(cmd, width * height * 3, false);
      if (r.frames() != readerWarm.frames() || f.frames() != readerWarm.frames()) {
        throw new IllegalStateException(input.file() + ": frame counts differ between runs: reader " + r.frames()
            + ", ffmpeg " + f.frames() + ", warm-up " + readerWarm.frames());
      }
      rs[i] = r.steadyFps();
      fs[i] = f.steadyFps();
      rt[i] = r.totalFps();
      ft[i] = f.totalFps();
    }
    return new Row(input, info, width, height, cover[0], cover[1], readerWarm.frames(), median(rs), median(fs),
        median(rt), median(ft), spread(rs), spread(fs), diff);
  }

  /**
   * The size the reader scales to before its centre crop, copied from VideoReader's geometry: the
   * baseline must scale to the same size, or one side would do less work.
   */
  static int[] coverSize(int dispW, int dispH, int outW, int outH) {
    double scale = Math.max((double) outW / dispW, (double) outH / dispH);
    int coverW = Math.max(outW, (int) Math.round(dispW * scale));
    int coverH = Math.max(outH, (int) Math.round(dispH * scale));
    return new int[] {coverW, coverH};
  }

  /**
   * The baseline. {@code -threads 1} before {@code -i} is the decoder's thread count; the two filter
   * thread options stop swscale from slicing the scale over all cores (FFmpeg 5.0+ does by default).
   * Passthrough timing emits each decoded frame once, as the reader does at fps 0.
   */
  private List<String> ffmpegCommand(Path file, int[] cover, int width, int height) {
    return List.of(ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error",
        "-threads", "1", "-filter_threads", "1", "-filter_complex_threads", "1",
        "-i", file.toString(), "-an", "-sn",
        "-vf", "scale=" + cover[0] + ":" + cover[1] + ":flags=bilinear,crop=" + width + ":" + height,
        "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
  }

  private Run runReader(String uri, FrameSpec spec, boolean keepFirst) throws VideoException {
    long[] firstLast = {0, 0};
    byte[][] first = {null};
    long start = System.nanoTime();
    long frames;
    try (VideoReader reader = VideoReader.open(storage, uri, 1)) {
      frames = reader.stream(0, Double.POSITIVE_INFINITY, spec, (i, t, rgb) -> {
        long now = System.nanoTime();
        if (i == 0) {
          firstLast[0] = now;
          if (keepFirst) {
            first[0] = rgb.clone();
          }
        }
        firstLast[1] = now;
        touched += rgb[i % rgb.length];
      });
    }
    long end = System.nanoTime();
    return new Run(frames, (end - start) / 1e9, (firstLast[1] - firstLast[0]) / 1e9, first[0]);
  }

  private Run runFfmpeg(List<String> cmd, int frameBytes, boolean keepFirst) throws IOException, InterruptedException {
    Path errors = Files.createTempFile("ying-decode-bench-", ".log");
    try {
      long start = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectError(errors.toFile()).start();
      p.getOutputStream().close();
      byte[] frame = new byte[frameBytes];
      byte[] first = null;
      long frames = 0;
      long firstAt = 0;
      long lastAt = 0;
      try (InputStream out = p.getInputStream()) {
        while (true) {
          int n = out.readNBytes(frame, 0, frameBytes);
          if (n < frameBytes) {
            if (n > 0) {
              throw new IllegalStateException("ffmpeg ended mid-frame: " + n + " of " + frameBytes + " bytes");
            }
            break;
          }
          long now = System.nanoTime();
          if (frames == 0) {
            firstAt = now;
            if (keepFirst) {
              first = frame.clone();
            }
          }
          lastAt = now;
          touched += frame[(int) (frames % frameBytes)];
          frames++;
        }
      }
      int rc = p.waitFor();
      long end = System.nanoTime();
      if (rc != 0) {
        throw new IllegalStateException("ffmpeg exited " + rc + ": " + Files.readString(errors) + "\n" + cmd);
      }
      return new Run(frames, (end - start) / 1e9, (lastAt - firstAt) / 1e9, first);
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  private void printTable(List<Row> rows) {
    System.out.println("| input | codec | output (cover) | frames | reader fps | ffmpeg fps | ratio | "
        + "ratio incl. start-up | frame-0 mean abs diff |");
    System.out.println("|---|---|---|---:|---:|---:|---:|---:|---:|");
    double logSum = 0;
    double worst = Double.POSITIVE_INFINITY;
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "| %s | %s | %dx%d (%dx%d) | %d | %.0f ±%.0f%% | %.0f ±%.0f%% | **%.2f** | %.2f | %.2f |%n",
          r.input().file(), r.info().codec(), r.width(), r.height(), r.coverW(), r.coverH(), r.frames(),
          r.readerSteady(), 100 * r.readerSpread(), r.ffmpegSteady(), 100 * r.ffmpegSpread(), r.ratio(),
          r.totalRatio(), r.firstFrameDiff());
      logSum += Math.log(r.ratio());
      worst = Math.min(worst, r.ratio());
    }
    double geoMean = Math.exp(logSum / rows.size());
    System.out.println();
    System.out.printf(Locale.ROOT, "overall: geometric mean ratio %.2f, lowest %.2f, target %.2f: %s%n", geoMean, worst,
        target, worst >= target ? "met on every row" : geoMean >= target ? "met on average, not on every row" : "NOT met");
    System.out.println("fps: median over the timed runs of (frames - 1) / (last frame - first frame), i.e. without"
        + " open/probe and process start; ± is half the interquartile range over the median.");
    System.out.println("ratio incl. start-up: the same from the call to open (reader) or process start (ffmpeg) to"
        + " close or exit.");
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** Half the interquartile range over the median: how much repeated runs disagree. */
  static double spread(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    double q1 = s[(n - 1) / 4];
    double q3 = s[n - 1 - (n - 1) / 4];
    return (q3 - q1) / 2 / median(xs);
  }

  /** Mean absolute difference per byte: near 0 shows both sides crop the same window. */
  static double meanAbsDiff(byte[] a, byte[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return (double) sum / a.length;
  }

  static int[] parseSize(String wxh) {
    String[] parts = wxh.toLowerCase(Locale.ROOT).split("x");
    if (parts.length != 2) {
      throw new IllegalArgumentException("size must be WxH, got " + wxh);
    }
    return new int[] {Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim())};
  }

  private static String capture(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + rc + ":\n" + out);
    }
    return out;
  }

  private static String cpuModel() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return "unknown CPU";
    }
    return Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
  }

  private static String loadAverage() {
    try {
      // Another job on the machine slows both sides; the load average says whether one was running.
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2] + " (1, 5, 15 min)";
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
