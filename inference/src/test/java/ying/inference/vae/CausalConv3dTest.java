package ying.inference.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import org.junit.jupiter.api.Test;

class CausalConv3dTest {
  private static NDArray forward(CausalConv3d conv, NDManager m, NDArray x) {
    return conv.forward(new ParameterStore(m, false), new NDList(x), false).head();
  }

  private static CausalConv3d conv(NDManager m, int stride, long channels) {
    return conv(m, 6, stride, channels);
  }

  private static CausalConv3d conv(NDManager m, int filters, int stride, long channels) {
    CausalConv3d conv = new CausalConv3d(filters, 3, 3, 3, stride, stride, stride);
    conv.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
    conv.initialize(m, DataType.FLOAT32, new Shape(1, channels, 1, 8, 8));
    return conv;
  }

  @Test
  void aLoneClipConvolvesAsItWouldInABatch() {
    // A batch of one takes the split-in-time path, a batch of two PyTorch's own; both must agree.
    try (NDManager m = NDManager.newBaseManager()) {
      for (int stride : new int[] {1, 2}) {
        CausalConv3d conv = conv(m, stride, 4);
        for (int frames : new int[] {1, 2, 3, 4, 5, 8, 9}) {
          NDArray x = TinyVae.normal(m, frames, 1, 4, frames, 8, 8);
          NDArray alone = forward(conv, m, x);
          NDArray batched = forward(conv, m, NDArrays.concat(new NDList(x, TinyVae.normal(m, 99, 1, 4, frames, 8, 8))));
          assertEquals(new Shape(1, 6, (frames - 1) / stride + 1, 8 / stride, 8 / stride), alone.getShape());
          float diff = TinyVae.maxAbsDiff(alone, batched.get("0:1"));
          assertTrue(diff < 1e-5f, "stride " + stride + ", " + frames + " frames: " + diff);
        }
      }
    }
  }

  @Test
  void thePastBeforeTheFirstFrameIsZeros() {
    try (NDManager m = NDManager.newBaseManager()) {
      CausalConv3d conv = conv(m, 1, 4);
      NDArray x = TinyVae.normal(m, 5, 1, 4, 4, 8, 8);
      // [1, 4, 3, 8, 8]: two zero frames, then frame 0
      NDArray afterZeros = NDArrays.concat(new NDList(m.zeros(new Shape(1, 4, 2, 8, 8)), x.get(":, :, 0:1")), 2);
      // With the past padded by zeros, output 0 of the clip is output 2 of frame 0 after two zero frames.
      float diff = TinyVae.maxAbsDiff(forward(conv, m, x).get(":, :, 0:1"),
          forward(conv, m, afterZeros).get(":, :, 2:3"));
      assertTrue(diff < 1e-5f, "diff " + diff);
      // ... and not what copies of frame 0 would give.
      NDArray still = x.get(":, :, 0:1").repeat(2, 3);
      assertTrue(TinyVae.maxAbsDiff(forward(conv, m, x).get(":, :, 0:1"), forward(conv, m, still).get(":, :, 2:3"))
          > 1e-3f);
    }
  }

  @Test
  void trainingGradientsMatchAFloat64Reference() {
    // oneDNN's float32 backward-data went wrong for output channels off its 16-channel block (3 and 8
    // here); PyTorch's float64 convolution takes its reference kernel.
    try (NDManager m = NDManager.newBaseManager()) {
      for (int filters : new int[] {3, 8, 16}) {
        for (int batch : new int[] {1, 2}) {
          CausalConv3d conv = conv(m, filters, 1, 8);
          NDArray x = TinyVae.normal(m, filters + batch, batch, 8, 5, 16, 24);
          NDArray upstream = TinyVae.normal(m, 7, batch, filters, 5, 16, 24);
          NDArray w = conv.getParameters().get("weight").getArray();
          NDArray b = conv.getParameters().get("bias").getArray();

          x.setRequiresGradient(true);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = conv.forward(new ParameterStore(m, false), new NDList(x), true).head();
            gc.backward(y.mul(upstream).sum());
          }
          NDArray x64 = x.toType(DataType.FLOAT64, true);
          x64.setRequiresGradient(true);
          try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray padded = NDArrays.concat(new NDList(x64.get(":, :, 0:2").zerosLike(), x64), 2);
            NDArray y = Conv3d.conv3d(padded, w.toType(DataType.FLOAT64, true), b.toType(DataType.FLOAT64, true),
                new Shape(1, 1, 1), new Shape(0, 1, 1)).head();
            gc.backward(y.mul(upstream.toType(DataType.FLOAT64, true)).sum());
          }
          float diff = TinyVae.maxAbsDiff(x.getGradient(), x64.getGradient().toType(DataType.FLOAT32, true));
          assertTrue(diff < 1e-4f, filters + " filters, batch " + batch + ": input gradients differ by " + diff);
        }
      }
    }
  }
}
