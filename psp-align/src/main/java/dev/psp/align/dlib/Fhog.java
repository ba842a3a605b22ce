package dev.psp.align.dlib;

/**
 * dlib's {@code extract_fhog_features} with 8-pixel cells: the 31-plane HOG of Felzenszwalb et al.
 * ("Object Detection with Discriminatively Trained Part Based Models", PAMI 2010) as dlib computes it,
 * to the bit: per pixel the colour channel with the strongest gradient, its orientation snapped to 18
 * bins, bilinear votes into cells, four block normalisations clipped at 0.2, then 18 contrast-sensitive,
 * 9 contrast-insensitive and 4 texture planes.
 *
 * <p>dlib handles pixel columns in blocks of eight (SIMD) and the rest one at a time, and the two paths
 * round differently (tie-break among channels, order of the vote products); both are reproduced. The
 * four-lane sums follow dlib's SSE4/AVX build (the one its Python wheels use). Stateless.
 */
final class Fhog {
  static final int PLANES = 31;
  static final int CELL = 8;

  private static final float EPS = 0.0001f;
  private static final float TEXTURE = (float) (2 * 0.2357);

  private Fhog() {}

  /**
   * The feature planes of {@code img}, padded for a filter of {@code padRows x padCols} cells:
   * {@code hogRows + padRows - 1} rows, features from row {@code (padRows-1)/2}, zeros around.
   *
   * @return the planes, or null when the image is too small to have any cell
   */
  static Planes extract(Rgb8 img, int padRows, int padCols) {
    int nr = img.height;
    int nc = img.width;
    int cellsR = (int) ((float) nr / (float) CELL + 0.5);
    int cellsC = (int) ((float) nc / (float) CELL + 0.5);
    int hogR = Math.max(cellsR - 2, 0);
    int hogC = Math.max(cellsC - 2, 0);
    if (hogR == 0 || hogC == 0) {
      return null;
    }
    int histC = cellsC + 2;
    float[] hist = new float[(cellsR + 2) * histC * 18];
    votes(img, cellsR, cellsC, hist, histC);

    float[] norm = new float[cellsR * cellsC];
    for (int r = 0; r < cellsR; r++) {
      for (int c = 0; c < cellsC; c++) {
        int h = ((r + 1) * histC + c + 1) * 18;
        float acc = 0;
        for (int o = 0; o < 9; o++) {
          float s = hist[h + o] + hist[h + o + 9];
          acc = acc + s * s;
        }
        norm[r * cellsC + c] = acc;
      }
    }

    Planes out = new Planes(hogR + padRows - 1, hogC + padCols - 1);
    int offR = (padRows - 1) / 2;
    int offC = (padCols - 1) / 2;
    float[] nn = new float[4];
    float[] q = new float[4];
    float[] t = new float[4];
    float[] h = new float[12];
    for (int y = 0; y < hogR; y++) {
      for (int x = 0; x < hogC; x++) {
        // lanes 0..3: the 2x2 blocks whose corner is this cell, below-right, above-right, below-left, above-left
        block(norm, cellsC, y + 1, x + 1, 0, nn, q);
        block(norm, cellsC, y, x + 1, 1, nn, q);
        block(norm, cellsC, y + 1, x, 2, nn, q);
        block(norm, cellsC, y, x, 3, nn, q);
        int hc = ((y + 2) * histC + x + 2) * 18;
        int at = (y + offR) * out.cols + x + offC;
        t[0] = 0;
        t[1] = 0;
        t[2] = 0;
        t[3] = 0;
        for (int o = 0; o < 18; o += 3) {
          for (int j = 0; j < 3; j++) {
            float v = hist[hc + o + j];
            for (int k = 0; k < 4; k++) {
              h[j * 4 + k] = Math.min(v, nn[k]) * q[k];
            }
            out.planes[o + j][at] = sum4(h, j * 4);
          }
          for (int k = 0; k < 4; k++) {
            t[k] = t[k] + (h[k] + h[4 + k] + h[8 + k]);
          }
        }
        for (int o = 0; o < 9; o++) {
          float v = hist[hc + o] + hist[hc + o + 9];
          for (int k = 0; k < 4; k++) {
            h[k] = Math.min(v, nn[k]) * q[k];
          }
          out.planes[18 + o][at] = sum4(h, 0);
        }
        for (int k = 0; k < 4; k++) {
          out.planes[27 + k][at] = t[k] * TEXTURE;
        }
      }
    }
    return out;
  }

