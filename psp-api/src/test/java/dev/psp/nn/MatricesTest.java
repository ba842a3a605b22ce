package dev.psp.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The constant pooling and interpolation matrices. */
class MatricesTest {

  @Test
  void adaptivePool16To7HasTheOverlappingOfficialWindows() {
    float[] m = AdaptiveAvgPool2d.windowMatrix(16, 7);
    int[][] windows = {{0, 3}, {2, 5}, {4, 7}, {6, 10}, {9, 12}, {11, 14}, {13, 16}};
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 16; j++) {
        boolean in = j >= windows[i][0] && j < windows[i][1];
        float want = in ? 1f / (windows[i][1] - windows[i][0]) : 0f;
        assertThat(m[i * 16 + j]).as("row %d col %d", i, j).isEqualTo(want);
      }
    }
  }

  @Test
  void bilinearAlignCornersReadsSourceCoordinateIScaled() {
    float[] m = BilinearResize.matrix(16, 32);
    // output 1 reads 15/31 between inputs 0 and 1
    assertThat((double) m[16 + 1]).isCloseTo(15.0 / 31, within(1e-6));
    assertThat((double) m[16]).isCloseTo(16.0 / 31, within(1e-6));
    // the corners are aligned
    assertThat(m[0]).isEqualTo(1f);
    assertThat(m[31 * 16 + 15]).isEqualTo(1f);
    for (int i = 0; i < 32; i++) {
      double sum = 0;
      for (int j = 0; j < 16; j++) {
        sum += m[i * 16 + j];
      }
      assertThat(sum).isCloseTo(1, within(1e-6));
    }
  }
}
