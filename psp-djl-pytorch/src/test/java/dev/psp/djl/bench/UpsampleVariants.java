package dev.psp.djl.bench;

import dev.psp.nn.TensorOps;
import java.util.List;

/**
 * Candidate computations of "stride-2 transposed 3×3 conv, then Blur([1,3,3,1]×4, pad (1,1))" for
 * x {@code [1,I,H,W]} and an already modulated weight {@code [O,I,3,3]}, for timing only.
 */
final class UpsampleVariants {
  private UpsampleVariants() {}

  /** 1-D: tap t of phase p (K=2 taps, pad 1) reads filter tap j = p + 2·(1-t), if j < 3. */
  static int tapIndex(int p, int t) {
    int j = p + 2 * (1 - t);
    return j < 3 ? j : -1;
  }

  /** {@code [9, 4·2·2]} fold matrix: 3×3 filter to four 2×2 phase kernels (phase-major). */
  static float[] fold2x2() {
    float[] m = new float[9 * 16];
    for (int py = 0; py < 2; py++) {
      for (int px = 0; px < 2; px++) {
        for (int ty = 0; ty < 2; ty++) {
          for (int tx = 0; tx < 2; tx++) {
            int jy = tapIndex(py, ty);
            int jx = tapIndex(px, tx);
            if (jy >= 0 && jx >= 0) {
              m[(jy * 3 + jx) * 16 + ((py * 2 + px) * 2 + ty) * 2 + tx] = 1;
            }
          }
        }
      }
    }
    return m;
  }

  /** Phase kernels {@code [4·O, I, 2, 2]}, phase-major (phaseMajor) or {@code o}-major. */
  static <T> T phaseWeights(TensorOps<T> ops, T w, long o, long i, boolean phaseMajor) {
    T wf = ops.matmul(ops.reshape(w, o * i, 9), ops.constant(fold2x2(), 9, 16));
    wf = ops.reshape(wf, o, i, 4, 2, 2);
    if (phaseMajor) {
      return ops.reshape(ops.permute(wf, 2, 0, 1, 3, 4), 4 * o, i, 2, 2);
    }
    return ops.reshape(ops.permute(wf, 0, 2, 1, 3, 4), 4 * o, i, 2, 2);
  }

  static final float[] BLUR4 = blur4();

