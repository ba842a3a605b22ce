package dev.psp.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageConversionTest {
  @Test
  void tensor2imClipsAndTruncates() {
    // (x+1)/2*255 truncated: -1 -> 0, 1 -> 255, 0 -> 127 (127.5 truncated), 0.999 -> 254, beyond -> clipped
    assertThat(ImageConversion.toByte(-1f)).isZero();
    assertThat(ImageConversion.toByte(1f)).isEqualTo(255);
    assertThat(ImageConversion.toByte(0f)).isEqualTo(127);
    assertThat(ImageConversion.toByte(0.999f)).isEqualTo(254);
    assertThat(ImageConversion.toByte(7f)).isEqualTo(255);
    assertThat(ImageConversion.toByte(-3f)).isZero();
    assertThat(ImageConversion.toByte(Float.NaN)).isZero();
  }

  @Test
  void writesChannelsToRgb() {
    float[] v = new float[2 * 3 * 4];
    // sample 1, pixel 2: r = 1, g = 0, b = -1
    v[12 + 2] = 1f;
    v[12 + 4 + 2] = 0f;
    v[12 + 8 + 2] = -1f;
    BufferedImage img = ImageConversion.toImage(TensorData.ofFloats(v, 2, 3, 2, 2), 1);
    assertThat(img.getRGB(0, 1) & 0xffffff).isEqualTo(0xff7f00);
    assertThatThrownBy(() -> ImageConversion.toImage(TensorData.ofFloats(new float[4], 1, 1, 2, 2), 0))
        .hasMessageContaining("[B, 3, H, W]");
  }
}
