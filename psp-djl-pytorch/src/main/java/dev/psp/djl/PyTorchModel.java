package dev.psp.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.psp.ModelConfig;
import dev.psp.OutputSize;
import dev.psp.io.DType;
import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import dev.psp.spi.EngineModel;
import dev.psp.spi.ModelWeights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A pSp model on libtorch: the weights live in one {@link NDManager}; every call runs the network
 * definition through {@link DjlTensorOps} in its own sub-manager, so all temporaries are freed
 * before it returns. Thread-safe: calls only read the weights.
 */
final class PyTorchModel implements EngineModel {
  private final PspNetwork network;
  private final NDManager manager;
  private final Map<String, NDArray> params;
  private final AtomicBoolean closed = new AtomicBoolean();

  PyTorchModel(ModelWeights weights, ai.djl.engine.Engine djl, ai.djl.Device device) {
    ModelConfig c = weights.config();
    this.network = PspNetwork.forConfig(c);
    this.manager = djl.newBaseManager(device); // PyTorch's, whatever DJL's default engine is
    Map<String, NDArray> p = new HashMap<>();
    try {
      for (Map.Entry<String, TensorData> e : weights.stateDict().entrySet()) {
        TensorData t = e.getValue();
        if (t.dtype() == DType.INT64) {
          continue; // num_batches_tracked: unused at inference
        }
        NDArray a = DjlTensorOps.weightNDArray(manager, t); // shares the checkpoint's direct buffers
        a.setName(e.getKey());
        p.put(e.getKey(), a);
      }
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
    this.params = Map.copyOf(p);
  }

  @Override
  public TensorData encode(TensorData input) {
    return run(ops -> network.encode(ops, input(ops, input)));
  }

  @Override
  public TensorData decode(TensorData codes, List<TensorData> noise, OutputSize size) {
    return run(ops -> {
      List<NDArray> n;
      if (noise == null) {
        n = network.storedNoises(ops);
      } else {
        n = new ArrayList<>();
        for (TensorData t : noise) {
          n.add(input(ops, t));
        }
      }
      NDArray image = network.decode(ops, input(ops, codes), n);
      return size.pooled() ? network.facePool(ops, image) : image;
    });
  }

  @Override
  public TensorData mapping(TensorData z) {
    return run(ops -> network.mapping(ops, input(ops, z)));
  }

  private TensorData run(Function<DjlTensorOps, NDArray> forward) {
    if (closed.get()) {
      throw new IllegalStateException("the model is closed");
    }
    // torch.no_grad(): libtorch's grad mode is per thread and on by default in threads DJL did not
    // start, which would make DjlTensorOps run its gradient-safe convolution shapes (other rounding)
    return DjlTensorOps.withoutGrad(() -> {
      try (NDManager call = manager.newSubManager()) {
        DjlTensorOps ops = new DjlTensorOps(call, params);
        return DjlTensorOps.toTensorData(forward.apply(ops));
      }
    });
  }

  private static NDArray input(DjlTensorOps ops, TensorData t) {
    return DjlTensorOps.toNDArray(ops.manager(), t);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      manager.close();
    }
  }
}
