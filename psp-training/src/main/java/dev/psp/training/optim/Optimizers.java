package dev.psp.training.optim;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** The optimizers of the official {@code optim_name} option. */
public final class Optimizers {
  private Optimizers() {}

  /**
   * {@code ranger} (the official default: {@link Ranger}) or {@code adam} ({@link Adam} with
   * PyTorch's defaults), as {@code Coach.configure_optimizers} makes them.
   */
  public static Optimizer create(String name, Map<String, NDArray> params, double lr) {
    return switch (name) {
      case "ranger" -> new Ranger(params, lr);
      case "adam" -> new Adam(params, lr);
      default -> throw new IllegalArgumentException("optim_name must be 'ranger' or 'adam', got '" + name + "'");
    };
  }
}
