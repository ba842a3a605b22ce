package dev.psp.training.optim;

import ai.djl.ndarray.NDArray;
import dev.psp.io.TensorData;
import java.util.Arrays;
import java.util.Map;

/** Copying saved optimizer state back into state arrays, with errors that name the mismatch. */
final class OptimizerState {
  private OptimizerState() {}

  /** Copies {@code state[name + suffix]} into each array of {@code into}, checking shapes. */
  static void restore(Map<String, TensorData> state, String stepKey, Map<String, NDArray> into,
      String suffix) {
    for (Map.Entry<String, NDArray> e : into.entrySet()) {
      String key = e.getKey() + suffix;
      TensorData t = state.get(key);
      if (t == null) {
        throw new IllegalArgumentException("optimizer state has no " + key
            + "; it was saved for other parameters or another optimizer");
      }
      long[] want = e.getValue().getShape().getShape();
      if (!Arrays.equals(want, t.shape())) {
        throw new IllegalArgumentException("optimizer state " + key + " has shape "
            + Arrays.toString(t.shape()) + ", the parameter has " + Arrays.toString(want));
      }
      e.getValue().set(t.toFloatArray());
    }
  }

  /** The saved step count. */
  static long step(Map<String, TensorData> state) {
    TensorData t = state.get("step");
    if (t == null) {
      throw new IllegalArgumentException("optimizer state has no step");
    }
    return t.toLongArray()[0];
  }
}
