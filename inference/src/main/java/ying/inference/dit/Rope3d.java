package ying.inference.dit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * 3D rotary position embedding (CogVideoX, 3.2; RoFormer's rotation per axis): each attention
 * head's channels are split into a time, a height and a width part (a quarter and three eighths
 * each, as CogVideoX splits 64 into 16/24/24), and each part rotates its channel pairs by angles
 * proportional to the token's position along that axis. Query-key dot products then depend on
 * relative positions only. Text tokens are not rotated.
 */
public final class Rope3d {
  /** Where the tables travel in a forward pass's params. */
  public static final String PARAM = "rope3d";

  private final int headDim;
  private final double base;
  private final int[] axisDims;

  /**
   * @param headDim channels per head (even)
   * @param base the frequency base, 10,000 as in RoFormer
   */
  public Rope3d(int headDim, double base) {
    if (headDim < 6 || headDim % 2 != 0) {
      throw new IllegalArgumentException("3D RoPE needs an even head size of at least 6, got " + headDim);
    }
    this.headDim = headDim;
    this.base = base;
    int t = Math.max(2, 2 * (headDim / 8));
    int hw = 2 * ((headDim - t) / 4);
    axisDims = new int[] {t, hw, hw}; // leftover channels, if any, stay unrotated
  }

  /** Channels given to time, height and width. */
  public int[] axisDims() {
    return axisDims.clone();
  }

  /**
   * The rotation for a video of {@code frames x height x width} tokens in (t, h, w) row-major order:
   * cos and sin per token and channel, and the signed permutation that pairs channels.
   */
  public record Tables(NDArray cos, NDArray sin, NDArray rotate) {
    /**
     * These tables behind {@code tokens} rows that rotate nothing (cos 1, sin 0), for the text tokens
     * that come before the video's: attention then rotates the whole sequence in one pass instead of
     * cutting the video out and joining it back, and the text comes out as it went in (x * 1 + xR * 0).
     */
    public Tables afterUnrotated(long tokens) {
      NDManager m = cos.getManager();
      Shape rows = new Shape(tokens, cos.getShape().get(1));
      return new Tables(m.ones(rows).concat(cos, 0), m.zeros(rows).concat(sin, 0), rotate);
    }
  }

  public Tables tables(NDManager manager, int frames, int height, int width) {
    int n = frames * height * width;
    float[] cos = new float[n * headDim];
    float[] sin = new float[n * headDim];
    float[] rotate = new float[headDim * headDim];
    for (int i = 0; i < n * headDim; i++) {
      cos[i] = 1f;
    }
    int offset = 0;
    for (int axis = 0; axis < 3; axis++) {
      int d = axisDims[axis];
      int half = d / 2;
      for (int j = 0; j < half; j++) {
        double frequency = Math.pow(base, -2.0 * j / d);
        for (int token = 0; token < n; token++) {
          int position = switch (axis) {
            case 0 -> token / (height * width);
            case 1 -> (token / width) % height;
            default -> token % width;
          };
          double angle = position * frequency;
          float c = (float) Math.cos(angle);
          float s = (float) Math.sin(angle);
          cos[token * headDim + offset + j] = c;
          cos[token * headDim + offset + j + half] = c;
          sin[token * headDim + offset + j] = s;
          sin[token * headDim + offset + j + half] = s;
        }
        // (x_a, x_b) -> (-x_b, x_a) for the pair a = offset + j, b = a + half.
        rotate[(offset + j + half) * headDim + offset + j] = -1f;
        rotate[(offset + j) * headDim + offset + j + half] = 1f;
      }
      offset += d;
    }
    return new Tables(manager.create(cos, new Shape(n, headDim)), manager.create(sin, new Shape(n, headDim)),
        manager.create(rotate, new Shape(headDim, headDim)));
  }

  /** The tables in a forward pass's params, or null. */
  static Tables of(ai.djl.util.PairList<String, Object> params) {
    return params == null ? null : (Tables) params.get(PARAM);
  }

  /** Params that carry {@code tables} through a forward pass. */
  public static ai.djl.util.PairList<String, Object> params(Tables tables) {
    ai.djl.util.PairList<String, Object> p = new ai.djl.util.PairList<>();
    p.add(PARAM, tables);
    return p;
  }

  /** Rotates queries or keys {@code [B, heads, N, D]} of N video tokens. */
  public static NDArray apply(NDArray x, Tables tables) {
    return x.mul(tables.cos()).add(x.matMul(tables.rotate()).mul(tables.sin()));
  }
}
