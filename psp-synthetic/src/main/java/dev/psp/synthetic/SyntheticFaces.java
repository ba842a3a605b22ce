package dev.psp.synthetic;

import dev.psp.TranslationTask;
import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * In-memory access to the synthetic face domain: face {@code index} of the stream {@code seed}, and
 * the (source, target) pair each pSp task trains on, without touching disk. Deterministic: the same
 * (seed, index, size) always gives the same pixels. Stateless and thread-safe.
 */
public final class SyntheticFaces {
  private static final long MASK_SALT = 0x6d61736b6d61736bL;

  private SyntheticFaces() {}

  /**
   * A training pair.
   *
   * @param source the encoder input (RGB face, sketch, label map or masked face)
   * @param target the face the output should match
   */
  public record Pair(BufferedImage source, BufferedImage target) {}

  /** The seed of face {@code index} in stream {@code seed}: a SplitMix64 mix, so nearby indices are unrelated. */
  public static long faceSeed(long seed, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The parameters of face {@code index} in stream {@code seed}. */
  public static FaceParams params(long seed, long index) {
    return FaceParams.random(faceSeed(seed, index));
  }

  /** Face {@code index} of stream {@code seed}, rendered at {@code size×size}. */
  public static SyntheticFace sample(long seed, long index, int size) {
    return FaceRenderer.render(params(seed, index), size);
  }

  /**
   * The pair task {@code task} trains on for face {@code index}: inversion and super-resolution map
   * the face to itself (super-resolution degrades its input in the training transforms);
   * frontalization maps the posed face to the same face frontal; sketch and segmentation map the
   * sketch or the label image (class ids as gray values) to the face; inpainting maps the face with
   * {@link SyntheticFace#masked(long) masks} to the face.
   *
   * @throws IllegalArgumentException for a task the synthetic domain has no pairs for (toonify)
   */
  public static Pair pair(TranslationTask task, long seed, long index, int size) {
    requireSupported(task);
    SyntheticFace face = sample(seed, index, size);
    return switch (task) {
      case INVERSION, SUPER_RESOLUTION -> new Pair(face.image(), face.image());
      case FRONTALIZATION -> new Pair(face.image(), face.frontal().image());
      case SKETCH_TO_FACE -> new Pair(face.sketch(), face.image());
      case SEGMENTATION_TO_FACE -> new Pair(face.labelImage(), face.image());
      case INPAINTING -> new Pair(face.masked(faceSeed(seed, index) ^ MASK_SALT).image(), face.image());
      default -> throw new IllegalStateException("unreachable: " + task);
    };
  }

  /**
   * Checks that the synthetic domain has pairs for a task (all but toonify).
   *
   * @throws IllegalArgumentException otherwise
   */
  public static TranslationTask requireSupported(TranslationTask task) {
    Objects.requireNonNull(task, "task");
    if (task == TranslationTask.TOONIFY) {
      throw new IllegalArgumentException("no synthetic pairs for task " + task
          + "; use inversion, frontalization, sketch, segmentation, super_resolution or inpainting");
    }
    return task;
  }
}
