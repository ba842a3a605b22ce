package dev.psp.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.TranslationTask;
import dev.psp.synthetic.FaceAttribute;
import dev.psp.synthetic.SyntheticFaces;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyntheticPairsTest {
  private static final TaskTransforms SKETCH = new TaskTransforms(TranslationTask.SKETCH_TO_FACE, 2, new int[] {1});

  @Test
  void pairIsTheFaceOfItsIndexThroughTheTaskTransforms() {
    SyntheticPairs pairs = new SyntheticPairs(SKETCH, 11, 3, false);
    assertThat(pairs.size()).isEqualTo(3);
    assertThat(pairs.sourceChannels()).isEqualTo(1);
    for (int i = 0; i < 3; i++) {
      SyntheticFaces.Pair p = SyntheticFaces.pair(TranslationTask.SKETCH_TO_FACE, 11, i, 256);
      Sample want = SKETCH.apply(p.source(), p.target(), false, new Random(0));
      Sample got = pairs.get(i, new Random(0));
      assertThat(Arrays.mismatch(got.source(), want.source())).isEqualTo(-1);
      assertThat(Arrays.mismatch(got.target(), want.target())).isEqualTo(-1);
    }
  }

  @Test
  void oversamplingRepeatsAFaceAsOftenAsItsWeight() {
    int faces = 200;
    SyntheticPairs plain = new SyntheticPairs(SKETCH, 13, faces, false);
    SyntheticPairs pairs = new SyntheticPairs(SKETCH, 13, faces, false, Oversampling.parse("glasses=3"));
    int index = 0;
    int withGlasses = 0;
    for (int f = 0; f < faces; f++) {
      boolean glasses = FaceAttribute.GLASSES.label(SyntheticFaces.params(13, f)).orElseThrow();
      withGlasses += glasses ? 1 : 0;
      index += glasses ? 3 : 1;
      if (glasses && withGlasses == 1) { // the first face with glasses: three indices, one face
        for (int k = 1; k <= 3; k++) {
          assertThat(Arrays.mismatch(pairs.get(index - k, new Random(0)).target(),
              plain.get(f, new Random(0)).target())).isEqualTo(-1);
          assertThat(pairs.face(index - k)).isEqualTo(f); // the face that sdk_code_targets looks up
        }
        assertThat(pairs.face(index)).isEqualTo(f + 1);
        assertThat(plain.face(f)).isEqualTo(f);
        assertThat(Arrays.mismatch(pairs.get(index, new Random(0)).target(),
            plain.get(f + 1, new Random(0)).target())).isEqualTo(-1);
      }
    }
    assertThat(withGlasses).isBetween(30, 70);
    assertThat(pairs.size()).isEqualTo(index).isEqualTo(faces + 2 * withGlasses);
    assertThatThrownBy(() -> pairs.get(pairs.size(), new Random(0))).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void refusesAnEmptySet() {
    assertThatThrownBy(() -> new SyntheticPairs(SKETCH, 1, 0, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count must be positive");
  }
}
