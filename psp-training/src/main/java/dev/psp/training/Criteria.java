package dev.psp.training;

import ai.djl.ndarray.NDManager;
import dev.psp.PspException;
import dev.psp.io.TensorData;
import dev.psp.training.loss.IdBackbone;
import dev.psp.training.loss.IdLoss;
import dev.psp.training.loss.LossWeights;
import dev.psp.training.loss.Lpips;
import dev.psp.training.loss.LpipsNet;
import dev.psp.training.loss.LpipsWeights;
import dev.psp.training.loss.MocoLoss;
import dev.psp.training.loss.PspLoss;
import dev.psp.training.loss.ResNet50;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The official objective ({@link PspLoss}, {@code Coach.calc_loss}) configured from training
 * options: the lambdas under their official names and the loss networks' weights from files the user
 * supplies, as none can be downloaded by the SDK:
 *
 * <ul>
 *   <li>{@code sdk_lpips_backbone}: torchvision's AlexNet (or VGG16) ImageNet state_dict, and {@code
 *       sdk_lpips_lin}: PerceptualSimilarity v0.1 {@code alex.pth} (or {@code vgg.pth}); {@code
 *       sdk_lpips_net}: {@code alex} (the official choice, default) or {@code vgg};
 *   <li>{@code sdk_ir_se50}: {@code model_ir_se50.pth} for the ID loss (it also initialises the
 *       encoder);
 *   <li>{@code sdk_moco}: {@code moco_v2_800ep_pretrain.pt} for the MoCo loss.
 * </ul>
 */
public final class Criteria {
  private Criteria() {}

  /** A criterion and the loss networks it owns; close it after training. */
  public static final class Owned implements Criterion, AutoCloseable {
    private final PspLoss loss;
    private final NDManager ownManager;

    private Owned(PspLoss loss, NDManager ownManager) {
      this.loss = loss;
      this.ownManager = ownManager;
    }

    @Override
    public Result compute(dev.psp.djl.DjlTensorOps ops, ai.djl.ndarray.NDArray x, ai.djl.ndarray.NDArray y,
        ai.djl.ndarray.NDArray yHat, ai.djl.ndarray.NDArray latent, ai.djl.ndarray.NDArray latentAvg) {
      PspLoss.Result r = loss.compute(ops.manager(), x, y, yHat, latent, latentAvg);
      return new Result(r.loss(), r.lossDict());
    }

    /** The underlying loss. */
    public PspLoss loss() {
      return loss;
    }

    @Override
    public void close() {
      loss.close();
      if (ownManager != null) {
        ownManager.close(); // idempotent
      }
    }
  }

  /**
   * The objective of {@code opts}, its networks' weights in a manager of its own on the pytorch
   * engine (closed with the criterion).
   *
   * @throws IllegalArgumentException if a lambda &gt; 0 needs weights that were not given, naming the
   *     option to set or the lambda to zero
   */
  public static Owned fromOptions(TrainOptions opts) throws java.io.IOException, PspException {
    NDManager m = dev.psp.djl.PyTorchEngine.djl().newBaseManager();
    try {
      return new Owned(build(opts, m), m);
    } catch (java.io.IOException | PspException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * The objective of {@code opts}, its networks' weights in a sub-manager of {@code parent}.
   *
   * @throws IllegalArgumentException if a lambda &gt; 0 needs weights that were not given, naming the
   *     option to set or the lambda to zero
   */
  public static Owned fromOptions(TrainOptions opts, NDManager parent) throws java.io.IOException, PspException {
    return new Owned(build(opts, parent), null);
  }

  private static PspLoss build(TrainOptions opts, NDManager parent) throws java.io.IOException, PspException {
    LossWeights w = LossWeights.fromOpts(opts.asMap());
    PspLoss.Builder b = PspLoss.builder(w).optStartFromLatentAvg(opts.bool("start_from_latent_avg"));
    if (w.needsLpips()) {
      Path backbone = file(opts, "sdk_lpips_backbone", "lpips_lambda");
      Path lin = file(opts, "sdk_lpips_lin", "lpips_lambda");
      String net = opts.string("sdk_lpips_net") == null ? "alex" : opts.string("sdk_lpips_net");
      LpipsNet n = LpipsNet.of(net);
      Map<String, TensorData> weights = LpipsWeights.load(backbone, lin);
      b.optLpips(Lpips.fromWeights(n, weights), weights);
    }
    if (w.idLambda() > 0) {
      Map<String, TensorData> weights = IdBackbone.loadWeights(file(opts, "sdk_ir_se50", "id_lambda"));
      b.optIdLoss(new IdLoss(IdBackbone.fromWeights(weights)), weights);
    }
    if (w.mocoLambda() > 0) {
      Map<String, TensorData> weights = MocoLoss.loadWeights(file(opts, "sdk_moco", "moco_lambda"));
      b.optMocoLoss(new MocoLoss(ResNet50.fromWeights(weights)), weights);
    }
    return b.build(parent);
  }

  private static Path file(TrainOptions opts, String key, String lambda) {
    String v = opts.string(key);
    if (v == null) {
      throw new IllegalArgumentException(lambda + " is " + opts.get(lambda) + " but option " + key
          + " (the weights of its network) is not set; the SDK cannot download them: give the file with "
          + key + "=<path>, or set " + lambda + "=0");
    }
    Path p = Path.of(v);
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("option " + key + " names " + p.toAbsolutePath() + ", which does not exist");
    }
    return p;
  }
}
