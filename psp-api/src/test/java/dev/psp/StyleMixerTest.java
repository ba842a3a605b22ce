package dev.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StyleMixerTest {
  @Test
  void parsesRowListsOfNumbersRangesAndGroups() {
    assertThat(StyleMixer.parse("8-17", 1).rows(18)).containsExactly(8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
    assertThat(StyleMixer.parse("1, 3-4,7", 1).rows(18)).containsExactly(1, 3, 4, 7);
    assertThat(StyleMixer.parse("fine", 1).rows(18)).containsExactly(7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17);
    assertThat(StyleMixer.parse("fine", 1).rows(10)).containsExactly(7, 8, 9);
    assertThat(StyleMixer.parse("Coarse, fine", 1).rows(10)).containsExactly(0, 1, 2, 7, 8, 9);
    assertThat(StyleMixer.parse("medium,5", 1).rows(14)).containsExactly(3, 4, 5, 6);
    assertThatThrownBy(() -> StyleMixer.parse("8-x", 1)).hasMessageContaining("'8-x'").hasMessageContaining("fine");
    assertThatThrownBy(() -> StyleMixer.parse("9-3", 1)).hasMessageContaining("empty row range");
    assertThatThrownBy(() -> StyleMixer.parse("0-2147483647", 1)).hasMessageContaining("outside 0..21");
    assertThatThrownBy(() -> StyleMixer.parse("99999999999", 1)).hasMessageContaining("outside 0..21");
  }

  @Test
  void theGroupsFollowTheEncoderFeatureMapsAtEverySize() {
    assertThat(StyleGroup.COARSE.rows(18)).containsExactly(0, 1, 2);
    assertThat(StyleGroup.MEDIUM.rows(18)).containsExactly(3, 4, 5, 6);
    assertThat(StyleGroup.FINE.rows(14)).containsExactly(7, 8, 9, 10, 11, 12, 13);
    assertThatThrownBy(() -> StyleGroup.FINE.rows(6)).hasMessageContaining("fine rows (7+)")
        .hasMessageContaining("0..5");
  }

  @Test
  void mixesOnlyTheChosenRowsAndListsTheValidRowsOtherwise() {
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
        .hasMessageContaining("row 6 is not a W+ row").hasMessageContaining("rows 0..5")
        .hasMessageContaining("coarse 0-2, medium 3-5, fine none");
    LatentCode medium = StyleMixer.of(1.0, StyleGroup.MEDIUM).mix(codes, inject);
    assertThat(medium.row(0, 2)).containsExactly(codes.row(0, 2));
    assertThat(medium.row(0, 3)).containsExactly(10, 10);
  }

  @Test
  void rejectsBadAlpha() {
    assertThatThrownBy(() -> StyleMixer.of(new int[] {1}, 1.5)).hasMessageContaining("alpha");
    assertThatThrownBy(() -> StyleMixer.of(new int[] {1}, Double.NaN)).hasMessageContaining("alpha");
    assertThatThrownBy(() -> StyleMixer.parse("fine", -0.1)).hasMessageContaining("alpha");
  }
}
