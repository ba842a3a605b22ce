package dev.psp.nn;

import dev.psp.io.DType;
import dev.psp.io.TensorData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A state_dict drawn from each entry's declared initialisation ({@link Init}), seeded: the starting
 * point of training from scratch, and the weights of the small random models tests are run on.
 */
public final class RandomWeights {
  private RandomWeights() {}

  /**
   * Draws every entry of {@code spec} (int64 buffers such as {@code num_batches_tracked} are 0).
   * The same seed gives the same tensors.
   */
  public static Map<String, TensorData> of(StateDictSpec spec, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (StateDictSpec.Entry e : spec.entries()) {
      SplittableRandom rng = root.split();
      int n = Math.toIntExact(e.numel());
      if (e.dtype() == DType.INT64) {
        out.put(e.key(), TensorData.ofLongs(new long[n], e.shape()));
      } else {
        out.put(e.key(), TensorData.ofFloats(e.init().sample(n, rng), e.shape()));
      }
    }
    return out;
  }
}
