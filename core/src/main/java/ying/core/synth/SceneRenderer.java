package ying.core.synth;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Renders a Scene at one instant into RGB24 bytes (row-major, R, G, B per pixel). Frame height is
 * the unit of length, so any aspect ratio works. One instance per thread and frame size: it reuses
 * its image between frames. Same inputs give the same bytes on the same JDK.
 */
public final class SceneRenderer {

  static {
    // Rendering never needs a display, and Spark executors and CI have none.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private final int width;
  private final int height;
  private final int[] pixels;
  private final BackgroundPainter background;
  private final ObjectPainter objects;

  public SceneRenderer(int width, int height) {
    if (width < 2 || height < 2) {
      throw new IllegalArgumentException("frame " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    this.pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    // PURE keeps sub-pixel positions; the default nudges edges to whole pixels, so slow motion would judder.
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    this.background = new BackgroundPainter(width, height);
    this.objects = new ObjectPainter(g);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Renders {@code scene} at {@code t} seconds into a scene lasting {@code duration} seconds. */
  public void render(Scene scene, double t, double duration, byte[] rgb) {
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException("need " + width * height * 3 + " bytes, got " + rgb.length);
    }
    CameraView view = CameraView.of(scene.camera(), t, duration);
    background.paint(scene.background(), view, pixels);
    for (SceneObject object : scene.objects()) {
      ObjectPose pose = ObjectPose.of(object, t, duration);
      objects.paint(object, pose, scene.style(),
          width * view.screenX(pose.x()),
          height * view.screenY(pose.y()),
          height * pose.radius(object.size()) * view.zoom());
    }
    for (int i = 0, j = 0; i < pixels.length; i++, j += 3) {
      int p = pixels[i];
      rgb[j] = (byte) (p >> 16);
      rgb[j + 1] = (byte) (p >> 8);
      rgb[j + 2] = (byte) p;
    }
  }

  public byte[] render(Scene scene, double t, double duration) {
    byte[] rgb = new byte[width * height * 3];
    render(scene, t, duration, rgb);
    return rgb;
  }
}
