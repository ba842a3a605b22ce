package dev.psp.onnx;

import dev.psp.io.DType;
import dev.psp.io.TensorData;
import dev.psp.nn.TensorOps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link TensorOps} as an ONNX graph builder: running a network's forward pass on it traces the
 * network. A tensor is the name of a graph value; each operation appends standard ONNX nodes
 * (opset {@value #OPSET}) and returns the name of the output. {@link #param} becomes an initializer
 * named by its state_dict key and holding the checkpoint tensor, {@link #constant} an initializer.
 *
 * <p>Shapes are tracked while building: {@link #shape} returns the static shape with -1 for the
 * dynamic batch dimension. Declare inputs with {@link #input}, name outputs with {@link #output}, then
 * {@link #build}. Not thread-safe; one builder per graph.
 */
public final class OnnxGraphBuilder implements TensorOps<String> {
  /** The ONNX opset the graphs import: ReduceSum takes its axes as an input, as from opset 13. */
  public static final int OPSET = 17;
  /** The ONNX IR version written (8: ONNX 1.10 and later, ONNX Runtime 1.10 and later). */
  public static final int IR_VERSION = 8;

  private final Function<String, TensorData> params;
  private final Map<String, long[]> shapes = new HashMap<>();
  private final Map<String, String> paramNames = new HashMap<>();
  private final Map<Double, String> scalars = new HashMap<>();
  private final List<ProtoMessage> nodes = new ArrayList<>();
  private final List<ProtoMessage> initializers = new ArrayList<>();
  private final List<ProtoMessage> inputs = new ArrayList<>();
  private final List<ProtoMessage> outputs = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private int counter;

  private final boolean weightInputs;
  private final Map<String, TensorData> weightValues = new LinkedHashMap<>();

  /** A builder whose {@link #param} reads tensors by state_dict key ({@code null} for unknown keys). */
  public OnnxGraphBuilder(Function<String, TensorData> params) {
    this(params, false);
  }

  /**
   * A builder whose float32 parameters of at least {@value #WEIGHT_INPUT_MIN_BYTES} bytes become, with
   * {@code weightInputs}, graph inputs named by their state_dict key instead of initializers: the
   * model then holds only the graph, and every run is given the tensors themselves ({@link
   * OnnxModelProto#weightInputs}), so ONNX Runtime never copies or keeps the weights. The onnx engine
   * runs its models this way; exported files keep their weights inside.
   */
  public OnnxGraphBuilder(Function<String, TensorData> params, boolean weightInputs) {
    this.params = Objects.requireNonNull(params, "params");
    this.weightInputs = weightInputs;
  }

  /** Parameters smaller than this stay in the model as initializers even with weight inputs. */
  static final long WEIGHT_INPUT_MIN_BYTES = 1024;

  // ---- graph interface --------------------------------------------------------------------------

  /**
   * Declares a float32 graph input; dimensions of -1 are dynamic and get the symbolic name {@code
   * dynamicDim} (e.g. {@code batch}).
   */
  public String input(String name, String dynamicDim, long... shape) {
    if (shapes.containsKey(name)) {
      throw new IllegalArgumentException("the graph already has a value named " + name);
    }
    inputs.add(OnnxProtos.valueInfo(name, OnnxProtos.FLOAT, shape, dynamicDim));
    shapes.put(name, shape.clone());
    return name;
  }

  /** Declares {@code value} as a graph output called {@code name} (through an Identity node). */
  public void output(String value, String name) {
    long[] s = shapeOf(value);
    node("Identity", List.of(value), name, List.of());
    shapes.put(name, s);
    outputs.add(OnnxProtos.valueInfo(name, OnnxProtos.FLOAT, s, "batch"));
  }

  /** Adds a metadata_props entry to the model (provenance). */
  public void metadata(String key, String value) {
    metadata.put(key, value);
  }

  /** The model: a graph called {@code graphName} with everything traced so far. */
  public OnnxModelProto build(String graphName, String docString) {
    if (outputs.isEmpty()) {
      throw new IllegalStateException("the graph " + graphName + " has no output; call output(...) first");
    }
    ProtoMessage graph = OnnxProtos.graph(graphName, nodes, initializers, inputs, outputs);
    String version = Objects.requireNonNullElse(OnnxGraphBuilder.class.getPackage().getImplementationVersion(), "dev");
    return new OnnxModelProto(OnnxProtos.model(graph, IR_VERSION, OPSET, "psp-java", version, docString, metadata),
        graphName, weightValues);
  }

  /** The number of nodes so far. */
  public int nodeCount() {
    return nodes.size();
  }

  // ---- values -----------------------------------------------------------------------------------

  @Override
  public String param(String key) {
    String known = paramNames.get(key);
    if (known != null) {
      return known;
    }
    TensorData t = params.apply(key);
    if (t == null) {
      throw new IllegalArgumentException("no tensor for state_dict key " + key
          + "; validate the checkpoint against the network's StateDictSpec first");
    }
    if (weightInputs && t.dtype() == DType.FLOAT32 && t.numel() * 4 >= WEIGHT_INPUT_MIN_BYTES) {
      inputs.add(OnnxProtos.valueInfo(key, OnnxProtos.FLOAT, t.shape(), "none"));
      weightValues.put(key, t);
    } else {
      ByteBuffer raw = t.dtype() == DType.FLOAT32 ? t.bytes() : floatBytes(t.toFloatArray());
      initializers.add(OnnxProtos.tensor(key, OnnxProtos.FLOAT, t.shape(), raw));
    }
    shapes.put(key, t.shape());
    paramNames.put(key, key);
    return key;
  }

  @Override
  public String constant(float[] values, long... shape) {
    if (TensorData.numel(shape) != values.length) {
      throw new IllegalArgumentException("constant shape " + Arrays.toString(shape) + " holds "
          + TensorData.numel(shape) + " values, got " + values.length);
    }
    String name = "const_" + (counter++);
    initializers.add(OnnxProtos.tensor(name, OnnxProtos.FLOAT, shape, floatBytes(values)));
    shapes.put(name, shape.clone());
    return name;
  }

  private String scalar(double v) {
    return scalars.computeIfAbsent(v, x -> constant(new float[] {(float) v}));
  }

  private String int64s(long... values) {
    String name = "i64_" + (counter++);
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    initializers.add(OnnxProtos.tensor(name, OnnxProtos.INT64, new long[] {values.length}, b));
    shapes.put(name, new long[] {values.length});
    return name;
  }

  private static ByteBuffer floatBytes(float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b;
  }

  // ---- shape ------------------------------------------------------------------------------------

  @Override
  public long[] shape(String x) {
    return shapeOf(x).clone();
  }

  private long[] shapeOf(String x) {
    long[] s = shapes.get(x);
    if (s == null) {
      throw new IllegalArgumentException("unknown graph value " + x);
    }
    return s;
  }

  @Override
  public String reshape(String x, long... shape) {
    long[] in = shapeOf(x);
    long[] out = shape.clone();
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == -1) {
        if (unknown >= 0) {
          throw new IllegalArgumentException("reshape to " + Arrays.toString(shape) + ": at most one -1");
        }
        unknown = i;
      } else if (out[i] <= 0) {
        throw new IllegalArgumentException(
            "reshape to " + Arrays.toString(shape) + ": dimensions must be positive or -1");
      } else {
        known *= out[i];
      }
    }
    boolean staticIn = Arrays.stream(in).allMatch(d -> d >= 0);
    if (staticIn) {
      long n = TensorData.numel(in);
      if (unknown >= 0) {
        if (n % known != 0) {
          throw new IllegalArgumentException("cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(shape));
        }
        out[unknown] = n / known;
      } else if (n != known) {
        throw new IllegalArgumentException("cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(shape));
      }
    }
    return node("Reshape", List.of(x, int64s(shape)), out);
  }

  @Override
  public String permute(String x, int... axes) {
    long[] in = shapeOf(x);
    if (axes.length != in.length) {
      throw new IllegalArgumentException("permute of a rank-" + in.length + " tensor needs " + in.length
          + " axes, got " + Arrays.toString(axes));
    }
    long[] out = new long[axes.length];
    long[] perm = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = in[axes[i]];
      perm[i] = axes[i];
    }
    return node("Transpose", List.of(x), out, OnnxProtos.attr("perm", perm));
  }

  @Override
  public String concat(List<String> xs, int axis) {
    if (xs.isEmpty()) {
      throw new IllegalArgumentException("concat needs at least one tensor");
    }
    long[] out = shapeOf(xs.get(0)).clone();
    int a = axis < 0 ? axis + out.length : axis;
    for (int i = 1; i < xs.size(); i++) {
      long d = shapeOf(xs.get(i))[a];
      out[a] = out[a] < 0 || d < 0 ? -1 : out[a] + d;
    }
    return node("Concat", xs, out, OnnxProtos.attr("axis", (long) a));
  }

  @Override
  public String slice(String x, int axis, long start, long end) {
    long[] out = shapeOf(x).clone();
    int a = axis < 0 ? axis + out.length : axis;
    if (out[a] >= 0 && (start < 0 || end > out[a] || start >= end)) {
      throw new IllegalArgumentException("slice [" + start + ", " + end + ") of axis " + a + " of "
          + Arrays.toString(shapeOf(x)));
    }
    out[a] = end - start;
    return node("Slice", List.of(x, int64s(start), int64s(end), int64s(a)), out);
  }

  // ---- elementwise ------------------------------------------------------------------------------

  @Override
  public String add(String a, String b) {
    return binary("Add", a, b);
  }

  @Override
  public String sub(String a, String b) {
    return binary("Sub", a, b);
  }

  @Override
  public String mul(String a, String b) {
    return binary("Mul", a, b);
  }

  @Override
  public String div(String a, String b) {
    return binary("Div", a, b);
  }

  @Override
  public String scale(String x, double s) {
    return binary("Mul", x, scalar(s));
  }

  @Override
  public String addScalar(String x, double s) {
    return binary("Add", x, scalar(s));
  }

  /** {@code Reciprocal(Sqrt(x))}, the same rounding as the eager engine's {@code 1 / sqrt(x)}. */
  @Override
  public String rsqrt(String x) {
    return unary("Reciprocal", unary("Sqrt", x));
  }

  @Override
  public String sqrt(String x) {
    return unary("Sqrt", x);
  }

  @Override
  public String maximum(String a, String b) {
    return binary("Max", a, b);
  }

  @Override
  public String minimum(String a, String b) {
    return binary("Min", a, b);
  }

  @Override
  public String sigmoid(String x) {
    return unary("Sigmoid", x);
  }

  @Override
  public String relu(String x) {
    return unary("Relu", x);
  }

  @Override
  public String leakyRelu(String x, double slope) {
    return node("LeakyRelu", List.of(x), shapeOf(x), OnnxProtos.attr("alpha", (float) slope));
  }

  private String unary(String op, String x) {
    return node(op, List.of(x), shapeOf(x));
  }

  private String binary(String op, String a, String b) {
    return node(op, List.of(a, b), broadcast(shapeOf(a), shapeOf(b)));
  }

  /** NumPy broadcasting of static shapes; -1 (dynamic) against 1 stays -1, against n becomes n. */
  static long[] broadcast(long[] a, long[] b) {
    int rank = Math.max(a.length, b.length);
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      long x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      long y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (x == y || y == 1) {
        out[i] = x;
      } else if (x == 1) {
        out[i] = y;
      } else if (x == -1 || y == -1) {
        out[i] = Math.max(x, y);
      } else {
        throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
            + " do not broadcast");
      }
    }
    return out;
  }

  // ---- reductions -------------------------------------------------------------------------------

  /** {@code ReduceSum} divided by the element count, as the eager engine computes the mean. */
  @Override
  public String mean(String x, int[] axes, boolean keepDims) {
    long[] s = shapeOf(x);
    long n = 1;
    for (int a : axes) {
      long d = s[a < 0 ? a + s.length : a];
      if (d < 0) {
        throw new IllegalArgumentException("mean over the dynamic dimension " + a + " of " + Arrays.toString(s));
      }
      n *= d;
    }
    return binary("Div", sum(x, axes, keepDims), scalar(n));
  }

  @Override
  public String sum(String x, int[] axes, boolean keepDims) {
    long[] s = shapeOf(x);
    boolean[] reduced = new boolean[s.length];
    long[] ax = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      int a = axes[i] < 0 ? axes[i] + s.length : axes[i];
      reduced[a] = true;
      ax[i] = a;
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      if (!reduced[i]) {
        out.add(s[i]);
      } else if (keepDims) {
        out.add(1L);
      }
    }
    return node("ReduceSum", List.of(x, int64s(ax)), out.stream().mapToLong(Long::longValue).toArray(),
        OnnxProtos.attr("keepdims", keepDims ? 1L : 0L));
  }

  // ---- linear algebra ---------------------------------------------------------------------------

  @Override
  public String matmul(String a, String b) {
    long[] sa = shapeOf(a);
    long[] sb = shapeOf(b);
    if (sa.length < 2 || sb.length < 2) {
      throw new IllegalArgumentException("matmul needs rank >= 2, got " + Arrays.toString(sa) + " and "
          + Arrays.toString(sb));
    }
    long k = sa[sa.length - 1];
    if (k >= 0 && sb[sb.length - 2] >= 0 && k != sb[sb.length - 2]) {
      throw new IllegalArgumentException("matmul of " + Arrays.toString(sa) + " and " + Arrays.toString(sb));
    }
    long[] batch = broadcast(Arrays.copyOf(sa, sa.length - 2), Arrays.copyOf(sb, sb.length - 2));
    long[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = sa[sa.length - 2];
    out[batch.length + 1] = sb[sb.length - 1];
    return node("MatMul", List.of(a, b), out);
  }

  @Override
  public String conv2d(String x, String weight, String bias, int stride, int padding) {
    long[] sx = shapeOf(x);
    long[] sw = shapeOf(weight);
    if (sx.length != 4 || sw.length != 4 || (sx[1] >= 0 && sx[1] != sw[1])) {
      throw new IllegalArgumentException("conv2d of x " + Arrays.toString(sx) + " with weight " + Arrays.toString(sw));
    }
    long[] out = {sx[0], sw[0], (sx[2] + 2L * padding - sw[2]) / stride + 1,
        (sx[3] + 2L * padding - sw[3]) / stride + 1};
    List<String> in = bias == null ? List.of(x, weight) : List.of(x, weight, bias);
    return node("Conv", in, out,
        OnnxProtos.attr("kernel_shape", new long[] {sw[2], sw[3]}),
        OnnxProtos.attr("strides", new long[] {stride, stride}),
        OnnxProtos.attr("pads", new long[] {padding, padding, padding, padding}),
        OnnxProtos.attr("dilations", new long[] {1, 1}),
        OnnxProtos.attr("group", 1L));
  }

  @Override
  public String maxPool2d(String x, int kernel, int stride, int padding) {
    long[] sx = shapeOf(x);
    long[] out = {sx[0], sx[1], (sx[2] + 2L * padding - kernel) / stride + 1,
        (sx[3] + 2L * padding - kernel) / stride + 1};
    return node("MaxPool", List.of(x), out,
        OnnxProtos.attr("kernel_shape", new long[] {kernel, kernel}),
        OnnxProtos.attr("strides", new long[] {stride, stride}),
        OnnxProtos.attr("pads", new long[] {padding, padding, padding, padding}));
  }

  // ---- nodes ------------------------------------------------------------------------------------

  private String node(String op, List<String> in, long[] outShape, ProtoMessage... attributes) {
    String out = "t" + (counter++);
    node(op, in, out, List.of(attributes));
    shapes.put(out, outShape);
    return out;
  }

  private void node(String op, List<String> in, String out, List<ProtoMessage> attributes) {
    for (String i : in) {
      shapeOf(i); // fails on values of another graph
    }
    nodes.add(OnnxProtos.node(op, op + "_" + nodes.size(), in, List.of(out), attributes));
  }

  @Override
  public String toString() {
    return "OnnxGraphBuilder[opset " + OPSET + ", " + nodes.size() + " nodes, " + initializers.size()
        + " initializers]";
  }
}
