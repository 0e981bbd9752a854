package ying.core.dataset;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training shape: frames of {@code width x height}, {@code frames} of them at {@code fps}. Every
 * clip in a bucket has exactly this shape, so a batch is one dense tensor.
 */
public record Bucket(int width, int height, int frames, double fps) implements Serializable {
  private static final Pattern SPEC = Pattern.compile("(\\d+)x(\\d+)x(\\d+)(?:@([0-9.]+))?");
  /** 8 fps, as CogVideoX samples its 49-frame, 6-second clips. */
  public static final double DEFAULT_FPS = 8;

  public Bucket {
    if (width < 2 || height < 2 || frames < 1 || !(fps > 0)) {
      throw new IllegalArgumentException("bad bucket " + width + "x" + height + "x" + frames + "@" + fps);
    }
  }

  /** Parses {@code WxHxF} or {@code WxHxF@FPS}, e.g. {@code 96x64x49@8}. */
  public static Bucket parse(String spec) {
    Matcher m = SPEC.matcher(spec.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("a bucket is WxHxF or WxHxF@FPS (e.g. 96x64x49@8), not '" + spec + "'");
    }
    double fps = m.group(4) == null ? DEFAULT_FPS : Double.parseDouble(m.group(4));
    return new Bucket(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), fps);
  }

  public String name() {
    String f = fps == Math.rint(fps) ? Long.toString((long) fps) : Double.toString(fps);
    return String.format(Locale.ROOT, "%dx%dx%d@%s", width, height, frames, f);
  }

  /** Seconds of source a clip must span to fill the bucket: {@code frames} sample times, 1/fps apart. */
  public double seconds() {
    return frames / fps;
  }

  public boolean fits(double clipSeconds) {
    return clipSeconds + 1e-9 >= seconds();
  }

  public int bytes() {
    return width * height * frames * 3;
  }

  @Override
  public String toString() {
    return name();
  }
}
