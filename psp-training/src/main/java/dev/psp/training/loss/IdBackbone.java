package dev.psp.training.loss;

import dev.psp.CheckpointFormatException;
import dev.psp.ModelMismatchException;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import dev.psp.nn.Architecture;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.nn.encoder.BatchNorm2d;
import dev.psp.nn.encoder.IRSE50Body;
import dev.psp.nn.encoder.InputLayer;
import dev.psp.nn.encoder.Linear;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The ArcFace face-recognition network of the ID loss, {@code model_irse.Backbone(112, 50,
 * mode='ir_se', drop_ratio=0.6)} (Deng et al., "ArcFace", CVPR 2019): the pSp encoder's {@code
 * input_layer} and IR-SE {@code body} (psp-api's {@link InputLayer} and {@link IRSE50Body}), then
 * {@code output_layer} = BatchNorm2d → Dropout (the identity in eval mode) → Flatten → Linear(C·7·7,
 * E) → BatchNorm1d(E), and L2 normalisation. Takes 112×112 RGB faces; gives unit embeddings {@code
 * [B,E]} (E = 512 officially).
 *
 * <p>Keys are those of {@code model_ir_se50.pth}, in its order: {@code input_layer.*}, {@code
 * output_layer.0.*} (BatchNorm2d), {@code output_layer.3.*} (Linear), {@code output_layer.4.*}
 * (BatchNorm1d, computed as psp-api's BatchNorm2d on a {@code [B,E,1,1]} view: the same keys and the
 * same eval-mode arithmetic), {@code body.*}. Eval mode only. Immutable and thread-safe.
 */
public final class IdBackbone implements Layer {
  /** The input size ({@code input_size=112}). */
  public static final int INPUT_SIZE = 112;
  private static final int FINAL_SIZE = INPUT_SIZE / 16;

  private final Architecture arch;
  private final int embeddingDim;
  private final InputLayer inputLayer;
  private final IRSE50Body body;
  private final BatchNorm2d outBn;
  private final Linear outLinear;
  private final BatchNorm2d outBn1d;

  /** The official network: IR-SE-50 widths and units, 512-dimensional embeddings. */
  public static IdBackbone official() {
    return new IdBackbone(Architecture.OFFICIAL, 512);
  }

  /**
   * A network with the widths and units of {@code arch} (its mapping depth is irrelevant here) and
   * {@code embeddingDim}-dimensional embeddings.
   */
  public IdBackbone(Architecture arch, int embeddingDim) {
    if (embeddingDim < 1) {
      throw new IllegalArgumentException("embedding dimension must be positive, got " + embeddingDim);
    }
    this.arch = arch;
    this.embeddingDim = embeddingDim;
    int[] w = arch.bodyWidths();
    this.inputLayer = new InputLayer("input_layer.", 3, w[0]);
    this.body = new IRSE50Body("body.", arch);
    int c = body.outChannels();
    this.outBn = new BatchNorm2d("output_layer.0.", c);
    this.outLinear = new Linear("output_layer.3.", c * FINAL_SIZE * FINAL_SIZE, embeddingDim);
    this.outBn1d = new BatchNorm2d("output_layer.4.", embeddingDim);
  }

  /**
   * The network whose widths, units per stage and embedding size are read from {@code weights}
   * ({@code model_ir_se50.pth} keys), checked against them. Missing BatchNorm {@code
   * num_batches_tracked} entries (files saved before PyTorch 0.4.1 have none) are not required.
   *
   * @throws ModelMismatchException if the weights do not describe such a network
   */
  public static IdBackbone fromWeights(Map<String, TensorData> weights) throws ModelMismatchException {
    String context = "ID loss (model_ir_se50) weights";
    TensorData stem = require(weights, "input_layer.0.weight", context);
    TensorData linear = require(weights, "output_layer.3.weight", context);
    int stemWidth = Math.toIntExact(stem.dim(0));
    if (stemWidth < 1 || 64 % stemWidth != 0) {
      throw new ModelMismatchException(context, List.of("input_layer.0.weight has " + stemWidth
          + " output channels; expected 64 divided by a power of two"));
    }
    List<Integer> units = new ArrayList<>();
    long depth = -1;
    for (int i = 0; weights.containsKey("body." + i + ".res_layer.1.weight"); i++) {
      long d = weights.get("body." + i + ".res_layer.1.weight").dim(0);
      if (d != depth) {
        units.add(0);
        depth = d;
      }
      units.set(units.size() - 1, units.get(units.size() - 1) + 1);
    }
    Architecture arch;
    try {
      arch = new Architecture(64 / stemWidth, units, Architecture.OFFICIAL.nMlp());
    } catch (IllegalArgumentException e) {
      throw new ModelMismatchException(context, List.of("the body is not an IR-SE network of four "
          + "stages: " + e.getMessage()));
    }
    IdBackbone net = new IdBackbone(arch, Math.toIntExact(linear.dim(0)));
    net.stateDictSpec().check(BatchCounters.fillMissing(net, weights), context);
    return net;
  }

  private static TensorData require(Map<String, TensorData> w, String key, String context)
      throws ModelMismatchException {
    TensorData t = w.get(key);
    if (t == null) {
      throw new ModelMismatchException(context, List.of("missing key " + key));
    }
    return t;
  }

  /**
   * The state_dict of a {@code model_ir_se50.pth} file, read with the pure-Java checkpoint reader.
   *
   * @throws CheckpointFormatException if the file cannot be read as a state_dict
   */
  public static Map<String, TensorData> loadWeights(Path file) throws CheckpointFormatException {
    try (Checkpoint c = CheckpointReader.read(file)) {
      return c.stateDict();
    }
  }

  /** The widths and units of the IR-SE part. */
  public Architecture architecture() {
    return arch;
  }

  /** The embedding dimension E. */
  public int embeddingDim() {
    return embeddingDim;
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(inputLayer).add(outBn).add(outLinear).add(outBn1d).add(body);
  }

  /**
   * Unit embeddings {@code [B,E]} of faces x {@code [B,3,112,112]}.
   *
   * @throws IllegalStateException if {@code ops} is in training mode
   */
  public <T> T forward(TensorOps<T> ops, T x) {
    if (ops.training()) {
      throw new IllegalStateException("the ID loss network runs in eval mode only; give it TensorOps"
          + " that are not in training mode");
    }
    long[] s = ops.shape(x);
    if (s.length != 4 || s[1] != 3 || s[2] != INPUT_SIZE || s[3] != INPUT_SIZE) {
      throw new IllegalArgumentException("the ID network takes [B,3,112,112], got " + Arrays.toString(s));
    }
    T h = ops.scoped(() -> inputLayer.forward(ops, x));
    T features = body.forward(ops, h);
    return ops.scoped(() -> {
      long c = body.outChannels();
      T flat = ops.reshape(outBn.forward(ops, features), -1, c * FINAL_SIZE * FINAL_SIZE);
      T e = outLinear.forward(ops, flat);
      e = ops.reshape(outBn1d.forward(ops, ops.reshape(e, -1, embeddingDim, 1, 1)), -1, embeddingDim);
      T norm = ops.sqrt(ops.sum(ops.mul(e, e), new int[] {1}, true));
      return ops.div(e, norm);
    });
  }

  @Override
  public String toString() {
    return "Backbone(input_size=112, mode=ir_se, " + arch + ", embedding=" + embeddingDim + ")";
  }
}
