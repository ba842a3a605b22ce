package dev.psp.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import java.util.Collection;

/** Zeroing the gradients of DJL parameters in place. */
final class Gradients {
  /** Indexes a whole array: {@code a.set(ALL, b)} copies {@code b} into {@code a} in place. */
  static final NDIndex ALL = new NDIndex("...");

  private Gradients() {}

  /**
   * Sets every gradient to zero in place, like {@code Tensor.grad.zero_()} (NaN and inf included).
   * The handles that {@code getGradient()} creates are released on return.
   */
  static void zero(Collection<NDArray> params) {
    try (NDScope scope = new NDScope()) {
      for (NDArray p : params) {
        p.getGradient().set(ALL, 0f);
      }
    }
  }
}
