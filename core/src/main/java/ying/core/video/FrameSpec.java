package ying.core.video;

/**
 * How a reader should deliver frames: a frame rate to resample to and a size to resize to.
 * A zero fps keeps every decoded frame; a zero width and height keep the displayed size.
 * Resizing preserves the aspect ratio (scale to cover, then centre crop), so shapes never stretch.
 */
public record FrameSpec(double fps, int width, int height) {
  public FrameSpec {
    if (fps < 0 || Double.isNaN(fps) || Double.isInfinite(fps)) {
      throw new IllegalArgumentException("fps must be >= 0, got " + fps);
    }
    if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
      throw new IllegalArgumentException(
          "width and height must both be positive, or both 0 for the native size; got " + width + "x" + height);
    }
  }

  public static FrameSpec nativeFrames() {
    return new FrameSpec(0, 0, 0);
  }

  public static FrameSpec of(double fps, int width, int height) {
    return new FrameSpec(fps, width, height);
  }

  public boolean keepsNativeSize() {
    return width == 0;
  }

  public boolean keepsNativeRate() {
    return fps == 0;
  }
}
