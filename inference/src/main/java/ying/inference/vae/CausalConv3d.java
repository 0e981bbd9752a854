package ying.inference.vae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 3D convolution that never looks ahead in time (CogVideoX, 3.1): time is padded on the past side
 * only, so output frame t sees input frames up to t (up to st*t with time stride st), and a lone
 * image is a 1-frame video encoded on its own. The past is padded with zeros, as in MAGVIT-v2, not
 * with copies of the first frame as CogVideoX does: through a stack of some twenty such layers,
 * copies of frame 0 stand in for most of a short window's receptive field, so every latent frame
 * was mostly frame 0 and training settled on a still clip (4 clips of 9x32x32 overfitted 300
 * steps: 19.5 dB and output flicker 0.0002 against the input's 0.045 with copies; 24.9 dB and
 * 0.051 with zeros). Space is zero-padded symmetrically.
 *
 * <p>Inside a chunked decode (a {@link CausalCache} in the params) the past is the previous chunk's
 * last frames instead, which makes the output of each chunk equal to that slice of a whole-clip
 * forward.
 */
final class CausalConv3d extends AbstractBlock {
  /** Below this C*T*H, PyTorch convolves a batch of one with its slow reference kernel; see {@link #convolve}. */
  private static final long ONE_DNN_MIN_VALUES = 20480;
  /** oneDNN's channel block on AVX-512; see {@link #convolve}. */
  private static final int ONE_DNN_CHANNEL_BLOCK = 16;

  private final int filters;
  private final int pastFrames;
  private final Shape kernel;
  private final Shape stride;
  private final Shape spacePadding;
  private final Parameter weight;
  private final Parameter bias;

  CausalConv3d(int filters, int kt, int kh, int kw, int st, int sh, int sw) {
    this.filters = filters;
    pastFrames = kt - 1;
    kernel = new Shape(kt, kh, kw);
    stride = new Shape(st, sh, sw);
    spacePadding = new Shape(0, kh / 2, kw / 2);
    weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
        .optShape(new Shape(filters)).build());
  }

  /** A cubic kernel with unit stride. */
  static CausalConv3d same(int filters, int kernel) {
    return new CausalConv3d(filters, kernel, kernel, kernel, 1, 1, 1);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.head(); // [B, C, T, H, W]
    NDArray padded = pastFrames == 0 ? x : padPast(x, CausalCache.of(params)); // [B, C, kt-1+T, H, W]
    NDArray w = ps.getValue(weight, x.getDevice(), training); // [F, C, kt, kh, kw]
    NDArray b = ps.getValue(bias, x.getDevice(), training);
    return new NDList(convolve(padded, w, b, training)); // [B, F, (T-1)/st+1, H/sh, W/sw]
  }

  private NDArray padPast(NDArray x, CausalCache cache) {
    if (cache != null && stride.get(0) != 1) {
      throw new IllegalStateException("chunked forward needs time stride 1, this layer strides " + stride.get(0));
    }
    NDArray past = cache == null ? null : cache.tail(this, x.getManager()); // [B, C, kt-1, H, W]
    if (past == null) {
      Shape s = x.getShape();
      past = x.getManager().zeros(new Shape(s.get(0), s.get(1), pastFrames, s.get(3), s.get(4)), x.getDataType(),
          x.getDevice());
    }
    NDArray padded = NDArrays.concat(new NDList(past, x), 2);
    if (cache != null) {
      long t = padded.getShape().get(2);
      cache.keep(this, padded.get(":, :, " + (t - pastFrames) + ":"));
    }
    return padded;
  }

  /**
   * Works around two faults of libtorch 2.5.1's CPU convolution, both measured on this project's
   * 2-core AVX-512 machine (a test in CausalConv3dTest checks each):
   *
   * <ul>
   *   <li>Speed: a batch of one goes to the reference kernel (vol2col on one thread) unless
   *       C*T*H > 20480 (use_mkldnn in ATen's Convolution.cpp), 5-8x slower than oneDNN. That is the
   *       usual case in a chunked decode and in a clip's deeper levels, so a lone clip is convolved
   *       as the two halves of its output frames, stacked as a batch of two.
   *   <li>Correctness: oneDNN's backward-data gives wrong input gradients (off by O(1), sometimes
   *       NaN; 45 of 100 random 3D shapes against a float64 reference) when the output channels are
   *       not a multiple of its 16-channel block, as in the decoder's last layer; with multiples of
   *       16, 0 of 200. So when training, the filters are padded with zeros to a multiple of 16 and
   *       the extra outputs dropped. Forward results were always right.
   * </ul>
   */
  private NDArray convolve(NDArray padded, NDArray w, NDArray b, boolean training) {
    int extra = training ? Math.floorMod(-filters, ONE_DNN_CHANNEL_BLOCK) : 0;
    if (extra > 0) {
      // Zeros first, so the padded copies belong to the batch's manager rather than the model's.
      NDManager batch = padded.getManager();
      Shape ws = w.getShape();
      w = NDArrays.concat(new NDList(batch.zeros(new Shape(extra, ws.get(1), ws.get(2), ws.get(3), ws.get(4)),
          w.getDataType()), w), 0); // [extra+F, C, kt, kh, kw]
      b = NDArrays.concat(new NDList(batch.zeros(new Shape(extra), b.getDataType()), b), 0);
    }
    Shape s = padded.getShape(); // [B, C, kt-1+T, H, W]
    NDArray out;
    if (s.get(0) != 1 || s.get(1) * s.get(2) * s.get(3) > ONE_DNN_MIN_VALUES) {
      out = Conv3d.conv3d(padded, w, b, stride, spacePadding).head();
    } else {
      out = convolveHalves(padded, w, b);
    }
    return extra > 0 ? out.get(":, " + extra + ":") : out;
  }

  /** One clip's convolution as a batch of two: the first and second halves of its output frames. */
  private NDArray convolveHalves(NDArray padded, NDArray w, NDArray b) {
    long st = stride.get(0);
    long kt = kernel.get(0);
    long frames = (padded.getShape().get(2) - kt) / st + 1;
    long half = (frames + 1) / 2;
    long window = st * (half - 1) + kt;
    long secondStart = st * half;
    long missing = secondStart + window - padded.getShape().get(2);
    if (missing > 0) { // odd frame counts: the second half runs over the end and is cropped
      padded = NDArrays.concat(new NDList(padded, padded.get(":, :, -1:").repeat(2, missing)), 2);
    }
    NDArray pair = NDArrays.concat(new NDList(padded.get(":, :, 0:" + window),
        padded.get(":, :, " + secondStart + ":" + (secondStart + window))), 0); // [2, C, window, H, W]
    NDArray halves = Conv3d.conv3d(pair, w, b, stride, spacePadding).head(); // [2, F, half, H', W']
    NDArray out = NDArrays.concat(new NDList(halves.get("0:1"), halves.get("1:2")), 2); // [1, F, 2*half, H', W']
    return missing > 0 ? out.get(":, :, 0:" + frames) : out;
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    long channels = inputShapes[0].get(1);
    weight.setShape(new Shape(filters, channels, kernel.get(0), kernel.get(1), kernel.get(2)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    long t = (in.get(2) - 1) / stride.get(0) + 1;
    long h = (in.get(3) + 2 * spacePadding.get(1) - kernel.get(1)) / stride.get(1) + 1;
    long w = (in.get(4) + 2 * spacePadding.get(2) - kernel.get(2)) / stride.get(2) + 1;
    return new Shape[] {new Shape(in.get(0), filters, t, h, w)};
  }
}
