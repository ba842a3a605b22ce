package dev.psp.training.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.List;
import java.util.Map;

/**
 * Ranger, the default optimizer of the official pSp training: RAdam (Liu et al., "On the Variance
 * of the Adaptive Learning Rate and Beyond", ICLR 2020) inside Lookahead (Zhang et al., "Lookahead
 * Optimizer: k steps forward, 1 step back", NeurIPS 2019), with gradient centralization (Yong et al.,
 * "Gradient Centralization", ECCV 2020). It computes what pSp's {@code training/ranger.py} (version
 * 20.4.11) computes with the settings pSp uses, {@code Ranger(params, lr)}: β1 0.95, β2 0.999, ε
 * 1e-5, Lookahead α 0.5 every k = 6 steps, RAdam threshold 5, no weight decay, centralization of
 * every gradient of rank > 1.
 *
 * <p>Step {@code t}, for each parameter {@code p} with gradient {@code g}: if {@code g} has rank > 1,
 * {@code g -= mean(g)} over all but the first dimension; {@code v = β2 v + (1-β2) g²}; {@code m = β1 m
 * + (1-β1) g}; with {@code ρ∞ = 2/(1-β2) - 1} and {@code ρ = ρ∞ - 2t β2^t/(1-β2^t)}: if {@code ρ > 5},
 * {@code p -= lr r/(1-β1^t) · m/(√v + ε)} with the rectification {@code r = √((1-β2^t)(ρ-4)(ρ-2)ρ∞ /
 * ((ρ∞-4)ρ(ρ∞-2)))}, else {@code p -= lr/(1-β1^t) · m} (the first 5 steps). Every k-th step the slow
 * copy {@code s} (taken before the first step) moves to {@code s + α(p - s)} and {@code p} is set to
 * it. (The official per-step cache of ρ and the step size only memoizes these numbers.)
 *
 * <p>State keys: {@code step} and, per parameter, {@code <name>.exp_avg}, {@code .exp_avg_sq} and
 * {@code .slow_buffer}, as in the official state (which keeps a step count per parameter). Every
 * parameter steps on every call, with a zero gradient if none was computed; PyTorch skips a
 * parameter whose gradient was never set, and both leave a parameter that never gets a gradient
 * unchanged. Not thread-safe.
 */
public final class Ranger extends MomentOptimizer {
  private static final double BETA1 = 0.95;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-5;
  private static final double ALPHA = 0.5;
  private static final int K = 6;
  private static final double RHO_THRESHOLD = 5;
  private static final double RHO_MAX = 2 / (1 - BETA2) - 1;
  private static final String SLOW = ".slow_buffer";

  private final Map<String, NDArray> slow;

  /** Ranger over {@code params} (name to trainable array; the map is read, never modified). */
  public Ranger(Map<String, NDArray> params, double lr) {
    super("Ranger", params, checked(lr), List.of(SLOW));
    this.slow = buffer(SLOW);
  }

  private static double checked(double lr) {
    if (!(lr > 0)) {
      throw new IllegalArgumentException("Ranger needs lr > 0, got " + lr);
    }
    return lr;
  }

  @Override
  public void step() {
    step++;
    double beta2t = Math.pow(BETA2, step);
    double rho = RHO_MAX - 2 * step * beta2t / (1 - beta2t);
    boolean adaptive = rho > RHO_THRESHOLD;
    double rectification = adaptive ? Math.sqrt((1 - beta2t) * (rho - 4) / (RHO_MAX - 4) * (rho - 2)
        / rho * RHO_MAX / (RHO_MAX - 2)) : 1;
    double stepSize = rectification / (1 - Math.pow(BETA1, step));
    try (NDScope temporaries = new NDScope()) {
      if (step == 1) {
        params.forEach((k, p) -> slow.get(k).set(Gradients.ALL, p));
      }
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray p = e.getValue();
        NDArray g = centralized(p.getGradient());
        NDArray m = expAvg.get(e.getKey());
        NDArray v = expAvgSq.get(e.getKey());
        v.muli(BETA2).addi(g.mul(1 - BETA2).muli(g));
        m.muli(BETA1).addi(g.mul(1 - BETA1));
        NDArray update = m.mul(-stepSize * lr);
        p.addi(adaptive ? update.divi(v.sqrt().addi(EPS)) : update);
        if (step % K == 0) {
          NDArray s = slow.get(e.getKey());
          s.addi(p.sub(s).muli(ALPHA));
          p.set(Gradients.ALL, s);
        }
      }
    }
    zeroGrad();
  }

  /** {@code g} minus its mean over all but the first dimension, for rank > 1; else {@code g}. */
  private static NDArray centralized(NDArray g) {
    if (g.getShape().dimension() < 2) {
      return g;
    }
    NDArray rows = g.reshape(g.getShape().get(0), -1);
    return rows.sub(rows.mean(new int[] {1}, true)).reshape(g.getShape());
  }

  @Override
  public String toString() {
    return "Ranger(lr=" + lr + ", betas=(" + BETA1 + ", " + BETA2 + "), eps=" + EPS + ", alpha="
        + ALPHA + ", k=" + K + ", gradient centralization for rank > 1)";
  }
}
