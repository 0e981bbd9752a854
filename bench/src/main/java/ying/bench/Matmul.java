package ying.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/** The yardstick the model benchmarks compare with: a large dense matrix product on the same cores, and medians. */
final class Matmul {
  private Matmul() {}

  /** GFLOP/s of an {@code n x n} by {@code n x n} product, the median of {@code reps} after {@code warmups}. */
  static double gflops(NDManager m, int n, int reps, int warmups) {
    double[] s = new double[reps];
    try (NDManager scope = m.newSubManager()) {
      NDArray a = scope.randomUniform(-1f, 1f, new Shape(n, n));
      NDArray b = scope.randomUniform(-1f, 1f, new Shape(n, n));
      for (int i = -warmups; i < reps; i++) {
        long t0 = System.nanoTime();
        try (NDArray p = a.matMul(b)) {
          p.toFloatArray();
        }
        if (i >= 0) {
          s[i] = (System.nanoTime() - t0) / 1e9;
        }
      }
    }
    return 2.0 * n * n * (double) n / 1e9 / median(s);
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }
}
