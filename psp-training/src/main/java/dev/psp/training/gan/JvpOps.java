package dev.psp.training.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.psp.djl.DjlTensorOps;
import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Forward-mode differentiation over {@link DjlTensorOps}: each tensor is a {@link Dual} of a value
 * and its tangent (its directional derivative along one input direction), and every op propagates
 * both with the chain rule. A network written against {@link TensorOps} run on these ops returns
 * the Jacobian-vector product {@code J·v} of its output next to the output itself.
 *
 * <p>Values and tangents are ordinary DJL arrays computed by the base ops, so reverse-mode
 * autograd sees through them: {@code backward} on a function of the tangents gives gradients of a
 * directional derivative with respect to the parameters, a second derivative computed with
 * first-order backward passes only. {@link R1Penalty} uses that for the R1 gradient penalty.
 *
 * <p>Parameters and constants have zero tangents (stored as null). Masks for the piecewise-linear
 * ops are taken from the values, with libtorch's conventions at the kinks (leaky ReLU and ReLU use
 * the left slope at 0; maximum and minimum split ties evenly). Every array is attached to the base
 * ops' call manager; {@link #scoped} does not release intermediates. {@code maxPool2d} is not
 * supported. Not thread-safe.
 */
public final class JvpOps implements TensorOps<JvpOps.Dual> {

  /**
   * A value and its tangent.
   *
   * @param value the value
   * @param tangent the tangent, same shape as the value (or broadcastable to it); null for zero
   */
  public record Dual(NDArray value, NDArray tangent) {
    /** A tensor with zero tangent. */
    public static Dual constant(NDArray value) {
      return new Dual(value, null);
    }
  }

  private final DjlTensorOps base;

