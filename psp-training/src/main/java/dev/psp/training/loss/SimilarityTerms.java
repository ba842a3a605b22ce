package dev.psp.training.loss;

import dev.psp.nn.TensorOps;

/**
 * The result of a feature-similarity loss ({@link IdLoss}, {@link MocoLoss}) for unit features of
 * the output ŷ, the target y and the input x: the 0-d {@code loss = mean_i(1 − ⟨f(ŷ_i), f(y_i)⟩)}
 * and the per-sample dot products the official loss logs ({@code diff_target = ⟨f(ŷ), f(y)⟩},
 * {@code diff_input = ⟨f(ŷ), f(x)⟩}, {@code diff_views = ⟨f(y), f(x)⟩}, each {@code [B]}). The
 * official {@code sim_improvement} is {@code mean_i(diff_target − diff_views)}, computed from these
 * values on the host.
 *
 * @param loss the 0-d loss, differentiable with respect to ŷ
 * @param diffTarget ⟨f(ŷ_i), f(y_i)⟩, {@code [B]}
 * @param diffInput ⟨f(ŷ_i), f(x_i)⟩, {@code [B]}
 * @param diffViews ⟨f(y_i), f(x_i)⟩, {@code [B]}
 * @param <T> the tensor type
 */
public record SimilarityTerms<T>(T loss, T diffTarget, T diffInput, T diffViews) {

  /** The terms for the features {@code [B,D]} of ŷ, y and x. */
  static <T> SimilarityTerms<T> of(TensorOps<T> ops, T yHat, T y, T x) {
    T target = dot(ops, yHat, y);
    long b = ops.shape(target)[0];
    T loss = ops.div(ops.sum(ops.sub(ops.constant(new float[] {1f}), target), new int[] {0}, false),
        ops.constant(new float[] {(float) b}));
    return new SimilarityTerms<>(loss, target, dot(ops, yHat, x), dot(ops, y, x));
  }

  private static <T> T dot(TensorOps<T> ops, T a, T b) {
    return ops.sum(ops.mul(a, b), new int[] {1}, false);
  }

  /** {@code mean_i(diffTarget_i − diffViews_i)} in double, as the official loop sums Python floats. */
  public static double improvement(float[] diffTarget, float[] diffViews) {
    double sum = 0;
    for (int i = 0; i < diffTarget.length; i++) {
      sum += (double) diffTarget[i] - (double) diffViews[i];
    }
    return sum / diffTarget.length;
  }
}
