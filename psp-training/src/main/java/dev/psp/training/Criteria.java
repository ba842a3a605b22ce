package dev.psp.training;

import ai.djl.ndarray.NDManager;
import dev.psp.PspException;
import dev.psp.io.TensorData;
import dev.psp.training.loss.CropBox;
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
import dev.psp.training.loss.FeatureMatchingLoss;
import dev.psp.training.loss.FeatureNetwork;
import dev.psp.training.parser.FaceParser;
import dev.psp.training.parser.FaceParserCheckpoint;
import dev.psp.training.parser.LabelConsistencyLoss;
import java.util.ArrayList;
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
 * <p>The SDK adds two {@link FeatureMatchingLoss} terms on networks it trains itself: {@code
 * sdk_d_features_lambda} ({@code loss_d_features}) on the discriminator of a StyleGAN2 checkpoint
 * written by {@code psp train-stylegan}, {@code sdk_discriminator} or {@code stylegan_weights} when
 * that is unset; {@code sdk_parser_lambda} ({@code loss_parser}) on the face parser of {@code
 * sdk_parser}, written by {@code psp train-parser}. {@code sdk_crop} moves the box of the official
 * {@code *_crop} terms (for example to the eyes, where glasses are a few pixels of the whole face).
 * For segmentation, {@code sdk_parser_labels_lambda} ({@code loss_parser_labels}) asks that parser to
 * read the input label map back from the output ({@link LabelConsistencyLoss}).
 */
public final class Criteria {
  private Criteria() {}

  /** A criterion and the loss networks it owns; close it after training. */
  public static final class Owned implements Criterion, AutoCloseable {
    private final PspLoss loss;
    private final NDManager ownManager;
    private final List<FeatureTerm> terms;
    private final LabelTerm labels;

    private Owned(PspLoss loss, NDManager ownManager, List<FeatureTerm> terms, LabelTerm labels) {
      this.loss = loss;
      this.ownManager = ownManager;
      this.terms = List.copyOf(terms);
      this.labels = labels;
    }

    @Override
    public Result compute(DjlTensorOps ops, ai.djl.ndarray.NDArray x, ai.djl.ndarray.NDArray y,
        ai.djl.ndarray.NDArray yHat, ai.djl.ndarray.NDArray latent, ai.djl.ndarray.NDArray latentAvg) {
      PspLoss.Result r = loss.compute(ops.manager(), x, y, yHat, latent, latentAvg);
      if (terms.isEmpty() && labels == null) {
        return new Result(r.loss(), r.lossDict());
      }
      ai.djl.ndarray.NDArray total = r.loss();
      Map<String, Double> values = new LinkedHashMap<>(r.lossDict());
      values.remove("loss");
      for (FeatureTerm t : terms) {
        ai.djl.ndarray.NDArray term = t.compute(ops.manager(), y, yHat);
        total = total.add(term.mul(ops.manager().create((float) t.lambda())));
        values.put(t.name(), (double) term.getFloat());
      }
      if (labels != null) {
        ai.djl.ndarray.NDArray term = labels.loss().forward(new DjlTensorOps(ops.manager(), labels.params()), x, yHat);
        total = total.add(term.mul(ops.manager().create((float) labels.lambda())));
        values.put("loss_parser_labels", (double) term.getFloat());
      }
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
      terms.forEach(t -> t.weights().close());
      if (labels != null) {
        labels.weights().close();
      }
      if (ownManager != null) {
        ownManager.close(); // idempotent
      }
    }
  }

  /** A feature-matching term: its loss name, weight, loss and the network's weights (no gradients). */
  private record FeatureTerm(String name, double lambda, FeatureMatchingLoss loss, NDManager weights,
      Map<String, ai.djl.ndarray.NDArray> params) {
    ai.djl.ndarray.NDArray compute(NDManager call, ai.djl.ndarray.NDArray y, ai.djl.ndarray.NDArray yHat) {
      DjlTensorOps ops = new DjlTensorOps(call, params);
      List<ai.djl.ndarray.NDArray> target = DjlTensorOps.withoutGrad(() -> loss.features(ops, y));
      return loss.forward(ops, yHat, target);
    }
  }

