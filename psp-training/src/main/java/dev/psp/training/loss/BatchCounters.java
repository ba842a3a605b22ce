package dev.psp.training.loss;

import dev.psp.io.TensorData;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * BatchNorm {@code num_batches_tracked} counters for weight files saved before PyTorch 0.4.1, which
 * have none (PyTorch itself loads such files). Eval mode never reads them.
 */
final class BatchCounters {
  private BatchCounters() {}

  /** {@code weights} plus a 0 counter for every {@code num_batches_tracked} the layer declares and they lack. */
  static Map<String, TensorData> fillMissing(Layer layer, Map<String, TensorData> weights) {
    Map<String, TensorData> out = new LinkedHashMap<>(weights);
    for (StateDictSpec.Entry e : layer.stateDictSpec().entries()) {
      if (e.key().endsWith(".num_batches_tracked") && !out.containsKey(e.key())) {
        out.put(e.key(), TensorData.ofLongs(new long[] {0}));
      }
    }
    return out;
  }
}
