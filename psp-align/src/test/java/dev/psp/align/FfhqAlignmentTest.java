package dev.psp.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The alignment against the official {@code align_face} run on the same landmarks (references made by
 * {@code src/test/python/make_align_reference.py}): dlib's landmarks on the test photos, 1024-pixel
 * transforms, and synthetic photos that exercise the shrink, crop and pad branches. Every case matched
 * to the bit when written (maximum difference 0); the tolerance only guards against a future platform's
 * last-bit differences in the maths library.
 */
class FfhqAlignmentTest {
  private static final int TOLERANCE = 2;

  static List<AlignReference.Case> cases() {
    return AlignReference.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesTheOfficialAlignFace(AlignReference.Case c) {
    AlignedFace face = FfhqAlignment.align(c.photo(), c.landmarks(), c.outputSize(), c.transformSize());
    RgbImage expected = c.expected();
    assertThat(face.size()).isEqualTo(c.outputSize()).isEqualTo(expected.width());
    assertThat(face.image().height()).isEqualTo(expected.height());
    assertThat(AlignReference.maxAbsDiff(face.image(), expected))
        .as("largest 8-bit difference from the official align_face (0 when written)")
        .isLessThanOrEqualTo(TOLERANCE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void syntheticCasesTakeTheBranchesTheyAreNamedFor(AlignReference.Case c) {
    if (c.expectPad() == null) {
      return;
    }
    RgbImage photo = c.photo();
    CropPlan plan = CropPlan.of(FaceQuad.of(c.landmarks()), photo.width(), photo.height(), c.outputSize());
    assertThat(plan.shrink()).as("shrink of %s", plan).isEqualTo(c.expectShrink());
    assertThat(plan.pad() != null).as("pad of %s", plan).isEqualTo(c.expectPad());
  }

  @Test
  void referencesCoverEveryBranch() {
    boolean shrink2 = false;
    boolean shrink3 = false;
    boolean pad = false;
    boolean cropOnly = false;
    boolean finalResize = false;
    for (AlignReference.Case c : cases()) {
      RgbImage photo = c.photo();
      CropPlan plan = CropPlan.of(FaceQuad.of(c.landmarks()), photo.width(), photo.height(), c.outputSize());
      shrink2 |= plan.shrink() == 2;
      shrink3 |= plan.shrink() == 3;
      pad |= plan.pad() != null;
      cropOnly |= plan.crop() != null && plan.pad() == null;
      finalResize |= c.outputSize() < c.transformSize();
    }
    assertThat(List.of(shrink2, shrink3, pad, cropOnly, finalResize)).containsOnly(true);
  }

  @Test
  void defaultsAreTheOfficialSizes() {
    AlignReference.Case c = cases().get(0);
    AlignedFace byDefault = FfhqAlignment.align(c.photo(), c.landmarks());
    AlignedFace explicit = FfhqAlignment.align(c.photo(), c.landmarks(), 256, 256);
    assertThat(byDefault.size()).isEqualTo(FfhqAlignment.DEFAULT_OUTPUT_SIZE).isEqualTo(256);
    assertThat(FfhqAlignment.DEFAULT_TRANSFORM_SIZE).isEqualTo(256);
    assertThat(AlignReference.maxAbsDiff(byDefault.image(), explicit.image())).isZero();
    assertThat(byDefault.quad()).containsExactly(explicit.quad());
  }

  @Test
  void rejectsBadArguments() {
    AlignReference.Case c = cases().get(0);
    RgbImage photo = c.photo();
    Landmarks lm = c.landmarks();
    assertThatThrownBy(() -> FfhqAlignment.align(null, lm)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("photo");
    assertThatThrownBy(() -> FfhqAlignment.align(photo, null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("landmarks");
    assertThatThrownBy(() -> FfhqAlignment.align(photo, lm, 0, 256))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputSize");
    assertThatThrownBy(() -> FfhqAlignment.align(photo, lm, 256, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transformSize");
    assertThatThrownBy(() -> FfhqAlignment.align(photo, lm, 512, 256))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputSize")
        .hasMessageContaining("transformSize");
  }

  @Test
  void rejectsDegenerateLandmarks() {
    long[] same = new long[2 * Landmarks.COUNT];
    Arrays.fill(same, 40);
    assertThatThrownBy(() -> FfhqAlignment.align(AlignReference.synthetic(100, 80), Landmarks.of(same)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("degenerate");
  }

  @Test
  void rejectsAFaceOutsideThePhoto() {
    long[] far = cases().get(0).landmarks().toArray();
    for (int i = 0; i < far.length; i += 2) {
      far[i] += 5000;
    }
    assertThatThrownBy(() -> FfhqAlignment.align(AlignReference.synthetic(500, 375), Landmarks.of(far)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside");
  }
}
