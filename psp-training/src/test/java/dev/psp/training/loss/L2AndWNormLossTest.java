package dev.psp.training.loss;

import static dev.psp.training.loss.LossFixtures.assertGradient;
import static dev.psp.training.loss.LossFixtures.assertValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.TensorData;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** L2 (whole and cropped) and W-norm against the official F.mse_loss and WNormLoss. */
class L2AndWNormLossTest {

  @Test
  void l2AndCroppedL2MatchTheOfficialValuesAndGradients() {
    try (NDManager root = LossFixtures.manager()) {
      NDArray yBase = DjlTensorOps.toNDArray(root, LossFixtures.npy("y_base"));
      for (L2Loss loss : new L2Loss[] {L2Loss.whole(), L2Loss.cropped(CropBox.OFFICIAL)}) {
        String name = loss.crop().isPresent() ? "l2_crop" : "l2";
        var r = LossFixtures.gradient(root, LossFixtures.npy("y_hat_base"), (call, base) -> {
          DjlTensorOps ops = new DjlTensorOps(call, Map.of());
          return loss.forward(ops, LossFixtures.up8(ops, base), LossFixtures.up8(ops, yBase));
        });
        assertValue(name, r.value(), name);
        assertGradient(name, r.gradient(), name + "_grad");
      }
    }
  }

  @Test
  void wNormMatchesTheOfficialValuesAndGradients() {
    try (NDManager root = LossFixtures.manager()) {
      NDArray avg = DjlTensorOps.toNDArray(root, LossFixtures.npy("latent_avg"));
      for (boolean start : new boolean[] {true, false}) {
        String name = start ? "w_norm" : "w_norm_no_avg";
        WNormLoss loss = new WNormLoss(start);
        var r = LossFixtures.gradient(root, LossFixtures.npy("latent"),
            (call, latent) -> loss.forward(new DjlTensorOps(call, Map.of()), latent, avg));
        assertValue(name, r.value(), name);
        assertGradient(name, r.gradient(), name + "_grad");
      }
    }
  }

  @Test
  void wNormOfTheAverageItselfIsZeroWithAFiniteGradient() {
    TensorData avg = LossFixtures.npy("latent_avg");
    float[] a = avg.toFloatArray();
    float[] twice = new float[2 * a.length];
    System.arraycopy(a, 0, twice, 0, a.length);
    System.arraycopy(a, 0, twice, a.length, a.length);
    TensorData latent = TensorData.ofFloats(twice, 2, avg.dim(0), avg.dim(1));
    try (NDManager root = LossFixtures.manager()) {
      NDArray avgArray = DjlTensorOps.toNDArray(root, avg);
      var r = LossFixtures.gradient(root, latent,
          (call, l) -> new WNormLoss(true).forward(new DjlTensorOps(call, Map.of()), l, avgArray));
      assertThat(r.value()).isLessThan(1e-18);
      for (float g : r.gradient()) {
        assertThat(g).isFinite();
      }
    }
  }

  @Test
  void cropBoxScalesTheOfficialBoxAndRejectsImagesItDoesNotFit() {
    assertThat(CropBox.scaledTo(256)).isEqualTo(CropBox.OFFICIAL);
    assertThat(CropBox.scaledTo(64)).isEqualTo(new CropBox(9, 56, 8, 55));
    assertThat(CropBox.scaledTo(1024)).isEqualTo(new CropBox(140, 892, 128, 880));
    try (NDManager root = LossFixtures.manager()) {
      NDArray small = root.zeros(new Shape(1, 3, 64, 64));
      DjlTensorOps ops = new DjlTensorOps(root, Map.of());
      assertThatThrownBy(() -> CropBox.OFFICIAL.apply(ops, small))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scaledTo");
      assertThat(CropBox.scaledTo(64).apply(ops, small).getShape().getShape())
          .containsExactly(1, 3, 47, 47);
    }
  }
}
