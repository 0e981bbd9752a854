package ying.core.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Small PNG charts for reports a person looks at (filter funnels, histograms, loss curves), drawn
 * with Java2D so no plotting stack is needed on a cluster. Panels are laid out in a grid.
 */
public final class Charts {
  private static final int PANEL_W = 420;
  private static final int PANEL_H = 260;
  private static final int MARGIN = 46;
  private static final Color BAR = new Color(70, 120, 200);
  private static final Color LINE = new Color(200, 80, 60);

  /** One chart: horizontal bars (labels + values), a histogram, or a line series. */
  public sealed interface Panel permits Bars, Histogram, Series {}

  public record Bars(String title, List<String> labels, List<Double> values) implements Panel {}

  public record Histogram(String title, String xLabel, double[] values, int bins) implements Panel {}

  /** A line over x; several named series share the axes. */
  public record Series(String title, String xLabel, List<String> names, List<double[]> xs, List<double[]> ys)
      implements Panel {}

  /**
   * Set once text has failed to draw: a JVM whose font libraries do not load (a headless GPU node
   * without libharfbuzz) throws at the first string and on every one after, and a chart without its
   * words is worth more than a training run that ends in an exception after its weights are saved.
   */
  private static volatile boolean noText;

  private Charts() {}

  public static byte[] png(List<Panel> panels, int columns) {
    int rows = (panels.size() + columns - 1) / columns;
    BufferedImage img = new BufferedImage(PANEL_W * columns, PANEL_H * Math.max(1, rows), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int i = 0; i < panels.size(); i++) {
      Graphics2D p = (Graphics2D) g.create((i % columns) * PANEL_W, (i / columns) * PANEL_H, PANEL_W, PANEL_H);
      Panel panel = panels.get(i);
      if (panel instanceof Bars b) {
        drawBars(p, b);
      } else if (panel instanceof Histogram h) {
        drawHistogram(p, h);
      } else if (panel instanceof Series s) {
        drawSeries(p, s);
      }
      p.dispose();
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException("PNG encoding failed", e);
    }
    return out.toByteArray();
  }

  private static void title(Graphics2D g, String title) {
    g.setColor(Color.BLACK);
    g.setFont(g.getFont().deriveFont(Font.BOLD, 13f));
    text(g, title, 10, 18);
    g.setFont(g.getFont().deriveFont(Font.PLAIN, 11f));
  }

  private static void drawBars(Graphics2D g, Bars b) {
    title(g, b.title());
    int n = b.values().size();
    double max = b.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
    int labelW = 150;
    int top = 30;
    int rowH = Math.max(12, Math.min(28, (PANEL_H - top - 10) / Math.max(1, n)));
    for (int i = 0; i < n; i++) {
      double v = b.values().get(i);
      int y = top + i * rowH;
      g.setColor(Color.DARK_GRAY);
      text(g, b.labels().get(i), 10, y + rowH - 6);
      int w = max > 0 ? (int) Math.round((PANEL_W - labelW - 70) * v / max) : 0;
      g.setColor(BAR);
      g.fillRect(labelW, y + 3, w, rowH - 6);
      g.setColor(Color.BLACK);
      text(g, number(v), labelW + w + 4, y + rowH - 6);
    }
  }

  private static void drawHistogram(Graphics2D g, Histogram h) {
    title(g, h.title());
    double[] v = h.values();
    if (v.length == 0) {
      text(g, "no values", MARGIN, PANEL_H / 2);
      return;
    }
    double lo = java.util.Arrays.stream(v).min().orElse(0);
    double hi = java.util.Arrays.stream(v).max().orElse(1);
    if (hi <= lo) {
      hi = lo + 1;
    }
    int[] counts = new int[h.bins()];
    for (double x : v) {
      counts[Math.min(h.bins() - 1, (int) ((x - lo) / (hi - lo) * h.bins()))]++;
    }
    int maxCount = java.util.Arrays.stream(counts).max().orElse(1);
    int plotW = PANEL_W - 2 * MARGIN;
    int plotH = PANEL_H - 2 * MARGIN;
    for (int i = 0; i < counts.length; i++) {
      int x0 = MARGIN + i * plotW / counts.length;
      int x1 = MARGIN + (i + 1) * plotW / counts.length;
      int bh = (int) Math.round((double) plotH * counts[i] / maxCount);
      g.setColor(BAR);
      g.fillRect(x0, MARGIN + plotH - bh, Math.max(1, x1 - x0 - 1), bh);
    }
    axes(g, h.xLabel(), lo, hi, 0, maxCount);
  }

