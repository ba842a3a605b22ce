package dev.psp.align.dlib;

import java.util.ArrayList;
import java.util.List;

/**
 * One detector filter as dlib applies it ({@code scan_fhog_pyramid::build_fhog_filterbank}): each of
 * the 31 planes' 10x10 weights split by an SVD into rank-one terms, a term kept when its singular
 * value is at least {@code max(1e-4, 0.001 * largest)}, its row and column vectors scaled by the square
 * root of the singular value and rounded to float. Immutable.
 */
final class SeparableFilterBank {
  static final int SIZE = 10;

  /** Per plane, the kept terms in descending singular value: {@code rows[p][j]}, {@code cols[p][j]}. */
  final float[][][] rows;
  final float[][][] cols;
  /** The detection threshold, the weight vector's last element. */
  final double threshold;

  private SeparableFilterBank(float[][][] rows, float[][][] cols, double threshold) {
    this.rows = rows;
    this.cols = cols;
    this.threshold = threshold;
  }

  /** The bank of a weight vector of {@code 31*10*10 + 1} values (plane-major, row-major, threshold last). */
  static SeparableFilterBank of(double[] w) {
    int n = SIZE * SIZE;
    if (w.length != Fhog.PLANES * n + 1) {
      throw new IllegalArgumentException("weight vector has " + w.length + " values, expected " + (Fhog.PLANES * n + 1));
    }
    float[][][] rows = new float[Fhog.PLANES][][];
    float[][][] cols = new float[Fhog.PLANES][][];
    for (int p = 0; p < Fhog.PLANES; p++) {
      double[] f = new double[n];
      System.arraycopy(w, p * n, f, 0, n);
      JacobiSvd.Result svd = JacobiSvd.decompose(f, SIZE);
      double keep = Math.max(1e-4, svd.s()[0] * 0.001);
      List<float[]> rs = new ArrayList<>();
      List<float[]> cs = new ArrayList<>();
      for (int j = 0; j < SIZE; j++) {
        if (svd.s()[j] < keep) {
          continue;
        }
        double scale = Math.sqrt(svd.s()[j]);
        float[] row = new float[SIZE];
        float[] col = new float[SIZE];
        for (int i = 0; i < SIZE; i++) {
          col[i] = (float) (svd.u()[i][j] * scale);
          row[i] = (float) (svd.v()[i][j] * scale);
        }
        rs.add(row);
        cs.add(col);
      }
      rows[p] = rs.toArray(new float[0][]);
      cols[p] = cs.toArray(new float[0][]);
    }
    return new SeparableFilterBank(rows, cols, w[w.length - 1]);
  }

  /** Rank-one terms over all planes. */
  int terms() {
    int t = 0;
    for (float[][] r : rows) {
      t += r.length;
    }
    return t;
  }
}
