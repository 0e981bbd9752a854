package ying.core.video;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reconstruction quality over many clips of uint8 {@code [T, H, W, 3]} frames: PSNR of whole clips
 * and of their first frames, SSIM, and temporal flicker. Add clip pairs, then read the {@link Report}.
 *
 * <p>SSIM follows Wang et al. (2004): an 11x11 Gaussian window (sigma 1.5) over each colour
 * channel, valid positions only, averaged over channels and frames. Flicker is the mean absolute
 * difference between consecutive frames; the report compares the reconstruction's with the input's,
 * since a VAE that decodes each latent frame slightly differently adds flicker the input never had.
 */
public final class VideoQuality {
  /** PSNR of identical clips, which would be infinite. */
  public static final double MAX_PSNR = 100;
  private static final int WINDOW = 11;
  private static final double SIGMA = 1.5;
  private static final double C1 = Math.pow(0.01 * 255, 2);
  private static final double C2 = Math.pow(0.03 * 255, 2);
  private static final double[] GAUSS = gaussian();

  private int clips;
  private double psnrSum;
  private double firstFramePsnrSum;
  private double ssimSum;
  private double inputFlickerSum;
  private double outputFlickerSum;

  /** Mean PSNR (dB) per clip, mean SSIM, and mean flicker (grey levels per value) of input and reconstruction. */
  public record Report(int clips, double psnr, double firstFramePsnr, double ssim, double inputFlicker,
      double outputFlicker) {
    /** Relative change of flicker, reconstruction over input: 0.05 is 5% more flicker. */
    public double flickerChange() {
      return inputFlicker == 0 ? (outputFlicker == 0 ? 0 : Double.POSITIVE_INFINITY)
          : outputFlicker / inputFlicker - 1;
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("psnr_db", round(psnr, 100));
      m.put("first_frame_psnr_db", round(firstFramePsnr, 100));
      m.put("ssim", round(ssim, 10000));
      m.put("input_flicker", round(inputFlicker, 10000));
      m.put("output_flicker", round(outputFlicker, 10000));
      m.put("flicker_change", round(flickerChange(), 10000));
      m.put("clips", clips);
      return m;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT,
          "%d clips: PSNR %.2f dB (first frame %.2f dB), SSIM %.4f, flicker %.3f vs input %.3f (%+.1f%%)", clips, psnr,
          firstFramePsnr, ssim, outputFlicker, inputFlicker, 100 * flickerChange());
    }

