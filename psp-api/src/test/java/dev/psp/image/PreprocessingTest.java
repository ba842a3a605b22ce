package dev.psp.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.TranslationTask.InputKind;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Preprocessing against torchvision's own transforms on PIL images (made by
 * src/test/python/make_image_fixtures.py): resizing must agree to the bit.
 */
class PreprocessingTest {
  static BufferedImage image(String name) throws Exception {
    try (InputStream in = PreprocessingTest.class.getResourceAsStream("/image/" + name)) {
      return ImageIO.read(in);
    }
  }

  static TensorData npy(String name) throws Exception {
    try (InputStream in = PreprocessingTest.class.getResourceAsStream("/image/" + name)) {
      return Npy.read(in, name);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rgb_down_411x333", "rgb_up_97x61", "rgba_300x200"})
  void rgbMatchesTorchvisionToTheBit(String name) throws Exception {
    float[] x = Preprocessing.rgb(image(name + ".png"));
    long[] expected = npy(name + ".expected_u8.npy").toLongArray();
    int mismatches = 0;
    for (int i = 0; i < x.length; i++) {
      int u8 = Math.round((x[i] * 0.5f + 0.5f) * 255f);
      if (u8 != expected[i]) {
        mismatches++;
      }
    }
    assertThat(mismatches).as("8-bit resized values differing from PIL").isZero();
    float[] head = npy(name + ".expected_head.npy").toFloatArray();
    for (int i = 0; i < head.length; i++) {
      assertThat(x[i]).as("value %d", i).isEqualTo(head[i]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sketch_rgb_384", "sketch_gray_280x300"})
  void sketchMatchesTorchvisionToTheBit(String name) throws Exception {
    float[] x = Preprocessing.sketch(image(name + ".png"));
    long[] expected = npy(name + ".expected_u8.npy").toLongArray();
    assertThat(x).hasSize(256 * 256);
    for (int i = 0; i < x.length; i++) {
      if (x[i] != expected[i] / 255f) {
        throw new AssertionError("pixel " + i + ": " + x[i] * 255 + " != " + expected[i]);
      }
    }
  }

  @Test
  void segmentationIsOneHotOfThePilResizedIds() throws Exception {
    TensorData t = Preprocessing.toTensor(List.of(image("labels_512.png")), InputKind.SEGMENTATION, 19);
    assertThat(t.shape()).containsExactly(1, 19, 256, 256);
    float[] x = t.toFloatArray();
    long[] ids = npy("labels_512.expected_ids.npy").toLongArray();
    int plane = 256 * 256;
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 19; c++) {
        float want = ids[i] == c ? 1f : 0f;
        if (x[c * plane + i] != want) {
          throw new AssertionError("pixel " + i + " class " + c);
        }
      }
    }
  }

  @Test
  void labelsOutsideTheClassCountAreRejected() {
    BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(10, 20, 0, 200);
    assertThatThrownBy(() -> Preprocessing.oneHot(img, 19))
        .hasMessageContaining("label 200 at pixel (10, 20)").hasMessageContaining("class ids 0..18");
  }

  @Test
  void grayImagesKeepTheirStoredValues() {
    BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(0, 0, 0, 100);
    // getRGB would pass 100 through a linear colour space and return another value
    assertThat(Planes.luma(img)[0]).isEqualTo(100);
    assertThat(Planes.rgb(img)[1][0]).isEqualTo(100);
    assertThat(Preprocessing.sketch(img)[0]).isEqualTo(100 / 255f);

    // gray with alpha (a PNG of colour type 4): the gray band as stored, the alpha dropped as Pillow does
    java.awt.image.ComponentColorModel la = new java.awt.image.ComponentColorModel(
        java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
        java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
    BufferedImage withAlpha = new BufferedImage(la, la.createCompatibleWritableRaster(4, 4), false, null);
    withAlpha.getRaster().setSample(1, 0, 0, 128);
    withAlpha.getRaster().setSample(1, 0, 1, 40);
    assertThat(Planes.luma(withAlpha)[1]).isEqualTo(128);
    assertThat(Planes.rgb(withAlpha)[2][1]).isEqualTo(128);
  }

  @Test
  void batchesStackInOrder() throws Exception {
    BufferedImage a = image("rgb_up_97x61.png");
    BufferedImage b = image("rgba_300x200.png");
    TensorData t = Preprocessing.toTensor(List.of(a, b), InputKind.RGB, 3);
    float[] x = t.toFloatArray();
    assertThat(x[3 * 65536 + 5]).isEqualTo(Preprocessing.rgb(b)[5]);
    assertThatThrownBy(() -> Preprocessing.toTensor(List.of(a), InputKind.RGB, 1))
        .hasMessageContaining("expects 1");
  }
}
