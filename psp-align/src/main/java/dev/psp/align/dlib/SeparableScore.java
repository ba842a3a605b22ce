package dev.psp.align.dlib;

/**
 * The score image of one filter over one level's fHOG planes: for every plane and rank-one term, a
 * 10-tap correlation along rows then along columns, summed term by term in dlib's order
 * ({@code float_spatially_filter_image_separable}). Columns in dlib's blocks of eight add their ten
 * products in three interleaved partial sums, the remaining columns add them in sequence; both are
 * reproduced so the scores are dlib's to the bit. Stateless.
 */
final class SeparableScore {
  private static final int K = SeparableFilterBank.SIZE;
  private static final int HALF = K / 2;

  private SeparableScore() {}

  /**
   * Scores every window centre; only positions {@code [5, rows-5] x [5, cols-5]} are meaningful.
   *
   * @return {@code rows*cols} floats, row-major
   */
  static float[] score(Fhog.Planes feats, SeparableFilterBank bank) {
    int rows = feats.rows;
    int cols = feats.cols;
    float[] score = new float[rows * cols];
    float[] h = new float[rows * cols];
    int firstCol = HALF;
    int lastCol = cols - (K - 1) / 2; // exclusive
    int firstRow = HALF;
    int lastRow = rows - (K - 1) / 2;
    if (lastCol <= firstCol || lastRow <= firstRow) {
      return score;
    }
    int blockEnd = firstCol + 8 * ((lastCol - firstCol) / 8);
    boolean first = true;
    for (int p = 0; p < Fhog.PLANES; p++) {
      float[] img = feats.planes[p];
      for (int j = 0; j < bank.rows[p].length; j++) {
        float[] rf = bank.rows[p][j];
        float[] cf = bank.cols[p][j];
        for (int y = 0; y < rows; y++) {
          horizontal(img, h, y * cols, firstCol, blockEnd, lastCol, rf);
        }
        for (int y = firstRow; y < lastRow; y++) {
          vertical(h, score, y, cols, firstCol, blockEnd, lastCol, cf, first);
        }
        first = false;
      }
    }
    return score;
  }

  private static void horizontal(float[] img, float[] h, int row, int from, int blockEnd, int to, float[] f) {
    float f0 = f[0];
    float f1 = f[1];
    float f2 = f[2];
    float f3 = f[3];
    float f4 = f[4];
    float f5 = f[5];
    float f6 = f[6];
    float f7 = f[7];
    float f8 = f[8];
    float f9 = f[9];
    int base = row - HALF;
    for (int c = from; c < blockEnd; c++) {
      int i = base + c;
      float a = img[i] * f0;
      a = a + img[i + 3] * f3;
      a = a + img[i + 6] * f6;
      a = a + img[i + 9] * f9;
      float b = img[i + 1] * f1;
      b = b + img[i + 4] * f4;
      b = b + img[i + 7] * f7;
      float d = img[i + 2] * f2;
      d = d + img[i + 5] * f5;
      d = d + img[i + 8] * f8;
      h[row + c] = a + (b + d);
    }
    for (int c = blockEnd; c < to; c++) {
      int i = base + c;
      float s = img[i] * f0;
      s = s + img[i + 1] * f1;
      s = s + img[i + 2] * f2;
      s = s + img[i + 3] * f3;
      s = s + img[i + 4] * f4;
      s = s + img[i + 5] * f5;
      s = s + img[i + 6] * f6;
      s = s + img[i + 7] * f7;
      s = s + img[i + 8] * f8;
      s = s + img[i + 9] * f9;
      h[row + c] = s;
    }
  }

  private static void vertical(float[] h, float[] score, int y, int cols, int from, int blockEnd, int to, float[] f,
      boolean overwrite) {
    float f0 = f[0];
    float f1 = f[1];
    float f2 = f[2];
    float f3 = f[3];
    float f4 = f[4];
    float f5 = f[5];
    float f6 = f[6];
    float f7 = f[7];
    float f8 = f[8];
    float f9 = f[9];
    int r0 = (y - HALF) * cols;
    int out = y * cols;
    int c1 = cols;
    int c2 = 2 * cols;
    int c3 = 3 * cols;
    int c4 = 4 * cols;
    int c5 = 5 * cols;
    int c6 = 6 * cols;
    int c7 = 7 * cols;
    int c8 = 8 * cols;
    int c9 = 9 * cols;
    for (int c = from; c < blockEnd; c++) {
      int i = r0 + c;
      float a = h[i] * f0;
      a = a + h[i + c3] * f3;
      a = a + h[i + c6] * f6;
      a = a + h[i + c9] * f9;
      float b = h[i + c1] * f1;
      b = b + h[i + c4] * f4;
      b = b + h[i + c7] * f7;
      float d = h[i + c2] * f2;
      d = d + h[i + c5] * f5;
      d = d + h[i + c8] * f8;
      float t = a + (b + d);
      score[out + c] = overwrite ? t : score[out + c] + t;
    }
    for (int c = blockEnd; c < to; c++) {
      int i = r0 + c;
      float s = h[i] * f0;
      s = s + h[i + c1] * f1;
      s = s + h[i + c2] * f2;
      s = s + h[i + c3] * f3;
      s = s + h[i + c4] * f4;
      s = s + h[i + c5] * f5;
      s = s + h[i + c6] * f6;
      s = s + h[i + c7] * f7;
      s = s + h[i + c8] * f8;
      s = s + h[i + c9] * f9;
      score[out + c] = overwrite ? s : score[out + c] + s;
    }
  }
}
