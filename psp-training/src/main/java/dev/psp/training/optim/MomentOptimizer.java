package dev.psp.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.psp.io.TensorData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What Adam and Ranger share: the parameters in name order, the first and second moments ({@code
 * exp_avg}, {@code exp_avg_sq}) and any further per-parameter buffers in one sub-manager, the step
 * count, zeroing gradients, and the exported state ({@code step} plus {@code <name><suffix>} per
 * buffer). Subclasses implement {@link #step()}.
 */
abstract class MomentOptimizer implements Optimizer {
  final Map<String, NDArray> params;
  final double lr;
  final NDManager manager;
  final Map<String, NDArray> expAvg;
  final Map<String, NDArray> expAvgSq;
  long step;
  private final String name;
  private final Map<String, Map<String, NDArray>> buffers = new LinkedHashMap<>();

  /**
   * An optimizer over {@code params} (read, never modified) with zero buffers under the state
   * suffixes {@code .exp_avg}, {@code .exp_avg_sq} and {@code extraSuffixes}.
   */
  MomentOptimizer(String name, Map<String, NDArray> params, double lr, List<String> extraSuffixes) {
    this.name = name;
    this.params = new TreeMap<>(Objects.requireNonNull(params, "params"));
    if (params.isEmpty()) {
      throw new IllegalArgumentException("no parameters to optimize");
    }
    this.lr = lr;
    this.manager = this.params.values().iterator().next().getManager().newSubManager();
    this.expAvg = buffer(".exp_avg");
    this.expAvgSq = buffer(".exp_avg_sq");
    extraSuffixes.forEach(this::buffer);
  }

  /** The zero-initialised buffers exported under {@code suffix}. */
  final Map<String, NDArray> buffer(String suffix) {
    return buffers.computeIfAbsent(suffix, s -> {
      Map<String, NDArray> b = new LinkedHashMap<>();
      params.forEach((k, p) -> b.put(k, manager.zeros(p.getShape())));
      return b;
    });
  }

  @Override
  public void zeroGrad() {
    Gradients.zero(params.values());
  }

  @Override
  public long steps() {
    return step;
  }

  @Override
  public double learningRate() {
    return lr;
  }

  @Override
  public Map<String, TensorData> state() {
    return OptimizerState.export(step, stateArrays());
  }

  @Override
  public void loadState(Map<String, TensorData> state) {
    step = OptimizerState.restore(state, stateArrays(), name);
  }

  /** Every buffer under its state key, parameter by parameter. */
  private Map<String, NDArray> stateArrays() {
    Map<String, NDArray> all = new LinkedHashMap<>();
    params.keySet().forEach(k -> buffers.forEach((suffix, b) -> all.put(k + suffix, b.get(k))));
    return all;
  }

  @Override
  public void close() {
    manager.close();
  }
}
