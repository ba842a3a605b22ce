package dev.psp.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
}
