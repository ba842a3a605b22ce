package dev.psp.align;

import dev.psp.image.PilResize;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The official face alignment of pixel2style2pixel ({@code align_face} in
 * {@code scripts/align_all_parallel.py}, itself the FFHQ dataset's alignment: Karras et al., "A
 * Style-Based Generator Architecture for Generative Adversarial Networks", CVPR 2019), reproduced to the
 * pixel against Pillow 9.4, numpy 1.24 and scipy 1.10 given the same 68 landmarks.
 *
 * <p>Steps ({@link CropPlan} has the arithmetic): an oriented square from the eyes and mouth
 * ({@link FaceQuad}); if the face is large, the photo shrunk with Pillow's Lanczos ({@link PilResize});
 * a crop around the square; reflect padding with a blurred, median-filled border where the square leaves
 * the photo ({@link FeatheredPad}); Pillow's bilinear {@code QUAD} transform to
 * {@code transformSize x transformSize} ({@link PilQuadTransform}); and a Lanczos resize to
 * {@code outputSize} when smaller.
 *
 * <p>Stateless and thread-safe; each call allocates its own buffers (a few float planes of the padded crop)
 * and runs the three channels in parallel on the common fork-join pool.
 */
public final class FfhqAlignment {
  /** The official script's output size. */
  public static final int DEFAULT_OUTPUT_SIZE = 256;
  /** The official script's transform size. */
  public static final int DEFAULT_TRANSFORM_SIZE = 256;

  private FfhqAlignment() {}

  /**
   * Aligns a face as the official script does ({@code output_size = transform_size = 256}).
   *
   * @see #align(RgbImage, Landmarks, int, int)
   */
  public static AlignedFace align(RgbImage photo, Landmarks landmarks) {
    return align(photo, landmarks, DEFAULT_OUTPUT_SIZE, DEFAULT_TRANSFORM_SIZE);
  }

  /**
   * Aligns a face with the official script's {@code output_size} and {@code transform_size} set to other
   * values (the FFHQ dataset itself used 1024 and 4096).
   *
   * @param photo the photo the landmarks were found in
   * @param landmarks dlib's 68 points of one face, in {@code photo}'s pixel coordinates
   * @param outputSize side of the returned image; the face's size relative to it also decides whether
   *     a large photo is shrunk first
   * @param transformSize side of the transform's result, resized down to {@code outputSize} when larger
   * @throws IllegalArgumentException if a size is not positive, {@code outputSize > transformSize}, the
   *     landmarks are degenerate (eyes and mouth on one point) or place the face entirely outside the photo
   */
  public static AlignedFace align(RgbImage photo, Landmarks landmarks, int outputSize, int transformSize) {
    Objects.requireNonNull(photo, "photo");
    Objects.requireNonNull(landmarks, "landmarks");
    if (outputSize < 1) {
      throw new IllegalArgumentException("outputSize must be positive, got " + outputSize);
    }
    if (transformSize < 1) {
      throw new IllegalArgumentException("transformSize must be positive, got " + transformSize);
    }
    if (outputSize > transformSize) {
      throw new IllegalArgumentException("outputSize must not exceed transformSize (the official script"
          + " never enlarges), got outputSize " + outputSize + " > transformSize " + transformSize
          + "; raise transformSize to at least " + outputSize);
    }
    FaceQuad face = FaceQuad.of(landmarks);
    CropPlan plan = CropPlan.of(face, photo.width(), photo.height(), outputSize);
    FeatheredPad padding = plan.pad() == null ? null
        : new FeatheredPad(plan.croppedWidth(), plan.croppedHeight(), plan.pad(), plan.blurSigma());
    double[] transformQuad = plan.transformQuad();

    byte[][] rgb = new byte[3][];
    // channels never mix: each runs the whole pipeline on its own plane, the three side by side
    IntStream.range(0, 3).parallel().forEach(c -> {
      int[] plane = toInts(photo.copyPlane(c));
      int w = photo.width();
      int h = photo.height();
      if (plan.shrink() > 1) {
        plane = PilResize.lanczos(plane, w, h, plan.resizedWidth(), plan.resizedHeight());
        w = plan.resizedWidth();
        h = plan.resizedHeight();
      }
      int[] crop = plan.crop();
      if (crop != null) {
        plane = crop(plane, w, crop);
        w = crop[2] - crop[0];
        h = crop[3] - crop[1];
      }
      if (padding != null) {
        plane = padding.apply(plane);
        w = padding.paddedWidth();
        h = padding.paddedHeight();
      }
      plane = PilQuadTransform.apply(plane, w, h, transformSize, transformQuad);
      if (outputSize < transformSize) {
        plane = PilResize.lanczos(plane, transformSize, transformSize, outputSize, outputSize);
      }
      rgb[c] = toBytes(plane);
    });
    RgbImage image = RgbImage.ofPlanes(outputSize, outputSize, rgb);
    return new AlignedFace(image, plan.photoQuad(), landmarks, face.size());
  }

  private static int[] crop(int[] plane, int width, int[] box) {
    int w = box[2] - box[0];
    int h = box[3] - box[1];
    int[] out = new int[w * h];
    for (int y = 0; y < h; y++) {
      System.arraycopy(plane, (box[1] + y) * width + box[0], out, y * w, w);
    }
    return out;
  }

  private static int[] toInts(byte[] plane) {
    int[] out = new int[plane.length];
    for (int i = 0; i < plane.length; i++) {
      out[i] = plane[i] & 0xFF;
    }
    return out;
  }

  private static byte[] toBytes(int[] plane) {
    byte[] out = new byte[plane.length];
    for (int i = 0; i < plane.length; i++) {
      out[i] = (byte) plane[i];
    }
    return out;
  }
}
