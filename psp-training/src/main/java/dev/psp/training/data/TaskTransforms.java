package dev.psp.training.data;

import dev.psp.TranslationTask;
import dev.psp.image.Preprocessing;
import dev.psp.image.SuperResolution;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Random;

/**
 * The transforms of the official {@code configs/transforms_config.py}, per task, on images: every
 * image is resized to 256×256 with Pillow's bilinear filter; targets become RGB in [-1, 1].
 *
 * <ul>
 *   <li>inversion: a random horizontal flip (p = 0.5) of the target, which is also the source;
 *   <li>frontalization: source and target flipped independently (p = 0.5 each), as the official
 *       code does;
 *   <li>sketch: the source in gray, in [0, 1];
 *   <li>segmentation: the source's gray values are class ids, one-hot to {@code label_nc} channels;
 *   <li>super-resolution: the source degraded by a factor drawn uniformly from {@code
 *       resize_factors} (the official {@code BilinearResize} augmentation), in [-1, 1];
 *   <li>inpainting (no official config; the paper's experiment): a random rectangle of the source,
 *       covering 10-40 % of the image, set to 0 (mid gray).
 * </ul>
 *
 * <p>Flips happen only in training ({@code train = true}) and only on the target transform, as in
 * the official {@code transform_gt_train}; the source transform is the same in training and
 * validation, as there.
 */
public final class TaskTransforms {
  private final TranslationTask task;
  private final int labelNc;
  private final int[] factors;

  /**
   * Transforms of a task.
   *
   * @param labelNc the segmentation classes (19 for CelebAMask-HQ); ignored by other tasks
   * @param resizeFactors the super-resolution factors (official default {@code 1,2,4,8,16,32})
   */
  public TaskTransforms(TranslationTask task, int labelNc, int[] resizeFactors) {
    this.task = task;
    this.labelNc = labelNc;
    this.factors = resizeFactors.clone();
    if (task == TranslationTask.SEGMENTATION_TO_FACE && labelNc < 2) {
      throw new IllegalArgumentException("segmentation needs label_nc >= 2, got " + labelNc);
    }
    if (factors.length == 0) {
      throw new IllegalArgumentException("resize_factors is empty");
    }
  }

  /** The task. */
  public TranslationTask task() {
    return task;
  }

  /** Channels of the transformed source. */
  public int sourceChannels() {
    return switch (task.inputKind()) {
      case RGB -> 3;
      case SKETCH -> 1;
      case SEGMENTATION -> labelNc;
    };
  }

  /** Parses the official comma-separated {@code resize_factors} option (null gives the default). */
  public static int[] parseFactors(String option) {
    if (option == null || option.isBlank()) {
      return SuperResolution.OFFICIAL_FACTORS.clone();
    }
    return Arrays.stream(option.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
  }

  /**
   * Whether training flips this task's pairs at random (its target, and the source with it or on its
   * own): the RGB tasks other than super-resolution and inpainting.
   */
  public static boolean flips(TranslationTask task) {
    return task.inputKind() == TranslationTask.InputKind.RGB && task != TranslationTask.SUPER_RESOLUTION
        && task != TranslationTask.INPAINTING;
  }

  /** Transforms one pair; {@code source} may be the same image as {@code target}. */
  public Sample apply(BufferedImage source, BufferedImage target, boolean train, Random random) {
    float[] y = Preprocessing.rgb(target);
    if (train && flips(task) && random.nextDouble() < 0.5) {
      y = flip(y, 3);
    }
    float[] x = switch (task) {
      case INVERSION, TOONIFY -> y;
      case FRONTALIZATION -> random.nextDouble() < 0.5 ? flip(Preprocessing.rgb(source), 3)
          : Preprocessing.rgb(source);
      case SKETCH_TO_FACE -> Preprocessing.sketch(source);
      case SEGMENTATION_TO_FACE -> Preprocessing.oneHot(source, labelNc);
      case SUPER_RESOLUTION -> Preprocessing.rgb(
          SuperResolution.degrade(source, factors[random.nextInt(factors.length)]));
      case INPAINTING -> mask(Preprocessing.rgb(source), random);
    };
    return new Sample(x, y);
  }

  /** Mirrors a channel-major square image left to right. */
  static float[] flip(float[] chw, int channels) {
    int s = dev.psp.Encoder.INPUT_SIZE;
    float[] out = new float[chw.length];
    for (int c = 0; c < channels; c++) {
      for (int r = 0; r < s; r++) {
        int row = (c * s + r) * s;
        for (int col = 0; col < s; col++) {
          out[row + col] = chw[row + s - 1 - col];
        }
      }
    }
    return out;
  }

  /** Sets a random rectangle of 10-40 % of the area to 0 in every channel. */
  static float[] mask(float[] chw, Random random) {
    int s = dev.psp.Encoder.INPUT_SIZE;
    double area = 0.1 + 0.3 * random.nextDouble();
    double aspect = Math.exp((random.nextDouble() - 0.5) * Math.log(4)); // 1/2 .. 2
    int w = (int) Math.min(s, Math.round(Math.sqrt(area * s * s * aspect)));
    int h = (int) Math.min(s, Math.round(area * s * s / w));
    int x0 = random.nextInt(s - w + 1);
    int y0 = random.nextInt(s - h + 1);
    float[] out = chw.clone();
    for (int c = 0; c < chw.length / (s * s); c++) {
      for (int r = y0; r < y0 + h; r++) {
        Arrays.fill(out, (c * s + r) * s + x0, (c * s + r) * s + x0 + w, 0f);
      }
    }
    return out;
  }
}
