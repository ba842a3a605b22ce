package dev.psp.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import dev.psp.io.TensorData;
import dev.psp.nn.TensorOps;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link TensorOps} on DJL {@link NDArray}s, run eagerly by DJL's PyTorch engine (CPU), with
 * autograd when the parameters require gradients.
 *
 * <p>Memory: every array an op creates is attached to the manager given to the constructor (the
 * call manager), even when an operand lives in another manager (the parameters usually do), or,
 * inside {@link #scoped}, to a sub-manager that is closed when the block returns, so a layer's
 * intermediates are freed as soon as the layer is done. Give each forward call its own sub-manager
 * and close it after copying or re-attaching the outputs you keep; the parameters are never
 * attached to it.
 *
 * <p>Autograd: DJL builds arrays from Java data ({@link #constant}, the 0-d scalars) with {@code
 * torch::from_blob} over a Java direct buffer, which the garbage collector frees once the array is
 * closed and unreachable, even if the autograd graph still reads it. That is why DJL's Java-scalar
 * overloads ({@code mul(float)} …) give wrong gradients after a GC. Here such arrays always live in
 * the call manager, never in a scope, and scalars ({@link #scale}, {@link #addScalar}, {@link
 * #leakyRelu}) are explicit 0-d float32 arrays; closing a scope only releases results computed by
 * libtorch, which the autograd graph keeps by reference count. Keep the call manager open until
 * {@code backward} has run.
 *
 * <p>Not thread-safe: use one instance per thread and forward call.
 */
public final class DjlTensorOps implements TensorOps<NDArray> {
  // 1×1 convolutions with fewer output channels than POINTWISE_MAX_OUT, over maps of at least
  // POINTWISE_MIN_PIXELS pixels, run as a matrix product (see conv2d)
  private static final long POINTWISE_MAX_OUT = 64;
  private static final long POINTWISE_MIN_PIXELS = 64 * 64;
  // input channels are padded with zeros to a multiple of this (see paddedChannels)
  private static final long CHANNEL_BLOCK = 16;

  private final NDManager manager;
  private final Function<String, NDArray> params;
  private NDManager current;
  private java.util.function.BiConsumer<String, NDArray> bufferSink;

  /**
   * Ops whose results are attached to {@code manager} and whose {@link #param} reads {@code
   * params} (full state_dict keys).
   */
  public DjlTensorOps(NDManager manager, Map<String, NDArray> params) {
    this(manager, lookup(params));
  }

  /** Ops reading parameters through a function that returns null for unknown keys. */
  public DjlTensorOps(NDManager manager, Function<String, NDArray> params) {
    this.manager = Objects.requireNonNull(manager, "manager");
    this.params = Objects.requireNonNull(params, "params");
    this.current = manager;
  }

  private static Function<String, NDArray> lookup(Map<String, NDArray> params) {
    Objects.requireNonNull(params, "params");
    return params::get;
  }

  /** The call manager: it owns the constants and every result created outside {@link #scoped}. */
  public NDManager manager() {
    return manager;
  }

  // ---- conversion -------------------------------------------------------------------------------

  /**
   * Copies host tensors into NDArrays owned by {@code manager} (float32 stays float32, int64 stays
   * int64, float16/bfloat16/float64 become float32), keeping the map order.
   */
  public static Map<String, NDArray> toNDArrays(NDManager manager, Map<String, TensorData> tensors) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    tensors.forEach((k, t) -> out.put(k, toNDArray(manager, t)));
    return out;
  }

  /** Copies one host tensor into an NDArray owned by {@code manager}. */
  public static NDArray toNDArray(NDManager manager, TensorData t) {
    Shape shape = new Shape(t.shape());
    switch (t.dtype()) {
      case FLOAT32:
        return manager.create(t.bytes().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer(), shape);
      case INT64:
        return manager.create(t.bytes().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer(), shape);
      case FLOAT64:
      case FLOAT16:
      case BFLOAT16:
        return manager.create(t.toFloatArray(), shape);
      default:
        throw new IllegalArgumentException("unsupported dtype " + t.dtype() + " for an NDArray;"
            + " pSp state_dicts hold float32 and int64 tensors");
    }
  }

  /**
   * A float32 tensor as an NDArray over the tensor's own memory when that memory is a private
   * direct buffer (the checkpoint reader's default), else a copy ({@link #toNDArray}). For weights
   * that are only read: the array and the tensor share their values, and the array keeps the buffer
   * reachable. Memory-mapped file pages are always copied, so a file changed later cannot change or
   * crash a loaded model.
   */
  public static NDArray weightNDArray(NDManager manager, TensorData t) {
    if (t.dtype() == dev.psp.io.DType.FLOAT32 && !t.isFileMapped() && t.bytes().isDirect()
        && manager.getDevice().equals(ai.djl.Device.cpu())) {
      return manager.create(t.bytes(), new Shape(t.shape()), DataType.FLOAT32);
    }
    return toNDArray(manager, t);
  }

  /** Copies an NDArray to a host tensor: int64 stays int64, everything else becomes float32. */
  public static TensorData toTensorData(NDArray a) {
    long[] shape = a.getShape().getShape();
    if (a.getDataType() == DataType.FLOAT32) {
      return TensorData.ofFloats(a.toFloatArray(), shape);
    }
    if (a.getDataType() == DataType.INT64) {
      return TensorData.ofLongs(a.toLongArray(), shape);
    }
    try (NDArray f = a.toType(DataType.FLOAT32, true)) {
      return TensorData.ofFloats(f.toFloatArray(), shape);
    }
  }

  // ---- values -----------------------------------------------------------------------------------

  @Override
  public NDArray param(String key) {
    NDArray p = params.apply(key);
    if (p == null) {
      throw new IllegalArgumentException("no tensor for state_dict key " + key
          + "; validate the checkpoint against the network's StateDictSpec first");
    }
    return p;
  }

  @Override
  public NDArray constant(float[] values, long... shape) {
    return manager.create(values, new Shape(shape));
  }

  private NDArray scalar(double v) {
    return manager.create((float) v);
  }

  /**
   * Attaches a result to the current manager, unless it is one of the operands (an op may return
   * its input unchanged; moving a parameter or an outer array into a scope would close it).
   */
  private NDArray own(NDArray r, NDArray... operands) {
    for (NDArray o : operands) {
      if (r == o) {
        return r;
      }
    }
    if (r.getManager() != current) {
      r.attach(current);
    }
    return r;
  }

  /**
   * Runs {@code body} in a sub-manager of the current one, moves its result (if the body created it)
   * to the current manager and closes the sub-manager, releasing the body's other results.
   */
  @Override
  public NDArray scoped(Supplier<NDArray> body) {
    NDManager outer = current;
    NDManager inner = outer.newSubManager();
    current = inner;
    try {
      NDArray r = body.get();
      if (r.getManager() == inner) {
        r.attach(outer);
      }
      return r;
    } finally {
      current = outer;
      inner.close();
    }
  }

  // ---- shape ------------------------------------------------------------------------------------

  @Override
  public long[] shape(NDArray x) {
    return x.getShape().getShape();
  }

  @Override
  public NDArray reshape(NDArray x, long... shape) {
    return own(x.reshape(new Shape(shape)), x);
  }

  @Override
  public NDArray permute(NDArray x, int... axes) {
    return own(x.transpose(axes), x);
  }

  @Override
  public NDArray concat(List<NDArray> xs, int axis) {
    return own(NDArrays.concat(new NDList(xs), axis), xs.toArray(new NDArray[0]));
  }

  @Override
  public NDArray slice(NDArray x, int axis, long start, long end) {
    return own(x.get(new NDIndex().addAllDim(axis).addSliceDim(start, end)), x);
  }

  // ---- elementwise ------------------------------------------------------------------------------

  @Override
  public NDArray add(NDArray a, NDArray b) {
    return own(a.add(b), a, b);
  }

  @Override
  public NDArray sub(NDArray a, NDArray b) {
    return own(a.sub(b), a, b);
  }

  @Override
  public NDArray mul(NDArray a, NDArray b) {
    return own(a.mul(b), a, b);
  }

  @Override
  public NDArray div(NDArray a, NDArray b) {
    return own(a.div(b), a, b);
  }

  @Override
  public NDArray scale(NDArray x, double s) {
    return own(x.mul(scalar(s)), x);
  }

  @Override
  public NDArray addScalar(NDArray x, double s) {
    return own(x.add(scalar(s)), x);
  }

  @Override
  public NDArray rsqrt(NDArray x) {
    NDArray root = own(x.sqrt(), x);
    return own(scalar(1).div(root), root);
  }

  @Override
  public NDArray sqrt(NDArray x) {
    return own(x.sqrt(), x);
  }

  @Override
  public NDArray maximum(NDArray a, NDArray b) {
    return own(a.maximum(b), a, b);
  }

  @Override
  public NDArray minimum(NDArray a, NDArray b) {
    return own(a.minimum(b), a, b);
  }

  @Override
  public NDArray sigmoid(NDArray x) {
    return own(x.getNDArrayInternal().sigmoid(), x);
  }

  @Override
  public NDArray relu(NDArray x) {
    return own(x.getNDArrayInternal().relu(), x);
  }

  /**
   * libtorch's {@code leaky_relu}: {@code x} for x &gt; 0 and {@code slope·x} otherwise (the slope
   * rounded to float32, as PyTorch does for float tensors), gradient {@code slope} at 0. One pass,
   * where the composition {@code relu(x) + slope·(x - relu(x))} took four.
   */
  @Override
  public NDArray leakyRelu(NDArray x, double slope) {
    return own(x.getNDArrayInternal().leakyRelu((float) slope), x);
  }

  // ---- reductions -------------------------------------------------------------------------------

  /** The sum over the axes divided by their element count (DJL's PyTorch mean takes one axis). */
  @Override
  public NDArray mean(NDArray x, int[] axes, boolean keepDims) {
    long[] s = x.getShape().getShape();
    long n = 1;
    for (int a : axes) {
      n *= s[a < 0 ? a + s.length : a];
    }
    NDArray sum = own(x.sum(axes, keepDims), x);
    return own(sum.div(scalar(n)), sum);
  }

  @Override
  public NDArray sum(NDArray x, int[] axes, boolean keepDims) {
    return own(x.sum(axes, keepDims), x);
  }

  // ---- linear algebra ---------------------------------------------------------------------------

  @Override
  public NDArray matmul(NDArray a, NDArray b) {
    return own(a.matMul(b), a, b);
  }

  /**
   * {@code conv2d}, with two equivalent forms that libtorch's CPU kernels run faster:
   *
   * <ul>
   *   <li>a 1×1 convolution with stride 1 and no padding, with fewer than 64 output channels over
   *       at least 64×64 pixels, is a matrix product {@code [O,I] × [B,I,H·W]}: 2.4× faster for
   *       the 3 channels of the RGB branch at 1024 px, 1.8× for 32 channels. For more output
   *       channels or small maps both take the same time and the convolution is kept, which leaves
   *       the encoder's 1×1 layers (lateral layers, squeeze-excitation) numerically unchanged.
   *       While autograd records on the CPU every 1×1 convolution without padding is one (strided
   *       ones on the subsampled input): libtorch 2.7.1's double backward of a 1×1 convolution over
   *       maps of 6×6 pixels and more was measured 5% to 80% off, padded or not, while the matrix
   *       product's is exact ({@code ConvolutionGradientSweepTest});
   *   <li>a single-channel input with a batch of N &gt; 1 (the per-channel FIR filters, which see
   *       channels as the batch) runs as the grouped convolution of one N-channel sample, with the
   *       kernel repeated per group: libtorch's path for one input channel is about three times
   *       slower than its depthwise kernel.
   * </ul>
   *
   * <p>On the CPU, input channel counts that oneDNN would pad are padded with zeros first ({@link
   * #paddedChannels}); while autograd records, every other input and output channel count is
   * rounded up to whole blocks ({@link #gradientChannels}). The grouped form needs no padding: its
   * gradients match float64 at any group count (3 to 256 measured), and padding its single channel to
   * 16 in and 16 out made StyleGAN2 training 3.8 times slower (1.44 against 0.38 s/step).
   */
  @Override
  public NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
    long[] xs = x.getShape().getShape();
    long[] ws = weight.getShape().getShape();
    boolean cpu = !x.getDevice().isGpu();
    boolean differentiated = cpu && recording();
    if (xs.length == 4 && ws.length == 4 && ws[2] == 1 && ws[3] == 1 && padding == 0
        && xs[1] == ws[1] && (differentiated
            || stride == 1 && ws[0] < POINTWISE_MAX_OUT && xs[2] * xs[3] >= POINTWISE_MIN_PIXELS)) {
      if (stride > 1) {
        NDArray sub = own(x.get(new NDIndex(":, :, ::" + stride + ", ::" + stride)), x);
        return pointwise(sub, weight, bias, sub.getShape().getShape(), ws);
      }
      return pointwise(x, weight, bias, xs, ws);
    }
    if (xs.length == 4 && xs[1] == 1 && xs[0] > 1 && ws.length == 4 && ws[1] == 1
        && xs[0] * ws[0] <= Integer.MAX_VALUE) {
      return depthwise(x, weight, bias, stride, padding, xs, ws);
    }
    long ic = xs.length == 4 ? xs[1] : 0;
    long padTo = differentiated ? gradientChannels(ic) : paddedChannels(ic);
    if (padTo > xs[1] && ws.length == 4 && ws[1] == xs[1] && cpu) { // oneDNN: CPU only
      x = padChannels(x, xs, padTo);
      weight = padChannels(weight, ws, padTo);
    }
    long outTo = differentiated && ws.length == 4 ? gradientChannels(ws[0]) : ws[0];
    if (outTo > ws[0]) { // zero filters appended, their outputs dropped below
      weight = padChannels(weight, weight.getShape().getShape(), outTo, 0);
      bias = bias == null ? null : padChannels(bias, new long[] {ws[0]}, outTo, 0);
    }
    NDArray out = own(Conv2d.conv2d(x, weight, bias, new Shape(stride, stride),
        new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow(), x, weight, bias);
    return outTo > ws[0] ? own(out.get(new NDIndex(":, :" + ws[0])), out) : out;
  }

  /**
   * The input-channel count a convolution runs with: counts of 8 and more that are not a multiple of
   * {@value #CHANNEL_BLOCK} are rounded up. oneDNN (libtorch's CPU convolutions) stores such inputs
   * in blocked layouts whose channels it pads to a multiple of 8 (AVX2) or 16 (AVX-512); libtorch
   * 2.7.1 was measured to leave that padding uninitialised on an AVX-512 machine, so 17 and 19
   * channels gave wrong or NaN outputs (docs/parity.md). Padding with explicit zeros first leaves
   * oneDNN nothing to pad. Counts below 8 use its plain-layout first-layer kernels and are kept.
   */
  static long paddedChannels(long channels) {
    return channels >= 8 ? gradientChannels(channels) : channels;
  }

  /**
   * Whether autograd is recording on this thread: libtorch's grad mode, which a {@link
   * ai.djl.training.GradientCollector} turns on. DJL cannot tell whether one array will be
   * differentiated: libtorch answers {@code requires_grad} false for the results of operations even
   * while recording. Grad mode is per thread and on in threads DJL did not start, so {@link
   * PyTorchModel} turns it off around every inference call.
   */
  static boolean recording() {
    return ai.djl.pytorch.jni.JniUtils.isGradMode();
  }

  /**
   * {@code body} run with libtorch's grad mode off on this thread ({@code torch.no_grad()}), which is
   * restored after: for forward passes nothing will differentiate (inference, validation, a frozen
   * teacher). They record no graph and run inference's convolution shapes.
   */
  public static <T> T withoutGrad(java.util.function.Supplier<T> body) {
    boolean recording = recording();
    if (recording) {
      ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }
    try {
      return body.get();
    } finally {
      if (recording) {
        ai.djl.pytorch.jni.JniUtils.setGradMode(true);
      }
    }
  }

  /**
   * The input and output channel counts of a convolution while autograd records: counts that are
   * not a multiple of {@value #CHANNEL_BLOCK} are rounded up (zero channels and zero filters; the
   * extra outputs are dropped). libtorch 2.7.1 on an AMD EPYC Zen 4 (2026-12-02) returned input
   * gradients off by 20% to 100%, or NaN, at random, for convolutions with few channels (3 in and 5
   * out, 4 and 4, and the narrow demo encoder's): oneDNN's backward kernels read the uninitialised
   * padding of its 16-channel blocks, at AVX-512 and at AVX2 alike. With whole blocks every gradient
   * matches float64 ({@code ConvolutionGradientSweepTest}). Forward passes outside a gradient
   * collector keep their shapes: their outputs were measured right.
   */
  static long gradientChannels(long channels) {
    return channels % CHANNEL_BLOCK != 0 ? (channels + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK * CHANNEL_BLOCK : channels;
  }

  /** {@code t [A,C,H,W]} with zero channels appended up to {@code channels} (gradients flow to t). */
  private NDArray padChannels(NDArray t, long[] shape, long channels) {
    return padChannels(t, shape, channels, 1);
  }

  /** {@code t} with zeros appended along {@code axis} up to {@code size} (gradients flow to t). */
  private NDArray padChannels(NDArray t, long[] shape, long size, int axis) {
    long[] zs = shape.clone();
    zs[axis] = size - shape[axis];
    NDArray zeros = own(current.zeros(new Shape(zs), t.getDataType(), t.getDevice()));
    return own(NDArrays.concat(new NDList(t, zeros), axis), t, zeros);
  }

  @Override
  public NDArray maxPool2d(NDArray x, int kernel, int stride, int padding) {
    NDArray out = ai.djl.nn.pooling.Pool.maxPool2d(x, new Shape(kernel, kernel),
        new Shape(stride, stride), new Shape(padding, padding), false);
    return own(out, x);
  }

  // ---- training mode ----------------------------------------------------------------------------

  @Override
  public boolean training() {
    return bufferSink != null;
  }

  /**
   * Sends a buffer's new value, detached from autograd and attached to the call manager, to the
   * sink given to {@link #training}.
   */
  @Override
  public void updateBuffer(String key, NDArray value) {
    if (bufferSink == null) {
      throw new IllegalStateException("updateBuffer in eval mode: " + key);
    }
    NDArray v = value.stopGradient();
    v.attach(manager);
    bufferSink.accept(key, v);
  }

  /**
   * These ops in PyTorch's training mode: BatchNorm uses batch statistics and passes its new
   * running statistics to {@code sink} (keys are full state_dict keys). Returns this.
   */
  public DjlTensorOps training(java.util.function.BiConsumer<String, NDArray> sink) {
    this.bufferSink = Objects.requireNonNull(sink, "sink");
    return this;
  }

  /** The 1×1 convolution of x {@code [B,I,H,W]} as {@code weight [O,I] × x [B,I,H·W] (+ bias [O,1])}. */
  private NDArray pointwise(NDArray x, NDArray weight, NDArray bias, long[] xs, long[] ws) {
    NDArray w2 = own(weight.reshape(ws[0], ws[1]), weight);
    NDArray x3 = own(x.reshape(xs[0], xs[1], xs[2] * xs[3]), x);
    NDArray y = own(w2.matMul(x3), w2, x3);
    if (bias != null) {
      NDArray b = own(bias.reshape(ws[0], 1), bias);
      y = own(y.add(b), y, b);
    }
    return own(y.reshape(xs[0], ws[0], xs[2], xs[3]), y);
  }

  /** x {@code [N,1,H,W]} with weight {@code [O,1,k,k]} as a conv of {@code [1,N,H,W]} in N groups. */
  private NDArray depthwise(NDArray x, NDArray weight, NDArray bias, int stride, int padding,
      long[] xs, long[] ws) {
    long n = xs[0];
    long o = ws[0];
    NDArray xg = own(x.reshape(1, n, xs[2], xs[3]), x);
    NDArray w5 = own(weight.reshape(1, o, 1, ws[2], ws[3]), weight);
    NDArray wr = own(w5.repeat(0, n), w5);
    NDArray wg = own(wr.reshape(n * o, 1, ws[2], ws[3]), wr);
    NDArray bg = null;
    if (bias != null) {
      NDArray b2 = own(bias.reshape(1, o), bias);
      NDArray br = own(b2.repeat(0, n), b2);
      bg = own(br.reshape(n * o), br);
    }
    NDArray y = own(Conv2d.conv2d(xg, wg, bg, new Shape(stride, stride),
        new Shape(padding, padding), new Shape(1, 1), Math.toIntExact(n)).singletonOrThrow(),
        xg, wg, bg);
    long[] ys = y.getShape().getShape();
    return own(y.reshape(n, o, ys[2], ys[3]), y);
  }

  @Override
  public String toString() {
    return "DjlTensorOps[" + manager.getEngine().getEngineName() + ", " + manager.getDevice() + "]";
  }
}
