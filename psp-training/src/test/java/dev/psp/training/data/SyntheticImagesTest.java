package dev.psp.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.psp.synthetic.FaceAttribute;
import dev.psp.synthetic.SyntheticFaces;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class SyntheticImagesTest {
  @Test
  void imageIsTheRenderedFaceAsRgbPlanesInMinusOneToOne() {
    int size = 32;
    SyntheticImages source = new SyntheticImages(5, 3, size);
    assertThat(source.count()).isEqualTo(3);
    assertThat(source.resolution()).isEqualTo(size);
    for (int index = 0; index < 3; index++) {
      BufferedImage face = SyntheticFaces.sample(5, index, size).image();
      float[] planes = source.image(index);
      assertThat(planes).hasSize(3 * size * size);
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int rgb = face.getRGB(x, y);
          int i = y * size + x;
          assertThat(planes[i]).isCloseTo(((rgb >> 16) & 0xff) / 127.5f - 1, within(1e-6f));
          assertThat(planes[size * size + i]).isCloseTo(((rgb >> 8) & 0xff) / 127.5f - 1, within(1e-6f));
          assertThat(planes[2 * size * size + i]).isCloseTo((rgb & 0xff) / 127.5f - 1, within(1e-6f));
        }
      }
    }
  }

  @Test
  void oversampledFacesTakeAsManyConsecutiveIndicesAsTheirWeight() {
    int faces = 400;
    SyntheticImages source = new SyntheticImages(7, faces, 16, Oversampling.parse("glasses=3"));
    int withGlasses = 0;
    int index = 0;
    for (int f = 0; f < faces; f++) {
      boolean glasses = FaceAttribute.GLASSES.label(SyntheticFaces.params(7, f)).orElseThrow();
      withGlasses += glasses ? 1 : 0;
      for (int k = 0; k < (glasses ? 3 : 1); k++) {
        assertThat(source.face(index++)).as("index %d", index - 1).isEqualTo(f);
      }
    }
    assertThat(source.count()).isEqualTo(index).isEqualTo(faces + 2 * withGlasses);
    double share = 3.0 * withGlasses / source.count(); // a uniform draw over the indices
    assertThat(withGlasses / (double) faces).isBetween(0.18, 0.32); // the domain's quarter
    assertThat(share).isBetween(0.4, 0.6);
    int last = source.count() - 1;
    assertThat(source.image(last)).containsExactly(new SyntheticImages(7, faces, 16).image(source.face(last)));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.face(source.count()))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(new SyntheticImages(7, faces, 16).count()).isEqualTo(faces);
  }
}
