package dev.psp.training.optim;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The problem of {@code src/test/python/make_optimizer_references.py}: parameters of rank 4, 2 and
 * 1, the loss {@code Σ sum(w A) + 0.5 sum((w - B)²)} with its gradients from DJL autograd, and the
 * official optimizers' parameter trajectories under {@code optim/}.
 */
final class ReferenceProblem {
  /** The script's parameter names, learning rate and steps taken with all-zero gradients. */
  static final List<String> KEYS = List.of("conv.weight", "linear.weight", "linear.bias");
  static final double LEARNING_RATE = 0.01;
  static final int STEPS = 50;
  /** Gradients of step 3 are computed and then cleared by {@code zeroGrad()}. */
  static final int ZEROED_BY_ZERO_GRAD = 3;
  /** No backward pass before step 9: the gradients left by step 8 must be zero. */
  static final int ZEROED_BY_STEP = 9;
  static final int[] RECORDED = {1, 2, 3, 5, 6, 7, 9, 12, 50};

  private final NDManager manager;
  private final Map<String, NDArray> a;
  private final Map<String, NDArray> b;
  private final NDArray half;

  ReferenceProblem(NDManager manager) {
    this.manager = manager;
    this.a = DjlTensorOps.toNDArrays(manager, load("A"));
    this.b = DjlTensorOps.toNDArrays(manager, load("B"));
    this.half = manager.create(0.5f);
  }

  /** Fresh trainable parameters holding the reference's initial values. */
  Map<String, NDArray> initialParams() {
    return params(load("initial"));
  }

  /** Fresh trainable parameters holding {@code values}. */
  Map<String, NDArray> params(Map<String, TensorData> values) {
    Map<String, NDArray> p = DjlTensorOps.toNDArrays(manager, values);
    p.values().forEach(x -> x.setRequiresGradient(true));
    return p;
  }

  /** The official optimizer's parameters after step {@code t} ({@code optimizer}: ranger, adam). */
  static Map<String, TensorData> reference(String optimizer, int t) {
    return load(optimizer + "/step_" + t);
  }

  /** Accumulates the loss's gradients into the parameters' gradients. */
  void backward(Map<String, NDArray> params) {
    try (NDScope temporaries = new NDScope();
        GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
      NDArray loss = null;
      for (String k : KEYS) {
        NDArray w = params.get(k);
        NDArray d = w.sub(b.get(k));
        NDArray term = w.mul(a.get(k)).sum().add(d.mul(d).sum().mul(half));
        loss = loss == null ? term : loss.add(term);
      }
      gc.backward(loss);
    }
  }

  /**
   * Takes steps {@code from + 1} to {@code to} of the reference schedule: a backward pass, then
   * {@code step()}; except at {@link #ZEROED_BY_ZERO_GRAD} (backward, {@code zeroGrad()}, step) and
   * {@link #ZEROED_BY_STEP} (step only).
   */
  void train(Optimizer optimizer, Map<String, NDArray> params, int from, int to) {
    for (int t = from + 1; t <= to; t++) {
      if (t != ZEROED_BY_STEP) {
        backward(params);
      }
      if (t == ZEROED_BY_ZERO_GRAD) {
        optimizer.zeroGrad();
      }
      optimizer.step();
    }
  }

  /** Host copies of {@code params}. */
  static Map<String, TensorData> snapshot(Map<String, NDArray> params) {
    Map<String, TensorData> s = new LinkedHashMap<>();
    params.forEach((k, p) -> s.put(k, DjlTensorOps.toTensorData(p)));
    return s;
  }

  /**
   * Asserts that {@code params} are within {@code tolerance} of {@code expected} (absolute, or
   * relative to values above 1), printing the largest absolute and relative differences.
   */
  static void assertClose(Map<String, NDArray> params, Map<String, TensorData> expected,
      double tolerance, String what) {
    for (String k : KEYS) {
      float[] got = params.get(k).toFloatArray();
      float[] want = expected.get(k).toFloatArray();
      assertThat(got).as(what + " " + k + " size").hasSameSizeAs(want);
      double maxAbs = 0;
      double maxRel = 0;
      double worst = 0;
      for (int i = 0; i < got.length; i++) {
        double diff = Math.abs((double) got[i] - want[i]);
        maxAbs = Math.max(maxAbs, diff);
        maxRel = Math.max(maxRel, diff / Math.max(Math.abs(want[i]), 1e-3));
        worst = Math.max(worst, diff / Math.max(Math.abs(want[i]), 1));
      }
      System.out.printf("%s %-14s max |diff| %.3g, max rel %.3g%n", what, k, maxAbs, maxRel);
      assertThat(worst).as(what + " " + k).isLessThanOrEqualTo(tolerance);
    }
  }

  /** Applies {@code f} to each of {@link #KEYS}. */
  static Map<String, TensorData> map(Function<String, TensorData> f) {
    Map<String, TensorData> m = new LinkedHashMap<>();
    KEYS.forEach(k -> m.put(k, f.apply(k)));
    return m;
  }

  private static Map<String, TensorData> load(String dir) {
    return map(k -> {
      String name = "/optim/" + dir + "/" + k + ".npy";
      try (InputStream in = ReferenceProblem.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException(name + " is missing; run src/test/python/"
              + "make_optimizer_references.py");
        }
        return Npy.read(in, name);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
