package dev.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StyleMixerTest {
  @Test
  void parsesLayerLists() {
    assertThat(StyleMixer.parseLayers("8-17")).containsExactly(8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
    assertThat(StyleMixer.parseLayers("1, 3-4,7")).containsExactly(1, 3, 4, 7);
    assertThatThrownBy(() -> StyleMixer.parseLayers("8-x")).hasMessageContaining("'8-x'");
    assertThatThrownBy(() -> StyleMixer.parseLayers("9-3")).hasMessageContaining("empty layer range");
  }

  @Test
  void mixesOnlyTheChosenRows() {
    float[] v = new float[2 * 6 * 2];
    for (int i = 0; i < v.length; i++) {
      v[i] = i;
    }
    LatentCode codes = LatentCode.of(v, 2, 6, 2);
    LatentCode inject = LatentCode.of(new float[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, 1, 6, 2);
    LatentCode mixed = StyleMixer.range(4, 5, 0.5).mix(codes, inject);
    assertThat(mixed.row(1, 3)).containsExactly(codes.row(1, 3));
    assertThat(mixed.row(1, 4)).containsExactly(0.5f * 10 + 0.5f * 20, 0.5f * 10 + 0.5f * 21);
    assertThatThrownBy(() -> StyleMixer.range(5, 6, 1).mix(codes, inject))
        .hasMessageContaining("rows 0..5");
  }

  @Test
  void rejectsBadAlpha() {
    assertThatThrownBy(() -> StyleMixer.of(new int[] {1}, 1.5)).hasMessageContaining("alpha");
    assertThatThrownBy(() -> StyleMixer.of(new int[] {1}, Double.NaN)).hasMessageContaining("alpha");
  }
}
