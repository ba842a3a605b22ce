package dev.psp.align;

/**
 * Pillow's {@code Image.transform(size, QUAD, quad, BILINEAR)} for one 8-bit plane (Pillow 9.4,
 * {@code libImaging/Geometry.c}): output pixel centre {@code (u, v) = (i + 0.5, j + 0.5)} maps to
 * {@code X = a0 + a1 u + a2 v + a3 u v} (likewise {@code Y}), the bilinear map taking the output square
 * to the quadrilateral NW, SW, SE, NE; a source point outside {@code [0, W) x [0, H)} gives 0; otherwise
 * the bilinear interpolation of the four nearest pixel centres in double precision (edge pixels
 * repeated), truncated to an integer.
 *
 * <p>Stateless and thread-safe.
 */
final class PilQuadTransform {
  private PilQuadTransform() {}

  /**
   * Transforms a {@code width x height} plane (values 0..255, row-major) to {@code size x size}.
   *
   * @param quad {@code nw_x, nw_y, sw_x, sw_y, se_x, se_y, ne_x, ne_y} in the source's continuous
   *     coordinates (pixel {@code k} spans {@code [k, k+1)})
   */
  static int[] apply(int[] plane, int width, int height, int size, double[] quad) {
    double[] a = coefficients(quad, size, size);
    int[] out = new int[size * size];
    for (int j = 0; j < size; j++) {
      double v = j + 0.5;
      for (int i = 0; i < size; i++) {
        double u = i + 0.5;
        double xin = a[0] + a[1] * u + a[2] * v + a[3] * u * v;
        double yin = a[4] + a[5] * u + a[6] * v + a[7] * u * v;
        if (xin < 0.0 || xin >= width || yin < 0.0 || yin >= height) {
          continue;
        }
        xin -= 0.5;
        yin -= 0.5;
        int x = floor(xin);
        int y = floor(yin);
        double dx = xin - x;
        double dy = yin - y;
        int x0 = clamp(x, width);
        int x1 = clamp(x + 1, width);
        int row = clamp(y, height) * width;
        double p = plane[row + x0];
        double v1 = p + (plane[row + x1] - p) * dx;
        double v2;
        if (y + 1 >= 0 && y + 1 < height) {
          int below = (y + 1) * width;
          double q = plane[below + x0];
          v2 = q + (plane[below + x1] - q) * dx;
        } else {
          v2 = v1;
        }
        out[j * size + i] = (int) (v1 + (v2 - v1) * dy);
      }
    }
    return out;
  }

  /** Pillow's {@code Image.__transformer} for {@code QUAD}: the 8 bilinear coefficients. */
  static double[] coefficients(double[] quad, int width, int height) {
    double nwx = quad[0];
    double nwy = quad[1];
    double swx = quad[2];
    double swy = quad[3];
    double sex = quad[4];
    double sey = quad[5];
    double nex = quad[6];
    double ney = quad[7];
    double as = 1.0 / width;
    double at = 1.0 / height;
    return new double[] {
      nwx, (nex - nwx) * as, (swx - nwx) * at, (sex - swx - nex + nwx) * as * at,
      nwy, (ney - nwy) * as, (swy - nwy) * at, (sey - swy - ney + nwy) * as * at,
    };
  }

  /** Pillow's {@code FLOOR}: a C cast for non-negative values, {@code floor} below zero. */
  private static int floor(double v) {
    return v < 0.0 ? (int) Math.floor(v) : (int) v;
  }

  private static int clamp(int i, int n) {
    return i < 0 ? 0 : i < n ? i : n - 1;
  }
}
