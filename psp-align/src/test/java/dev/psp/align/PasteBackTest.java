package dev.psp.align;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasteBackTest {
  private static RgbImage gradient(int w, int h) {
    byte[][] p = new byte[3][w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        p[0][y * w + x] = (byte) x;
        p[1][y * w + x] = (byte) y;
        p[2][y * w + x] = (byte) 40;
      }
    }
    return RgbImage.ofPlanes(w, h, p);
  }

  private static RgbImage solid(int size, int r, int g, int b) {
    byte[][] p = new byte[3][size * size];
    java.util.Arrays.fill(p[0], (byte) r);
    java.util.Arrays.fill(p[1], (byte) g);
    java.util.Arrays.fill(p[2], (byte) b);
    return RgbImage.ofPlanes(size, size, p);
  }

  /** An alignment result with the given crop corners (the pixels of {@code image} are not used). */
  private static AlignedFace crop(RgbImage image, double[] quad) {
    return new AlignedFace(image, quad, Landmarks.of(new long[2 * Landmarks.COUNT]), 100);
  }

  @Test
  void theFaceCoversTheQuadAndFadesOutAtItsBorder() {
    RgbImage photo = gradient(240, 200);
    double[] quad = {50, 40, 50, 140, 150, 140, 150, 40};
    RgbImage out = PasteBack.paste(photo, crop(solid(64, 0, 0, 0), quad), solid(64, 200, 10, 250), 0.1);
    // inside, away from the 10 px ramp: the face
    assertThat(out.get(0, 100, 90)).isEqualTo(200);
    assertThat(out.get(2, 70, 60)).isEqualTo(250);
    // outside: the photo, untouched
    assertThat(out.get(0, 30, 90)).isEqualTo(30);
    assertThat(out.get(1, 100, 150)).isEqualTo(150);
    assertThat(out.get(2, 49, 39)).isEqualTo(40);
    // in the ramp: strictly between, closer to the face further in
    int outer = out.get(2, 51, 90);
    int inner = out.get(2, 57, 90);
    assertThat(outer).isGreaterThan(40).isLessThan(inner);
    assertThat(inner).isLessThan(250);
    // the photo itself is not changed
    assertThat(photo.get(0, 100, 90)).isEqualTo(100);
  }

  @Test
  void aRotatedQuadPutsTheFaceCornersWhereTheQuadSays() {
    RgbImage photo = gradient(300, 300);
    // a square of side 100*sqrt(2) turned 45 degrees around (150, 150): top-left corner at the top
    double[] quad = {150, 50, 50, 150, 150, 250, 250, 150};
    // a face whose left half is dark and right half bright
    int s = 100;
    byte[][] p = new byte[3][s * s];
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        byte v = (byte) (x < s / 2 ? 0 : 255);
        p[0][y * s + x] = v;
        p[1][y * s + x] = v;
        p[2][y * s + x] = v;
      }
    }
    RgbImage out = PasteBack.paste(photo, crop(RgbImage.ofPlanes(s, s, p), quad), RgbImage.ofPlanes(s, s, p), 0.05);
    // the face's u axis runs from the top corner (150,50) to the right corner (250,150):
    // left half of the face = the part nearer the left-bottom edge
    assertThat(out.get(0, 120, 150)).isEqualTo(0);
    assertThat(out.get(0, 180, 150)).isEqualTo(255);
  }

  @Test
  void pastingTheAlignedCropBackGivesThePhotoAgain() {
    // Tom Cruise, 1024 crop of a 1024-px face: the crop resamples the photo barely, so the way back
    // must land on the photo's own pixels; a crop placed 2 px off shows as a much larger error
    AlignReference.Case c = AlignReference.cases().stream()
        .filter(k -> k.png().endsWith("t1024_o1024.png")).findFirst().orElseThrow();
    RgbImage photo = c.photo();
    AlignedFace aligned = FfhqAlignment.align(photo, c.landmarks(), c.outputSize(), c.transformSize());
    double[] q = aligned.quad();
    for (int i = 0; i < 8; i += 2) {
      q[i] += 2;
    }
    AlignedFace shifted = new AlignedFace(aligned.image(), q, aligned.landmarks(), aligned.quadSize());
    double back = meanAbsDiffInside(photo, PasteBack.paste(photo, aligned, aligned.image()), aligned);
    double off = meanAbsDiffInside(photo, PasteBack.paste(photo, shifted, aligned.image()), aligned);
    System.out.printf("paste-back round trip: mean abs %.3f, 2 px off %.3f%n", back, off);
    assertThat(back).as("mean |photo - pasted back| inside the crop").isLessThan(2.0);
    assertThat(off).as("the same 2 px off").isGreaterThan(3 * back);
  }

  /** Mean absolute difference over the photo pixels well inside the crop. */
  private static double meanAbsDiffInside(RgbImage a, RgbImage b, AlignedFace crop) {
    double sum = 0;
    long n = 0;
    for (int y = 0; y < a.height(); y++) {
      for (int x = 0; x < a.width(); x++) {
        double[] uv = crop.toAligned(x + 0.5, y + 0.5);
        double u = uv[0] / crop.size();
        double v = uv[1] / crop.size();
        if (u > 0.15 && u < 0.85 && v > 0.15 && v < 0.85) {
          for (int ch = 0; ch < 3; ch++) {
            sum += Math.abs(a.get(ch, x, y) - b.get(ch, x, y));
            n++;
          }
        }
      }
    }
    return sum / n;
  }

  @Test
  void rejectsABadFeather() {
    RgbImage photo = gradient(10, 10);
    AlignedFace crop = crop(photo, new double[] {0, 0, 0, 10, 10, 10, 10, 0});
    assertThatThrownBy(() -> PasteBack.paste(photo, crop, photo, 0)).hasMessageContaining("feather must be in (0, 0.5], got 0.0");
    assertThatThrownBy(() -> PasteBack.paste(photo, crop, photo, 0.6)).hasMessageContaining("feather");
  }
}