    private static double round(double v, double scale) {
      return Double.isFinite(v) ? Math.round(v * scale) / scale : v;
    }
  }

  /** Scores one clip: {@code reference} and {@code reconstruction} hold T x H x W x 3 bytes each. */
  public void add(byte[] reference, byte[] reconstruction, int t, int h, int w) {
    add(reference, 0, reconstruction, 0, t, h, w);
  }

  /** Scores one clip found at the given offsets of two arrays (batches of clips back to back). */
  public void add(byte[] reference, int refOffset, byte[] reconstruction, int recOffset, int t, int h, int w) {
    int frame = h * w * 3;
    if (t < 1 || refOffset + t * frame > reference.length || recOffset + t * frame > reconstruction.length) {
      throw new IllegalArgumentException("clips of " + t + "x" + h + "x" + w + "x3 bytes do not fit the arrays");
    }
    psnrSum += psnr(squaredError(reference, refOffset, reconstruction, recOffset, t * frame) / (t * (double) frame));
    firstFramePsnrSum += psnr(squaredError(reference, refOffset, reconstruction, recOffset, frame) / frame);
    double ssim = 0;
    for (int f = 0; f < t; f++) {
      for (int c = 0; c < 3; c++) {
        ssim += ssim(reference, refOffset + f * frame, reconstruction, recOffset + f * frame, h, w, c);
      }
    }
    ssimSum += ssim / (3.0 * t);
    if (t > 1) {
      inputFlickerSum += flicker(reference, refOffset, t, frame);
      outputFlickerSum += flicker(reconstruction, recOffset, t, frame);
    }
    clips++;
  }

  public Report report() {
    if (clips == 0) {
      throw new IllegalStateException("no clips scored");
    }
    return new Report(clips, psnrSum / clips, firstFramePsnrSum / clips, ssimSum / clips, inputFlickerSum / clips,
        outputFlickerSum / clips);
  }

  static double psnr(double mse) {
    return mse == 0 ? MAX_PSNR : Math.min(MAX_PSNR, 10 * Math.log10(255.0 * 255.0 / mse));
  }

  private static double squaredError(byte[] a, int ao, byte[] b, int bo, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      int d = (a[ao + i] & 0xff) - (b[bo + i] & 0xff);
      sum += d * d;
    }
    return sum;
  }

  private static double flicker(byte[] clip, int offset, int t, int frame) {
    double sum = 0;
    for (int f = 1; f < t; f++) {
      int cur = offset + f * frame;
      for (int i = 0; i < frame; i++) {
        sum += Math.abs((clip[cur + i] & 0xff) - (clip[cur - frame + i] & 0xff));
      }
    }
    return sum / ((t - 1) * (double) frame);
  }

  /** SSIM of one channel of two frames, over the window positions that fit inside the frame. */
  static double ssim(byte[] a, int ao, byte[] b, int bo, int h, int w, int channel) {
    if (h < WINDOW || w < WINDOW) {
      throw new IllegalArgumentException("SSIM needs frames of at least " + WINDOW + "x" + WINDOW + ", got " + w + "x" + h);
    }
    double[] x = new double[h * w];
    double[] y = new double[h * w];
    for (int i = 0; i < h * w; i++) {
      x[i] = a[ao + 3 * i + channel] & 0xff;
      y[i] = b[bo + 3 * i + channel] & 0xff;
    }
    double[] xx = new double[h * w];
    double[] yy = new double[h * w];
    double[] xy = new double[h * w];
    for (int i = 0; i < h * w; i++) {
      xx[i] = x[i] * x[i];
      yy[i] = y[i] * y[i];
      xy[i] = x[i] * y[i];
    }
    double[] mx = blur(x, h, w);
    double[] my = blur(y, h, w);
    double[] sxx = blur(xx, h, w);
    double[] syy = blur(yy, h, w);
    double[] sxy = blur(xy, h, w);
    double sum = 0;
    for (int i = 0; i < mx.length; i++) {
      double vx = sxx[i] - mx[i] * mx[i];
      double vy = syy[i] - my[i] * my[i];
      double cov = sxy[i] - mx[i] * my[i];
      sum += (2 * mx[i] * my[i] + C1) * (2 * cov + C2) / ((mx[i] * mx[i] + my[i] * my[i] + C1) * (vx + vy + C2));
    }
    return sum / mx.length;
  }

  /** Gaussian-weighted means over every valid window: {@code (h-10) x (w-10)} values. */
  private static double[] blur(double[] v, int h, int w) {
    int oh = h - WINDOW + 1;
    int ow = w - WINDOW + 1;
    double[] rows = new double[h * ow];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < ow; c++) {
        double s = 0;
        for (int k = 0; k < WINDOW; k++) {
          s += GAUSS[k] * v[r * w + c + k];
        }
        rows[r * ow + c] = s;
      }
    }
    double[] out = new double[oh * ow];
    for (int r = 0; r < oh; r++) {
      for (int c = 0; c < ow; c++) {
        double s = 0;
        for (int k = 0; k < WINDOW; k++) {
          s += GAUSS[k] * rows[(r + k) * ow + c];
        }
        out[r * ow + c] = s;
      }
    }
    return out;
  }

  private static double[] gaussian() {
    double[] g = new double[WINDOW];
    double sum = 0;
    for (int i = 0; i < WINDOW; i++) {
      double d = i - WINDOW / 2;
      g[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
      sum += g[i];
    }
    for (int i = 0; i < WINDOW; i++) {
      g[i] /= sum;
    }
    return g;
  }
}
