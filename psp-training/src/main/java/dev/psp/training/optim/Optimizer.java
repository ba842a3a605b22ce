package dev.psp.training.optim;

import dev.psp.io.TensorData;
import java.util.Map;

/**
 * A first-order optimizer over named DJL parameters: each {@link #step} reads every parameter's
 * gradient ({@code NDArray.getGradient()}), updates the parameter in place and zeroes the gradient.
 *
 * <p>Its whole state (moments, step counts, slow weights) is exported by {@link #state()} as host
 * tensors keyed by parameter name and restored by {@link #loadState}, so a run resumed from a
 * checkpoint continues exactly as an uninterrupted one. Call {@link #step} outside any
 * GradientCollector: updates must not be recorded. Not thread-safe.
 */
public interface Optimizer extends AutoCloseable {

  /** Updates every parameter from its gradient, then zeroes the gradients. */
  void step();

  /** Sets every gradient to zero without updating. */
  void zeroGrad();

  /** The number of steps taken. */
  long steps();

  /** The learning rate. */
  double learningRate();

  /** The state, as host tensors whose keys start with a parameter name or {@code "step"}. */
  Map<String, TensorData> state();

  /** Restores a state exported by {@link #state()} of the same optimizer over the same parameters. */
  void loadState(Map<String, TensorData> state);

  /** Releases the native state arrays. */
  @Override
  void close();
}
