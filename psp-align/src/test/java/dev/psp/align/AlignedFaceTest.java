package dev.psp.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The geometry of {@link AlignedFace}: bright blobs painted at known photo positions are found in the
 * aligned image and mapped back through {@link AlignedFace#quad()}; they must land where they were
 * painted, also when the photo is shrunk first (odd sizes, so the x and y scales differ) and when the
 * transform is resized to a smaller output. Measured when written: at most 0.005 photo pixels without
 * shrinking, 0.02 with the final resize, 0.12 (0.025 aligned pixels) with shrink 2; a map that ignored the
 * shrink's rounding of the photo size would be off by about one photo pixel.
 */
class AlignedFaceTest {
  private static final int BACKGROUND = 16;
  // blob positions in the aligned image, as fractions of its side
  private static final double[][] SPOTS = {{0.31, 0.35}, {0.66, 0.39}, {0.5, 0.7}, {0.24, 0.78}};

  @ParameterizedTest(name = "{0}x{1} eyes {4} px, output {6}/{7}")
  @CsvSource({
    // width, height, centre x, centre y, eye distance, angle, output, transform, tolerance (photo px)
    "900, 700, 450, 330, 70, 0.3, 256, 256, 0.05",
    "640, 480, 120, 110, 60, -0.2, 256, 256, 0.05", // padded: the quad leaves the photo
    "2601, 2003, 1300, 1000, 300, 0.2, 256, 256, 0.2", // shrink 2, x and y scales differ
    "900, 700, 450, 330, 70, 0.3, 128, 256, 0.05", // final Lanczos resize
  })
  void blobsMapBackToWhereTheyWerePainted(int width, int height, int cx, int cy, int eyes, double angle,
      int output, int transform, double tolerance) {
    Landmarks lm = face(cx, cy, eyes, angle);
    // the geometry does not depend on the pixels: place the blobs through a first alignment
    AlignedFace blank = FfhqAlignment.align(uniform(width, height), lm, output, transform);
    double sigma = 0.025 * blank.quadSize(); // photo pixels
    double[][] painted = new double[SPOTS.length][];
    for (int k = 0; k < SPOTS.length; k++) {
      painted[k] = blank.toPhoto(SPOTS[k][0] * output, SPOTS[k][1] * output);
    }
    AlignedFace face = FfhqAlignment.align(blobs(width, height, painted, sigma), lm, output, transform);
    assertThat(face.quad()).containsExactly(blank.quad());

    double sigmaAligned = sigma * output / blank.quadSize();
    int r = (int) Math.ceil(4 * sigmaAligned);
    for (int k = 0; k < SPOTS.length; k++) {
      double[] uv = centroid(face.image(), SPOTS[k][0] * output, SPOTS[k][1] * output, r);
      double[] back = face.toPhoto(uv[0], uv[1]);
      assertThat(Math.hypot(back[0] - painted[k][0], back[1] - painted[k][1]))
          .as("blob %d painted at (%.2f, %.2f), found at (%.2f, %.2f)", k, painted[k][0], painted[k][1],
              back[0], back[1])
          .isLessThan(tolerance);
    }
  }

  @ParameterizedTest(name = "{0}x{1} output {4}/{5}")
  @CsvSource({"900, 700, 450, 330, 256, 256", "2601, 2003, 1300, 1000, 256, 256", "900, 700, 450, 330, 128, 512"})
  void cornersAndInverseAreConsistent(int width, int height, int cx, int cy, int output, int transform) {
    Landmarks lm = face(cx, cy, width > 2000 ? 300 : 70, 0.4);
    AlignedFace face = FfhqAlignment.align(uniform(width, height), lm, output, transform);
    double[] q = face.quad();
    double s = face.size();
    double[][] corners = {{0, 0}, {0, s}, {s, s}, {s, 0}}; // top-left, bottom-left, bottom-right, top-right
    for (int k = 0; k < 4; k++) {
      double[] p = face.toPhoto(corners[k][0], corners[k][1]);
      assertThat(p[0]).isCloseTo(q[2 * k], within(1e-9));
      assertThat(p[1]).isCloseTo(q[2 * k + 1], within(1e-9));
    }
    for (double u = -20; u <= s + 20; u += 37.5) {
      for (double v = -20; v <= s + 20; v += 41.25) {
        double[] p = face.toPhoto(u, v);
        double[] back = face.toAligned(p[0], p[1]);
        assertThat(back[0]).isCloseTo(u, within(1e-9));
        assertThat(back[1]).isCloseTo(v, within(1e-9));
      }
    }
    double[] c = face.center();
    double[] mid = face.toPhoto(s / 2, s / 2);
    assertThat(c[0]).isCloseTo(mid[0], within(1e-9));
    assertThat(c[1]).isCloseTo(mid[1], within(1e-9));
    assertThat(face.landmarks()).isEqualTo(lm);
  }

  /** Landmarks with the eyes {@code eyes} apart around {@code (cx, cy)}, turned by {@code angle}. */
  static Landmarks face(int cx, int cy, int eyes, double angle) {
    long[] xy = new long[2 * Landmarks.COUNT];
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    for (int i = 0; i < Landmarks.COUNT; i++) {
      double dx = 0;
      double dy = 0.5 * eyes;
      if (i >= 36 && i < 42) {
        dx = -0.5 * eyes;
        dy = 0;
      } else if (i >= 42 && i < 48) {
        dx = 0.5 * eyes;
        dy = 0;
      } else if (i == 48 || i == 54) {
        dx = (i == 48 ? -0.45 : 0.45) * eyes;
        dy = 1.1 * eyes;
      }
      xy[2 * i] = Math.round(cx + cos * dx - sin * dy);
      xy[2 * i + 1] = Math.round(cy + sin * dx + cos * dy);
    }
    return Landmarks.of(xy);
  }

  private static RgbImage uniform(int width, int height) {
    byte[][] p = new byte[3][width * height];
    for (byte[] plane : p) {
      java.util.Arrays.fill(plane, (byte) BACKGROUND);
    }
    return RgbImage.ofPlanes(width, height, p);
  }

  /** Gaussian blobs of peak 200 over the background, centred on continuous photo positions. */
  private static RgbImage blobs(int width, int height, double[][] centres, double sigma) {
    byte[] plane = new byte[width * height];
    java.util.Arrays.fill(plane, (byte) BACKGROUND);
    int r = (int) Math.ceil(5 * sigma);
    for (double[] c : centres) {
      int x0 = Math.max((int) c[0] - r, 0);
      int x1 = Math.min((int) c[0] + r, width - 1);
      int y0 = Math.max((int) c[1] - r, 0);
      int y1 = Math.min((int) c[1] + r, height - 1);
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) {
          double d2 = (x + 0.5 - c[0]) * (x + 0.5 - c[0]) + (y + 0.5 - c[1]) * (y + 0.5 - c[1]);
          int v = (int) Math.round(200 * Math.exp(-d2 / (2 * sigma * sigma)));
          int i = y * width + x;
          plane[i] = (byte) Math.min(255, (plane[i] & 0xFF) + v);
        }
      }
    }
    return RgbImage.ofPlanes(width, height, new byte[][] {plane, plane, plane});
  }

  /** The brightness-weighted centre (continuous coordinates) of a window around {@code (u, v)}. */
  private static double[] centroid(RgbImage img, double u, double v, int r) {
    double sw = 0;
    double su = 0;
    double sv = 0;
    for (int y = (int) v - r; y <= (int) v + r; y++) {
      for (int x = (int) u - r; x <= (int) u + r; x++) {
        double w = Math.max(img.get(1, x, y) - BACKGROUND, 0);
        sw += w;
        su += w * (x + 0.5);
        sv += w * (y + 0.5);
      }
    }
    return new double[] {su / sw, sv / sw};
  }
}
