package ying.core.synth;

/**
 * Paints a Background straight into an 0xRRGGBB pixel array, one texture per method. Textures are
 * functions of world coordinates in frame heights, edges antialiased by their distance to the pixel
 * centre; working per row and column instead of through Java2D keeps a frame well under 0.1 ms.
 */
final class BackgroundPainter {
  private static final double TAU = 2 * Math.PI;

  private final int width;
  private final int height;
  private final double aspect;
  /** World coordinates of pixel centres, in frame heights. */
  private final double[] worldX;
  private final double[] worldY;
  private final double[] columnA;
  private final double[] columnB;
  private final int[] columnCell;
  /** Width of one pixel in world units, the antialiasing scale. */
  private double pixel;

  BackgroundPainter(int width, int height) {
    this.width = width;
    this.height = height;
    this.aspect = width / (double) height;
    this.worldX = new double[width];
    this.worldY = new double[height];
    this.columnA = new double[width];
    this.columnB = new double[width];
    this.columnCell = new int[width];
  }

  void paint(Background background, CameraView view, int[] out) {
    for (int col = 0; col < width; col++) {
      worldX[col] = view.worldX((col + 0.5) / width) * aspect;
    }
    for (int row = 0; row < height; row++) {
      worldY[row] = view.worldY((row + 0.5) / height);
    }
    pixel = 1 / (height * view.zoom());
    switch (background) {
      case STARRY_NIGHT -> starryNight(out);
      case BLUE_GRID -> blueGrid(out);
      case SUNSET_GRADIENT -> sunset(out);
      case GREEN_CHECKERBOARD -> checkerboard(out);
      case GREY_STRIPED -> stripes(out);
      case SANDY_DOTTED -> sandyDots(out);
    }
  }

  /** Navy gradient with one star at a hashed spot in three of every four 0.09-wide cells. */
  private void starryNight(int[] out) {
    final double cell = 0.09;
    final int sky = 0x080C24;
    final int horizon = 0x181E48;
    final int star = 0x96A0CD;
    for (int col = 0; col < width; col++) {
      columnCell[col] = (int) Math.floor(worldX[col] / cell);
      columnA[col] = worldX[col] - columnCell[col] * cell;
    }
    for (int row = 0; row < height; row++) {
      double wy = worldY[row];
      int base = mix(sky, horizon, wy);
      int cellY = (int) Math.floor(wy / cell);
      double localY = wy - cellY * cell;
      int i = row * width;
      for (int col = 0; col < width; col++, i++) {
        int h = hash(columnCell[col], cellY);
        out[i] = base;
        if ((h & 3) == 0) {
          continue;
        }
        double dx = columnA[col] - cell * (0.25 + 0.5 * ((h >>> 8) & 255) / 255.0);
        double dy = localY - cell * (0.25 + 0.5 * ((h >>> 16) & 255) / 255.0);
        double radius = 0.005 + 0.007 * ((h >>> 24) & 15) / 15.0;
        double reach = radius + pixel;
        double d2 = dx * dx + dy * dy;
        if (d2 < reach * reach) {
          out[i] = mix(base, star, coverage(radius - Math.sqrt(d2)));
        }
      }
    }
  }

  private void blueGrid(int[] out) {
    final double spacing = 0.125;
    final double halfLine = 0.007;
    final int base = 0x182652;
    final int line = 0x3C558C;
    for (int col = 0; col < width; col++) {
      columnA[col] = lineCoverage(worldX[col], spacing, halfLine);
    }
    for (int row = 0; row < height; row++) {
      double across = lineCoverage(worldY[row], spacing, halfLine);
      int i = row * width;
      for (int col = 0; col < width; col++, i++) {
        out[i] = mix(base, line, Math.max(across, columnA[col]));
      }
    }
  }

  /** Purple-to-amber sky in wavy bands over a hill silhouette; waves and hills show horizontal pans. */
  private void sunset(int[] out) {
    final double band = 0.12;
    final int top = 0x482454;
    final int bottom = 0x874637;
    final int hill = 0x2E1A2E;
    for (int col = 0; col < width; col++) {
      double wx = worldX[col];
      columnA[col] = 0.03 * StrictMath.sin(TAU * wx / 0.35);
      columnB[col] = 0.78 + 0.05 * StrictMath.sin(TAU * wx / 0.7) + 0.025 * StrictMath.sin(TAU * wx / 0.23 + 1.3);
    }
    for (int row = 0; row < height; row++) {
      double wy = worldY[row];
      int light = mix(top, bottom, wy);
      int dark = scale(light, 0.8);
      int i = row * width;
      for (int col = 0; col < width; col++, i++) {
        double v = (wy - columnA[col]) / band;
        double f = v - Math.floor(v);
        double insideDark = (f < 0.5 ? -Math.min(f, 0.5 - f) : Math.min(f - 0.5, 1 - f)) * band;
        int sky = mix(light, dark, coverage(insideDark));
        out[i] = mix(sky, hill, coverage(wy - columnB[col]));
      }
    }
  }

