package dev.psp.nn;

/**
 * A part of the pSp network that owns state_dict entries under a key prefix, like a PyTorch
 * {@code nn.Module}.
 *
 * <p>Implementations are immutable configuration objects: they compute their constants in the
 * constructor, read their weights through {@link TensorOps#param} during a forward call, and are
 * thread-safe.
 */
public interface Layer {

  /** Adds this layer's state_dict entries (own parameters, own buffers, then sublayers in order). */
  void declare(StateDictSpec.Builder spec);

  /** This layer's entries as a spec. */
  default StateDictSpec stateDictSpec() {
    StateDictSpec.Builder b = StateDictSpec.builder();
    declare(b);
    return b.build();
  }
}