  /** Gradient orientation votes of every visible pixel into the cell histograms (guard ring included). */
  private static void votes(Rgb8 img, int cellsR, int cellsC, float[] hist, int histC) {
    int nc = img.width;
    int visR = Math.min(cellsR * CELL, img.height) - 1;
    int visC = Math.min(cellsC * CELL, nc) - 1;
    // the first column dlib handles one at a time, after its blocks of eight
    int tailFrom = 1;
    while (tailFrom < visC - 7) {
      tailFrom += 8;
    }
    tailFrom = Math.min(tailFrom, visC);
    // horizontal vote weights depend on the column only
    int[] cell = new int[visC];
    float[] wx0 = new float[visC];
    float[] wx1 = new float[visC];
    for (int x = 1; x < visC; x++) {
      float xp = (float) (((double) x + 0.5) / (double) CELL - 0.5);
      int ix = (int) Math.floor(xp);
      cell[x] = (ix + 1) * 18;
      wx0[x] = xp - ix;
      wx1[x] = (float) (1.0 - wx0[x]);
    }
    byte[] bins = OrientationBins.TABLE;
    for (int y = 1; y < visR; y++) {
      float yp = (float) (((float) y + 0.5) / (float) CELL - 0.5);
      int iy = (int) Math.floor(yp);
      float vy0 = yp - iy;
      float vy1 = (float) (1.0 - vy0);
      int row = y * nc;
      int h0 = (iy + 1) * histC * 18;
      int h1 = (iy + 2) * histC * 18;
      // blocks of eight: ties between channels go to the later one; products (w_x * v) * w_y
      for (int x = 1; x < tailFrom; x++) {
        long g = strongestBlock(img, row + x, nc);
        float v = (float) Math.sqrt((float) (int) (g >>> 18));
        float a = wx1[x] * v;
        float b = wx0[x] * v;
        int c0 = cell[x] + bins[(int) (g & 0x3FFFF)];
        hist[h0 + c0] += vy1 * a;
        hist[h1 + c0] += vy0 * a;
        hist[h0 + c0 + 18] += vy1 * b;
        hist[h1 + c0 + 18] += vy0 * b;
      }
      // the tail: ties keep the earlier channel; products (w_y * w_x) * v
      for (int x = tailFrom; x < visC; x++) {
        long g = strongestTail(img, row + x, nc);
        float v = (float) Math.sqrt((float) (int) (g >>> 18));
        int c0 = cell[x] + bins[(int) (g & 0x3FFFF)];
        hist[h0 + c0] += vy1 * wx1[x] * v;
        hist[h1 + c0] += vy0 * wx1[x] * v;
        hist[h0 + c0 + 18] += vy1 * wx0[x] * v;
        hist[h1 + c0 + 18] += vy0 * wx0[x] * v;
      }
    }
  }

  /**
   * The gradient of the channel with the largest squared gradient at pixel {@code i}, ties to the later
   * channel, packed as {@code len << 18 | OrientationBins.index(dx, dy)}.
   */
  private static long strongestBlock(Rgb8 img, int i, int nc) {
    byte[] p = img.planes[0];
    int rx = (p[i + 1] & 0xFF) - (p[i - 1] & 0xFF);
    int ry = (p[i + nc] & 0xFF) - (p[i - nc] & 0xFF);
    p = img.planes[1];
    int gx = (p[i + 1] & 0xFF) - (p[i - 1] & 0xFF);
    int gy = (p[i + nc] & 0xFF) - (p[i - nc] & 0xFF);
    p = img.planes[2];
    int bx = (p[i + 1] & 0xFF) - (p[i - 1] & 0xFF);
    int by = (p[i + nc] & 0xFF) - (p[i - nc] & 0xFF);
    int rl = rx * rx + ry * ry;
    int gl = gx * gx + gy * gy;
    int bl = bx * bx + by * by;
    int dx = gx;
    int dy = gy;
    int len = gl;
    if (rl > gl) {
      dx = rx;
      dy = ry;
      len = rl;
    }
    if (!(len > bl)) {
      dx = bx;
      dy = by;
      len = bl;
    }
    return (long) len << 18 | OrientationBins.index(dx, dy);
  }

  /** As {@link #strongestBlock} with ties kept by the earlier channel. */
  private static long strongestTail(Rgb8 img, int i, int nc) {
    byte[] p = img.planes[0];
    int dx = (p[i + 1] & 0xFF) - (p[i - 1] & 0xFF);
    int dy = (p[i + nc] & 0xFF) - (p[i - nc] & 0xFF);
    int len = dx * dx + dy * dy;
    for (int c = 1; c < 3; c++) {
      p = img.planes[c];
      int cx = (p[i + 1] & 0xFF) - (p[i - 1] & 0xFF);
      int cy = (p[i + nc] & 0xFF) - (p[i - nc] & 0xFF);
      int l = cx * cx + cy * cy;
      if (l > len) {
        dx = cx;
        dy = cy;
        len = l;
      }
    }
    return (long) len << 18 | OrientationBins.index(dx, dy);
  }

  /** Lane {@code k}: the clip level {@code 0.2*sqrt(energy)} of the 2x2 block at (ty, tx) and its scale. */
  private static void block(float[] norm, int cellsC, int ty, int tx, int k, float[] nn, float[] q) {
    int a = ty * cellsC + tx;
    float s = norm[a] + norm[a + 1];
    s = s + norm[a + cellsC];
    s = s + norm[a + cellsC + 1];
    s = s + EPS;
    nn[k] = 0.2f * (float) Math.sqrt(s);
    q[k] = 0.1f / nn[k];
  }

  /** dlib's four-lane horizontal sum with SSE3 or later: {@code (l0 + l1) + (l2 + l3)}. */
  private static float sum4(float[] v, int at) {
    return (v[at] + v[at + 1]) + (v[at + 2] + v[at + 3]);
  }

  /** The 31 padded planes of one image, row-major, all the same size. */
  static final class Planes {
    final int rows;
    final int cols;
    final float[][] planes;

    Planes(int rows, int cols) {
      this.rows = rows;
      this.cols = cols;
      this.planes = new float[PLANES][rows * cols];
    }
  }
}
