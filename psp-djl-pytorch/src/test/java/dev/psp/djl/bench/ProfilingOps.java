package dev.psp.djl.bench;

import ai.djl.ndarray.NDArray;
import dev.psp.nn.TensorOps;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A {@link TensorOps} decorator that adds up the wall time of every op, keyed by op name and the
 * shape of its first operand. Only meaningful for an eager delegate (the DJL PyTorch engine runs
 * each op synchronously on the CPU). A benchmarking aid, not a test.
 */
final class ProfilingOps implements TensorOps<NDArray> {
  private final TensorOps<NDArray> d;
  private final Map<String, long[]> stats = new TreeMap<>();

  ProfilingOps(TensorOps<NDArray> delegate) {
    this.d = delegate;
  }

  private <R> R t(String op, NDArray first, Supplier<R> body) {
    return t(op, first, "", body);
  }

  private <R> R t(String op, NDArray first, String extra, Supplier<R> body) {
    return t(op, first, extra, r -> 0L, body);
  }

  /** Times {@code body}; {@code macs} gives the multiply-adds of its result (0 for none). */
  private <R> R t(String op, NDArray first, String extra, java.util.function.ToLongFunction<R> macs,
      Supplier<R> body) {
    long t0 = System.nanoTime();
    R r = body.get();
    long dt = System.nanoTime() - t0;
    String key = op + " " + (first == null ? "" : Arrays.toString(first.getShape().getShape()))
        + extra;
    long[] s = stats.computeIfAbsent(key, k -> new long[3]);
    s[0] += dt;
    s[1]++;
    s[2] += macs.applyAsLong(r);
    return r;
  }

  void reset() {
    stats.clear();
  }

  /** Prints ops sorted by total time, and totals per op name. */
  String report(int top) {
    StringBuilder sb = new StringBuilder();
    Map<String, long[]> byOp = new TreeMap<>();
    long total = 0;
    for (Map.Entry<String, long[]> e : stats.entrySet()) {
      String op = e.getKey().substring(0, e.getKey().indexOf(' '));
      long[] s = byOp.computeIfAbsent(op, k -> new long[3]);
      s[0] += e.getValue()[0];
      s[1] += e.getValue()[1];
      s[2] += e.getValue()[2];
      total += e.getValue()[0];
    }
    long totalMacs = byOp.values().stream().mapToLong(s -> s[2]).sum();
    sb.append(String.format(Locale.ROOT, "total op time %.3f s, %.2f G multiply-adds%n", total / 1e9,
        totalMacs / 1e9));
    byOp.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .forEach(e -> sb.append(String.format(Locale.ROOT, "  %-10s %8.3f s  %6d calls%s%n",
            e.getKey(), e.getValue()[0] / 1e9, e.getValue()[1], rate(e.getValue()))));
    stats.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
        .limit(top)
        .forEach(e -> sb.append(String.format(Locale.ROOT, "  %8.3f s %5d  %s%s%n",
            e.getValue()[0] / 1e9, e.getValue()[1], e.getKey(), rate(e.getValue()))));
    return sb.toString();
  }

  private static String rate(long[] s) {
    return s[2] == 0 ? "" : String.format(Locale.ROOT, "  %.2f GMAC, %.1f GMAC/s", s[2] / 1e9,
        s[2] / (double) s[0]);
  }

  /** Multiply-adds of a matmul with result r: the result's size times the contracted length. */
  private static long matmulMacs(NDArray a, NDArray r) {
    long[] as = a.getShape().getShape();
    return r.size() * as[as.length - 1];
  }

  /** Multiply-adds of a one-group convolution with result r {@code [B,O,H,W]} and weight {@code [O,I,k,k]}. */
  private static long convMacs(NDArray weight, NDArray r) {
    long[] ws = weight.getShape().getShape();
    return r.size() * ws[1] * ws[2] * ws[3];
  }

  @Override
  public NDArray param(String key) {
    return d.param(key);
  }

  @Override
  public NDArray constant(float[] values, long... shape) {
    return t("constant", null, () -> d.constant(values, shape));
  }

  @Override
  public NDArray scoped(Supplier<NDArray> body) {
    return d.scoped(body);
  }

  @Override
  public long[] shape(NDArray x) {
    return d.shape(x);
  }

  @Override
  public NDArray reshape(NDArray x, long... shape) {
    return t("reshape", x, () -> d.reshape(x, shape));
  }

  @Override
  public NDArray permute(NDArray x, int... axes) {
    return t("permute", x, () -> d.permute(x, axes));
  }

  @Override
  public NDArray concat(List<NDArray> xs, int axis) {
    return t("concat", xs.get(0), () -> d.concat(xs, axis));
  }

  @Override
  public NDArray slice(NDArray x, int axis, long start, long end) {
    return t("slice", x, () -> d.slice(x, axis, start, end));
  }

  @Override
  public NDArray add(NDArray a, NDArray b) {
    return t("add", a, () -> d.add(a, b));
  }

  @Override
  public NDArray sub(NDArray a, NDArray b) {
    return t("sub", a, () -> d.sub(a, b));
  }

  @Override
  public NDArray mul(NDArray a, NDArray b) {
    return t("mul", a, () -> d.mul(a, b));
  }

  @Override
  public NDArray div(NDArray a, NDArray b) {
    return t("div", a, () -> d.div(a, b));
  }

  @Override
  public NDArray scale(NDArray x, double s) {
    return t("scale", x, () -> d.scale(x, s));
  }

  @Override
  public NDArray addScalar(NDArray x, double s) {
    return t("addScalar", x, () -> d.addScalar(x, s));
  }

  @Override
  public NDArray rsqrt(NDArray x) {
    return t("rsqrt", x, () -> d.rsqrt(x));
  }

  @Override
  public NDArray maximum(NDArray a, NDArray b) {
    return t("maximum", a, () -> d.maximum(a, b));
  }

  @Override
  public NDArray minimum(NDArray a, NDArray b) {
    return t("minimum", a, () -> d.minimum(a, b));
  }

  @Override
  public NDArray sigmoid(NDArray x) {
    return t("sigmoid", x, () -> d.sigmoid(x));
  }

  @Override
  public NDArray relu(NDArray x) {
    return t("relu", x, () -> d.relu(x));
  }

  @Override
  public NDArray leakyRelu(NDArray x, double slope) {
    return t("leakyRelu", x, () -> d.leakyRelu(x, slope));
  }

  @Override
  public NDArray mean(NDArray x, int[] axes, boolean keepDims) {
    return t("mean", x, () -> d.mean(x, axes, keepDims));
  }

  @Override
  public NDArray sum(NDArray x, int[] axes, boolean keepDims) {
    return t("sum", x, () -> d.sum(x, axes, keepDims));
  }

  @Override
  public NDArray matmul(NDArray a, NDArray b) {
    return t("matmul", a, "", r -> matmulMacs(a, r), () -> d.matmul(a, b));
  }

  @Override
  public NDArray sqrt(NDArray x) {
    return t("sqrt", x, () -> d.sqrt(x));
  }

  @Override
  public NDArray maxPool2d(NDArray x, int kernel, int stride, int padding) {
    return t("maxPool2d", x, () -> d.maxPool2d(x, kernel, stride, padding));
  }

  @Override
  public NDArray conv2d(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
    return t("conv2d", x, " w" + Arrays.toString(weight.getShape().getShape()) + " s" + stride
        + " p" + padding, r -> convMacs(weight, r), () -> d.conv2d(x, weight, bias, stride, padding));
  }
}
