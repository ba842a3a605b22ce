package dev.psp.training.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.TensorData;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The training objective of pSp, {@code Coach.calc_loss}: the weighted sum, in the official order,
 * of the ID loss, L2, LPIPS, LPIPS and L2 on the face crop, the W-norm and the MoCo loss, each only
 * when its lambda is greater than 0; computed on DJL's PyTorch engine so that {@code backward}
 * reaches ŷ and the latent code (and, through them, the encoder). The loss networks run in eval
 * mode on their own weights, which this object holds without gradients.
 *
 * <p>Create with {@link #builder}; close to free the loss networks' weights. Not thread-safe: use
 * one instance per training thread.
 */
public final class PspLoss implements AutoCloseable {
  /**
   * The result of one evaluation.
   *
   * @param loss the 0-d total loss, attached to the call manager; call {@code backward} on it
   * @param lossDict the official {@code loss_dict}: {@code loss_id}, {@code id_improve}, {@code
   *     loss_l2}, {@code loss_lpips}, {@code loss_lpips_crop}, {@code loss_l2_crop}, {@code
   *     loss_w_norm}, {@code loss_moco} (those computed) and {@code loss}, in the official order
   * @param similarityLogs the official {@code id_logs} of the ID or MoCo loss, one per sample (empty
   *     when neither is on)
   */
  public record Result(NDArray loss, Map<String, Double> lossDict, List<SampleSimilarity> similarityLogs) {}

  /**
   * One sample's log of the ID or MoCo loss.
   *
   * @param diffTarget ⟨f(ŷ), f(y)⟩
   * @param diffInput ⟨f(ŷ), f(x)⟩
   * @param diffViews ⟨f(y), f(x)⟩
   */
  public record SampleSimilarity(double diffTarget, double diffInput, double diffViews) {}

  private final LossWeights weights;
  private final boolean startFromLatentAvg;
  private final CropBox crop;
  private final NDManager manager;
  private final Lpips lpips;
  private final Map<String, NDArray> lpipsParams;
  private final IdLoss idLoss;
  private final Map<String, NDArray> idParams;
  private final MocoLoss mocoLoss;
  private final Map<String, NDArray> mocoParams;
  private boolean closed;

  private PspLoss(Builder b, NDManager parent) {
    this.weights = b.weights;
    this.startFromLatentAvg = b.startFromLatentAvg;
    this.crop = b.crop;
    this.manager = parent.newSubManager();
    this.lpips = weights.needsLpips() ? b.lpips : null;
    this.lpipsParams = lpips == null ? Map.of() : DjlTensorOps.toNDArrays(manager, b.lpipsWeights);
    this.idLoss = weights.idLambda() > 0 ? b.idLoss : null;
    this.idParams = idLoss == null ? Map.of() : DjlTensorOps.toNDArrays(manager, b.idWeights);
    this.mocoLoss = weights.mocoLambda() > 0 ? b.mocoLoss : null;
    this.mocoParams = mocoLoss == null ? Map.of() : DjlTensorOps.toNDArrays(manager, b.mocoWeights);
  }

  /** A builder for the given lambdas. */
  public static Builder builder(LossWeights weights) {
    return new Builder(weights);
  }

  /** The lambdas. */
  public LossWeights weights() {
    return weights;
  }

  /**
   * Evaluates the loss of a batch: x the input {@code [B,C,H,W]}, y the target and ŷ the output
   * ({@code [B,3,H,W]}), latent the W+ code {@code [B,n_styles,D]}, latentAvg the average latent
   * ({@code [n_styles,D]} or {@code [D]}; needed only for the W-norm with start_from_latent_avg).
   * Every array the computation creates is attached to {@code call}; keep it open until {@code
   * backward} has run.
   */
  public Result compute(NDManager call, NDArray x, NDArray y, NDArray yHat, NDArray latent,
      NDArray latentAvg) {
    if (closed) {
      throw new IllegalStateException("this PspLoss is closed");
    }
    DjlTensorOps ops = new DjlTensorOps(call, Map.of());
    Map<String, Double> dict = new LinkedHashMap<>();
    List<SampleSimilarity> logs = List.of();
    List<NDArray> terms = new ArrayList<>();
    if (weights.idLambda() > 0) {
      DjlTensorOps idOps = new DjlTensorOps(call, idParams);
      SimilarityTerms<NDArray> t = idLoss.forward(idOps, yHat, detached(call, y), detached(call, x));
      logs = similarity(t, dict, "loss_id");
      terms.add(ops.scale(t.loss(), weights.idLambda()));
    }
    if (weights.l2Lambda() > 0) {
      terms.add(term(ops, dict, "loss_l2", L2Loss.whole().forward(ops, yHat, y), weights.l2Lambda()));
    }
    DjlTensorOps lpipsOps = new DjlTensorOps(call, lpipsParams);
    if (weights.lpipsLambda() > 0) {
      terms.add(term(ops, dict, "loss_lpips", lpips.forward(lpipsOps, yHat, y), weights.lpipsLambda()));
    }
    if (weights.lpipsLambdaCrop() > 0) {
      NDArray d = lpips.forward(lpipsOps, crop.apply(ops, yHat), crop.apply(ops, y));
      terms.add(term(ops, dict, "loss_lpips_crop", d, weights.lpipsLambdaCrop()));
    }
    if (weights.l2LambdaCrop() > 0) {
      NDArray d = L2Loss.cropped(crop).forward(ops, yHat, y);
      terms.add(term(ops, dict, "loss_l2_crop", d, weights.l2LambdaCrop()));
    }
    if (weights.wNormLambda() > 0) {
      NDArray d = new WNormLoss(startFromLatentAvg).forward(ops, latent, latentAvg);
      terms.add(term(ops, dict, "loss_w_norm", d, weights.wNormLambda()));
    }
    if (weights.mocoLambda() > 0) {
      DjlTensorOps mocoOps = new DjlTensorOps(call, mocoParams);
      SimilarityTerms<NDArray> t = mocoLoss.forward(mocoOps, yHat, detached(call, y), detached(call, x));
      logs = similarity(t, dict, "loss_moco");
      terms.add(ops.scale(t.loss(), weights.mocoLambda()));
    }
    NDArray total = terms.isEmpty() ? ops.constant(new float[] {0f}) : terms.get(0);
    for (int i = 1; i < terms.size(); i++) {
      total = ops.add(total, terms.get(i));
    }
    dict.put("loss", (double) total.getFloat());
    return new Result(total, Collections.unmodifiableMap(dict), logs);
  }

  private static NDArray term(DjlTensorOps ops, Map<String, Double> dict, String key, NDArray value,
      double lambda) {
    dict.put(key, (double) value.getFloat());
    return ops.scale(value, lambda);
  }

  /** Puts the loss and {@code id_improve} into the dict and returns the per-sample logs. */
  private static List<SampleSimilarity> similarity(SimilarityTerms<NDArray> t, Map<String, Double> dict,
      String key) {
    float[] target = t.diffTarget().toFloatArray();
    float[] input = t.diffInput().toFloatArray();
    float[] views = t.diffViews().toFloatArray();
    dict.put(key, (double) t.loss().getFloat());
    dict.put("id_improve", SimilarityTerms.improvement(target, views));
    List<SampleSimilarity> logs = new ArrayList<>(target.length);
    for (int i = 0; i < target.length; i++) {
      logs.add(new SampleSimilarity(target[i], input[i], views[i]));
    }
    return List.copyOf(logs);
  }

  private static NDArray detached(NDManager call, NDArray a) {
    NDArray d = a.stopGradient();
    d.attach(call);
    return d;
  }

  /** Frees the loss networks' weights. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      manager.close();
    }
  }

  @Override
  public String toString() {
    return "PspLoss(" + weights + ", start_from_latent_avg=" + startFromLatentAvg + ", crop=" + crop
        + (lpips != null ? ", " + lpips : "") + (idLoss != null ? ", " + idLoss : "")
        + (mocoLoss != null ? ", " + mocoLoss : "") + ")";
  }

  /** Collects the loss networks a {@link LossWeights} needs. Not thread-safe. */
  public static final class Builder {
    private final LossWeights weights;
    private boolean startFromLatentAvg = true;
    private CropBox crop = CropBox.OFFICIAL;
    private Lpips lpips;
    private Map<String, TensorData> lpipsWeights;
    private IdLoss idLoss;
    private Map<String, TensorData> idWeights;
    private MocoLoss mocoLoss;
    private Map<String, TensorData> mocoWeights;

    private Builder(LossWeights weights) {
      this.weights = Objects.requireNonNull(weights, "weights");
    }

    /** The official {@code start_from_latent_avg} option for the W-norm (default true). */
    public Builder optStartFromLatentAvg(boolean start) {
      this.startFromLatentAvg = start;
      return this;
    }

    /** The crop of the {@code *_crop} terms (default {@link CropBox#OFFICIAL}). */
    public Builder optCrop(CropBox crop) {
      this.crop = Objects.requireNonNull(crop, "crop");
      return this;
    }

    /** The LPIPS network (the official Coach uses AlexNet) and its weights (LPIPS keys). */
    public Builder optLpips(Lpips lpips, Map<String, TensorData> weights) {
      this.lpips = Objects.requireNonNull(lpips, "lpips");
      this.lpipsWeights = Map.copyOf(weights);
      return this;
    }

    /** The ID loss and its network's weights ({@code model_ir_se50.pth} keys). */
    public Builder optIdLoss(IdLoss idLoss, Map<String, TensorData> weights) {
      this.idLoss = Objects.requireNonNull(idLoss, "idLoss");
      this.idWeights = Map.copyOf(weights);
      return this;
    }

    /** The MoCo loss and its network's weights (torchvision resnet50 keys). */
    public Builder optMocoLoss(MocoLoss mocoLoss, Map<String, TensorData> weights) {
      this.mocoLoss = Objects.requireNonNull(mocoLoss, "mocoLoss");
      this.mocoWeights = Map.copyOf(weights);
      return this;
    }

    /**
     * The loss, its weights copied into a sub-manager of {@code parent}.
     *
     * @throws IllegalStateException if a term with lambda &gt; 0 has no network
     */
    public PspLoss build(NDManager parent) {
      if (weights.needsLpips() && lpips == null) {
        throw new IllegalStateException("lpips_lambda or lpips_lambda_crop > 0 needs an LPIPS network;"
            + " call optLpips");
      }
      if (weights.idLambda() > 0 && idLoss == null) {
        throw new IllegalStateException("id_lambda > 0 needs the ID network; call optIdLoss");
      }
      if (weights.mocoLambda() > 0 && mocoLoss == null) {
        throw new IllegalStateException("moco_lambda > 0 needs the MoCo network; call optMocoLoss");
      }
      return new PspLoss(this, Objects.requireNonNull(parent, "parent"));
    }
  }
}
