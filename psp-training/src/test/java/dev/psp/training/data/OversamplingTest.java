package dev.psp.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.synthetic.FaceAttribute;
import dev.psp.synthetic.FaceParams;
import dev.psp.synthetic.SyntheticFaces;
import org.junit.jupiter.api.Test;

class OversamplingTest {
  @Test
  void readsAndWritesAttributeWeights() {
    Oversampling o = Oversampling.parse(" smile=2, Glasses=3 ");
    assertThat(o.toString()).isEqualTo("glasses=3,smile=2");
    assertThat(Oversampling.parse(o.toString())).isEqualTo(o);
    assertThat(Oversampling.parse("")).isSameAs(Oversampling.NONE);
    assertThat(Oversampling.parse("glasses=1")).isEqualTo(Oversampling.NONE); // weight 1 is no weight
    assertThat(Oversampling.NONE.toString()).isEmpty();
  }

  @Test
  void aFaceWeighsTheProductOfItsAttributesWeights() {
    Oversampling o = Oversampling.parse("glasses=3,long-hair=2");
    int[] seen = new int[4]; // glasses x long hair
    for (int i = 0; i < 200; i++) {
      FaceParams p = SyntheticFaces.params(11, i);
      boolean glasses = FaceAttribute.GLASSES.label(p).orElseThrow();
      boolean hair = FaceAttribute.LONG_HAIR.label(p).orElseThrow();
      assertThat(o.weight(p)).as("face %d", i).isEqualTo((glasses ? 3 : 1) * (hair ? 2 : 1));
      assertThat(Oversampling.NONE.weight(p)).isEqualTo(1);
      seen[(glasses ? 2 : 0) + (hair ? 1 : 0)]++;
    }
    assertThat(java.util.Arrays.stream(seen).min().orElseThrow()).isPositive(); // every combination was checked
  }

  @Test
  void refusesWhatIsNotAttributeEqualsWeight() {
    for (String bad : new String[] {"glasses", "glasses=0", "glasses=17", "glasses=x", "hats=2",
        "glasses=2,glasses=3", "glasses=2,", "=2"}) {
      assertThatThrownBy(() -> Oversampling.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not attribute=k").hasMessageContaining("[glasses, long-hair, smile]");
    }
  }
}