  private static void drawSeries(Graphics2D g, Series s) {
    title(g, s.title());
    double xlo = Double.MAX_VALUE;
    double xhi = -Double.MAX_VALUE;
    double ylo = Double.MAX_VALUE;
    double yhi = -Double.MAX_VALUE;
    for (int k = 0; k < s.xs().size(); k++) {
      for (double x : s.xs().get(k)) {
        xlo = Math.min(xlo, x);
        xhi = Math.max(xhi, x);
      }
      for (double y : s.ys().get(k)) {
        if (Double.isFinite(y)) {
          ylo = Math.min(ylo, y);
          yhi = Math.max(yhi, y);
        }
      }
    }
    if (xlo > xhi) {
      text(g, "no values", MARGIN, PANEL_H / 2);
      return;
    }
    if (xhi <= xlo) {
      xhi = xlo + 1;
    }
    if (yhi <= ylo) {
      yhi = ylo + 1;
    }
    int plotW = PANEL_W - 2 * MARGIN;
    int plotH = PANEL_H - 2 * MARGIN;
    Color[] palette = {LINE, BAR, new Color(60, 160, 90), new Color(150, 90, 180)};
    g.setStroke(new BasicStroke(1.5f));
    for (int k = 0; k < s.xs().size(); k++) {
      double[] xs = s.xs().get(k);
      double[] ys = s.ys().get(k);
      g.setColor(palette[k % palette.length]);
      List<int[]> pts = new ArrayList<>();
      for (int i = 0; i < xs.length; i++) {
        if (Double.isFinite(ys[i])) {
          pts.add(new int[] {MARGIN + (int) ((xs[i] - xlo) / (xhi - xlo) * plotW),
              MARGIN + plotH - (int) ((ys[i] - ylo) / (yhi - ylo) * plotH)});
        }
      }
      for (int i = 1; i < pts.size(); i++) {
        g.drawLine(pts.get(i - 1)[0], pts.get(i - 1)[1], pts.get(i)[0], pts.get(i)[1]);
      }
      if (pts.size() == 1) {
        g.fillOval(pts.get(0)[0] - 2, pts.get(0)[1] - 2, 5, 5);
      }
      text(g, s.names().get(k), PANEL_W - MARGIN - 90, 18 + 12 * k);
    }
    g.setStroke(new BasicStroke(1f));
    axes(g, s.xLabel(), xlo, xhi, ylo, yhi);
  }

  private static void axes(Graphics2D g, String xLabel, double xlo, double xhi, double ylo, double yhi) {
    int plotW = PANEL_W - 2 * MARGIN;
    int plotH = PANEL_H - 2 * MARGIN;
    g.setColor(Color.BLACK);
    g.drawLine(MARGIN, MARGIN + plotH, MARGIN + plotW, MARGIN + plotH);
    g.drawLine(MARGIN, MARGIN, MARGIN, MARGIN + plotH);
    text(g, number(xlo), MARGIN - 4, MARGIN + plotH + 14);
    text(g, number(xhi), MARGIN + plotW - 30, MARGIN + plotH + 14);
    text(g, xLabel, MARGIN + plotW / 2 - 30, MARGIN + plotH + 30);
    text(g, number(yhi), 2, MARGIN + 4);
    text(g, number(ylo), 2, MARGIN + plotH);
  }

  private static void text(Graphics2D g, String s, int x, int y) {
    if (noText) {
      return;
    }
    try {
      g.drawString(s, x, y);
    } catch (LinkageError e) {
      noText = true;
      System.err.println("charts are drawn without text from now on: this JVM cannot load its font libraries ("
          + e + ")");
    }
  }

  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return Long.toString((long) v);
    }
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
  }
}
