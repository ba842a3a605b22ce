package dev.psp.training.gan;

import dev.psp.io.CheckpointWriter;
import dev.psp.io.TensorData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one {@link dev.psp.training.optim.Adam} with its hyperparameters, convertible to
 * and from {@code torch.optim.Adam.state_dict()} (torch 1.13 layout: {@code state} keyed by
 * parameter index, each {@code {'step': 0-d float tensor, 'exp_avg', 'exp_avg_sq'}}, and one
 * {@code param_groups} entry), so that rosinality's train.py can resume from an SDK checkpoint.
 *
 * @param state the optimizer's {@code state()}: {@code step} and {@code <param>.exp_avg},
 *     {@code <param>.exp_avg_sq}
 * @param lr the learning rate
 * @param beta1 the first-moment decay
 * @param beta2 the second-moment decay
 * @param eps the denominator term
 */
public record AdamSnapshot(Map<String, TensorData> state, double lr, double beta1, double beta2,
    double eps) {

  /** Copies the state map. */
  public AdamSnapshot {
    state = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(state));
  }

  /** The number of steps taken. */
  public long steps() {
    TensorData t = state.get("step");
    return t == null ? 0 : t.toLongArray()[0];
  }

  /**
   * The torch {@code state_dict} for parameters in {@code paramKeys} order (the order of {@code
   * module.parameters()}).
   */
  Map<String, Object> toTorch(List<String> paramKeys) {
    Map<Long, Object> perParam = new LinkedHashMap<>();
    float step = steps();
    for (int i = 0; i < paramKeys.size(); i++) {
      String k = paramKeys.get(i);
      TensorData m = require(k + ".exp_avg");
      TensorData v = require(k + ".exp_avg_sq");
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("step", TensorData.ofFloats(new float[] {step}));
      s.put("exp_avg", m);
      s.put("exp_avg_sq", v);
      perParam.put((long) i, s);
    }
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("lr", lr);
    group.put("betas", new CheckpointWriter.Tuple(List.of(beta1, beta2)));
    group.put("eps", eps);
    group.put("weight_decay", 0L);
    group.put("amsgrad", false);
    group.put("maximize", false);
    group.put("foreach", null);
    group.put("capturable", false);
    group.put("differentiable", false);
    group.put("fused", false);
    List<Long> indices = new ArrayList<>();
    for (long i = 0; i < paramKeys.size(); i++) {
      indices.add(i);
    }
    group.put("params", indices);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("state", perParam);
    root.put("param_groups", List.of(group));
    return root;
  }

  /**
   * Reads a torch Adam {@code state_dict} (as {@link dev.psp.io.Checkpoint#root} returns it) for
   * parameters in {@code paramKeys} order.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  static AdamSnapshot fromTorch(Object torchState, List<String> paramKeys, String what) {
    if (!(torchState instanceof Map<?, ?> root) || !(root.get("state") instanceof Map<?, ?> perParam)
        || !(root.get("param_groups") instanceof List<?> groups) || groups.size() != 1
        || !(groups.get(0) instanceof Map<?, ?> group)) {
      throw new IllegalArgumentException(what + " is not a torch Adam state_dict with one param group");
    }
    Map<String, TensorData> state = new LinkedHashMap<>();
    long step = 0;
    for (int i = 0; i < paramKeys.size(); i++) {
      if (!(perParam.get((long) i) instanceof Map<?, ?> s)) {
        throw new IllegalArgumentException(what + " has no state for parameter " + i + " ("
            + paramKeys.get(i) + "); it was saved for another network");
      }
      step = Math.round(tensor(s, "step", what).toDoubleArray()[0]);
      state.put(paramKeys.get(i) + ".exp_avg", tensor(s, "exp_avg", what));
      state.put(paramKeys.get(i) + ".exp_avg_sq", tensor(s, "exp_avg_sq", what));
    }
    state.put("step", TensorData.ofLongs(new long[] {step}));
    List<?> betas = (List<?>) group.get("betas");
    return new AdamSnapshot(state, number(group, "lr", what), ((Number) betas.get(0)).doubleValue(),
        ((Number) betas.get(1)).doubleValue(), number(group, "eps", what));
  }

  private TensorData require(String key) {
    TensorData t = state.get(key);
    if (t == null) {
      throw new IllegalStateException("optimizer state has no " + key);
    }
    return t;
  }

  private static TensorData tensor(Map<?, ?> s, String key, String what) {
    if (!(s.get(key) instanceof TensorData t)) {
      throw new IllegalArgumentException(what + ": per-parameter state has no tensor '" + key + "'");
    }
    return t;
  }

  private static double number(Map<?, ?> m, String key, String what) {
    if (!(m.get(key) instanceof Number n)) {
      throw new IllegalArgumentException(what + ": param group has no number '" + key + "'");
    }
    return n.doubleValue();
  }
}
