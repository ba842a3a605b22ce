package dev.psp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;

/** Comparisons of decoded images shared by the modules' tests. */
public final class Images {
  private Images() {}

  /** The largest difference of one 8-bit RGB channel between two images of the same size (asserted). */
  public static int maxDifference(BufferedImage a, BufferedImage b) {
    assertThat(a.getWidth()).isEqualTo(b.getWidth());
    assertThat(a.getHeight()).isEqualTo(b.getHeight());
    int max = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int s = 0; s < 24; s += 8) {
          max = Math.max(max, Math.abs(((p >> s) & 0xff) - ((q >> s) & 0xff)));
        }
      }
    }
    return max;
  }
}
