package dev.psp.align;

/**
 * The oriented crop square of the FFHQ alignment (Karras et al., "A Style-Based Generator Architecture
 * for Generative Adversarial Networks", CVPR 2019, dataset tool {@code recreate_aligned_images}), computed
 * from the eye and mouth landmarks with numpy's operations in numpy's order, so every corner is the same
 * double as in the official {@code align_face}.
 *
 * <p>The centre is {@code eye_avg + 0.1 * eye_to_mouth}; the half-side vector {@code x} points along
 * {@code eye_to_eye} rotated towards the mouth axis and has length
 * {@code max(2 |eye_to_eye|, 1.8 |eye_to_mouth|)}; {@code y} is {@code x} turned by 90 degrees. Corner
 * coordinates are in the landmarks' frame (integer landmark {@code k} = pixel {@code k}).
 *
 * @param corners {@code c-x-y, c-x+y, c+x+y, c+x-y} as {@code x0, y0, ..., x3, y3}
 * @param size the side length {@code 2 |x|} ({@code qsize} in the official script)
 */
record FaceQuad(double[] corners, double size) {
  /** The official crop square for these landmarks. */
  static FaceQuad of(Landmarks lm) {
    double[] eyeLeft = mean(lm, 36, 42);
    double[] eyeRight = mean(lm, 42, 48);
    double eyeAvgX = (eyeLeft[0] + eyeRight[0]) * 0.5;
    double eyeAvgY = (eyeLeft[1] + eyeRight[1]) * 0.5;
    double eyeToEyeX = eyeRight[0] - eyeLeft[0];
    double eyeToEyeY = eyeRight[1] - eyeLeft[1];
    // mouth corners: integer sum, then * 0.5 (numpy adds the int64 rows before scaling)
    double mouthAvgX = (lm.x(48) + lm.x(54)) * 0.5;
    double mouthAvgY = (lm.y(48) + lm.y(54)) * 0.5;
    double eyeToMouthX = mouthAvgX - eyeAvgX;
    double eyeToMouthY = mouthAvgY - eyeAvgY;

    // x = eye_to_eye - flipud(eye_to_mouth) * [-1, 1]
    double xx = eyeToEyeX + eyeToMouthY;
    double xy = eyeToEyeY - eyeToMouthX;
    double norm = NumpyArithmetic.hypot(xx, xy);
    xx /= norm;
    xy /= norm;
    double a = NumpyArithmetic.hypot(eyeToEyeX, eyeToEyeY) * 2.0;
    double b = NumpyArithmetic.hypot(eyeToMouthX, eyeToMouthY) * 1.8;
    double scale = b > a ? b : a; // Python's max keeps the first of equal values
    xx *= scale;
    xy *= scale;
    // y = flipud(x) * [-1, 1]
    double yx = -xy;
    double yy = xx;
    double cx = eyeAvgX + eyeToMouthX * 0.1;
    double cy = eyeAvgY + eyeToMouthY * 0.1;
    double[] corners = {
      cx - xx - yx, cy - xy - yy,
      cx - xx + yx, cy - xy + yy,
      cx + xx + yx, cy + xy + yy,
      cx + xx - yx, cy + xy - yy,
    };
    double size = NumpyArithmetic.hypot(xx, xy) * 2;
    if (!(size > 0) || Double.isInfinite(size)) {
      throw new IllegalArgumentException("landmarks are degenerate: the eyes and the mouth corners give no"
          + " crop square (size " + size + "); pass the 68 points of one detected face");
    }
    return new FaceQuad(corners, size);
  }

  /** {@code np.mean(lm[from:to], axis=0)}: an exact integer sum divided once. */
  private static double[] mean(Landmarks lm, int from, int to) {
    long sx = 0;
    long sy = 0;
    for (int i = from; i < to; i++) {
      sx += lm.x(i);
      sy += lm.y(i);
    }
    return new double[] {(double) sx / (to - from), (double) sy / (to - from)};
  }
}
