package dev.psp.align.dlib;

/**
 * dlib's bilinear {@code resize_image} for RGB images, to the bit: output columns in blocks of four
 * whose source positions accumulate in float (dlib's SIMD path), the remaining columns in double,
 * every sample truncated to 8 bits. Used by {@code pyramid_up} and by each {@code pyramid_down<6>}
 * level. Stateless.
 */
final class DlibResize {
  private DlibResize() {}

  /** {@code in} resized onto a new {@code outWidth x outHeight} image (whole image onto whole image). */
  static Rgb8 resize(Rgb8 in, int outWidth, int outHeight) {
    Rgb8 out = new Rgb8(outWidth, outHeight);
    int inC = in.width;
    int inR = in.height;
    double xs = (inC - 1) / (double) Math.max(outWidth - 1, 1);
    double ys = (inR - 1) / (double) Math.max(outHeight - 1, 1);
    float step = (float) (4 * xs);
    double x0 = -4 * xs;
    float[] start = {(float) x0, (float) (x0 + xs), (float) (x0 + 2 * xs), (float) (x0 + 3 * xs)};
    // the vector part's column geometry is the same for every row: compute it once
    int blocks = 0;
    float[] lanes = start.clone();
    int[] left = new int[outWidth];
    float[] lr = new float[outWidth];
    float[] ilr = new float[outWidth];
    while (true) {
      for (int k = 0; k < 4; k++) {
        lanes[k] = lanes[k] + step;
      }
      // dlib stops when lane 3's right neighbour leaves the input; past the last output column it
      // always does, the second test only guards degenerate sizes
      if ((int) lanes[3] + 1 >= inC || 4 * blocks + 4 > outWidth) {
        break;
      }
      for (int k = 0; k < 4; k++) {
        int c = 4 * blocks + k;
        left[c] = (int) lanes[k];
        lr[c] = lanes[k] - left[c];
        ilr[c] = 1.0f - lr[c];
      }
      blocks++;
    }
    int vectorCols = 4 * blocks;
    double y = -ys;
    for (int r = 0; r < outHeight; r++) {
      y += ys;
      int top = (int) Math.floor(y);
      int bot = Math.min(top + 1, inR - 1);
      double tb = y - top;
      float tbf = (float) tb;
      float itbf = (float) (1 - tb);
      int topRow = top * inC;
      int botRow = bot * inC;
      int outRow = r * outWidth;
      for (int ch = 0; ch < 3; ch++) {
        byte[] src = in.planes[ch];
        byte[] dst = out.planes[ch];
        for (int c = 0; c < vectorCols; c++) {
          int l = left[c];
          float wtl = itbf * ilr[c];
          float wtr = itbf * lr[c];
          float wbl = tbf * ilr[c];
          float wbr = tbf * lr[c];
          float v = wtl * (src[topRow + l] & 0xFF) + wtr * (src[topRow + l + 1] & 0xFF);
          v = v + wbl * (src[botRow + l] & 0xFF);
          v = v + wbr * (src[botRow + l + 1] & 0xFF);
          dst[outRow + c] = (byte) (int) v;
        }
        double x = -xs + vectorCols * xs;
        for (int c = vectorCols; c < outWidth; c++) {
          x += xs;
          int l = (int) Math.floor(x);
          int rt = Math.min(l + 1, inC - 1);
          double f = x - l;
          double v = (1 - tb) * ((1 - f) * (src[topRow + l] & 0xFF) + f * (src[topRow + rt] & 0xFF))
              + tb * ((1 - f) * (src[botRow + l] & 0xFF) + f * (src[botRow + rt] & 0xFF));
          dst[outRow + c] = (byte) (int) v;
        }
      }
    }
    return out;
  }
}
