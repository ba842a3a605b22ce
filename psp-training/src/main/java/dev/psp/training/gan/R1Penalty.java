package dev.psp.training.gan;

import dev.psp.djl.PyTorchEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import java.util.Collection;
import java.util.Map;

/**
 * The R1 gradient penalty on real images (Mescheder et al. 2018, "Which Training Methods for GANs
 * do actually Converge?"), as StyleGAN2 uses it: {@code r1 = mean_b ||∇_x Σ D(x)||²_b}, the
 * squared gradient of the discriminator's logits with respect to each real image, summed per
 * sample and averaged over the batch ({@code d_r1_loss} of rosinality's train.py).
 *
 * <p>Its gradient with respect to the discriminator's parameters θ is a second derivative. For
 * {@code g = ∇_x Σ_b D(x_b)} held fixed, {@code ∇_θ r1 = (2/B)·∇_θ [∇_x Σ_b D(x_b) · g]}, and the
 * bracket is the directional derivative of the logits along g, which {@link JvpOps} computes in
 * forward mode. So two passes give the exact gradient with first-order backward only: (1) a
 * backward pass for g, (2) a forward-mode pass along g whose tangent sum is then backpropagated.
 *
 * <p>Why not a double backward: DJL can run {@code backward(create_graph=true)} ({@code
 * JniUtils.backward(array, grad, keepGraph, createGraph)}, used by the tests to confirm this
 * class), but the gradient it leaves in the input's {@code .grad} references the graph that
 * references the input: a reference cycle that libtorch frees only when {@code .grad} is reset
 * to None, which DJL cannot do. Every R1 step would leak the real batch, its gradient and part of
 * the graph.
 *
 * <p>Stateless and thread-safe; the arrays it is given are not (one GradientCollector at a time).
 */
public final class R1Penalty {
  private R1Penalty() {}

  /**
   * Computes the penalty for the real images {@code [B,3,S,S]} and adds {@code weight · ∇_θ r1}
   * to the gradients of the discriminator parameters in {@code params} that require gradients
   * (other gradients are untouched). Returns r1. Every temporary is freed before it returns; it
   * must not be called inside another GradientCollector.
   *
   * @param d the discriminator
   * @param params its state_dict tensors (full keys); the trainable ones require gradients
   * @param real the real images (not modified; need not require gradients)
   * @param weight the factor on the gradient, {@code r1/2 · d_reg_every} in StyleGAN2
   */
  public static double accumulate(Discriminator d, Map<String, NDArray> params, NDArray real,
      double weight) {
    long batch = real.getShape().get(0);
    Collection<NDArray> trainable = params.values().stream().filter(NDArray::hasGradient).toList();
    try (NDManager call = real.getManager().newSubManager()) {
      NDArray g = inputGradient(d, params, trainable, real, call);
      double penalty;
      try (NDArray sq = g.mul(g); NDArray total = sq.sum()) {
        penalty = total.getFloat() / batch;
      }
      try (GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
        DjlTensorOps base = new DjlTensorOps(call, params);
        JvpOps ops = new JvpOps(base);
        JvpOps.Dual logits = d.forward(ops, new JvpOps.Dual(real, g));
        NDArray directional = ops.sum(logits, new int[] {0, 1}, false).tangent();
        gc.backward(base.scale(directional, weight * 2 / batch));
      }
      return penalty;
    }
  }

  /** {@code ∇_x Σ D(x)} for x = real, with the parameters frozen so that their gradients stay. */
  private static NDArray inputGradient(Discriminator d, Map<String, NDArray> params,
      Collection<NDArray> trainable, NDArray real, NDManager call) {
    NDArray x = real.duplicate();
    x.attach(call);
    x.setRequiresGradient(true);
    trainable.forEach(p -> p.setRequiresGradient(false));
    try (GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
      DjlTensorOps ops = new DjlTensorOps(call, params);
      gc.backward(ops.sum(d.forward(ops, x), new int[] {0, 1}, false));
    } finally {
      trainable.forEach(p -> p.setRequiresGradient(true));
    }
    NDArray g = x.getGradient().stopGradient();
    g.attach(call);
    return g;
  }
}