  /** Forward-mode ops over {@code base}, whose call manager owns every array created here. */
  public JvpOps(DjlTensorOps base) {
    this.base = base;
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private NDArray own(NDArray a) {
    a.attach(base.manager());
    return a;
  }

  /** The tangent broadcast to the value's shape (a broadcast operand has a smaller tangent). */
  private NDArray fit(NDArray t, NDArray value) {
    if (t == null || t.getShape().equals(value.getShape())) {
      return t;
    }
    return own(t.broadcast(value.getShape()));
  }

  private NDArray plus(NDArray a, NDArray b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : base.add(a, b);
  }

  /** A 0/1 float mask computed from values (no gradient). */
  private NDArray mask(NDArray condition) {
    NDArray m = own(condition);
    return own(m.toType(DataType.FLOAT32, false));
  }

  // ---- values ------------------------------------------------------------------------------------

  @Override
  public Dual param(String key) {
    return Dual.constant(base.param(key));
  }

  @Override
  public Dual constant(float[] values, long... shape) {
    return Dual.constant(base.constant(values, shape));
  }

  // ---- shape -------------------------------------------------------------------------------------

  @Override
  public long[] shape(Dual x) {
    return base.shape(x.value());
  }

  @Override
  public Dual reshape(Dual x, long... shape) {
    NDArray v = base.reshape(x.value(), shape);
    return new Dual(v, x.tangent() == null ? null : base.reshape(fit(x.tangent(), x.value()), shape));
  }

  @Override
  public Dual permute(Dual x, int... axes) {
    NDArray v = base.permute(x.value(), axes);
    return new Dual(v, x.tangent() == null ? null : base.permute(fit(x.tangent(), x.value()), axes));
  }

  @Override
  public Dual concat(List<Dual> xs, int axis) {
    List<NDArray> values = new ArrayList<>();
    boolean anyTangent = false;
    for (Dual x : xs) {
      values.add(x.value());
      anyTangent |= x.tangent() != null;
    }
    NDArray v = base.concat(values, axis);
    if (!anyTangent) {
      return Dual.constant(v);
    }
    List<NDArray> tangents = new ArrayList<>();
    for (Dual x : xs) {
      tangents.add(x.tangent() != null ? fit(x.tangent(), x.value())
          : own(base.manager().zeros(x.value().getShape())));
    }
    return new Dual(v, base.concat(tangents, axis));
  }

  @Override
  public Dual slice(Dual x, int axis, long start, long end) {
    NDArray v = base.slice(x.value(), axis, start, end);
    return new Dual(v, x.tangent() == null ? null
        : base.slice(fit(x.tangent(), x.value()), axis, start, end));
  }

  // ---- elementwise -------------------------------------------------------------------------------

  @Override
  public Dual add(Dual a, Dual b) {
    NDArray v = base.add(a.value(), b.value());
    return new Dual(v, fit(plus(a.tangent(), b.tangent()), v));
  }

  @Override
  public Dual sub(Dual a, Dual b) {
    NDArray v = base.sub(a.value(), b.value());
    NDArray t;
    if (b.tangent() == null) {
      t = a.tangent();
    } else {
      t = a.tangent() == null ? base.scale(b.tangent(), -1) : base.sub(a.tangent(), b.tangent());
    }
    return new Dual(v, fit(t, v));
  }

  @Override
  public Dual mul(Dual a, Dual b) {
    NDArray v = base.mul(a.value(), b.value());
    NDArray ta = a.tangent() == null ? null : base.mul(a.tangent(), b.value());
    NDArray tb = b.tangent() == null ? null : base.mul(a.value(), b.tangent());
    return new Dual(v, fit(plus(ta, tb), v));
  }

  @Override
  public Dual div(Dual a, Dual b) {
    NDArray v = base.div(a.value(), b.value());
    // d(a/b) = (da - (a/b)·db) / b
    NDArray num = a.tangent();
    if (b.tangent() != null) {
      NDArray vdb = base.mul(v, b.tangent());
      num = num == null ? base.scale(vdb, -1) : base.sub(num, vdb);
    }
    return new Dual(v, num == null ? null : fit(base.div(num, b.value()), v));
  }

  @Override
  public Dual scale(Dual x, double s) {
    return new Dual(base.scale(x.value(), s), x.tangent() == null ? null : base.scale(x.tangent(), s));
  }

  @Override
  public Dual addScalar(Dual x, double s) {
    return new Dual(base.addScalar(x.value(), s), x.tangent());
  }

  @Override
  public Dual rsqrt(Dual x) {
    NDArray y = base.rsqrt(x.value());
    // d(x^-1/2) = -1/2 · x^-1/2 / x · dx
    return new Dual(y, x.tangent() == null ? null
        : base.scale(base.mul(base.div(y, x.value()), x.tangent()), -0.5));
  }

  @Override
  public Dual sqrt(Dual x) {
    NDArray y = base.sqrt(x.value());
    return new Dual(y, x.tangent() == null ? null : base.scale(base.div(x.tangent(), y), 0.5));
  }

  @Override
  public Dual maximum(Dual a, Dual b) {
    return extremum(a, b, base.maximum(a.value(), b.value()), true);
  }

  @Override
  public Dual minimum(Dual a, Dual b) {
    return extremum(a, b, base.minimum(a.value(), b.value()), false);
  }

  /** The tangent of the larger (smaller) operand; at ties the mean of both, as libtorch's backward. */
  private Dual extremum(Dual a, Dual b, NDArray v, boolean max) {
    if (a.tangent() == null && b.tangent() == null) {
      return Dual.constant(v);
    }
    NDArray ta = a.tangent() != null ? fit(a.tangent(), a.value()) : null;
    NDArray tb = b.tangent() != null ? fit(b.tangent(), b.value()) : null;
    NDArray pickA = mask(max ? a.value().gt(b.value()) : a.value().lt(b.value()));
    NDArray pickB = mask(max ? b.value().gt(a.value()) : b.value().lt(a.value()));
    NDArray tie = mask(a.value().eq(b.value()));
    NDArray t = null;
    if (ta != null) {
      t = base.mul(ta, base.add(pickA, base.scale(tie, 0.5)));
    }
    if (tb != null) {
      t = plus(t, base.mul(tb, base.add(pickB, base.scale(tie, 0.5))));
    }
    return new Dual(v, fit(t, v));
  }

  @Override
  public Dual sigmoid(Dual x) {
    NDArray y = base.sigmoid(x.value());
    return new Dual(y, x.tangent() == null ? null
        : base.mul(x.tangent(), base.sub(y, base.mul(y, y))));
  }

  @Override
  public Dual relu(Dual x) {
    NDArray y = base.relu(x.value());
    return new Dual(y, x.tangent() == null ? null
        : base.mul(x.tangent(), mask(x.value().gt(0f))));
  }

  @Override
  public Dual leakyRelu(Dual x, double slope) {
    NDArray y = base.leakyRelu(x.value(), slope);
    if (x.tangent() == null) {
      return Dual.constant(y);
    }
    // slope where x <= 0, 1 where x > 0 (computed without gradient)
    NDArray positive = mask(x.value().gt(0f));
    NDArray factor = own(own(positive.mul((float) (1 - slope))).add((float) slope));
    return new Dual(y, base.mul(x.tangent(), factor));
  }

  // ---- reductions --------------------------------------------------------------------------------

  @Override
  public Dual mean(Dual x, int[] axes, boolean keepDims) {
    return new Dual(base.mean(x.value(), axes, keepDims), x.tangent() == null ? null
        : base.mean(fit(x.tangent(), x.value()), axes, keepDims));
  }

  @Override
  public Dual sum(Dual x, int[] axes, boolean keepDims) {
    return new Dual(base.sum(x.value(), axes, keepDims), x.tangent() == null ? null
        : base.sum(fit(x.tangent(), x.value()), axes, keepDims));
  }

  // ---- linear algebra ----------------------------------------------------------------------------

  @Override
  public Dual matmul(Dual a, Dual b) {
    NDArray v = base.matmul(a.value(), b.value());
    NDArray ta = a.tangent() == null ? null : base.matmul(a.tangent(), b.value());
    NDArray tb = b.tangent() == null ? null : base.matmul(a.value(), b.tangent());
    return new Dual(v, fit(plus(ta, tb), v));
  }

  @Override
  public Dual conv2d(Dual x, Dual weight, Dual bias, int stride, int padding) {
    NDArray v = base.conv2d(x.value(), weight.value(), bias == null ? null : bias.value(), stride,
        padding);
    NDArray t = x.tangent() == null ? null
        : base.conv2d(fit(x.tangent(), x.value()), weight.value(), null, stride, padding);
    if (weight.tangent() != null) {
      t = plus(t, base.conv2d(x.value(), fit(weight.tangent(), weight.value()), null, stride,
          padding));
    }
    if (bias != null && bias.tangent() != null) {
      t = plus(t, base.reshape(fit(bias.tangent(), bias.value()), 1, -1, 1, 1));
    }
    return new Dual(v, fit(t, v));
  }

  /** Not supported: the discriminator has no max pooling. */
  @Override
  public Dual maxPool2d(Dual x, int kernel, int stride, int padding) {
    throw new UnsupportedOperationException("forward-mode maxPool2d is not implemented (input "
        + Arrays.toString(shape(x)) + "); only networks without max pooling can run on JvpOps");
  }

  @Override
  public String toString() {
    return "JvpOps[" + base + "]";
  }
}
