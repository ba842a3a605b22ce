package dev.psp.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.LatentCode;
import dev.psp.StyleMixer;
import dev.psp.TranslationTask;
import dev.psp.nn.PspNetwork;
import java.io.IOException;
import java.nio.file.Path;

/**
 * W+ codes of the training faces to grade the encoder against ({@code sdk_code_targets}, a {@code .npy}
 * file {@code [faces, n_styles, dim]} whose row f is the code of face f, as {@code psp fit-codes}
 * writes it): {@code loss_w_target} is the mean squared difference between the encoder's code and
 * the face's code over the rows {@code sdk_code_targets_rows}, weighted by {@code
 * sdk_code_targets_lambda}. Faces past the file's end are not graded.
 *
 * <p>Codes fitted to each face by optimization hold what L2 on the image pulls back to the mean:
 * glasses, which this SDK's generators draw from a code far from the average face. Tasks that flip
 * their training pairs (inversion, frontalization) are refused: a flipped face has another code.
 */
final class CodeTargets {
  private final float[] codes;
  private final int faces;
  private final int nStyles;
  private final int dim;
  private final boolean[] graded;
  private final double lambda;

  private CodeTargets(LatentCode codes, boolean[] graded, double lambda) {
    this.codes = codes.values();
    this.faces = codes.batchSize();
    this.nStyles = codes.nStyles();
    this.dim = codes.dim();
    this.graded = graded;
    this.lambda = lambda;
  }

  /** The code targets of {@code opts}, or null when {@code sdk_code_targets} is unset. */
  static CodeTargets of(TrainOptions opts, PspNetwork net) throws IOException {
    String file = opts.string("sdk_code_targets");
    if (file == null) {
      if (opts.get("sdk_code_targets_lambda") != null || opts.get("sdk_code_targets_rows") != null) {
        throw new IllegalArgumentException("sdk_code_targets_lambda and sdk_code_targets_rows grade the encoder against"
            + " fitted codes: set sdk_code_targets=<codes.npy written by psp fit-codes> too");
      }
      return null;
    }
    TranslationTask task = opts.task();
    if (dev.psp.training.data.TaskTransforms.flips(task)) {
      throw new IllegalArgumentException("sdk_code_targets holds the codes of unflipped faces, and " + task
          + " training flips its pairs at random: use it for sketch, segmentation, super-resolution or inpainting");
    }
    if (opts.restyle()) {
      throw new IllegalArgumentException("sdk_code_targets is for one-pass pSp encoders, not ReStyle");
    }
    double lambda = opts.get("sdk_code_targets_lambda") == null ? 1 : opts.doubleOpt("sdk_code_targets_lambda");
    if (!(lambda >= 0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("sdk_code_targets_lambda must be >= 0 and finite, got " + lambda);
    }
    Path p = ModelInit.existing(Path.of(file), "sdk_code_targets");
    LatentCode codes;
    try {
      codes = LatentCode.load(p);
    } catch (IOException e) {
      throw new IllegalArgumentException("sdk_code_targets " + file + " is not a .npy file of W+ codes: "
          + e.getMessage(), e);
    }
    if (codes.nStyles() != net.nStyles() || codes.dim() != net.styleDim()) {
      throw new IllegalArgumentException("sdk_code_targets " + file + " holds codes of " + codes.nStyles() + "x"
          + codes.dim() + ", this network's are " + net.nStyles() + "x" + net.styleDim()
          + ": fit them with an inversion model of the same decoder (psp fit-codes)");
    }
    boolean[] graded = new boolean[net.nStyles()];
    String rows = opts.string("sdk_code_targets_rows");
    if (rows != null) {
      for (int r : StyleMixer.parse(rows, 1.0).rows(net.nStyles())) {
        graded[r] = true;
      }
    } else { // the rows the student outputs itself: all but the teacher's
      java.util.Arrays.fill(graded, true);
      for (int r : StyleTeacher.rows(opts, net.nStyles())) {
        graded[r] = false;
      }
    }
    return new CodeTargets(codes, graded, lambda);
  }

  /** The weight of {@code loss_w_target}. */
  double lambda() {
    return lambda;
  }

  /** The number of faces with a code. */
  int faces() {
    return faces;
  }

  /**
   * {@code loss_w_target} of the encoder's codes {@code [b, n_styles, dim]} whose first rows are of
   * the training faces {@code faces} (later rows, drawn pairs, are not graded): a 0-d array, or null
   * when no face of the batch has a code.
   */
  NDArray loss(NDManager call, NDArray student, int[] faces) {
    int b = (int) student.getShape().get(0);
    float[] target = new float[b * nStyles * dim];
    float[] mask = new float[b * nStyles];
    int count = 0;
    for (int i = 0; i < faces.length; i++) {
      int f = faces[i];
      if (f < 0 || f >= this.faces) {
        continue;
      }
      System.arraycopy(codes, f * nStyles * dim, target, i * nStyles * dim, nStyles * dim);
      for (int r = 0; r < nStyles; r++) {
        if (graded[r]) {
          mask[i * nStyles + r] = 1f;
          count++;
        }
      }
    }
    if (count == 0) {
      return null;
    }
    NDArray d = student.sub(call.create(target, new Shape(b, nStyles, dim)));
    NDArray m = call.create(mask, new Shape(b, nStyles, 1));
    return d.mul(d).mul(m).sum().div(call.create((float) count * dim)); // 0-d divisor, not a scalar argument
  }
}
