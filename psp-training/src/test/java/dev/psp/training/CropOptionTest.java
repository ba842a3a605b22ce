package dev.psp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.djl.DjlTensorOps;
import dev.psp.djl.PyTorchEngine;
import dev.psp.training.testing.Directional;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sdk_crop} moves the box of the official {@code l2_lambda_crop} term. */
class CropOptionTest {
  private static final int S = 256;

  private static Map<String, Double> values(String crop, float[] y, float[] yHat) throws Exception {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("output_size", 16L);
    o.put("lpips_lambda", 0.0);
    o.put("l2_lambda", 0.0);
    o.put("l2_lambda_crop", 2.0);
    if (crop != null) {
      o.put("sdk_crop", crop);
    }
    try (Criteria.Owned criterion = Criteria.fromOptions(TrainOptions.of(o));
        NDManager m = PyTorchEngine.djl().newBaseManager()) {
      NDArray a = m.create(y, new Shape(1, 3, S, S));
      NDArray b = m.create(yHat, new Shape(1, 3, S, S));
      return criterion.compute(new DjlTensorOps(m, Map.of()), a, a, b, m.zeros(new Shape(1, 4, 32)), null).values();
    }
  }

  /** The mean squared difference over rows [top, bottom) and columns [left, right), in double. */
  private static double mse(float[] y, float[] yHat, int top, int bottom, int left, int right) {
    double sum = 0;
    for (int c = 0; c < 3; c++) {
      for (int r = top; r < bottom; r++) {
        for (int col = left; col < right; col++) {
          double d = yHat[(c * S + r) * S + col] - y[(c * S + r) * S + col];
          sum += d * d;
        }
      }
    }
    return sum / (3.0 * (bottom - top) * (right - left));
  }

  @Test
  void theCroppedL2ReadsTheGivenBoxOfTheImages() throws Exception {
    float[] y = Directional.clippedGaussian(3 * S * S, 11);
    float[] yHat = Directional.clippedGaussian(3 * S * S, 12);
    // a band where the two differ far more than elsewhere, inside the eye box but outside most of the official one
    for (int c = 0; c < 3; c++) {
      for (int r = 80; r < 100; r++) {
        for (int col = 50; col < 210; col++) {
          yHat[(c * S + r) * S + col] += 3f;
        }
      }
    }
    Map<String, Double> eyes = values("77,141,51,205", y, yHat);
    Map<String, Double> official = values(null, y, yHat);
    assertThat(eyes.get("loss_l2_crop")).isCloseTo(mse(y, yHat, 77, 141, 51, 205), within(1e-5));
    assertThat(official.get("loss_l2_crop")).isCloseTo(mse(y, yHat, 35, 223, 32, 220), within(1e-5));
    assertThat(eyes.get("loss_l2_crop")).isGreaterThan(1.5 * official.get("loss_l2_crop"));
    assertThat(eyes.get("loss")).isCloseTo(2 * eyes.get("loss_l2_crop"), within(1e-5));
    assertThat(values("35, 223, 32, 220", y, yHat).get("loss_l2_crop")).isEqualTo(official.get("loss_l2_crop"));
  }

  @Test
  void aBoxThatIsNotFourIntegersInsideTheImageIsRefusedByName() {
    float[] y = new float[3 * S * S];
    assertThatThrownBy(() -> values("77,141,51", y, y)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sdk_crop").hasMessageContaining("top,bottom,left,right").hasMessageContaining("35,223,32,220");
    assertThatThrownBy(() -> values("77,141,51,x", y, y)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sdk_crop").hasMessageContaining("four integers");
    assertThatThrownBy(() -> values("0,300,0,10", y, y)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reaches past the 256-px image");
    assertThatThrownBy(() -> values("141,77,51,205", y, y)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sdk_crop").hasMessageContaining("top < bottom");
  }
}
