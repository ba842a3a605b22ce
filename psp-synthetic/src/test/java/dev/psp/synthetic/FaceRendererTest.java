package dev.psp.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.synthetic.FaceParams.HairStyle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rendering: determinism, label ids, colours and sketch lines consistent with the label map, part placement. */
class FaceRendererTest {
  private static final long SEED = 20240611L;

  @Test
  void sameParamsGiveIdenticalPixelsLabelsAndSketch() {
    for (int size : new int[] {64, 128}) {
      for (int i = 0; i < 4; i++) {
        long faceSeed = SyntheticFaces.faceSeed(SEED, i);
        assertThat(FaceParams.random(faceSeed)).isEqualTo(FaceParams.random(faceSeed));
        SyntheticFace a = FaceRenderer.render(FaceParams.random(faceSeed), size);
        SyntheticFace b = SyntheticFaces.sample(SEED, i, size);
        assertThat(pixels(a.image())).isEqualTo(pixels(b.image()));
        assertThat(a.labels()).isEqualTo(b.labels());
        assertThat(bytes(a.sketch())).isEqualTo(bytes(b.sketch()));
      }
    }
  }

  /** Different seeds differ in geometry (label maps), not just in colours and noise. */
  @Test
  void differentSeedsGiveDifferentFaces() {
    int n = 8;
    int size = 64;
    List<byte[]> labels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      labels.add(SyntheticFaces.sample(SEED, i, size).labels());
    }
    double minDiffering = 1;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        assertThat(SyntheticFaces.params(SEED, i)).isNotEqualTo(SyntheticFaces.params(SEED, j));
        int differing = 0;
        for (int k = 0; k < size * size; k++) {
          if (labels.get(i)[k] != labels.get(j)[k]) {
            differing++;
          }
        }
        minDiffering = Math.min(minDiffering, differing / (double) (size * size));
      }
    }
    System.out.printf("smallest fraction of differently labelled pixels between two of %d faces: %.3f%n", n,
        minDiffering);
    assertThat(minDiffering).isGreaterThan(0.05);
  }

  @Test
  void labelsAreClassIdsAndTheLabelImageHoldsThem() {
    boolean[] seen = new boolean[FaceLabels.COUNT];
    for (int i = 0; i < 60; i++) {
      SyntheticFace face = SyntheticFaces.sample(SEED, i, 64);
      byte[] labels = face.labels();
      assertThat(bytes(face.labelImage())).isEqualTo(labels);
      for (byte l : labels) {
        assertThat((int) l).isBetween(0, FaceLabels.COUNT - 1);
        seen[l] = true;
      }
    }
    for (int l = 0; l < FaceLabels.COUNT; l++) {
      assertThat(seen[l]).as("class %s appears in 60 faces", FaceLabels.name(l)).isTrue();
    }
  }

  /**
   * Away from label borders every pixel is one of its label's base colours times a shade in
   * [MIN_SHADE, MAX_SHADE], plus at most NOISE levels: no part's colour leaks into another's label.
   */
  @Test
  void everyPixelOffTheBordersHasItsLabelsColour() {
    int worst = 0;
    int checked = 0;
    for (int size : new int[] {64, 128}) {
      for (int i = 0; i < (size == 64 ? 24 : 6); i++) {
        FaceParams params = SyntheticFaces.params(SEED, 100 + i);
        SyntheticFace face = FaceRenderer.render(params, size);
        FaceGeometry g = new FaceGeometry(params, size);
        boolean[] border = FaceRenderer.borders(face.labels(), size);
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            if (border[y * size + x]) {
              continue;
            }
            int residual = residual(face.rgb(x, y), g.baseColours(face.label(x, y)));
            assertThat(residual).as("face %d (%d px) pixel (%d, %d), label %s, colour %06x", i, size, x, y,
                FaceLabels.name(face.label(x, y)), face.rgb(x, y)).isLessThanOrEqualTo(FaceRenderer.NOISE + 1);
            worst = Math.max(worst, residual);
            checked++;
          }
        }
      }
    }
    System.out.printf("label colour check: %d pixels off the borders, max channel distance to the label's"
        + " shaded colours %d (tolerance %d)%n", checked, worst, FaceRenderer.NOISE + 1);
  }

  @Test
  void partsHavePlausibleAreasAndPlaces() {
    int size = 128;
    for (int i = 0; i < 30; i++) {
      FaceParams params = SyntheticFaces.params(SEED, 200 + i);
      params = params.withPose(params.yaw(), 0);
      SyntheticFace face = FaceRenderer.render(params, size);
      Stats st = new Stats(face);
      String what = "face " + i + " " + params.hair().style() + " yaw " + params.yaw();
      for (int l : new int[] {FaceLabels.BACKGROUND, FaceLabels.SKIN, FaceLabels.NOSE, FaceLabels.U_LIP,
          FaceLabels.L_LIP, FaceLabels.NECK, FaceLabels.CLOTH}) {
        assertThat(st.area[l]).as("%s: area of %s", what, FaceLabels.name(l)).isGreaterThanOrEqualTo(8);
      }
      double n = size * size;
      assertThat(st.area[FaceLabels.SKIN] / n).as(what).isBetween(0.08, 0.45);
      assertThat(st.area[FaceLabels.NOSE] / n).as(what).isLessThan(0.05);
      assertThat(st.area[FaceLabels.HAIR] / n).as(what).isLessThan(0.6);
      assertThat(st.area[FaceLabels.CLOTH] / n).as(what).isBetween(0.02, 0.45);
      if (!params.accessories().sunglasses()) {
        for (int eye : new int[] {FaceLabels.L_EYE, FaceLabels.R_EYE}) {
          assertThat(st.area[eye]).as("%s: %s area", what, FaceLabels.name(eye)).isBetween(4, (int) (0.02 * n));
          assertThat(components(face, eye)).as("%s: %s pieces", what, FaceLabels.name(eye)).isEqualTo(1);
        }
        assertThat(st.cx(FaceLabels.L_EYE)).as(what).isLessThan(st.cx(FaceLabels.R_EYE));
        assertThat(st.cy(FaceLabels.NOSE)).as(what).isGreaterThan(st.cy(FaceLabels.L_EYE));
      }
      if (params.hair().style() != HairStyle.BALD && !params.accessories().hat()) {
        assertThat(st.area[FaceLabels.HAIR]).as(what).isGreaterThan(0);
      }
      if (params.hair().style() == HairStyle.BALD) {
        assertThat(st.area[FaceLabels.HAIR]).as(what).isZero();
      }
      for (int brow : new int[] {FaceLabels.L_BROW, FaceLabels.R_BROW}) {
        int eye = brow - 2;
        if (st.area[brow] > 0 && st.area[eye] > 0) {
          assertThat(st.cy(brow)).as("%s: %s above its eye", what, FaceLabels.name(brow)).isLessThan(st.cy(eye));
        }
      }
      assertThat(st.cy(FaceLabels.U_LIP)).as(what).isLessThan(st.cy(FaceLabels.L_LIP));
      assertThat(st.cy(FaceLabels.NOSE)).as(what).isLessThan(st.cy(FaceLabels.U_LIP));
      assertThat(st.cy(FaceLabels.CLOTH)).as(what).isGreaterThan(st.cy(FaceLabels.U_LIP));
      double cx = params.head().centerX() * size;
      if (st.area[FaceLabels.L_EAR] > 0) {
        assertThat(st.cx(FaceLabels.L_EAR)).as(what).isLessThan(cx);
      }
      if (st.area[FaceLabels.R_EAR] > 0) {
        assertThat(st.cx(FaceLabels.R_EAR)).as(what).isGreaterThan(cx);
      }
      // face features stay inside the head oval (the nose may stand out a little when turned)
      double w = params.head().width() * size;
      double h = params.head().height() * size;
      double cy = params.head().centerY() * size;
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int l = face.label(x, y);
          boolean feature = l == FaceLabels.NOSE || (l >= FaceLabels.L_EYE && l <= FaceLabels.R_BROW)
              || (l >= FaceLabels.MOUTH && l <= FaceLabels.L_LIP);
          if (feature) {
            double r = Math.pow((x + 0.5 - cx) / w, 2) + Math.pow((y + 0.5 - cy) / h, 2);
            assertThat(r).as("%s: %s pixel (%d, %d) inside the head", what, FaceLabels.name(l), x, y)
                .isLessThan(l == FaceLabels.NOSE ? 1.3 : 1.0);
          }
        }
      }
    }
  }

  @Test
  void yawTurnsTheFaceAndTiltRotatesIt() {
    int size = 128;
    for (int i = 0; i < 10; i++) {
      FaceParams params = SyntheticFaces.params(SEED, 300 + i);
      double cx = params.head().centerX() * size;
      double w = params.head().width() * size;
      Stats right = new Stats(FaceRenderer.render(params.withPose(1, 0), size));
      Stats left = new Stats(FaceRenderer.render(params.withPose(-1, 0), size));
      assertThat(right.cx(FaceLabels.NOSE) - cx).as("face %d turned right", i).isGreaterThan(0.3 * w);
      assertThat(left.cx(FaceLabels.NOSE) - cx).as("face %d turned left", i).isLessThan(-0.3 * w);
      boolean earsShow = !params.accessories().hat()
          && params.hair().style() != HairStyle.LONG && params.hair().style() != HairStyle.BOB;
      if (earsShow) {
        assertThat(right.area[FaceLabels.L_EAR]).as("face %d: near ear shows more", i)
            .isGreaterThan(right.area[FaceLabels.R_EAR]);
        assertThat(left.area[FaceLabels.R_EAR]).isGreaterThan(left.area[FaceLabels.L_EAR]);
      }
      if (!params.accessories().sunglasses()) {
        double tilt = 0.3;
        Stats tilted = new Stats(FaceRenderer.render(params.withPose(0, tilt), size));
        double angle = Math.atan2(tilted.cy(FaceLabels.R_EYE) - tilted.cy(FaceLabels.L_EYE),
            tilted.cx(FaceLabels.R_EYE) - tilted.cx(FaceLabels.L_EYE));
        System.out.printf("face %d: eye line at %.3f rad for tilt %.2f%n", i, angle, tilt);
        assertThat(angle).isCloseTo(tilt, org.assertj.core.data.Offset.offset(0.08));
      }
    }
  }

  /** Label borders carry lines; regions without inner detail (background, skin, neck) are white inside. */
  @Test
  void sketchDrawsTheLabelBorders() {
    for (int size : new int[] {64, 256}) {
      for (int i = 0; i < 6; i++) {
        SyntheticFace face = SyntheticFaces.sample(SEED, 400 + i, size);
        byte[] sketch = bytes(face.sketch());
        byte[] labels = face.labels();
        boolean[] border = FaceRenderer.borders(labels, size);
        int lines = 0;
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            int k = y * size + x;
            int l = labels[k];
            int value = sketch[k] & 0xff;
            if (!border[k] && (l == FaceLabels.BACKGROUND || l == FaceLabels.SKIN || l == FaceLabels.NECK)) {
              assertThat(value).as("white inside %s at (%d, %d)", FaceLabels.name(l), x, y).isEqualTo(255);
            }
            for (int j : new int[] {x + 1 < size ? k + 1 : -1, y + 1 < size ? k + size : -1}) {
              if (j >= 0 && labels[j] != l) {
                int darkest = Math.min(value, sketch[j] & 0xff);
                assertThat(darkest).as("line between %s and %s near (%d, %d)", FaceLabels.name(l),
                    FaceLabels.name(labels[j]), x, y).isLessThanOrEqualTo(180);
                lines++;
              }
            }
          }
        }
        assertThat(lines).isGreaterThan(size);
      }
    }
  }

  /** The largest channel distance from {@code rgb} to the nearest shaded base colour, over the shade grid. */
  private static int residual(int rgb, int[] bases) {
    int best = Integer.MAX_VALUE;
    for (int base : bases) {
      for (double s = FaceGeometry.MIN_SHADE; s <= FaceGeometry.MAX_SHADE + 1e-9; s += 0.002) {
        int e = Palettes.scale(base, s);
        int d = Math.max(Math.abs(((rgb >> 16) & 0xff) - ((e >> 16) & 0xff)),
            Math.max(Math.abs(((rgb >> 8) & 0xff) - ((e >> 8) & 0xff)), Math.abs((rgb & 0xff) - (e & 0xff))));
        best = Math.min(best, d);
      }
    }
    return best;
  }

  /** 4-connected components of one label. */
  private static int components(SyntheticFace face, int label) {
    int size = face.size();
    byte[] labels = face.labels();
    boolean[] seen = new boolean[labels.length];
    int count = 0;
    int[] stack = new int[labels.length];
    for (int start = 0; start < labels.length; start++) {
      if (labels[start] != label || seen[start]) {
        continue;
      }
      count++;
      int top = 0;
      stack[top++] = start;
      seen[start] = true;
      while (top > 0) {
        int k = stack[--top];
        int x = k % size;
        int y = k / size;
        int[] next = {x > 0 ? k - 1 : -1, x + 1 < size ? k + 1 : -1, y > 0 ? k - size : -1, y + 1 < size ? k + size : -1};
        for (int j : next) {
          if (j >= 0 && !seen[j] && labels[j] == label) {
            seen[j] = true;
            stack[top++] = j;
          }
        }
      }
    }
    return count;
  }

  static int[] pixels(BufferedImage im) {
    return im.getRGB(0, 0, im.getWidth(), im.getHeight(), null, 0, im.getWidth());
  }

  static byte[] bytes(BufferedImage gray) {
    assertThat(gray.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
    return ((DataBufferByte) gray.getRaster().getDataBuffer()).getData().clone();
  }

  /** Area and centroid of every label. */
  private static final class Stats {
    final int[] area = new int[FaceLabels.COUNT];
    final double[] sx = new double[FaceLabels.COUNT];
    final double[] sy = new double[FaceLabels.COUNT];

    Stats(SyntheticFace face) {
      for (int y = 0; y < face.size(); y++) {
        for (int x = 0; x < face.size(); x++) {
          int l = face.label(x, y);
          area[l]++;
          sx[l] += x + 0.5;
          sy[l] += y + 0.5;
        }
      }
    }

    double cx(int l) {
      assertThat(area[l]).as("%s present", FaceLabels.name(l)).isPositive();
      return sx[l] / area[l];
    }

    double cy(int l) {
      assertThat(area[l]).as("%s present", FaceLabels.name(l)).isPositive();
      return sy[l] / area[l];
    }
  }
}
