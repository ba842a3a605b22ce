package dev.psp.align;

/**
 * The geometric decisions of the official {@code align_face} for one face in one photo, taken once
 * before any pixel is touched: shrink factor, crop box, padding, blur radius and the quadrilateral the
 * final transform samples. Every quantity is computed with the script's expressions in its order.
 *
 * <ol>
 *   <li>Shrink: {@code shrink = floor(qsize / output_size / 2)}; if above 1 the photo is resized with
 *       Lanczos to {@code rint(W / shrink) x rint(H / shrink)} and the quad and {@code qsize} are divided.
 *   <li>Crop: the quad's bounding box grown by {@code border = max(rint(0.1 qsize), 3)}, clipped to the
 *       image, applied only when smaller than the image.
 *   <li>Pad: how far the quad (plus border) sticks out of the crop; if any side exceeds {@code border - 4}
 *       every side is raised to at least {@code rint(0.3 qsize)} and the image is reflect-padded and
 *       feathered ({@link FeatheredPad}) with a blur of {@code 0.02 qsize}.
 *   <li>Transform: the quad, shifted by crop and pad, plus 0.5 (Pillow's pixel-centre convention).
 * </ol>
 *
 * <p>Immutable.
 */
final class CropPlan {
  private final FaceQuad face;
  private final int photoWidth;
  private final int photoHeight;
  private final int shrink;
  private final int resizedWidth;
  private final int resizedHeight;
  private final int[] crop; // x0, y0, x1, y1 in the resized photo; null when not cropped
  private final int croppedWidth;
  private final int croppedHeight;
  private final int[] pad; // left, top, right, bottom; null when not padded
  private final double qsize;
  private final double[] transformQuad;

  private CropPlan(FaceQuad face, int photoWidth, int photoHeight, int outputSize) {
    this.face = face;
    this.photoWidth = photoWidth;
    this.photoHeight = photoHeight;
    double[] quad = face.corners().clone();
    double size = face.size();

    int s = (int) Math.floor(size / outputSize * 0.5);
    int w = photoWidth;
    int h = photoHeight;
    if (s > 1) {
      w = (int) Math.rint((double) photoWidth / s);
      h = (int) Math.rint((double) photoHeight / s);
      for (int i = 0; i < 8; i++) {
        quad[i] /= s;
      }
      size /= s;
    }
    this.shrink = Math.max(s, 1);
    this.resizedWidth = w;
    this.resizedHeight = h;

    int border = Math.max((int) Math.rint(size * 0.1), 3);
    int[] c = {
      Math.max((int) Math.floor(min(quad, 0)) - border, 0),
      Math.max((int) Math.floor(min(quad, 1)) - border, 0),
      Math.min((int) Math.ceil(max(quad, 0)) + border, w),
      Math.min((int) Math.ceil(max(quad, 1)) + border, h),
    };
    if (c[2] - c[0] < w || c[3] - c[1] < h) {
      if (c[2] <= c[0] || c[3] <= c[1]) {
        throw new IllegalArgumentException("landmarks put the face outside the " + photoWidth + "x"
            + photoHeight + " photo (crop box " + c[0] + "," + c[1] + " to " + c[2] + "," + c[3]
            + "); pass landmarks detected in this photo");
      }
      for (int i = 0; i < 8; i += 2) {
        quad[i] -= c[0];
        quad[i + 1] -= c[1];
      }
      w = c[2] - c[0];
      h = c[3] - c[1];
      this.crop = c;
    } else {
      this.crop = null;
    }
    this.croppedWidth = w;
    this.croppedHeight = h;

    int[] p = {
      Math.max(-(int) Math.floor(min(quad, 0)) + border, 0),
      Math.max(-(int) Math.floor(min(quad, 1)) + border, 0),
      Math.max((int) Math.ceil(max(quad, 0)) - w + border, 0),
      Math.max((int) Math.ceil(max(quad, 1)) - h + border, 0),
    };
    if (Math.max(Math.max(p[0], p[1]), Math.max(p[2], p[3])) > border - 4) {
      int least = (int) Math.rint(size * 0.3);
      for (int i = 0; i < 4; i++) {
        p[i] = Math.max(p[i], least);
      }
      for (int i = 0; i < 8; i += 2) {
        quad[i] += p[0];
        quad[i + 1] += p[1];
      }
      this.pad = p;
    } else {
      this.pad = null;
    }
    this.qsize = size;
    for (int i = 0; i < 8; i++) {
      quad[i] += 0.5;
    }
    this.transformQuad = quad;
  }

  /** The plan for a face in a {@code photoWidth x photoHeight} photo aligned to {@code outputSize}. */
  static CropPlan of(FaceQuad face, int photoWidth, int photoHeight, int outputSize) {
    return new CropPlan(face, photoWidth, photoHeight, outputSize);
  }

  /** The shrink factor, 1 when the photo is used at full size. */
  int shrink() {
    return shrink;
  }

  /** Width of the photo after shrinking (the photo's own when not shrunk). */
  int resizedWidth() {
    return resizedWidth;
  }

  /** Height of the photo after shrinking. */
  int resizedHeight() {
    return resizedHeight;
  }

  /** The crop box {@code x0, y0, x1, y1} in the (resized) photo, or {@code null} when not cropped. */
  int[] crop() {
    return crop == null ? null : crop.clone();
  }

  /** Width of the image entering the padding step (after shrink and crop). */
  int croppedWidth() {
    return croppedWidth;
  }

  /** Height of the image entering the padding step. */
  int croppedHeight() {
    return croppedHeight;
  }

  /** Padding {@code left, top, right, bottom}, or {@code null} when the image is not padded. */
  int[] pad() {
    return pad == null ? null : pad.clone();
  }

  /** The standard deviation of the border blur, {@code 0.02 qsize} after shrinking. */
  double blurSigma() {
    return qsize * 0.02;
  }

  /** The 8 corner coordinates (NW, SW, SE, NE) passed to Pillow's {@code QUAD} transform. */
  double[] transformQuad() {
    return transformQuad.clone();
  }

  /**
   * The same corners in the original photo's continuous coordinates (pixel {@code k} spans
   * {@code [k, k+1)}): crop and pad offsets cancel, Pillow's half-pixel shift stays, and a shrunk
   * photo's coordinates are scaled back by {@code W / rint(W / shrink)} and {@code H / rint(H / shrink)}.
   */
  double[] photoQuad() {
    double[] q = face.corners();
    double[] out = new double[8];
    double kx = (double) photoWidth / resizedWidth;
    double ky = (double) photoHeight / resizedHeight;
    for (int i = 0; i < 8; i += 2) {
      out[i] = (q[i] / shrink + 0.5) * kx;
      out[i + 1] = (q[i + 1] / shrink + 0.5) * ky;
    }
    return out;
  }

  private static double min(double[] quad, int offset) {
    double m = quad[offset];
    for (int i = offset + 2; i < 8; i += 2) {
      m = Math.min(m, quad[i]);
    }
    return m;
  }

  private static double max(double[] quad, int offset) {
    double m = quad[offset];
    for (int i = offset + 2; i < 8; i += 2) {
      m = Math.max(m, quad[i]);
    }
    return m;
  }

  @Override
  public String toString() {
    return "CropPlan[shrink=" + shrink + ", resized=" + resizedWidth + "x" + resizedHeight
        + ", crop=" + java.util.Arrays.toString(crop) + ", pad=" + java.util.Arrays.toString(pad)
        + ", qsize=" + qsize + "]";
  }
}
