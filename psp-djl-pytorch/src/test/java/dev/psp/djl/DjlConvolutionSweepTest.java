package dev.psp.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.testing.ConvolutionSweepTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The convolution sweep on the pytorch engine, through {@link DjlTensorOps#conv2d} (so through its
 * matrix-product and grouped forms too). Before each convolution, arrays of NaN the sizes of the
 * channel-padded operands are allocated and freed, so that memory libtorch or oneDNN reuse without
 * initialising shows up as NaN instead of as the zeros a fresh page holds.
 */
class DjlConvolutionSweepTest extends ConvolutionSweepTest {

  @Override
  protected String engineName() {
    return "pytorch";
  }

  @Override
  protected List<float[]> convolve(List<Case> cases) {
    List<float[]> out = new ArrayList<>();
    try (NDManager root = PyTorchEngine.djl().newBaseManager()) {
      for (Case k : cases) {
        poison(root, k);
        try (NDManager call = root.newSubManager()) {
          NDArray x = call.create(k.x(), new Shape(k.xShape()));
          NDArray w = call.create(k.weight(), new Shape(k.weightShape()));
          NDArray b = k.bias() == null ? null : call.create(k.bias(), new Shape(k.bias().length));
          DjlTensorOps ops = new DjlTensorOps(call, Map.of());
          out.add(ops.conv2d(x, w, b, k.config().stride(), k.config().padding()).toFloatArray());
        }
      }
    }
    return out;
  }

  /** Allocates, writes and frees NaN arrays the sizes of the operands with channels padded to 16 and 32. */
  private static void poison(NDManager root, Case k) {
    long[] xs = k.xShape();
    long[] ws = k.weightShape();
    for (long block : new long[] {16, 32}) {
      long c = (xs[1] + block - 1) / block * block;
      long o = (ws[0] + block - 1) / block * block;
      for (long n : new long[] {xs[0] * c * xs[2] * xs[3], o * c * ws[2] * ws[3], xs[0] * o * xs[2] * xs[3]}) {
        try (NDManager m = root.newSubManager()) {
          NDArray nan = m.full(new Shape(n), Float.NaN);
          nan.add(nan); // written once more through an op, as libtorch's own temporaries are
        }
      }
    }
  }
}
