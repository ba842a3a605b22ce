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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * LPIPS on narrow AlexNet and VGG16 backbones against the official criteria.lpips.LPIPS with the
 * same weights, at 256 px (nearest-upsampled 32 px images, as pSp trains), on the official face
 * crop, and at 64 px with per-pixel gradients.
 */
class LpipsTest {

  static Map<String, TensorData> weights(LpipsNet net) throws Exception {
    return LpipsWeights.load(LossFixtures.path(net.netType() + "_features.pt"),
        LossFixtures.path("lpips_" + net.netType() + "_lin.pt"));
  }

  @Test
  void matchesTheOfficialLpipsOnUpsampledImagesAndTheFaceCrop() throws Exception {
    for (LpipsNet net : LpipsNet.values()) {
      Map<String, TensorData> w = weights(net);
      Lpips lpips = Lpips.fromWeights(net, w);
      try (NDManager root = LossFixtures.manager()) {
        Map<String, NDArray> params = DjlTensorOps.toNDArrays(root, w);
        NDArray yBase = DjlTensorOps.toNDArray(root, LossFixtures.npy("y_base"));
        for (boolean crop : net == LpipsNet.ALEX ? new boolean[] {false, true} : new boolean[] {false}) {
          String name = "lpips_" + net.netType() + (crop ? "_crop" : "");
          var r = LossFixtures.gradient(root, LossFixtures.npy("y_hat_base"), (call, base) -> {
            DjlTensorOps ops = new DjlTensorOps(call, params);
            NDArray yHat = LossFixtures.up8(ops, base);
            NDArray y = LossFixtures.up8(ops, yBase);
            return crop ? lpips.forward(ops, CropBox.OFFICIAL.apply(ops, yHat), CropBox.OFFICIAL.apply(ops, y))
                : lpips.forward(ops, yHat, y);
          });
          assertValue(name, r.value(), name);
          assertGradient(name, r.gradient(), name + "_grad");
        }
      }
    }
  }

  @Test
  void matchesTheOfficialLpipsPixelByPixelAt64() throws Exception {
    for (LpipsNet net : LpipsNet.values()) {
      Map<String, TensorData> w = weights(net);
      Lpips lpips = Lpips.fromWeights(net, w);
      String name = "lpips_" + net.netType() + "_64";
      try (NDManager root = LossFixtures.manager()) {
        Map<String, NDArray> params = DjlTensorOps.toNDArrays(root, w);
        NDArray y = DjlTensorOps.toNDArray(root, LossFixtures.npy("y_64"));
        var r = LossFixtures.gradient(root, LossFixtures.npy("y_hat_64"),
            (call, yHat) -> lpips.forward(new DjlTensorOps(call, params), yHat, y));
        assertValue(name, r.value(), name);
        assertGradient(name, r.gradient(), name + "_grad");
      }
    }
  }

  @Test
  void weightsGetTheOfficialLpipsKeysAndWidthsComeFromTheirShapes() throws Exception {
    Map<String, TensorData> w = weights(LpipsNet.ALEX);
    assertThat(w).containsKeys("net.mean", "net.std", "net.layers.0.weight", "net.layers.10.bias",
        "lin.0.1.weight", "lin.4.1.weight");
    assertThat(w.keySet()).noneMatch(k -> k.startsWith("features.") || k.contains("model."));
    assertThat(Lpips.fromWeights(LpipsNet.ALEX, w).stateDictSpec().keys()).containsExactlyElementsOf(w.keySet());
    // the narrow AlexNet of the fixtures: the official widths divided by 16
    assertThat(w.get("net.layers.3.weight").shape()).containsExactly(12, 4, 5, 5);
    assertThat(w.get("lin.2.1.weight").shape()).containsExactly(1, 24, 1, 1);

    // a full torchvision state_dict also holds the classifier, which is ignored
    Map<String, TensorData> tv = new LinkedHashMap<>(LossFixtures.stateDict("alex_features.pt"));
    tv.put("classifier.6.bias", TensorData.ofFloats(new float[10], 10));
    Map<String, TensorData> again = LpipsWeights.assemble(tv, LossFixtures.stateDict("lpips_alex_lin.pt"));
    assertThat(again.keySet()).containsExactlyElementsOf(w.keySet());
  }

  @Test
  void officialArchitecturesHaveTheTorchvisionWidths() {
    var alex = Lpips.official(LpipsNet.ALEX).stateDictSpec();
    assertThat(alex.get("net.layers.0.weight").shape()).containsExactly(64, 3, 11, 11);
    assertThat(alex.get("net.layers.3.weight").shape()).containsExactly(192, 64, 5, 5);
    assertThat(alex.get("net.layers.10.weight").shape()).containsExactly(256, 256, 3, 3);
    assertThat(alex.get("lin.2.1.weight").shape()).containsExactly(1, 384, 1, 1);
    assertThat(alex.size()).isEqualTo(2 + 10 + 5);
    var vgg = Lpips.official(LpipsNet.VGG16).stateDictSpec();
    assertThat(vgg.get("net.layers.2.weight").shape()).containsExactly(64, 64, 3, 3);
    assertThat(vgg.get("net.layers.28.weight").shape()).containsExactly(512, 512, 3, 3);
    assertThat(vgg.get("lin.4.1.weight").shape()).containsExactly(1, 512, 1, 1);
    assertThat(vgg.size()).isEqualTo(2 + 26 + 5);
  }

  @Test
  void mismatchedWeightsAreReportedWithTheKeys() throws Exception {
    Map<String, TensorData> w = new LinkedHashMap<>(weights(LpipsNet.ALEX));
    w.remove("lin.3.1.weight");
    assertThatThrownBy(() -> Lpips.fromWeights(LpipsNet.ALEX, w))
        .isInstanceOf(ModelMismatchException.class).hasMessageContaining("missing key lin.3.1.weight");
    assertThatThrownBy(() -> Lpips.fromWeights(LpipsNet.VGG16, weights(LpipsNet.ALEX)))
        .isInstanceOf(ModelMismatchException.class);
  }
}
