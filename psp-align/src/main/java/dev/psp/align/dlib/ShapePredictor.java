package dev.psp.align.dlib;

import dev.psp.align.FaceBox;
import dev.psp.align.Landmarks;
import dev.psp.align.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * dlib's 68-point face shape predictor ({@code dlib.shape_predictor}), the cascade of regression trees
 * of Kazemi and Sullivan, "One Millisecond Face Alignment with an Ensemble of Regression Trees", CVPR
 * 2014, read from dlib's own {@code shape_predictor_68_face_landmarks.dat}.
 *
 * <p>Starting from the mean shape placed in the face box, each cascade level samples pixel
 * intensities at positions that follow the current shape (anchored at a landmark and moved by the
 * similarity transform from the mean shape to the current one), and each of its trees adds the
 * shape increment of the leaf those intensities lead to. Arithmetic follows dlib 19.24 operation by
 * operation (float where dlib uses float, double where it uses double), so {@link #predict} gives the
 * points dlib gives, not just close ones.
 *
 * <p>Immutable and thread-safe: any number of threads may call {@link #predict} at once; each call
 * works on its own buffers.
 */
public final class ShapePredictor {
  private static final int VERSION = 1;
  private static final String REMEDY = "The file is damaged or is not dlib's shape predictor: download "
      + "shape_predictor_68_face_landmarks.dat again (http://dlib.net/files/) or reinstall it with "
      + "'apt-get install --reinstall libdlib-data'";

  /** The mean shape in box-normalized coordinates, {@code x0, y0, x1, y1, ...}. */
  private final float[] initialShape;
  /** The trees of each cascade level. */
  private final RegressionForest[] forests;
  /** {@code anchors[level][k]}: the landmark that feature {@code k} of a level is sampled relative to. */
  private final int[][] anchors;
  /** {@code deltas[level][2k], [2k+1]}: the offset of feature {@code k} from its landmark, in mean-shape space. */
  private final float[][] deltas;
  private final int maxFeatures;

  private ShapePredictor(float[] initialShape, RegressionForest[] forests, int[][] anchors, float[][] deltas) {
    this.initialShape = initialShape;
    this.forests = forests;
    this.anchors = anchors;
    this.deltas = deltas;
    int max = 0;
    for (int[] a : anchors) {
      max = Math.max(max, a.length);
    }
    this.maxFeatures = max;
  }

  /**
   * Reads a serialized dlib {@code shape_predictor} with 68 landmarks, such as
   * {@code /usr/share/dlib/shape_predictor_68_face_landmarks.dat} (Debian/Ubuntu package
   * {@code libdlib-data}). The whole file must be one predictor, nothing after it.
   *
   * @param file the {@code .dat} file (uncompressed, not the {@code .bz2} download)
   * @return the predictor
   * @throws IOException if the file cannot be read
   * @throws DlibFormatException if the file is empty, truncated, of another version or another model,
   *     or has data after the predictor; the message names the file and byte offset
   */
  public static ShapePredictor read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        throw new DlibFormatException(
            file + ": the file is empty (0 bytes), a dlib shape predictor expected. " + REMEDY);
      }
      if (size > Integer.MAX_VALUE) {
        throw new DlibFormatException(file + ": " + size + " bytes, too large for a dlib shape predictor. " + REMEDY);
      }
      // Mapping avoids copying the 100 MB file onto the heap; the mapping goes once the buffer is unreachable.
      ByteBuffer bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      return read(bytes, file.toString());
    }
  }

  /** Reads a serialized {@code shape_predictor} from {@code bytes}; {@code source} names it in errors. */
  static ShapePredictor read(ByteBuffer bytes, String source) {
    DlibInput in = new DlibInput(bytes, source, REMEDY);
    long version = in.signed(4);
    if (version != VERSION) {
      throw in.error(0, "shape predictor version is " + version + ", " + VERSION + " expected (dlib 19.x)");
    }
    int dim = 2 * Landmarks.COUNT;
    float[] initialShape = in.floatColumn(dim, "initial shape (a 68-point model expected)");

    int levelsAt = in.position();
    int levels = in.countOf(2, "number of cascade levels");
    RegressionForest[] forests = new RegressionForest[levels];
    int[] forestOffsets = new int[levels];
    for (int l = 0; l < levels; l++) {
      forestOffsets[l] = in.position();
      forests[l] = RegressionForest.read(in, dim);
    }

    int anchorsAt = in.position();
    int[][] anchors = new int[levelCount(in, levels, "anchor", levelsAt)][];
    for (int l = 0; l < levels; l++) {
      int n = in.countOf(2, "number of features in a cascade level");
      anchors[l] = new int[n];
      for (int k = 0; k < n; k++) {
        int at = in.position();
        long a = in.unsigned();
        if (a >= Landmarks.COUNT) {
          throw in.error(at, "anchor landmark " + a + ", at most " + (Landmarks.COUNT - 1) + " expected");
        }
        anchors[l][k] = (int) a;
      }
    }

    float[][] deltas = new float[levelCount(in, levels, "delta", levelsAt)][];
    for (int l = 0; l < levels; l++) {
      int at = in.position();
      int n = in.countOf(8, "number of feature offsets in a cascade level");
      if (n != anchors[l].length) {
        throw in.error(at, "cascade level " + l + " has " + n + " feature offsets but " + anchors[l].length
            + " anchors, as many expected");
      }
      deltas[l] = new float[2 * n];
      for (int k = 0; k < 2 * n; k++) {
        deltas[l][k] = in.float32();
      }
    }
    if (!in.atEnd()) {
      throw in.error(in.position(), "unexpected data after the shape predictor (" + in.remaining() + " bytes)");
    }

    for (int l = 0; l < levels; l++) {
      if (forests[l].featuresNeeded() > anchors[l].length) {
        throw in.error(forestOffsets[l], "the trees of cascade level " + l + " read feature "
            + (forests[l].featuresNeeded() - 1) + ", but the level has " + anchors[l].length
            + " features (anchor lists at byte " + anchorsAt + ")");
      }
    }
    return new ShapePredictor(initialShape, forests, anchors, deltas);
  }

  /** Reads the level count of the anchor or delta list, which must equal the number of cascade levels. */
  private static int levelCount(DlibInput in, int levels, String what, int levelsAt) {
    int at = in.position();
    long n = in.unsigned();
    if (n != levels) {
      throw in.error(at, what + " lists for " + n + " cascade levels, " + levels + " expected (as at byte "
          + levelsAt + ")");
    }
    return levels;
  }

  /**
   * The 68 landmarks of the face in {@code box}, as {@code dlib.shape_predictor(path)(img, box)} gives
   * them for the same RGB pixels and integer box. The box may extend past the image; pixels sampled
   * outside the image count as black, as in dlib.
   *
   * @param image the photo
   * @param box the face box, usually from {@link FrontalFaceDetector}
   * @return the landmarks rounded to whole pixels
   */
  public Landmarks predict(RgbImage image, FaceBox box) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(box, "box");
    // dlib maps the unit square onto the box with find_affine_transform over float corner points:
    // x -> (right - left) * x + left, y -> (bottom - top) * y + top, in double.
    double left = (float) box.left();
    double top = (float) box.top();
    double width = (double) (float) box.right() - left;
    double height = (double) (float) box.bottom() - top;

    float[] shape = initialShape.clone();
    float[] features = new float[maxFeatures];
    for (int l = 0; l < forests.length; l++) {
      sampleFeatures(image, left, top, width, height, shape, anchors[l], deltas[l], features);
      forests[l].addLeaves(features, shape);
    }

    long[] xy = new long[shape.length];
    for (int i = 0; i < shape.length; i += 2) {
      // dlib adds 0 * y (and 0 * x) from the off-diagonal entries; that changes at most the sign of a zero.
      xy[i] = (long) Math.floor(width * (double) shape[i] + left + 0.5);
      xy[i + 1] = (long) Math.floor(height * (double) shape[i + 1] + top + 0.5);
    }
    return Landmarks.of(xy);
  }

  /**
   * dlib's {@code extract_feature_pixel_values}: the gray value {@code (r + g + b) / 3} of each
   * feature's pixel, 0 outside the image.
   */
  private void sampleFeatures(RgbImage image, double left, double top, double width, double height,
      float[] shape, int[] anchor, float[] delta, float[] out) {
    float[] t = similarity(initialShape, shape);
    int w = image.width();
    int h = image.height();
    for (int k = 0; k < anchor.length; k++) {
      int a = anchor[k];
      float dx = delta[2 * k];
      float dy = delta[2 * k + 1];
      // float: the delta through the similarity transform, plus the anchor landmark
      float qx = (t[0] * dx + t[1] * dy) + shape[2 * a];
      float qy = (t[2] * dx + t[3] * dy) + shape[2 * a + 1];
      // double: into the box, then rounded to the nearest pixel (halves up)
      long px = (long) Math.floor(width * (double) qx + left + 0.5);
      long py = (long) Math.floor(height * (double) qy + top + 0.5);
      if (px >= 0 && px < w && py >= 0 && py < h) {
        int x = (int) px;
        int y = (int) py;
        out[k] = (image.get(0, x, y) + image.get(1, x, y) + image.get(2, x, y)) / 3;
      } else {
        out[k] = 0;
      }
    }
  }

  /**
   * The linear part of the least-squares similarity transform (Umeyama 1991) taking shape {@code from}
   * to shape {@code to}, rounded to float: {@code {m00, m01, m10, m11}}. Means and sums in double and in
   * point order as dlib's {@code find_similarity_transform}; the 2x2 SVD dlib runs is replaced by its
   * closed form {@code c*R = [[p, -q], [q, p]] / Sff} with {@code p = A + D}, {@code q = C - B}.
   */
  private static float[] similarity(float[] from, float[] to) {
    int n = from.length / 2;
    double mfx = 0;
    double mfy = 0;
    double mtx = 0;
    double mty = 0;
    for (int i = 0; i < n; i++) {
      mfx += from[2 * i];
      mfy += from[2 * i + 1];
      mtx += to[2 * i];
      mty += to[2 * i + 1];
    }
    mfx /= n;
    mfy /= n;
    mtx /= n;
    mty /= n;
    double sff = 0;
    double a = 0;
    double b = 0;
    double c = 0;
    double d = 0;
    for (int i = 0; i < n; i++) {
      double fx = from[2 * i] - mfx;
      double fy = from[2 * i + 1] - mfy;
      double tx = to[2 * i] - mtx;
      double ty = to[2 * i + 1] - mty;
      sff += fx * fx + fy * fy;
      a += tx * fx;
      b += tx * fy;
      c += ty * fx;
      d += ty * fy;
    }
    if (sff == 0) {
      // dlib keeps scale 1 then; the rotation of an all-zero covariance is the identity
      return new float[] {1, 0, 0, 1};
    }
    double p = (a + d) / sff;
    double q = (c - b) / sff;
    return new float[] {(float) p, (float) -q, (float) q, (float) p};
  }

  @Override
  public String toString() {
    int trees = forests.length == 0 ? 0 : forests[0].trees();
    int splits = trees == 0 ? 0 : forests[0].splits(0);
    return "ShapePredictor[" + initialShape.length / 2 + " landmarks, " + forests.length + " cascade levels of "
        + trees + " trees with " + splits + " splits, " + maxFeatures + " pixel features per level]";
  }
}