  static float[] blur4() {
    double[] k = {0.25, 0.75, 0.75, 0.25};
    float[] m = new float[16];
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        m[a * 4 + b] = (float) (k[a] * k[b]);
      }
    }
    return m;
  }

  /** V1: one 2×2 conv (16 MACs), pixel shuffle, 4×4 blur on [O,1,·,·], slice. */
  static <T> T v1(TensorOps<T> ops, T x, T w, boolean separable) {
    long[] s = ops.shape(x);
    long i = s[1];
    long h = s[2];
    long wd = s[3];
    long o = ops.shape(w)[0];
    T y = ops.conv2d(x, phaseWeights(ops, w, o, i, true), null, 1, 1); // [1,4O,H+1,W+1]
    y = ops.reshape(y, 2, 2, o, h + 1, wd + 1);
    y = ops.reshape(ops.permute(y, 2, 3, 0, 4, 1), o, 1, 2 * h + 2, 2 * wd + 2);
    return blur(ops, y, o, h, wd, separable);
  }

  static <T> T blur(TensorOps<T> ops, T y, long o, long h, long wd, boolean separable) {
    if (separable) {
      float[] k = {0.25f, 0.75f, 0.75f, 0.25f};
      T b = ops.conv2d(y, ops.constant(k, 1, 1, 4, 1), null, 1, 1); // [O,1,2H+1,2W+5]
      b = ops.slice(b, 3, 1, 2 * wd + 5 - 1);
      b = ops.conv2d(b, ops.constant(k, 1, 1, 1, 4), null, 1, 1); // [O,1,2H+3, 2W+1]
      b = ops.slice(ops.slice(b, 2, 1, 2 * h + 1), 3, 0, 2 * wd);
      return ops.reshape(b, 1, o, 2 * h, 2 * wd);
    }
    T b = ops.conv2d(y, ops.constant(BLUR4, 1, 1, 4, 4), null, 1, 1); // [O,1,2H+1,2W+1]
    b = ops.slice(ops.slice(b, 2, 0, 2 * h), 3, 0, 2 * wd);
    return ops.reshape(b, 1, o, 2 * h, 2 * wd);
  }

  /** The blur in the phase domain as a [4,4,3,3] conv, then the shuffle. */
  static float[] phaseBlur() {
    // 1-D: out phase q at m reads T[2m+q+k-1]·kb[k], T[2m'+p] = phase p at m'.
    double[] kb = {0.25, 0.75, 0.75, 0.25};
    double[][][] a = new double[2][2][3]; // [q][p][tap d+1], d = m' - m
    for (int q = 0; q < 2; q++) {
      for (int k = 0; k < 4; k++) {
        int idx = q + k - 1; // index into T relative to 2m
        int p = Math.floorMod(idx, 2);
        int d = Math.floorDiv(idx, 2);
        a[q][p][d + 1] += kb[k];
      }
    }
    float[] m = new float[4 * 4 * 9];
    for (int qy = 0; qy < 2; qy++) {
      for (int qx = 0; qx < 2; qx++) {
        for (int py = 0; py < 2; py++) {
          for (int px = 0; px < 2; px++) {
            for (int ty = 0; ty < 3; ty++) {
              for (int tx = 0; tx < 3; tx++) {
                m[(((qy * 2 + qx) * 4 + (py * 2 + px)) * 3 + ty) * 3 + tx] =
                    (float) (a[qy][py][ty] * a[qx][px][tx]);
              }
            }
          }
        }
      }
    }
    return m;
  }

  /** V3: 2×2 conv (o-major phases), phase-domain blur conv [4,4,3,3], slice, shuffle. */
  static <T> T v3(TensorOps<T> ops, T x, T w) {
    long[] s = ops.shape(x);
    long i = s[1];
    long h = s[2];
    long wd = s[3];
    long o = ops.shape(w)[0];
    T y = ops.conv2d(x, phaseWeights(ops, w, o, i, false), null, 1, 1); // [1,O·4,H+1,W+1]
    y = ops.reshape(y, o, 4, h + 1, wd + 1);
    T b = ops.conv2d(y, ops.constant(phaseBlur(), 4, 4, 3, 3), null, 1, 1); // [O,4,H+1,W+1]
    b = ops.slice(ops.slice(b, 2, 0, h), 3, 0, wd);
    b = ops.reshape(b, o, 2, 2, h, wd);
    return ops.reshape(ops.permute(b, 0, 3, 1, 4, 2), 1, o, 2 * h, 2 * wd);
  }

  /** V4: four phase convs (2×2, 2×1, 1×2, 1×1: 9 MACs), concat, shuffle, blur. */
  static <T> T v4(TensorOps<T> ops, T x, T w, boolean separable) {
    long[] s = ops.shape(x);
    long i = s[1];
    long h = s[2];
    long wd = s[3];
    long o = ops.shape(w)[0];
    T all = phaseWeights(ops, w, o, i, true); // [4O, I, 2, 2]
    T w00 = ops.slice(all, 0, 0, o);
    T w01 = ops.slice(ops.slice(all, 0, o, 2 * o), 3, 1, 2);
    T w10 = ops.slice(ops.slice(all, 0, 2 * o, 3 * o), 2, 1, 2);
    T w11 = ops.slice(ops.slice(ops.slice(all, 0, 3 * o, 4 * o), 2, 1, 2), 3, 1, 2);
    T p00 = ops.conv2d(x, w00, null, 1, 1); // H+1, W+1
    T p01 = ops.slice(ops.conv2d(x, w01, null, 1, 1), 3, 1, wd + 2); // H+1, W+2 -> W+1
    T p10 = ops.slice(ops.conv2d(x, w10, null, 1, 1), 2, 1, h + 2);
    T p11 = ops.slice(ops.slice(ops.conv2d(x, w11, null, 1, 1), 2, 1, h + 2), 3, 1, wd + 2);
    T y = ops.concat(List.of(p00, p01, p10, p11), 0); // [4, O, H+1, W+1]
    y = ops.reshape(y, 2, 2, o, h + 1, wd + 1);
    y = ops.reshape(ops.permute(y, 2, 3, 0, 4, 1), o, 1, 2 * h + 2, 2 * wd + 2);
    return blur(ops, y, o, h, wd, separable);
  }
}
