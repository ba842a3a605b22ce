package dev.psp.training.loss;

import dev.psp.CheckpointFormatException;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import dev.psp.nn.TensorOps;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The MoCo-based similarity loss of pSp (criteria/moco_loss.py; MoCo v2, Chen et al., "Improved
 * Baselines with Momentum Contrastive Learning", 2020): each image is resized to 224×224 with
 * nearest-neighbour interpolation, embedded by the ResNet-50 query encoder without its head, and
 * L2-normalised ({@code F.normalize}, eps 1e-12); the loss is {@code mean_i(1 − ⟨f(ŷ_i), f(y_i)⟩)}.
 * Callers should pass y and x without gradients (the official code detaches f(y)). Eval mode only.
 * Immutable and thread-safe.
 */
public final class MocoLoss {
  /** The size images are resized to. */
  public static final int INPUT_SIZE = 224;
  private static final String PREFIX = "module.encoder_q.";
  private static final float NORMALIZE_EPS = 1e-12f;

  private final ResNet50 net;

  /** The loss on {@code net}. */
  public MocoLoss(ResNet50 net) {
    this.net = Objects.requireNonNull(net, "net");
  }

  /**
   * The query encoder's weights from a MoCo training checkpoint ({@code moco_v2_800ep_pretrain.pth.tar}):
   * the entries of its {@code state_dict} under {@code module.encoder_q.}, without the projection head
   * ({@code module.encoder_q.fc.*}), with the prefix removed — the keys of torchvision's resnet50.
   *
   * @throws CheckpointFormatException if the file cannot be read or holds no query-encoder weights
   */
  public static Map<String, TensorData> loadWeights(Path mocoCheckpoint) throws CheckpointFormatException {
    try (Checkpoint c = CheckpointReader.read(mocoCheckpoint)) {
      Map<String, TensorData> out = queryEncoder(c.stateDict());
      if (out.isEmpty()) {
        throw new CheckpointFormatException(mocoCheckpoint + ": its state_dict has no '" + PREFIX
            + "*' entries; pass a MoCo v2 training checkpoint such as moco_v2_800ep_pretrain.pth.tar");
      }
      return out;
    }
  }

  /** The renaming of {@link #loadWeights} on a state_dict in memory. */
  public static Map<String, TensorData> queryEncoder(Map<String, TensorData> mocoStateDict) {
    Map<String, TensorData> out = new LinkedHashMap<>();
    mocoStateDict.forEach((k, v) -> {
      if (k.startsWith(PREFIX) && !k.startsWith(PREFIX + "fc")) {
        out.put(k.substring(PREFIX.length()), v);
      }
    });
    return out;
  }

  /** The network. */
  public ResNet50 network() {
    return net;
  }

  /** Unit features {@code [B,D]} of images {@code [B,3,H,W]} (moco_loss.extract_feats). */
  public <T> T features(TensorOps<T> ops, T image) {
    return ops.scoped(() -> {
      T f = net.forward(ops, NearestResize.resize(ops, image, INPUT_SIZE, INPUT_SIZE));
      T norm = ops.sqrt(ops.sum(ops.mul(f, f), new int[] {1}, true));
      return ops.div(f, ops.maximum(norm, ops.constant(new float[] {NORMALIZE_EPS})));
    });
  }

  /** The loss and logs for output ŷ, target y and input x (all {@code [B,3,H,W]}). */
  public <T> SimilarityTerms<T> forward(TensorOps<T> ops, T yHat, T y, T x) {
    T fx = features(ops, x);
    T fy = features(ops, y);
    T fyHat = features(ops, yHat);
    return SimilarityTerms.of(ops, fyHat, fy, fx);
  }

  @Override
  public String toString() {
    return "MocoLoss(" + net + ")";
  }
}
