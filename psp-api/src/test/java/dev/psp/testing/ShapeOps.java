package dev.psp.testing;

import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link TensorOps} on shapes only: runs a network definition without computing anything and records
 * the configuration of every convolution (kernel, stride, padding, per-channel form). Values are the
 * shapes themselves ({@code long[]}); parameters take their shapes from a {@link StateDictSpec}.
 */
public final class ShapeOps implements TensorOps<long[]> {
  private final Map<String, long[]> params = new HashMap<>();
  private final Set<String> convolutions = new LinkedHashSet<>();

  /** Shape ops whose parameters are the entries of {@code spec}. */
  public ShapeOps(StateDictSpec spec) {
    for (StateDictSpec.Entry e : spec.entries()) {
      params.put(e.key(), e.shape());
    }
  }

  /**
   * The convolutions run so far, as {@link ConvolutionSweepTest.Config#shapeKey} keys: per-channel
   * when the input has one channel and a batch above one (the FIR filters of Blur and Upsample).
   */
  public Set<String> convolutions() {
    return convolutions;
  }

  @Override
  public long[] param(String key) {
    long[] s = params.get(key);
    if (s == null) {
      throw new IllegalArgumentException("no parameter " + key);
    }
    return s.clone();
  }

  @Override
  public long[] constant(float[] values, long... shape) {
    return shape.clone();
  }

  @Override
  public long[] shape(long[] x) {
    return x.clone();
  }

  @Override
  public long[] reshape(long[] x, long... shape) {
    long n = Arrays.stream(x).reduce(1, (a, b) -> a * b);
    long known = 1;
    int free = -1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == -1) {
        free = i;
      } else {
        known *= shape[i];
      }
    }
    long[] out = shape.clone();
    if (free >= 0) {
      out[free] = n / known;
    } else if (known != n) {
      throw new IllegalArgumentException("reshape " + Arrays.toString(x) + " to " + Arrays.toString(shape));
    }
    return out;
  }

  @Override
  public long[] permute(long[] x, int... axes) {
    long[] out = new long[axes.length];
    for (int i = 0; i < axes.length; i++) {
      out[i] = x[axes[i]];
    }
    return out;
  }

  @Override
  public long[] concat(List<long[]> xs, int axis) {
    long[] out = xs.get(0).clone();
    int a = axis < 0 ? axis + out.length : axis;
    out[a] = xs.stream().mapToLong(s -> s[a]).sum();
    return out;
  }

  @Override
  public long[] slice(long[] x, int axis, long start, long end) {
    long[] out = x.clone();
    out[axis < 0 ? axis + x.length : axis] = end - start;
    return out;
  }

  private static long[] broadcast(long[] a, long[] b) {
    int n = Math.max(a.length, b.length);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long da = i < n - a.length ? 1 : a[i - (n - a.length)];
      long db = i < n - b.length ? 1 : b[i - (n - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException("cannot broadcast " + Arrays.toString(a) + " and " + Arrays.toString(b));
      }
      out[i] = Math.max(da, db);
    }
    return out;
  }

  @Override
  public long[] add(long[] a, long[] b) {
    return broadcast(a, b);
  }

  @Override
  public long[] sub(long[] a, long[] b) {
    return broadcast(a, b);
  }

  @Override
  public long[] mul(long[] a, long[] b) {
    return broadcast(a, b);
  }

  @Override
  public long[] div(long[] a, long[] b) {
    return broadcast(a, b);
  }

  @Override
  public long[] scale(long[] x, double s) {
    return x.clone();
  }

  @Override
  public long[] addScalar(long[] x, double s) {
    return x.clone();
  }

  @Override
  public long[] rsqrt(long[] x) {
    return x.clone();
  }

  @Override
  public long[] sqrt(long[] x) {
    return x.clone();
  }

  @Override
  public long[] maximum(long[] a, long[] b) {
    return broadcast(a, b);
  }

  @Override
  public long[] minimum(long[] a, long[] b) {
    return broadcast(a, b);
  }

  @Override
  public long[] sigmoid(long[] x) {
    return x.clone();
  }

  @Override
  public long[] relu(long[] x) {
    return x.clone();
  }

  @Override
  public long[] leakyRelu(long[] x, double slope) {
    return x.clone();
  }

  private static long[] reduce(long[] x, int[] axes, boolean keepDims) {
    boolean[] drop = new boolean[x.length];
    for (int a : axes) {
      drop[a < 0 ? a + x.length : a] = true;
    }
    return java.util.stream.IntStream.range(0, x.length)
        .filter(i -> keepDims || !drop[i]).mapToLong(i -> drop[i] ? 1 : x[i]).toArray();
  }

  @Override
  public long[] mean(long[] x, int[] axes, boolean keepDims) {
    return reduce(x, axes, keepDims);
  }

  @Override
  public long[] sum(long[] x, int[] axes, boolean keepDims) {
    return reduce(x, axes, keepDims);
  }

  @Override
  public long[] matmul(long[] a, long[] b) {
    if (a.length == 1 || b.length == 1) {
      throw new IllegalArgumentException("matmul of vectors is not used by the networks");
    }
    long[] batch = broadcast(Arrays.copyOf(a, a.length - 2), Arrays.copyOf(b, b.length - 2));
    long[] out = Arrays.copyOf(batch, batch.length + 2);
    out[batch.length] = a[a.length - 2];
    out[batch.length + 1] = b[b.length - 1];
    return out;
  }

  @Override
  public long[] conv2d(long[] x, long[] weight, long[] bias, int stride, int padding) {
    if (x.length != 4 || weight.length != 4 || x[1] != weight[1]) {
      throw new IllegalArgumentException("conv2d of " + Arrays.toString(x) + " with " + Arrays.toString(weight));
    }
    convolutions.add(ConvolutionSweepTest.Config.shapeKey(weight[2], weight[3], stride, padding,
        x[1] == 1 && x[0] > 1));
    return new long[] {x[0], weight[0], (x[2] + 2L * padding - weight[2]) / stride + 1,
        (x[3] + 2L * padding - weight[3]) / stride + 1};
  }

  @Override
  public long[] maxPool2d(long[] x, int kernel, int stride, int padding) {
    return new long[] {x[0], x[1], (x[2] + 2L * padding - kernel) / stride + 1,
        (x[3] + 2L * padding - kernel) / stride + 1};
  }
}
