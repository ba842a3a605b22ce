package dev.psp.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The degradation against the official BicubicDownSample + torchvision pipeline (make_image_fixtures.py). */
class SuperResolutionTest {
  @ParameterizedTest
  @ValueSource(ints = {4, 16})
  void degradationMatchesTheOfficialPipeline(int factor) throws Exception {
    BufferedImage lr = SuperResolution.degrade(PreprocessingTest.image("rgb_down_411x333.png"), factor);
    long[] expected = PreprocessingTest.npy("superres_x" + factor + ".expected_u8.npy").toLongArray(); // HWC
    int[][] got = Planes.rgb(lr);
    int off = 0;
    int maxDiff = 0;
    for (int i = 0; i < 256 * 256; i++) {
      for (int c = 0; c < 3; c++) {
        int d = Math.abs(got[c][i] - (int) expected[i * 3 + c]);
        maxDiff = Math.max(maxDiff, d);
        if (d != 0) {
          off++;
        }
      }
    }
    // float32 convolutions summed in another order can move a value across an 8-bit truncation step
    assertThat(maxDiff).as("max 8-bit difference").isLessThanOrEqualTo(1);
    assertThat(off).as("values off by one").isLessThan(256 * 256 * 3 / 1000);
  }

  @Test
  void kernelIsTheNormalisedBicubic() {
    float[] k = SuperResolution.kernel(2);
    float sum = 0;
    for (float v : k) {
      sum += v;
    }
    assertThat(k).hasSize(8);
    assertThat(sum).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
    assertThat(k[3]).isEqualTo(k[4]).isGreaterThan(k[2]);
    assertThat(k[0]).isLessThan(0f);
  }

  @Test
  void rejectsOtherFactors() {
    assertThatThrownBy(() -> SuperResolution.degrade(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), 3))
        .hasMessageContaining("factor must be 1, 2, 4, 8, 16 or 32, got 3");
  }
}
