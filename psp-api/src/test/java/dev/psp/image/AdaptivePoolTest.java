package dev.psp.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.io.TensorData;
import org.junit.jupiter.api.Test;

class AdaptivePoolTest {
  @Test
  void averagesWholeWindowsWhenShrinkingAndCopiesWhenGrowing() {
    float[] v = new float[2 * 8 * 8];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    TensorData x = TensorData.ofFloats(v, 1, 2, 8, 8);
    float[] down = AdaptivePool.pool(x, 2).toFloatArray();
    // plane 0, window rows 0-3 and columns 0-3: mean of 8r + c = 8*1.5 + 1.5
    assertThat(down[0]).isEqualTo(13.5f);
    assertThat(down[3]).isEqualTo(13.5f + 8 * 4 + 4);
    assertThat(down[4]).isEqualTo(13.5f + 64);
    float[] up = AdaptivePool.pool(TensorData.ofFloats(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), 4).toFloatArray();
    assertThat(up).containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4);
    // uneven: 3 -> 2 takes rows [0,2) and [1,3)
    float[] odd = AdaptivePool.pool(TensorData.ofFloats(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, 1, 1, 3, 3), 2).toFloatArray();
    assertThat(odd).containsExactly(2, 3, 5, 6);
  }
}
