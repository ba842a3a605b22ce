package dev.psp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.djl.DjlTensorOps;
import dev.psp.djl.PyTorchEngine;
import dev.psp.training.gan.Discriminator;
import dev.psp.training.gan.StyleGan2Checkpoint;
import dev.psp.training.gan.StyleGan2Config;
import dev.psp.training.gan.StyleGan2Options;
import dev.psp.training.gan.StyleGan2Trainer;
import dev.psp.training.loss.FeatureMatchingLoss;
import dev.psp.training.testing.Directional;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The discriminator feature-matching loss ({@code sdk_d_features_lambda}): its value against a
 * float64 sum over the feature maps, the pooling of larger images, its gradient against finite
 * differences, and its place in the criterion.
 */
class DiscriminatorFeatureLossTest {
  private static final StyleGan2Config CONFIG = new StyleGan2Config(16, 32, 2);

  private static StyleGan2Checkpoint gan(Path file) throws Exception {
    try (StyleGan2Trainer t = StyleGan2Trainer.create(CONFIG, StyleGan2Options.defaults(4, 9))) {
      StyleGan2Checkpoint c = t.checkpoint();
      c.write(file);
      return c;
    }
  }

  private static float[] random(int n, long seed) {
    return Directional.clippedGaussian(n, seed);
  }

  @Test
  void isTheMeanOverFeatureMapsOfTheirMeanSquaredErrors(@TempDir Path dir) throws Exception {
    StyleGan2Checkpoint c = gan(dir.resolve("gan.pt"));
    Discriminator d = CONFIG.discriminator();
    FeatureMatchingLoss loss = new FeatureMatchingLoss(d);
    try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
      DjlTensorOps ops = new DjlTensorOps(m, DjlTensorOps.toNDArrays(m, c.d()));
      NDArray y = m.create(random(2 * 3 * 16 * 16, 1), new Shape(2, 3, 16, 16));
      NDArray yHat = m.create(random(2 * 3 * 16 * 16, 2), new Shape(2, 3, 16, 16));
      List<NDArray> fy = d.features(ops, y);
      List<NDArray> fh = d.features(ops, yHat);
      assertThat(fy).extracting(a -> a.getShape().get(2)).containsExactly(16L, 8L, 4L);
      double want = 0;
      for (int k = 0; k < fy.size(); k++) {
        float[] a = fh.get(k).toFloatArray();
        float[] b = fy.get(k).toFloatArray();
        double sq = 0;
        for (int i = 0; i < a.length; i++) {
          sq += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        }
        want += sq / a.length / fy.size();
      }
      double got = loss.forward(ops, yHat, loss.features(ops, y)).getFloat();
      assertThat(want).isGreaterThan(1e-3);
      assertThat(Math.abs(got - want)).isLessThanOrEqualTo(1e-5 * want);
      assertThat(loss.forward(ops, y, loss.features(ops, y)).getFloat()).isZero();
      // images larger than the discriminator are area-averaged to its size
      NDArray yBig = m.create(TrainingFixtures.repeat(random(2 * 3 * 16 * 16, 1), 2 * 3, 16, 4), new Shape(2, 3, 64, 64));
      NDArray yHatBig = m.create(TrainingFixtures.repeat(random(2 * 3 * 16 * 16, 2), 2 * 3, 16, 4), new Shape(2, 3, 64, 64));
      double pooled = loss.forward(ops, yHatBig, loss.features(ops, yBig)).getFloat();
      assertThat(Math.abs(pooled - got)).isLessThanOrEqualTo(1e-5 * want);
      NDArray odd = m.zeros(new Shape(1, 3, 24, 24));
      assertThatThrownBy(() -> loss.features(ops, odd)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("multiple of the discriminator's 16 px");
    }
  }

  @Test
  void addsItsWeightedTermToTheCriterionWithTheGradientOfItsValue(@TempDir Path dir) throws Exception {
    gan(dir.resolve("gan.pt"));
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("output_size", 16L);
    o.put("lpips_lambda", 0.0);
    o.put("l2_lambda", 1.0);
    o.put("stylegan_weights", dir.resolve("gan.pt").toString());
    o.put("sdk_d_features_lambda", 0.5);
    TrainOptions opts = TrainOptions.of(o);
    int n = 2 * 3 * 256 * 256;
    float[] yv = TrainingFixtures.repeat(random(2 * 3 * 16 * 16, 3), 2 * 3, 16, 16);
    float[] base = TrainingFixtures.repeat(random(2 * 3 * 16 * 16, 4), 2 * 3, 16, 16);
    float[] direction = TrainingFixtures.repeat(random(2 * 3 * 16 * 16, 5), 2 * 3, 16, 16);
    try (Criteria.Owned criterion = Criteria.fromOptions(opts);
        NDManager m = PyTorchEngine.djl().newBaseManager()) {
      NDArray y = m.create(yv, new Shape(2, 3, 256, 256));
      Map<String, Double> values = TrainingFixtures.checkedCriterionSlope(criterion, m, y, y, base, direction);
      assertThat(values).containsKeys("loss_l2", "loss_d_features", "loss");
      assertThat(values.get("loss")).isCloseTo(values.get("loss_l2") + 0.5 * values.get("loss_d_features"),
          org.assertj.core.data.Offset.offset(1e-6 * values.get("loss")));
    }
  }

  @Test
  void needsACheckpointWithADiscriminator(@TempDir Path dir) throws Exception {
    Path rosinality = TrainingFixtures.styleGan(dir, 1, true); // g_ema and latent_avg only
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("output_size", 16L);
    o.put("lpips_lambda", 0.0);
    o.put("stylegan_weights", rosinality.toString());
    o.put("sdk_d_features_lambda", 0.1);
    assertThatThrownBy(() -> Criteria.fromOptions(TrainOptions.of(o))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stylegan_weights").hasMessageContaining("sdk_discriminator=<file>");
    o.put("sdk_discriminator", dir.resolve("missing.pt").toString());
    assertThatThrownBy(() -> Criteria.fromOptions(TrainOptions.of(o))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sdk_discriminator").hasMessageContaining("does not exist");
    o.put("sdk_d_features_lambda", -1.0);
    assertThatThrownBy(() -> Criteria.fromOptions(TrainOptions.of(o))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be >= 0");
  }
}