  private void checkerboard(int[] out) {
    final double cell = 0.16;
    final int dark = 0x1E4626;
    final int light = 0x305F34;
    for (int col = 0; col < width; col++) {
      columnA[col] = squareWave(worldX[col], cell);
    }
    for (int row = 0; row < height; row++) {
      double across = squareWave(worldY[row], cell);
      int i = row * width;
      for (int col = 0; col < width; col++, i++) {
        out[i] = mix(dark, light, 0.5 + 0.5 * across * columnA[col]);
      }
    }
  }

  /** Diagonal stripes, so that both horizontal pans and zooms move every edge. */
  private void stripes(int[] out) {
    final double period = 0.14;
    final double diagonal = Math.sqrt(0.5);
    final int dark = 0x3A3A3E;
    final int light = 0x5C5C62;
    for (int col = 0; col < width; col++) {
      columnA[col] = worldX[col] * diagonal;
    }
    for (int row = 0; row < height; row++) {
      double v = worldY[row] * diagonal;
      int i = row * width;
      for (int col = 0; col < width; col++, i++) {
        out[i] = mix(dark, light, 0.5 + 0.5 * squareWave(columnA[col] + v, period));
      }
    }
  }

  /** Sand with darker dots on a staggered lattice. */
  private void sandyDots(int[] out) {
    final double spacing = 0.11;
    final double radius = 0.024;
    final int sand = 0x7D694B;
    final int dot = 0x5C4B34;
    for (int col = 0; col < width; col++) {
      double q = worldX[col] / spacing;
      columnA[col] = (q - 0.5 - Math.rint(q - 0.5)) * spacing;
      columnB[col] = (q - Math.rint(q)) * spacing;
    }
    double reach = radius + pixel;
    for (int row = 0; row < height; row++) {
      double wy = worldY[row];
      int cellY = (int) Math.floor(wy / spacing);
      double dy = wy - (cellY + 0.5) * spacing;
      double[] dxs = (cellY & 1) == 0 ? columnA : columnB;
      int i = row * width;
      for (int col = 0; col < width; col++, i++) {
        double d2 = dxs[col] * dxs[col] + dy * dy;
        out[i] = d2 < reach * reach ? mix(sand, dot, coverage(radius - Math.sqrt(d2))) : sand;
      }
    }
  }

  /** Box-filtered coverage of a pixel whose centre lies {@code inside} world units within an edge. */
  private double coverage(double inside) {
    return Math.min(1, Math.max(0, inside / pixel + 0.5));
  }

  private double lineCoverage(double w, double spacing, double halfLine) {
    double q = w / spacing;
    return coverage(halfLine - Math.abs(q - Math.rint(q)) * spacing);
  }

  /** +1 on the first half of each period, -1 on the second, ramping linearly across one pixel at edges. */
  private double squareWave(double w, double period) {
    double f = w / period - Math.floor(w / period);
    double g = f < 0.5 ? f : f - 0.5;
    double edgeDistance = Math.min(g, 0.5 - g) * period;
    return (f < 0.5 ? 1 : -1) * Math.min(1, 2 * edgeDistance / pixel);
  }

  static int mix(int c0, int c1, double a) {
    if (a <= 0) {
      return c0;
    }
    if (a >= 1) {
      return c1;
    }
    int r = channel(c0 >> 16, c1 >> 16, a);
    int g = channel(c0 >> 8, c1 >> 8, a);
    int b = channel(c0, c1, a);
    return (r << 16) | (g << 8) | b;
  }

  private static int channel(int c0, int c1, double a) {
    int v0 = c0 & 0xFF;
    return (int) (v0 + ((c1 & 0xFF) - v0) * a + 0.5);
  }

  private static int scale(int c, double factor) {
    return mix(0, c, factor);
  }

  /** A fixed integer hash: the star field must be the same in every run and on every machine. */
  private static int hash(int x, int y) {
    int h = x * 0x27D4EB2D ^ y * 0x165667B1;
    h ^= h >>> 15;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }
}
