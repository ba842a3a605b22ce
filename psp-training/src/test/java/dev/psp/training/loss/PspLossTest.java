package dev.psp.training.loss;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.TensorData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The calc_loss combination against the official Coach.calc_loss with the same loss networks: the
 * loss_dict (keys, order, values) and the gradients of the total loss with respect to ŷ and the
 * latent code, for an ID configuration (every term but MoCo) and a MoCo configuration.
 */
class PspLossTest {

  @Test
  void idConfigurationMatchesTheOfficialCalcLoss() throws Exception {
    check("calc_id");
  }

  @Test
  void mocoConfigurationMatchesTheOfficialCalcLoss() throws Exception {
    check("calc_moco");
  }

  private static LossWeights lambdas(String name) {
    return new LossWeights(opt(name, "l2_lambda"), opt(name, "lpips_lambda"), opt(name, "id_lambda"),
        opt(name, "w_norm_lambda"), opt(name, "lpips_lambda_crop"), opt(name, "l2_lambda_crop"),
        opt(name, "moco_lambda"));
  }

  private static double opt(String name, String key) {
    return LossFixtures.expected(name + ".opts." + key);
  }

  private static void check(String name) throws Exception {
    LossWeights lambdas = lambdas(name);
    Map<String, TensorData> lpipsW = LpipsTest.weights(LpipsNet.ALEX);
    Map<String, TensorData> idW = SimilarityLossTest.idWeights();
    Map<String, TensorData> mocoW = SimilarityLossTest.mocoWeights();
    try (NDManager root = LossFixtures.manager();
        PspLoss loss = PspLoss.builder(lambdas)
            .optLpips(Lpips.fromWeights(LpipsNet.ALEX, lpipsW), lpipsW)
            .optIdLoss(new IdLoss(IdBackbone.fromWeights(idW)), idW)
            .optMocoLoss(new MocoLoss(ResNet50.fromWeights(mocoW)), mocoW)
            .build(root);
        NDManager call = root.newSubManager();
        GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
      DjlTensorOps ops = new DjlTensorOps(call, Map.of());
      NDArray yHatBase = DjlTensorOps.toNDArray(call, LossFixtures.npy("y_hat_base"));
      NDArray latent = DjlTensorOps.toNDArray(call, LossFixtures.npy("latent"));
      yHatBase.setRequiresGradient(true);
      latent.setRequiresGradient(true);
      NDArray x = LossFixtures.up8(ops, DjlTensorOps.toNDArray(call, LossFixtures.npy("x_base")));
      NDArray y = LossFixtures.up8(ops, DjlTensorOps.toNDArray(call, LossFixtures.npy("y_base")));
      NDArray latentAvg = DjlTensorOps.toNDArray(call, LossFixtures.npy("latent_avg"));

      PspLoss.Result r = loss.compute(call, x, y, LossFixtures.up8(ops, yHatBase), latent, latentAvg);
      System.gc();
      gc.backward(r.loss());

      List<String> keys = LossFixtures.expectedKeys(name).stream().filter(k -> !k.startsWith("opts.")).toList();
      assertThat(r.lossDict().keySet()).containsExactlyElementsOf(keys);
      for (String k : keys) {
        if (k.equals("id_improve")) {
          LossFixtures.assertSimilarity(name + " " + k, r.lossDict().get(k), name + "." + k);
        } else {
          LossFixtures.assertValue(name + " " + k, r.lossDict().get(k), name + "." + k);
        }
      }
      assertThat(r.loss().getFloat()).isEqualTo(r.lossDict().get("loss").floatValue());
      assertThat(r.similarityLogs()).hasSize(2);
      LossFixtures.assertGradient(name + " d/d y_hat", yHatBase.getGradient().toFloatArray(), name + "_grad");
      LossFixtures.assertGradient(name + " d/d latent", latent.getGradient().toFloatArray(),
          name + "_grad_latent");
    }
  }

  @Test
  void lambdasFollowTheOfficialOptions() {
    assertThatThrownBy(() -> new LossWeights(1, 0.8, 0.1, 0, 0, 0, 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Both ID and MoCo loss");
    assertThatThrownBy(() -> new LossWeights(-1, 0.8, 0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("l2_lambda");
    assertThat(LossWeights.fromOpts(Map.of())).isEqualTo(LossWeights.DEFAULTS);
    LossWeights w = LossWeights.fromOpts(Map.of("id_lambda", 0.1, "w_norm_lambda", 0.005, "lpips_lambda",
        0.8, "l2_lambda", 1L));
    assertThat(w).isEqualTo(new LossWeights(1, 0.8, 0.1, 0.005, 0, 0, 0));
    assertThat(LossWeights.fromOpts(w.toOpts())).isEqualTo(w);
    assertThatThrownBy(() -> LossWeights.fromOpts(Map.of("id_lambda", "x")))
        .hasMessageContaining("id_lambda");
  }

  @Test
  void eachTermNeedsItsNetworkAndNoTermsGiveZero() {
    try (NDManager root = LossFixtures.manager()) {
      assertThatThrownBy(() -> PspLoss.builder(LossWeights.DEFAULTS).build(root))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("optLpips");
      assertThatThrownBy(() -> PspLoss.builder(new LossWeights(1, 0, 0.1, 0, 0, 0, 0)).build(root))
          .hasMessageContaining("optIdLoss");
      try (PspLoss none = PspLoss.builder(new LossWeights(0, 0, 0, 0, 0, 0, 0)).build(root);
          NDManager call = root.newSubManager()) {
        NDArray img = call.zeros(new ai.djl.ndarray.types.Shape(1, 3, 8, 8));
        PspLoss.Result r = none.compute(call, img, img, img, null, null);
        assertThat(r.loss().getFloat()).isZero();
        assertThat(r.lossDict()).containsOnlyKeys("loss");
        none.close();
        assertThatThrownBy(() -> none.compute(call, img, img, img, null, null))
            .isInstanceOf(IllegalStateException.class);
      }
    }
  }
}
