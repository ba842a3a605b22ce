package dev.psp.align;

/**
 * Puts a translated face back into the photo it was aligned from: each photo pixel inside the crop
 * is mapped into the face image by the inverse of the alignment ({@link AlignedFace#toAligned}),
 * sampled bilinearly, and blended in with a mask that rises smoothly (smoothstep) from the photo to
 * the face over the outer {@code feather} fraction of the crop, so no seam shows where the crop ends.
 *
 * <p>Any square face size works (a 256 px model output for a 1024 px alignment, say): positions are
 * taken relative to the crop. Stateless and thread-safe.
 */
public final class PasteBack {
  /** The default feather width, as a fraction of the crop's side. */
  public static final double DEFAULT_FEATHER = 0.1;

  private PasteBack() {}

  /** {@link #paste(RgbImage, AlignedFace, RgbImage, double)} with {@link #DEFAULT_FEATHER}. */
  public static RgbImage paste(RgbImage photo, AlignedFace aligned, RgbImage face) {
    return paste(photo, aligned, face, DEFAULT_FEATHER);
  }

  /**
   * The photo with {@code face} pasted where {@code aligned} was cut out ({@link AlignedFace#quad()}).
   *
   * @param photo the photo {@code aligned} came from
   * @param aligned the alignment, whose crop {@code face} replaces
   * @param face the image to paste, covering the whole crop (any size)
   * @param feather the blend ramp's width as a fraction of the crop's side, in (0, 0.5]
   * @return a new image; {@code photo} is not changed
   */
  public static RgbImage paste(RgbImage photo, AlignedFace aligned, RgbImage face, double feather) {
    if (!(feather > 0 && feather <= 0.5)) {
      throw new IllegalArgumentException("feather must be in (0, 0.5], got " + feather);
    }
    double[] quad = aligned.quad();
    double side = aligned.size();
    int w = photo.width();
    int h = photo.height();
    byte[][] out = {photo.copyPlane(0), photo.copyPlane(1), photo.copyPlane(2)};
    byte[][] src = {face.copyPlane(0), face.copyPlane(1), face.copyPlane(2)};
    int x0 = Math.max(0, (int) Math.floor(min(quad, 0)));
    int x1 = Math.min(w, (int) Math.ceil(max(quad, 0)));
    int y0 = Math.max(0, (int) Math.floor(min(quad, 1)));
    int y1 = Math.min(h, (int) Math.ceil(max(quad, 1)));
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        double[] uv = aligned.toAligned(x + 0.5, y + 0.5);
        double u = uv[0] / side;
        double v = uv[1] / side;
        if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1)) {
          continue;
        }
        double edge = Math.min(Math.min(u, 1 - u), Math.min(v, 1 - v)) / feather;
        double m = edge >= 1 ? 1 : edge * edge * (3 - 2 * edge);
        if (m <= 0) {
          continue;
        }
        int at = y * w + x;
        for (int c = 0; c < 3; c++) {
          double f = sample(src[c], face.width(), face.height(), u * face.width() - 0.5, v * face.height() - 0.5);
          double p = out[c][at] & 0xFF;
          long r = Math.round(p + (f - p) * m);
          out[c][at] = (byte) Math.max(0, Math.min(255, r));
        }
      }
    }
    return RgbImage.ofPlanes(w, h, out);
  }

  /** Bilinear sample at continuous position (x, y) in pixel-centre units, edges clamped. */
  static double sample(byte[] plane, int w, int h, double x, double y) {
    x = Math.max(0, Math.min(w - 1, x));
    y = Math.max(0, Math.min(h - 1, y));
    int ix = Math.min((int) x, w - 2 < 0 ? 0 : w - 2);
    int iy = Math.min((int) y, h - 2 < 0 ? 0 : h - 2);
    double fx = x - ix;
    double fy = y - iy;
    int ix1 = Math.min(ix + 1, w - 1);
    int iy1 = Math.min(iy + 1, h - 1);
    double a = plane[iy * w + ix] & 0xFF;
    double b = plane[iy * w + ix1] & 0xFF;
    double c = plane[iy1 * w + ix] & 0xFF;
    double d = plane[iy1 * w + ix1] & 0xFF;
    double top = a + (b - a) * fx;
    double bottom = c + (d - c) * fx;
    return top + (bottom - top) * fy;
  }

  private static double min(double[] q, int off) {
    return Math.min(Math.min(q[off], q[off + 2]), Math.min(q[off + 4], q[off + 6]));
  }

  private static double max(double[] q, int off) {
    return Math.max(Math.max(q[off], q[off + 2]), Math.max(q[off + 4], q[off + 6]));
  }
}
