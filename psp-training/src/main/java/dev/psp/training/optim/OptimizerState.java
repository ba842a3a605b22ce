package dev.psp.training.optim;

import ai.djl.ndarray.NDArray;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.DType;
import dev.psp.io.TensorData;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * An optimizer's state as host tensors: {@code "step"} (int64 scalar) and one float32 tensor per
 * state array, keyed {@code <parameter>.<name>}. Restoring checks everything before copying anything.
 */
final class OptimizerState {
  static final String STEP = "step";

  private OptimizerState() {}

  /** The step count and copies of {@code arrays} (key to state array). */
  static Map<String, TensorData> export(long step, Map<String, NDArray> arrays) {
    Map<String, TensorData> s = new LinkedHashMap<>();
    s.put(STEP, TensorData.ofLongs(new long[] {step}));
    arrays.forEach((k, a) -> s.put(k, DjlTensorOps.toTensorData(a)));
    return s;
  }

  /**
   * Copies {@code state} into {@code arrays} and returns its step count, after checking that it
   * holds exactly {@code "step"} and the keys of {@code arrays}, with their shapes, as float32.
   */
  static long restore(Map<String, TensorData> state, Map<String, NDArray> arrays, String optimizer) {
    TreeSet<String> missing = new TreeSet<>(arrays.keySet());
    missing.add(STEP);
    missing.removeAll(state.keySet());
    TreeSet<String> unknown = new TreeSet<>(state.keySet());
    unknown.removeAll(arrays.keySet());
    unknown.remove(STEP);
    if (!missing.isEmpty() || !unknown.isEmpty()) {
      throw new IllegalArgumentException("this is not a saved " + optimizer + " state of these "
          + "parameters:" + (missing.isEmpty() ? "" : " missing " + missing)
          + (unknown.isEmpty() ? "" : " unexpected " + unknown)
          + "; load the state saved by the same optimizer over the same parameters");
    }
    long step = step(state.get(STEP));
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      TensorData t = state.get(e.getKey());
      long[] want = e.getValue().getShape().getShape();
      if (t.dtype() != DType.FLOAT32 || !Arrays.equals(want, t.shape())) {
        throw new IllegalArgumentException("optimizer state " + e.getKey() + " is " + t.dtype() + " "
            + Arrays.toString(t.shape()) + ", expected FLOAT32 " + Arrays.toString(want)
            + "; it was saved for other parameters");
      }
    }
    arrays.forEach((k, a) -> a.set(state.get(k).toFloatArray()));
    return step;
  }

  private static long step(TensorData t) {
    boolean integer = t.dtype() == DType.INT64 || t.dtype() == DType.INT32;
    long step = integer && t.numel() == 1 ? t.toLongArray()[0] : -1;
    if (step < 0) {
      throw new IllegalArgumentException("optimizer state step must be one non-negative integer, got "
          + t + (integer && t.numel() == 1 ? " = " + step : ""));
    }
    return step;
  }
}