  /** The label-consistency term: its weight, loss and the parser's weights (no gradients). */
  private record LabelTerm(double lambda, LabelConsistencyLoss loss, NDManager weights,
      Map<String, ai.djl.ndarray.NDArray> params) {}

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
      return owned(build(opts, m), m, opts, m);
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
      return owned(loss, null, opts, parent);
    } catch (java.io.IOException | PspException | RuntimeException e) {
      loss.close();
      throw e;
    }
  }

  private static Owned owned(PspLoss loss, NDManager own, TrainOptions opts, NDManager parent)
      throws java.io.IOException, PspException {
    List<FeatureTerm> terms = featureTerms(opts, parent);
    try {
      return new Owned(loss, own, terms, labelTerm(opts, parent));
    } catch (java.io.IOException | PspException | RuntimeException e) {
      terms.forEach(t -> t.weights().close());
      throw e;
    }
  }

  private static PspLoss build(TrainOptions opts, NDManager parent) throws java.io.IOException, PspException {
    LossWeights w = LossWeights.fromOpts(opts.asMap());
    PspLoss.Builder b = PspLoss.builder(w).optStartFromLatentAvg(opts.bool("start_from_latent_avg"));
    if (opts.string("sdk_crop") != null) {
      try {
        b.optCrop(CropBox.parse(opts.string("sdk_crop")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("sdk_crop: " + e.getMessage(), e);
      }
    }
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

  private static List<FeatureTerm> featureTerms(TrainOptions opts, NDManager parent)
      throws java.io.IOException, PspException {
    List<FeatureTerm> terms = new ArrayList<>();
    try {
      FeatureTerm d = discriminatorTerm(opts, parent);
      if (d != null) {
        terms.add(d);
      }
      FeatureTerm p = parserTerm(opts, parent);
      if (p != null) {
        terms.add(p);
      }
      return terms;
    } catch (java.io.IOException | PspException | RuntimeException e) {
      terms.forEach(t -> t.weights().close());
      throw e;
    }
  }

  private static double lambda(TrainOptions opts, String key) {
    double lambda = opts.get(key) == null ? 0 : opts.doubleOpt(key);
    if (!(lambda >= 0)) {
      throw new IllegalArgumentException(key + " must be >= 0, got " + lambda);
    }
    return lambda;
  }

  private static FeatureTerm discriminatorTerm(TrainOptions opts, NDManager parent)
      throws java.io.IOException, PspException {
    double lambda = lambda(opts, "sdk_d_features_lambda");
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
    return term("loss_d_features", lambda, gan.config().discriminator(), gan.d(), file, parent);
  }

  private static FeatureTerm parserTerm(TrainOptions opts, NDManager parent) throws java.io.IOException, PspException {
    double lambda = lambda(opts, "sdk_parser_lambda");
    if (lambda == 0) {
      return null;
    }
    Path file = file(opts, "sdk_parser", "sdk_parser_lambda");
    FaceParserCheckpoint parser = parser(file, "sdk_parser_lambda");
    return term("loss_parser", lambda, parser.parser(), parser.stateDict(), file, parent);
  }

  private static LabelTerm labelTerm(TrainOptions opts, NDManager parent) throws java.io.IOException, PspException {
    double lambda = lambda(opts, "sdk_parser_labels_lambda");
    if (lambda == 0) {
      return null;
    }
    if (opts.task() != dev.psp.TranslationTask.SEGMENTATION_TO_FACE) {
      throw new IllegalArgumentException("sdk_parser_labels_lambda compares the output's labels with the input label"
          + " map, so it is for segmentation-to-face; this task is " + opts.task() + ": set sdk_parser_labels_lambda=0");
    }
    if (opts.intOpt("label_nc") != FaceParser.CLASSES) {
      throw new IllegalArgumentException("sdk_parser_labels_lambda needs the face parser's " + FaceParser.CLASSES
          + " classes as input labels, but label_nc is " + opts.intOpt("label_nc"));
    }
    Path file = file(opts, "sdk_parser", "sdk_parser_labels_lambda");
    FaceParserCheckpoint parser = parser(file, "sdk_parser_labels_lambda");
    requireDividesImages(parser.parser(), file);
    NDManager weights = parent.newSubManager();
    try {
      return new LabelTerm(lambda, new LabelConsistencyLoss(parser.parser()), weights,
          DjlTensorOps.toNDArrays(weights, parser.stateDict()));
    } catch (RuntimeException e) {
      weights.close();
      throw e;
    }
  }

  private static FaceParserCheckpoint parser(Path file, String lambda) throws PspException {
    try {
      return FaceParserCheckpoint.read(file);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(lambda + " needs a face parser written by psp train-parser: "
          + e.getMessage() + ". Give one with sdk_parser=<file>, or set " + lambda + "=0", e);
    }
  }

  /** Refuses a network whose input size does not divide the 256-px images training compares. */
  static void requireDividesImages(FeatureNetwork network, Path file) {
    if (dev.psp.Encoder.INPUT_SIZE % network.size() != 0) {
      throw new IllegalArgumentException("the " + network.kind() + " of " + file + " reads " + network.size()
          + "-px images, which do not divide the " + dev.psp.Encoder.INPUT_SIZE + "-px training outputs; use one"
          + " trained at a power-of-two size up to " + dev.psp.Encoder.INPUT_SIZE);
    }
  }

  private static FeatureTerm term(String name, double lambda, FeatureNetwork network,
      Map<String, TensorData> weightsOnHost, Path file, NDManager parent) {
    requireDividesImages(network, file);
    NDManager weights = parent.newSubManager();
    try {
      Map<String, ai.djl.ndarray.NDArray> params = DjlTensorOps.toNDArrays(weights, weightsOnHost);
      return new FeatureTerm(name, lambda, new FeatureMatchingLoss(network), weights, params);
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
