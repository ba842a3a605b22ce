package dev.psp.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), the alternative
 * optimizer of the official pSp training ({@code --optim_name adam}), computed as PyTorch 1.13's
 * {@code torch.optim.Adam} (no weight decay, no amsgrad): {@code m = β1 m + (1-β1) g}, {@code v =
 * β2 v + (1-β2) g²}, {@code p -= lr/(1-β1^t) · m / (√v/√(1-β2^t) + ε)}. The state of parameter
 * {@code k} is {@code k.exp_avg} and {@code k.exp_avg_sq}, with the shared step under {@code step}.
 * Not thread-safe.
 */
public final class Adam extends MomentOptimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;

  /** Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8. */
  public Adam(Map<String, NDArray> params, double lr) {
    this(params, lr, 0.9, 0.999, 1e-8);
  }

  /** Adam over {@code params} (name to trainable array; the map is read, never modified). */
  public Adam(Map<String, NDArray> params, double lr, double beta1, double beta2, double eps) {
    super("Adam", params, checked(lr, beta1, beta2, eps), List.of());
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
  }

  private static double checked(double lr, double beta1, double beta2, double eps) {
    if (!(lr > 0) || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(eps > 0)) {
      throw new IllegalArgumentException("Adam needs lr > 0, 0 <= betas < 1, eps > 0; got lr=" + lr
          + " betas=(" + beta1 + ", " + beta2 + ") eps=" + eps);
    }
    return lr;
  }

  @Override
  public void step() {
    step++;
    double bc1 = 1 - Math.pow(beta1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
    double stepSize = lr / bc1;
    try (NDScope temporaries = new NDScope()) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray g = e.getValue().getGradient();
        NDArray m = expAvg.get(e.getKey());
        NDArray v = expAvgSq.get(e.getKey());
        m.muli(beta1).addi(g.mul(1 - beta1));
        v.muli(beta2).addi(g.mul(1 - beta2).muli(g));
        NDArray denom = v.sqrt().divi(bc2Sqrt).addi(eps);
        e.getValue().addi(m.mul(-stepSize).divi(denom));
      }
    }
    zeroGrad();
  }

  @Override
  public String toString() {
    return "Adam(lr=" + lr + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ")";
  }
}
