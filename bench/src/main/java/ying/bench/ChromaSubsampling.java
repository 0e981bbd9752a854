package ying.bench;

/**
 * What yuv420p does to a rendered RGB frame, without the encoder: colour kept at half resolution
 * in both directions, brightness at full. Every video the caption job reads went through it, so a
 * thin outline of a small shape reaches the captioner with its colour smeared into the background;
 * rendered training frames never did, and most held-out shape errors are on small outlined and
 * glowing shapes. BT.601 weights, as FFmpeg uses for an untagged H.264 stream; each 2x2 block's
 * mean chroma, read back bilinearly between block centres (a sited 1-2-1 filter came out no nearer
 * the decoded frames).
 */
final class ChromaSubsampling {
  private ChromaSubsampling() {}

  /** Subsamples the chroma of an RGB24 frame of {@code width x height} (both even) in place. */
  static void apply(byte[] rgb, int width, int height) {
    if (width % 2 != 0 || height % 2 != 0) {
      throw new IllegalArgumentException("yuv420p needs an even size, not " + width + "x" + height);
    }
    int n = width * height;
    float[] y = new float[n];
    int cw = width / 2;
    int ch = height / 2;
    float[] cb = new float[cw * ch];
    float[] cr = new float[cw * ch];
    for (int i = 0; i < n; i++) {
      float r = rgb[3 * i] & 0xff;
      float g = rgb[3 * i + 1] & 0xff;
      float b = rgb[3 * i + 2] & 0xff;
      y[i] = 0.299f * r + 0.587f * g + 0.114f * b;
      int block = (i / width / 2) * cw + (i % width) / 2;
      cb[block] += 0.25f * 0.564f * (b - y[i]);
      cr[block] += 0.25f * 0.713f * (r - y[i]);
    }
    for (int py = 0; py < height; py++) {
      // Block centres sit between pixel pairs: pixel p lies at (p - 0.5) / 2 in block units.
      float v = Math.max(0, Math.min(ch - 1, (py - 0.5f) / 2));
      int v0 = (int) v;
      int v1 = Math.min(ch - 1, v0 + 1);
      float fv = v - v0;
      for (int px = 0; px < width; px++) {
        float u = Math.max(0, Math.min(cw - 1, (px - 0.5f) / 2));
        int u0 = (int) u;
        int u1 = Math.min(cw - 1, u0 + 1);
        float fu = u - u0;
        float b = bilinear(cb, cw, u0, u1, v0, v1, fu, fv);
        float r = bilinear(cr, cw, u0, u1, v0, v1, fu, fv);
        int i = py * width + px;
        float red = y[i] + r / 0.713f;
        float blue = y[i] + b / 0.564f;
        float green = (y[i] - 0.299f * red - 0.114f * blue) / 0.587f;
        rgb[3 * i] = clamp(red);
        rgb[3 * i + 1] = clamp(green);
        rgb[3 * i + 2] = clamp(blue);
      }
    }
  }

  private static float bilinear(float[] plane, int w, int u0, int u1, int v0, int v1, float fu, float fv) {
    float top = plane[v0 * w + u0] * (1 - fu) + plane[v0 * w + u1] * fu;
    float bottom = plane[v1 * w + u0] * (1 - fu) + plane[v1 * w + u1] * fu;
    return top * (1 - fv) + bottom * fv;
  }

  private static byte clamp(float value) {
    return (byte) Math.max(0, Math.min(255, Math.round(value)));
  }
}
