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
import dev.psp.djl.DjlTensorOps;
import dev.psp.training.gan.StyleGan2Checkpoint;
import dev.psp.training.loss.DiscriminatorFeatureLoss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
 *
 * <p>The SDK adds one term, {@code sdk_d_features_lambda} × {@link DiscriminatorFeatureLoss} ({@code
 * loss_d_features}), on the discriminator of a StyleGAN2 checkpoint written by {@code psp
 * train-stylegan}: {@code sdk_discriminator}, or {@code stylegan_weights} when that is unset.
 */
public final class Criteria {
  private Criteria() {}

  /** A criterion and the loss networks it owns; close it after training. */
  public static final class Owned implements Criterion, AutoCloseable {
    private final PspLoss loss;
    private final NDManager ownManager;
    private final DiscriminatorTerm dTerm;

    private Owned(PspLoss loss, NDManager ownManager, DiscriminatorTerm dTerm) {
      this.loss = loss;
      this.ownManager = ownManager;
      this.dTerm = dTerm;
    }

    @Override
    public Result compute(DjlTensorOps ops, ai.djl.ndarray.NDArray x, ai.djl.ndarray.NDArray y,
        ai.djl.ndarray.NDArray yHat, ai.djl.ndarray.NDArray latent, ai.djl.ndarray.NDArray latentAvg) {
      PspLoss.Result r = loss.compute(ops.manager(), x, y, yHat, latent, latentAvg);
      if (dTerm == null) {
        return new Result(r.loss(), r.lossDict());
      }
      ai.djl.ndarray.NDArray term = dTerm.compute(ops.manager(), y, yHat);
      ai.djl.ndarray.NDArray total = r.loss().add(term.mul(ops.manager().create((float) dTerm.lambda())));
      Map<String, Double> values = new LinkedHashMap<>(r.lossDict());
      values.remove("loss");
      values.put("loss_d_features", (double) term.getFloat());
      values.put("loss", (double) total.getFloat());
      return new Result(total, values);
    }

    /** The underlying loss. */
    public PspLoss loss() {
      return loss;
    }

    @Override
    public void close() {
      loss.close();
      if (dTerm != null) {
        dTerm.weights.close();
      }
      if (ownManager != null) {
        ownManager.close(); // idempotent
      }
    }
  }

  /** The discriminator feature term: its weight, its loss and the discriminator's weights (no gradients). */
  private record DiscriminatorTerm(double lambda, DiscriminatorFeatureLoss loss, NDManager weights,
      Map<String, ai.djl.ndarray.NDArray> params) {
    ai.djl.ndarray.NDArray compute(NDManager call, ai.djl.ndarray.NDArray y, ai.djl.ndarray.NDArray yHat) {
      DjlTensorOps ops = new DjlTensorOps(call, params);
      List<ai.djl.ndarray.NDArray> target = DjlTensorOps.withoutGrad(() -> loss.features(ops, y));
      return loss.forward(ops, yHat, target);
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
      return new Owned(build(opts, m), m, discriminatorTerm(opts, m));
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
    PspLoss loss = build(opts, parent);
    try {
      return new Owned(loss, null, discriminatorTerm(opts, parent));
    } catch (java.io.IOException | PspException | RuntimeException e) {
      loss.close();
      throw e;
    }
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

  private static DiscriminatorTerm discriminatorTerm(TrainOptions opts, NDManager parent)
      throws java.io.IOException, PspException {
    double lambda = opts.get("sdk_d_features_lambda") == null ? 0 : opts.doubleOpt("sdk_d_features_lambda");
    if (!(lambda >= 0)) {
      throw new IllegalArgumentException("sdk_d_features_lambda must be >= 0, got " + lambda);
    }
    if (lambda == 0) {
      return null;
    }
    String key = opts.string("sdk_discriminator") != null ? "sdk_discriminator" : "stylegan_weights";
    Path file = file(opts, key, "sdk_d_features_lambda");
    StyleGan2Checkpoint gan;
    try {
      gan = StyleGan2Checkpoint.read(file);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sdk_d_features_lambda needs a discriminator, from a StyleGAN2 checkpoint"
          + " written by psp train-stylegan; " + key + " (" + file + ") is not one: " + e.getMessage()
          + ". Give one with sdk_discriminator=<file>, or set sdk_d_features_lambda=0", e);
    }
    dev.psp.training.gan.Discriminator d = gan.config().discriminator();
    if (dev.psp.Encoder.INPUT_SIZE % d.size() != 0) {
      throw new IllegalArgumentException("the discriminator of " + file + " reads " + d.size() + "-px images,"
          + " which do not divide the " + dev.psp.Encoder.INPUT_SIZE + "-px training outputs; use a StyleGAN2"
          + " trained at a power-of-two size up to " + dev.psp.Encoder.INPUT_SIZE);
    }
    NDManager weights = parent.newSubManager();
    try {
      Map<String, ai.djl.ndarray.NDArray> params = DjlTensorOps.toNDArrays(weights, gan.d());
      return new DiscriminatorTerm(lambda, new DiscriminatorFeatureLoss(d), weights, params);
    } catch (RuntimeException e) {
      weights.close();
      throw e;
    }
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
