package dev.psp.training.loss;

import static dev.psp.training.loss.LossFixtures.assertGradient;
import static dev.psp.training.loss.LossFixtures.assertValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.psp.ModelMismatchException;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.TensorData;
import dev.psp.nn.Architecture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ID loss (narrow IR-SE ArcFace backbone) and the MoCo loss (narrow, short ResNet-50) against
 * the official IDLoss and MocoLoss with the same weights: loss, sim_improvement, per-sample logs and
 * d loss / d ŷ, on 256 px images.
 */
class SimilarityLossTest {
  private static final String[] LOGS = {"diff_target", "diff_input", "diff_views"};

  static Map<String, TensorData> idWeights() throws Exception {
    return IdBackbone.loadWeights(LossFixtures.path("model_ir_se50.pt"));
  }

  static Map<String, TensorData> mocoWeights() throws Exception {
    return MocoLoss.loadWeights(LossFixtures.path("moco_v2.pt"));
  }

  @Test
  void idLossMatchesTheOfficialLossLogsAndGradient() throws Exception {
    Map<String, TensorData> w = idWeights();
    IdLoss loss = new IdLoss(IdBackbone.fromWeights(w));
    check("id", w, (ops, yHat, y, x) -> loss.forward(ops, yHat, y, x));
  }

  @Test
  void mocoLossMatchesTheOfficialLossLogsAndGradient() throws Exception {
    Map<String, TensorData> w = mocoWeights();
    MocoLoss loss = new MocoLoss(ResNet50.fromWeights(w));
    check("moco", w, (ops, yHat, y, x) -> loss.forward(ops, yHat, y, x));
  }

  interface Similarity {
    SimilarityTerms<NDArray> apply(DjlTensorOps ops, NDArray yHat, NDArray y, NDArray x);
  }

  private static void check(String name, Map<String, TensorData> w, Similarity loss) {
    try (NDManager root = LossFixtures.manager()) {
      Map<String, NDArray> params = DjlTensorOps.toNDArrays(root, w);
      NDArray yBase = DjlTensorOps.toNDArray(root, LossFixtures.npy("y_base"));
      NDArray xBase = DjlTensorOps.toNDArray(root, LossFixtures.npy("x_base"));
      float[][] logs = new float[3][];
      var r = LossFixtures.gradient(root, LossFixtures.npy("y_hat_base"), (call, base) -> {
        DjlTensorOps ops = new DjlTensorOps(call, params);
        SimilarityTerms<NDArray> t = loss.apply(ops, LossFixtures.up8(ops, base),
            LossFixtures.up8(ops, yBase), LossFixtures.up8(ops, xBase));
        logs[0] = t.diffTarget().toFloatArray();
        logs[1] = t.diffInput().toFloatArray();
        logs[2] = t.diffViews().toFloatArray();
        return t.loss();
      });
      assertValue(name, r.value(), name);
      LossFixtures.assertSimilarity(name + " sim_improvement",
          SimilarityTerms.improvement(logs[0], logs[2]), name + ".improvement");
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < logs[k].length; i++) {
          LossFixtures.assertSimilarity(name + " " + LOGS[k] + "[" + i + "]", logs[k][i],
              name + "." + i + "." + LOGS[k]);
        }
      }
      assertGradient(name, r.gradient(), name + "_grad");
    }
  }

  @Test
  void idBackboneReadsItsArchitectureFromTheWeights() throws Exception {
    Map<String, TensorData> w = idWeights();
    IdBackbone net = IdBackbone.fromWeights(w);
    assertThat(net.architecture()).isEqualTo(new Architecture(16, List.of(1, 2, 1, 1), 8));
    assertThat(net.embeddingDim()).isEqualTo(32);
    // model_ir_se50.pth order: input_layer, output_layer, body
    assertThat(net.stateDictSpec().keys()).containsExactlyElementsOf(w.keySet());

    var official = IdBackbone.official().stateDictSpec();
    assertThat(official.get("output_layer.3.weight").shape()).containsExactly(512, 512 * 7 * 7);
    assertThat(official.get("body.23.res_layer.4.running_var").shape()).containsExactly(512);
    assertThat(official.get("body.24.res_layer.0.weight")).isNull();
  }

  @Test
  void weightFilesWithoutBatchCountersLoad() throws Exception {
    Map<String, TensorData> w = new LinkedHashMap<>(idWeights());
    w.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
    assertThat(IdBackbone.fromWeights(w).architecture().widthDivisor()).isEqualTo(16);
    Map<String, TensorData> broken = new LinkedHashMap<>(idWeights());
    broken.remove("output_layer.4.running_mean");
    assertThatThrownBy(() -> IdBackbone.fromWeights(broken)).isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("missing key output_layer.4.running_mean");
  }

  @Test
  void mocoWeightsAreTheQueryEncoderWithoutItsHead() throws Exception {
    Map<String, TensorData> raw = LossFixtures.stateDict("moco_v2.pt");
    assertThat(raw).containsKeys("module.encoder_q.fc.0.weight", "module.encoder_q.fc.2.bias",
        "module.queue");
    Map<String, TensorData> w = mocoWeights();
    assertThat(w.keySet()).allMatch(k -> !k.startsWith("module.") && !k.startsWith("fc."));
    ResNet50 net = ResNet50.fromWeights(w);
    assertThat(net.stateDictSpec().keys()).containsExactlyElementsOf(w.keySet());
    assertThat(net.featureDim()).isEqualTo(128);
    assertThat(net.toString()).contains("blocks [1, 2, 1, 1]");

    var official = ResNet50.official().stateDictSpec();
    assertThat(official.get("layer4.2.conv3.weight").shape()).containsExactly(2048, 512, 1, 1);
    assertThat(official.get("layer3.0.downsample.0.weight").shape()).containsExactly(1024, 512, 1, 1);
    assertThat(official.get("layer3.5.bn1.weight").shape()).containsExactly(256);
    assertThat(official.get("layer3.6.bn1.weight")).isNull();
    assertThat(official.parameterCount()).isEqualTo(25_557_032L - 2048 * 1000 - 1000);
  }

  @Test
  void lossNetworksRefuseTrainingMode() throws Exception {
    IdBackbone net = IdBackbone.fromWeights(idWeights());
    try (NDManager root = LossFixtures.manager()) {
      DjlTensorOps ops = new DjlTensorOps(root, Map.of()).training((k, v) -> { });
      NDArray faces = root.zeros(new ai.djl.ndarray.types.Shape(2, 3, 112, 112));
      assertThatThrownBy(() -> net.forward(ops, faces)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("eval mode");
    }
  }
}
