package dev.psp.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.TensorData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code torch.optim.Adam} (no weight decay, no amsgrad) as PyTorch 1.13 computes it: {@code m = β1
 * m + (1-β1) g}, {@code v = β2 v + (1-β2) g²}, {@code p -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) +
 * ε)}. The state of parameter {@code k} is {@code k.exp_avg} and {@code k.exp_avg_sq}, with the
 * shared step under {@code step}.
 */
public final class Adam implements Optimizer {
  private final Map<String, NDArray> params;
  private final double lr;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final NDManager manager;
  private final Map<String, NDArray> expAvg = new LinkedHashMap<>();
  private final Map<String, NDArray> expAvgSq = new LinkedHashMap<>();
  private long step;

  /** Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8. */
  public Adam(Map<String, NDArray> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8);
  }

  /** Adam over {@code params} (name to trainable array; the map is read, never modified). */
  public Adam(Map<String, NDArray> params, double lr, double beta1, double beta2, double eps) {
    this.params = Map.copyOf(Objects.requireNonNull(params, "params"));
    if (!(lr > 0) || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(eps > 0)) {
      throw new IllegalArgumentException("Adam needs lr > 0, 0 <= betas < 1, eps > 0; got lr=" + lr
          + " betas=(" + beta1 + ", " + beta2 + ") eps=" + eps);
    }
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    NDArray any = params.values().stream().findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no parameters to optimize"));
    this.manager = any.getManager().newSubManager();
    for (Map.Entry<String, NDArray> e : new java.util.TreeMap<>(params).entrySet()) {
      expAvg.put(e.getKey(), manager.zeros(e.getValue().getShape()));
      expAvgSq.put(e.getKey(), manager.zeros(e.getValue().getShape()));
    }
  }

  @Override
  public void step() {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    double stepSize = lr / bc1;
    for (Map.Entry<String, NDArray> e : expAvg.entrySet()) {
      NDArray p = params.get(e.getKey());
      NDArray g = p.getGradient();
      try (NDManager tmp = manager.newSubManager()) {
        NDArray m = e.getValue();
        NDArray v = expAvgSq.get(e.getKey());
        m.muli(beta1).addi(tmp(tmp, g.mul(1 - beta1)));
        v.muli(beta2).addi(tmp(tmp, tmp(tmp, g.mul(1 - beta2)).muli(g)));
        NDArray denom = tmp(tmp, v.sqrt()).divi(bc2Sqrt).addi(eps);
        p.subi(tmp(tmp, m.mul(stepSize)).divi(denom));
      }
    }
    zeroGrad();
  }

  private static NDArray tmp(NDManager tmp, NDArray a) {
    a.attach(tmp);
    return a;
  }

  @Override
  public void zeroGrad() {
    for (NDArray p : params.values()) {
      NDArray g = p.getGradient();
      g.subi(g);
    }
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
    Map<String, TensorData> s = new LinkedHashMap<>();
    s.put("step", TensorData.ofLongs(new long[] {step}));
    expAvg.forEach((k, m) -> {
      s.put(k + ".exp_avg", DjlTensorOps.toTensorData(m));
      s.put(k + ".exp_avg_sq", DjlTensorOps.toTensorData(expAvgSq.get(k)));
    });
    return s;
  }

  @Override
  public void loadState(Map<String, TensorData> state) {
    OptimizerState.restore(state, "step", expAvg, ".exp_avg");
    OptimizerState.restore(state, "step", expAvgSq, ".exp_avg_sq");
    step = OptimizerState.step(state);
  }

  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    return "Adam(lr=" + lr + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ")";
  }
}
