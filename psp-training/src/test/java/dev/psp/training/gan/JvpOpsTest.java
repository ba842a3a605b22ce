package dev.psp.training.gan;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import dev.psp.nn.TensorOps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every forward-mode rule of {@link JvpOps} against reverse-mode autograd: for a function f and
 * random u, v, the tangent gives {@code u·(J v)} and backward of {@code u·f} gives {@code (Jᵀu)·v};
 * the two are the same number. Inputs stay away from the kinks of the piecewise-linear ops.
 */
class JvpOpsTest {

  /** A function of four tensors: a, b {@code [2,3,4,4]}, w {@code [5,3,3,3]}, c {@code [5]}. */
  private interface Fn {
    <T> T apply(TensorOps<T> ops, T a, T b, T w, T c);
  }

  private static Map<String, Fn> functions() {
    Map<String, Fn> f = new LinkedHashMap<>();
    f.put("add, sub, scale, addScalar", new Fn() {
      public <T> T apply(TensorOps<T> o, T a, T b, T w, T c) {
        // c sliced to [1,3,1,1] and broadcast over a + b
        T c3 = o.slice(o.reshape(c, 1, 5, 1, 1), 1, 1, 4);
        return o.addScalar(o.scale(o.sub(o.add(a, b), c3), 1.7), 0.3);
      }
    });
    f.put("mul, div", new Fn() {
      public <T> T apply(TensorOps<T> o, T a, T b, T w, T c) {
        return o.div(o.mul(a, b), o.addScalar(o.mul(b, b), 1));
      }
    });
    f.put("rsqrt, sqrt", new Fn() {
      public <T> T apply(TensorOps<T> o, T a, T b, T w, T c) {
        T pos = o.addScalar(o.mul(a, a), 0.5);
        return o.add(o.rsqrt(pos), o.mul(o.sqrt(pos), b));
      }
    });
    f.put("maximum, minimum", new Fn() {
      public <T> T apply(TensorOps<T> o, T a, T b, T w, T c) {
        return o.add(o.maximum(a, b), o.scale(o.minimum(a, o.scale(b, 0.5)), 3));
      }
    });
    f.put("sigmoid, relu, leakyRelu", new Fn() {
      public <T> T apply(TensorOps<T> o, T a, T b, T w, T c) {
        return o.add(o.mul(o.sigmoid(a), o.relu(b)), o.leakyRelu(o.sub(a, b), 0.2));
      }
    });
    f.put("mean, sum, broadcast", new Fn() {
      public <T> T apply(TensorOps<T> o, T a, T b, T w, T c) {
        T m = o.mean(o.mul(a, b), new int[] {0, 2}, true);
        return o.add(o.sum(a, new int[] {3}, true), o.mul(m, b));
      }
    });
    f.put("matmul, permute", new Fn() {
      public <T> T apply(TensorOps<T> o, T a, T b, T w, T c) {
        return o.matmul(o.permute(a, 0, 1, 3, 2), o.mul(b, b));
      }
    });
    f.put("conv2d (input, weight and bias), concat", new Fn() {
      public <T> T apply(TensorOps<T> o, T a, T b, T w, T c) {
        T y = o.conv2d(a, w, c, 2, 1);
        return o.concat(List.of(y, o.conv2d(b, w, null, 1, 0)), 1);
      }
    });
    return f;
  }

  @Test
  void tangentsEqualReverseModeDirectionalDerivatives() {
    SplittableRandom rng = new SplittableRandom(11);
    long[][] shapes = {{2, 3, 4, 4}, {2, 3, 4, 4}, {5, 3, 3, 3}, {5}};
    try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
      for (Map.Entry<String, Fn> e : functions().entrySet()) {
        NDArray[] x = new NDArray[4];
        NDArray[] v = new NDArray[4];
        for (int i = 0; i < 4; i++) {
          x[i] = awayFromZero(m, rng, shapes[i]);
          v[i] = m.create(MixingNoise.gaussian(rng, (int) new Shape(shapes[i]).size()),
              new Shape(shapes[i]));
        }
        double forward;
        NDArray u;
        try (NDManager call = m.newSubManager()) {
          JvpOps ops = new JvpOps(new DjlTensorOps(call, Map.of()));
          JvpOps.Dual out = e.getValue().apply(ops, new JvpOps.Dual(x[0], v[0]),
              new JvpOps.Dual(x[1], v[1]), new JvpOps.Dual(x[2], v[2]), new JvpOps.Dual(x[3], v[3]));
          u = m.create(MixingNoise.gaussian(rng, (int) out.value().size()), out.value().getShape());
          forward = out.tangent().mul(u).sum().getFloat();
        }
        double reverse = 0;
        for (NDArray xi : x) {
          xi.setRequiresGradient(true);
        }
        try (NDManager call = m.newSubManager();
            GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
          DjlTensorOps ops = new DjlTensorOps(call, Map.of());
          NDArray out = e.getValue().apply(ops, x[0], x[1], x[2], x[3]);
          gc.backward(ops.sum(ops.mul(out, u), new int[] {0, 1, 2, 3}, false));
        }
        for (int i = 0; i < 4; i++) {
          reverse += x[i].getGradient().mul(v[i]).sum().getFloat();
        }
        System.out.printf("%s: forward mode %.6f, reverse mode %.6f%n", e.getKey(), forward, reverse);
        assertThat(forward).as(e.getKey())
            .isCloseTo(reverse, org.assertj.core.data.Offset.offset(2e-5 * Math.max(1, Math.abs(reverse))));
      }
    }
  }

  @Test
  void maxPoolIsRejected() {
    try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
      JvpOps ops = new JvpOps(new DjlTensorOps(m, Map.of()));
      JvpOps.Dual x = JvpOps.Dual.constant(m.ones(new Shape(1, 1, 4, 4)));
      assertThatThrownBy(() -> ops.maxPool2d(x, 2, 2, 0))
          .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("maxPool2d");
    }
  }

  /** Normal values pushed away from 0 (|x| ≥ 0.2), so no kink is within rounding distance. */
  private static NDArray awayFromZero(NDManager m, SplittableRandom rng, long[] shape) {
    float[] v = MixingNoise.gaussian(rng, (int) new Shape(shape).size());
    for (int i = 0; i < v.length; i++) {
      v[i] += Math.copySign(0.2f, v[i]);
    }
    return m.create(v, new Shape(shape));
  }
}
