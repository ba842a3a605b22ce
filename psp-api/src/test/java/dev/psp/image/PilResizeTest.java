package dev.psp.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Small resizes against Pillow 9.4 itself. The expected values were printed by Debian 12's
 * {@code /usr/bin/python3} with
 * <pre>
 *   x = np.arange(w)[None, :]; y = np.arange(h)[:, None]
 *   plane = ((x * 37 + y * 91 + x * y * 13) % 256).astype(np.uint8)
 *   np.asarray(Image.fromarray(plane, 'L').resize((ow, oh), Image.LANCZOS or Image.BILINEAR)).ravel()
 * </pre>
 * (the larger cases are covered by the alignment tests of psp-align and by {@link PreprocessingTest}).
 */
class PilResizeTest {
  private static int[] plane(int w, int h) {
    int[] p = new int[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        p[y * w + x] = (x * 37 + y * 91 + x * y * 13) % 256;
      }
    }
    return p;
  }

  @Test
  void lanczosShrinksLikePillow() {
    assertThat(PilResize.lanczos(plane(13, 7), 13, 7, 5, 4)).containsExactly(
        87, 137, 140, 89, 144, 149, 151, 136, 136, 108, 115, 144, 126, 136, 122, 99, 149, 142, 140, 100);
  }

  @Test
  void lanczosEnlargesLikePillowWithClipping() {
    assertThat(PilResize.lanczos(plane(7, 3), 7, 3, 11, 5)).containsExactly(
        0, 6, 33, 52, 65, 93, 140, 177, 198, 219, 231,
        21, 31, 66, 109, 154, 167, 120, 91, 128, 181, 208,
        88, 107, 146, 172, 231, 241, 104, 19, 74, 124, 138,
        152, 197, 217, 132, 120, 170, 133, 135, 182, 119, 55,
        176, 237, 241, 84, 19, 97, 158, 237, 255, 133, 18);
  }

  @Test
  void bilinearShrinksLikePillow() {
    assertThat(PilResize.bilinear(plane(13, 7), 13, 7, 5, 4)).containsExactly(
        90, 133, 138, 96, 138, 146, 148, 132, 139, 115, 119, 140, 131, 136, 119, 103, 149, 139, 136, 100);
  }

  @Test
  void sameSizeIsACopy() {
    int[] p = plane(6, 5);
    int[] out = PilResize.lanczos(p, 6, 5, 6, 5);
    assertThat(out).containsExactly(p).isNotSameAs(p);
  }

  @Test
  void rejectsBadSizes() {
    assertThatThrownBy(() -> PilResize.lanczos(new int[5], 2, 3, 1, 1)).hasMessageContaining("expected 6");
    assertThatThrownBy(() -> PilResize.lanczos(new int[6], 2, 3, 0, 1)).hasMessageContaining("positive");
  }
}
