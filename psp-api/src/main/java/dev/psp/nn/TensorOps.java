package dev.psp.nn;

import java.util.List;
import java.util.function.Supplier;

/**
 * The small, fixed set of tensor operations that the single pSp network definition is written
 * against.
 *
 * <p>Every network class in this package computes its forward pass only through these methods, so
 * the same definition runs eagerly (the DJL PyTorch engine, with or without autograd for training)
 * and is traced into a graph (the ONNX exporter). Implementations decide what {@code T} is: an
 * engine array or a symbolic graph value. All tensors are float32; feature maps are NCHW.
 * Elementwise methods broadcast like NumPy.
 *
 * <p>Implementations are not thread-safe unless they say so; use one instance per forward call or
 * per thread.
 *
 * @param <T> the tensor type of the implementation
 */
public interface TensorOps<T> {

  // ---- values -----------------------------------------------------------------------------------

  /** The state_dict tensor stored under {@code key} (full key, e.g. {@code decoder.style.1.weight}). */
  T param(String key);

  /**
   * A constant float32 tensor (C order; no shape gives a 0-d scalar). Used for fixed kernels,
   * interpolation and pooling matrices and scalars.
   */
  T constant(float[] values, long... shape);

  /**
   * Runs {@code body} and returns its result; every other tensor the body creates is dead afterwards
   * and an eager implementation may release it at once. Not an operation: the default just runs the
   * body, which is all a graph builder needs.
   *
   * <p>Added because an eager engine cannot otherwise know when an intermediate is dead: without it
   * all intermediates of a forward call stay alive until the call ends (8.7 GB peak RSS measured for
   * one 1024×1024 pSp image). The network wraps each sub-layer call in it, which bounds peak memory
   * to one layer's intermediates. Implementations must keep whatever autograd still needs.
   */
  default T scoped(Supplier<T> body) {
    return body.get();
  }

  // ---- shape ------------------------------------------------------------------------------------

  /**
   * The shape of {@code x}. Eager implementations return the actual shape; graph builders return
   * the static shape with -1 for a dynamic batch dimension.
   *
   * <p>Added to the original op set because the polyphase pixel shuffle, the interpolation and
   * pooling matrices and the MaxPool2d(1,2) subsampling need the static spatial size of their input,
   * and the modules would otherwise have to be told every feature-map size by their callers.
   */
  long[] shape(T x);

  /** Reshapes; at most one dimension may be -1 (the batch dimension in traced graphs). */
  T reshape(T x, long... shape);

  /** Permutes dimensions: output dim i is input dim {@code axes[i]}. */
  T permute(T x, int... axes);

  /** Concatenates along {@code axis}. */
  T concat(List<T> xs, int axis);

  /** Elements {@code [start, end)} of {@code axis}. */
  T slice(T x, int axis, long start, long end);

  // ---- elementwise ------------------------------------------------------------------------------

  /** {@code a + b}. */
  T add(T a, T b);

  /** {@code a - b}. */
  T sub(T a, T b);

  /** {@code a * b}. */
  T mul(T a, T b);

  /** {@code a / b}. */
  T div(T a, T b);

  /** {@code x * s}. Implementations must keep gradients exact (no Java-scalar traps). */
  T scale(T x, double s);

  /** {@code x + s}. */
  T addScalar(T x, double s);

  /** {@code 1 / sqrt(x)}. */
  T rsqrt(T x);

  /** {@code sqrt(x)}. Added for the norms of the loss networks (LPIPS, ID, w-norm). */
  T sqrt(T x);

  /** Elementwise maximum. */
  T maximum(T a, T b);

  /** Elementwise minimum. */
  T minimum(T a, T b);

  /** Logistic sigmoid. */
  T sigmoid(T x);

  /** {@code max(x, 0)}. */
  T relu(T x);

  /** Leaky ReLU with the given negative slope (0 &lt; slope &lt; 1). */
  T leakyRelu(T x, double slope);

  // ---- reductions -------------------------------------------------------------------------------

  /** Mean over {@code axes}. */
  T mean(T x, int[] axes, boolean keepDims);

  /** Sum over {@code axes}. */
  T sum(T x, int[] axes, boolean keepDims);

  // ---- linear algebra ---------------------------------------------------------------------------

  /** NumPy {@code matmul}: batched over leading dimensions, with broadcasting. */
  T matmul(T a, T b);

  /**
   * 2-D cross-correlation (PyTorch {@code conv2d}, one group): x {@code [B,I,H,W]}, weight
   * {@code [O,I,k,k]}, optional bias {@code [O]} (null for none), symmetric zero padding.
   */
  T conv2d(T x, T weight, T bias, int stride, int padding);

  /**
   * 2-D max pooling (PyTorch {@code max_pool2d}, floor mode, padding with -inf) of x {@code
   * [B,C,H,W]}. Added for the loss networks (AlexNet, VGG, ResNet-50), which pSp itself never uses.
   */
  T maxPool2d(T x, int kernel, int stride, int padding);

  // ---- training mode ----------------------------------------------------------------------------

  /**
   * True when layers run as in PyTorch's {@code train()} mode: BatchNorm normalises with the
   * statistics of the batch and reports its new running statistics through {@link #updateBuffer}.
   * False (the default) is {@code eval()} mode, the only mode inference and export use.
   */
  default boolean training() {
    return false;
  }

  /**
   * Receives the new value of a buffer (a BatchNorm running statistic) computed in training mode.
   * The value carries no gradient. The default ignores it; a trainer stores it after the step.
   */
  default void updateBuffer(String key, T value) {
  }
}
