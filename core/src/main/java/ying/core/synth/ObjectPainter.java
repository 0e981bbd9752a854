package ying.core.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;

/** Draws one posed object in a RenderStyle with Java2D, antialiased, in pixel coordinates. */
final class ObjectPainter {
  /** Outline width in object radii; thick enough to read as a shape, not a hairline. */
  private static final double OUTLINE = 0.25;
  /** Thinner outlines than this many pixels break up under compression. */
  private static final double MIN_OUTLINE_PIXELS = 1.5;
  /** Halo layers as radius multiples, drawn widest first; each adds a little of the colour. */
  private static final double[] HALO = {1.5, 1.32, 1.16};
  private static final int HALO_ALPHA = 60;

  private static final Color[] BODY = new Color[Colour.values().length];
  private static final Color[] GLOW = new Color[Colour.values().length];

  static {
    for (Colour c : Colour.values()) {
      BODY[c.ordinal()] = new Color(c.rgb());
      GLOW[c.ordinal()] = new Color(c.red(), c.green(), c.blue(), HALO_ALPHA);
    }
  }

  private final Graphics2D g;
  private final AffineTransform transform = new AffineTransform();

  ObjectPainter(Graphics2D g) {
    this.g = g;
  }

  void paint(SceneObject object, ObjectPose pose, RenderStyle style, double centreX, double centreY,
      double radiusPixels) {
    java.awt.Shape outline = ShapeOutlines.unit(object.shape());
    int colour = object.colour().ordinal();
    switch (style) {
      case FLAT -> {
        place(centreX, centreY, pose.angle(), radiusPixels);
        g.setColor(BODY[colour]);
        g.fill(outline);
      }
      case OUTLINED -> {
        place(centreX, centreY, pose.angle(), radiusPixels);
        g.setColor(BODY[colour]);
        g.setStroke(new BasicStroke((float) Math.max(OUTLINE, MIN_OUTLINE_PIXELS / radiusPixels),
            BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(outline);
      }
      case GLOWING -> {
        g.setColor(GLOW[colour]);
        for (double halo : HALO) {
          place(centreX, centreY, pose.angle(), radiusPixels * halo);
          g.fill(outline);
        }
        place(centreX, centreY, pose.angle(), radiusPixels);
        g.setColor(BODY[colour]);
        g.fill(outline);
      }
    }
  }

  private void place(double centreX, double centreY, double angle, double radiusPixels) {
    transform.setToTranslation(centreX, centreY);
    transform.rotate(angle);
    transform.scale(radiusPixels, radiusPixels);
    g.setTransform(transform);
  }
}
