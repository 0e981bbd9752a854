package ying.core.synth;

import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.EnumMap;
import java.util.Map;

/**
 * Each Shape as a path around the origin with radius about 1, upright (y grows downwards). Sizes are
 * matched by eye so that "large" looks equally large whatever the shape.
 */
final class ShapeOutlines {
  private static final Map<Shape, java.awt.Shape> UNIT = new EnumMap<>(Shape.class);

  static {
    UNIT.put(Shape.CIRCLE, new Ellipse2D.Double(-1, -1, 2, 2));
    UNIT.put(Shape.SQUARE, new Rectangle2D.Double(-0.85, -0.85, 1.7, 1.7));
    UNIT.put(Shape.TRIANGLE, star(3, 1.2, 0.6));
    UNIT.put(Shape.STAR, star(5, 1.2, 0.5));
    UNIT.put(Shape.HEART, heart());
  }

  private ShapeOutlines() {
  }

  static java.awt.Shape unit(Shape shape) {
    return UNIT.get(shape);
  }

  /** A regular star with its first point up; with inner = outer * cos(pi/points) it is a polygon. */
  private static Path2D star(int points, double outer, double inner) {
    Path2D.Double path = new Path2D.Double();
    for (int i = 0; i < 2 * points; i++) {
      double r = i % 2 == 0 ? outer : inner;
      double a = -Math.PI / 2 + i * Math.PI / points;
      if (i == 0) {
        path.moveTo(r * Math.cos(a), r * Math.sin(a));
      } else {
        path.lineTo(r * Math.cos(a), r * Math.sin(a));
      }
    }
    path.closePath();
    return path;
  }

  /** The classic parametric heart (x = 16 sin^3 t), centred on its bounding box. */
  private static Path2D heart() {
    int steps = 72;
    double[] xs = new double[steps];
    double[] ys = new double[steps];
    double minY = Double.MAX_VALUE;
    double maxY = -Double.MAX_VALUE;
    for (int i = 0; i < steps; i++) {
      double t = 2 * Math.PI * i / steps;
      xs[i] = 16 * Math.pow(Math.sin(t), 3);
      ys[i] = -(13 * Math.cos(t) - 5 * Math.cos(2 * t) - 2 * Math.cos(3 * t) - Math.cos(4 * t));
      minY = Math.min(minY, ys[i]);
      maxY = Math.max(maxY, ys[i]);
    }
    double centreY = (minY + maxY) / 2;
    double scale = 1.05 / 16;
    Path2D.Double path = new Path2D.Double();
    for (int i = 0; i < steps; i++) {
      double x = xs[i] * scale;
      double y = (ys[i] - centreY) * scale;
      if (i == 0) {
        path.moveTo(x, y);
      } else {
        path.lineTo(x, y);
      }
    }
    path.closePath();
    return path;
  }
}
