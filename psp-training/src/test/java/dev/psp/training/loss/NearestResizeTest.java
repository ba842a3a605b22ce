package dev.psp.training.loss;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.djl.DjlTensorOps;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The nearest-neighbour index rule. Its agreement with torch's F.interpolate for the sizes used here
 * is asserted by make_loss_references.py; the MoCo fixtures (256 → 224) and every ×8 upsampling of
 * the loss tests exercise it against the official outputs.
 */
class NearestResizeTest {

  @Test
  void indicesFollowPyTorchsFloat32Rule() {
    // 256 → 224: scale 8/7 in float32; output 7 reads input 8, output 223 reads 254
    assertThat(NearestResize.sourceIndex(7, 256, 224)).isEqualTo(8);
    assertThat(NearestResize.sourceIndex(223, 256, 224)).isEqualTo(254);
    // upsampling ×8 repeats each pixel 8 times; exactly ×2 uses i >> 1
    for (int i = 0; i < 256; i++) {
      assertThat(NearestResize.sourceIndex(i, 32, 256)).isEqualTo(i / 8);
      assertThat(NearestResize.sourceIndex(i, 128, 256)).isEqualTo(i / 2);
    }
    // never past the last input pixel
    for (int out = 1; out < 300; out++) {
      for (int i = 0; i < out; i++) {
        assertThat(NearestResize.sourceIndex(i, 97, out)).isBetween(0, 96);
      }
    }
  }

  @Test
  void resizeCopiesTheSelectedPixelsExactly() {
    try (NDManager m = LossFixtures.manager()) {
      float[] v = new float[2 * 5 * 7];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) Math.sin(i * 1.7) * 1e3f;
      }
      NDArray x = m.create(v, new Shape(1, 2, 5, 7));
      NDArray y = NearestResize.resize(new DjlTensorOps(m, Map.of()), x, 9, 4);
      assertThat(y.getShape().getShape()).containsExactly(1, 2, 9, 4);
      float[] out = y.toFloatArray();
      for (int c = 0; c < 2; c++) {
        for (int i = 0; i < 9; i++) {
          for (int j = 0; j < 4; j++) {
            int si = NearestResize.sourceIndex(i, 5, 9);
            int sj = NearestResize.sourceIndex(j, 7, 4);
            assertThat(out[(c * 9 + i) * 4 + j]).isEqualTo(v[(c * 5 + si) * 7 + sj]);
          }
        }
      }
    }
  }
}
