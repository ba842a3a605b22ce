package dev.psp.training.latent;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.psp.LatentCode;
import dev.psp.ModelConfig;
import dev.psp.ModelMismatchException;
import dev.psp.PspException;
import dev.psp.PspModel;
import dev.psp.djl.DjlTensorOps;
import dev.psp.djl.PyTorchEngine;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import dev.psp.training.loss.L2Loss;
import dev.psp.training.optim.Adam;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refines W+ codes by gradient descent through a frozen pSp decoder: Adam on the codes, minimising
 * the official L2 loss between the face-pooled output ({@code face_pool(G(w))}, the stored noise
 * buffers) and a target image. Starting from an encoder's code, this is the "encoder, then
 * optimization" hybrid of in-domain GAN inversion (Zhu et al., ECCV 2020): the encoder gives a code
 * near the answer in one pass, a few hundred steps then recover what one encoder for many faces
 * averages away (glasses, eyes, sharp edges), at the cost of a forward and backward pass per step.
 *
 * <p>It runs on DJL's PyTorch engine (it needs gradients), whatever engine encoded the start codes.
 * Each call is deterministic for the same codes, targets, thread count and CPU. Not thread-safe: one
 * call at a time (libtorch records one gradient graph per thread).
 */
public final class LatentOptimizer implements AutoCloseable {
  /** The most steps one call takes. */
  public static final int MAX_STEPS = 10_000;
  /** Adam's learning rate by default, in units of the code (measured on the demo inversion model). */
  public static final double DEFAULT_LEARNING_RATE = 0.05;

  private final PspNetwork net;
  private final NDManager manager;
  private final Map<String, NDArray> decoder = new LinkedHashMap<>();
  private final String what;
  private boolean closed;

  /** Progress of one {@link #optimize} call. */
  @FunctionalInterface
  public interface Listener {
    /** Called after step {@code done} of {@code total}, with the L2 loss of the code before that step. */
    void step(int done, int total, double l2);
  }

  /**
   * The codes after optimization and the L2 loss along the way.
   *
   * @param codes the optimized codes, one per target
   * @param losses the batch-mean L2 loss of the codes after k steps, k = 0 (the start codes) to steps
   */
  public record Result(LatentCode codes, double[] losses) {
    /** A copy of the losses. */
    @Override
    public double[] losses() {
      return losses.clone();
    }
  }

  /**
   * An optimizer over the decoder of {@code network}, whose state_dict {@code stateDict} must hold
   * (the {@code encoder.*} entries are ignored); {@code what} names the weights in errors.
   */
  public LatentOptimizer(PspNetwork network, Map<String, TensorData> stateDict, String what)
      throws ModelMismatchException {
    network.stateDictSpec().check(stateDict, what);
    this.net = network;
    this.what = what;
    this.manager = PyTorchEngine.djl().newBaseManager();
    stateDict.forEach((k, t) -> {
      if (k.startsWith("decoder.")) {
        decoder.put(k, DjlTensorOps.toNDArray(manager, t));
      }
    });
  }

  /** An optimizer over the decoder of the checkpoint {@code model} was loaded from. */
  public static LatentOptimizer of(PspModel model) throws PspException {
    return of(model.source());
  }

  /** An optimizer over the decoder of the pSp checkpoint {@code file}. */
  public static LatentOptimizer of(Path file) throws PspException {
    try (Checkpoint c = CheckpointReader.read(file)) {
      ModelConfig config = ModelConfig.fromOpts(c.opts(), c.latentAvg().isPresent());
      return new LatentOptimizer(PspNetwork.forConfig(config), c.stateDict(), file.toString());
    }
  }

  /**
   * Takes {@code steps} Adam steps ({@code learningRate}, PyTorch's betas and eps) on {@code start}
   * towards {@code targets}, {@code [B,3,256,256]} in [-1, 1] (the preprocessed inputs of an
   * inversion model), one target per code.
   *
   * @throws IllegalArgumentException if the codes do not fit the decoder, the targets are not one
   *     finite 256-px RGB image per code, or steps or the learning rate are out of range
   */
  public Result optimize(LatentCode start, TensorData targets, int steps, double learningRate, Listener listener) {
    check(start, targets, steps, learningRate);
    double[] losses = new double[steps + 1];
    try (NDManager run = manager.newSubManager()) {
      NDArray y = DjlTensorOps.toNDArray(run, targets);
      NDArray w = DjlTensorOps.toNDArray(run, start.toTensor());
      w.setRequiresGradient(true);
      try (Adam adam = new Adam(Map.of("codes", w), learningRate)) {
        for (int s = 0; s < steps; s++) {
          try (NDManager call = run.newSubManager();
              GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
            NDArray l2 = loss(new DjlTensorOps(call, decoder), w, y);
            losses[s] = l2.getFloat();
            gc.backward(l2);
          }
          adam.step();
          if (listener != null) {
            listener.step(s + 1, steps, losses[s]);
          }
        }
      }
      losses[steps] = DjlTensorOps.withoutGrad(() -> {
        try (NDManager call = run.newSubManager()) {
          return (double) loss(new DjlTensorOps(call, decoder), w, y).getFloat();
        }
      });
      TensorData codes = DjlTensorOps.toTensorData(w.stopGradient());
      return new Result(LatentCode.fromTensor(codes, start.nStyles()), losses);
    }
  }

  private NDArray loss(DjlTensorOps ops, NDArray w, NDArray y) {
    NDArray image = net.facePool(ops, net.decode(ops, w, net.storedNoises(ops)));
    return L2Loss.mse(ops, image, y);
  }

  private void check(LatentCode start, TensorData targets, int steps, double learningRate) {
    if (closed) {
      throw new IllegalStateException("this LatentOptimizer over " + what + " is closed");
    }
    if (start.nStyles() != net.nStyles() || start.dim() != net.styleDim()) {
      throw new IllegalArgumentException("codes are " + start.nStyles() + "x" + start.dim() + ", the decoder of "
          + what + " takes " + net.nStyles() + "x" + net.styleDim());
    }
    long[] s = targets.shape();
    int size = dev.psp.Encoder.INPUT_SIZE;
    if (s.length != 4 || s[0] != start.batchSize() || s[1] != 3 || s[2] != size || s[3] != size) {
      throw new IllegalArgumentException("targets must be [" + start.batchSize() + ", 3, " + size + ", " + size
          + "] (one preprocessed RGB image per code), got " + Arrays.toString(s));
    }
    if (targets.firstNonFinite() >= 0) {
      throw new IllegalArgumentException("targets hold a non-finite value at flat index " + targets.firstNonFinite());
    }
    if (steps < 0 || steps > MAX_STEPS) {
      throw new IllegalArgumentException("steps must be between 0 and " + MAX_STEPS + ", got " + steps);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("the learning rate must be positive and finite, got " + learningRate);
    }
  }

  /** Frees the decoder's native weights; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }
}
