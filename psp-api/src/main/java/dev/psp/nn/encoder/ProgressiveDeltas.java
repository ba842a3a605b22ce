package dev.psp.nn.encoder;

import dev.psp.nn.TensorOps;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * e4e's progressive code ({@code Encoder4Editing.forward}, Tov et al. 2021): the first head gives one
 * w for every row, {@code w = w0.repeat(n_styles)}, and head i adds its delta to row i, {@code w[:, i]
 * += delta_i}, for the rows the progressive stage has reached ({@code 1 ≤ i ≤ stage}); the other rows
 * stay w0. Shared by {@link Encoder4Editing} and ReStyle's progressive {@link BackboneEncoder}s.
 */
final class ProgressiveDeltas {
  /** {@code ProgressiveStage.Inference}: every delta is applied. */
  static final int INFERENCE_STAGE = 18;

  private ProgressiveDeltas() {
  }

  /**
   * The code {@code [B,n_styles,dim]}.
   *
   * @param head head i's output {@code [B,dim]}; called for i = 0 and for each applied delta in order
   */
  static <T> T combine(TensorOps<T> ops, int nStyles, int stage, int dim, IntFunction<T> head) {
    T w0 = head.apply(0);
    List<T> rows = new ArrayList<>(nStyles);
    T row0 = ops.reshape(w0, -1, 1, dim);
    rows.add(row0);
    for (int i = 1; i < nStyles; i++) {
      if (i <= stage) {
        T delta = head.apply(i);
        rows.add(ops.scoped(() -> ops.reshape(ops.add(w0, delta), -1, 1, dim)));
      } else {
        rows.add(row0);
      }
    }
    return ops.concat(rows, 1);
  }
}
