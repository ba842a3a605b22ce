package dev.psp.image;

import dev.psp.TranslationTask.InputKind;
import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The official inference preprocessing of each input kind (the transforms of the official {@code configs/transforms_config.py}), from images to the encoder's
 * {@code [B, C, 256, 256]} float32 tensor.
 *
 * <ul>
 *   <li>RGB: {@code convert('RGB')}, Resize((256,256)) bilinear, ToTensor, Normalize(0.5, 0.5): [-1, 1].
 *   <li>Sketch: {@code convert('L')}, Resize, ToTensor: [0, 1], no normalisation.
 *   <li>Segmentation: {@code convert('L')} label ids, Resize (bilinear, as the official code does), one-hot
 *       to {@code labelCount} channels.
 * </ul>
 */
public final class Preprocessing {
  /** The encoder input resolution; the official encoders only work at this size. */
  private static final int SIZE = dev.psp.Encoder.INPUT_SIZE;

  private Preprocessing() {}

  /** Preprocesses a batch of images of one kind. */
  public static TensorData toTensor(List<BufferedImage> images, InputKind kind, int channels) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("images must not be empty");
    }
    int plane = SIZE * SIZE;
    float[] out = new float[images.size() * channels * plane];
    for (int b = 0; b < images.size(); b++) {
      float[] one = switch (kind) {
        case RGB -> rgb(images.get(b));
        case SKETCH -> sketch(images.get(b));
        case SEGMENTATION -> oneHot(images.get(b), channels);
      };
      if (one.length != channels * plane) {
        throw new IllegalArgumentException(
            kind + " input gives " + one.length / plane + " channels, the model expects " + channels);
      }
      System.arraycopy(one, 0, out, b * channels * plane, one.length);
    }
    return TensorData.ofFloats(out, images.size(), channels, SIZE, SIZE);
  }

  /** RGB to {@code [3, 256, 256]} in [-1, 1]. */
  public static float[] rgb(BufferedImage image) {
    int[][] planes = Planes.rgb(image);
    float[] out = new float[3 * SIZE * SIZE];
    for (int c = 0; c < 3; c++) {
      int[] r = resize(planes[c], image);
      for (int i = 0; i < r.length; i++) {
        // ToTensor divides by 255 in float32; Normalize computes (x - 0.5) / 0.5 in float32.
        out[c * SIZE * SIZE + i] = ((r[i] / 255f) - 0.5f) / 0.5f;
      }
    }
    return out;
  }

  /** Grayscale sketch to {@code [1, 256, 256]} in [0, 1]. */
  public static float[] sketch(BufferedImage image) {
    int[] r = resize(Planes.luma(image), image);
    float[] out = new float[r.length];
    for (int i = 0; i < r.length; i++) {
      out[i] = r[i] / 255f;
    }
    return out;
  }

  /**
   * A label image (ids as gray values) to a one-hot {@code [labelCount, 256, 256]}.
   *
   * @throws IllegalArgumentException if a resized pixel holds an id ≥ labelCount, naming it
   */
  public static float[] oneHot(BufferedImage image, int labelCount) {
    int[] r = resize(Planes.luma(image), image);
    float[] out = new float[labelCount * r.length];
    for (int i = 0; i < r.length; i++) {
      int id = r[i];
      if (id >= labelCount) {
        throw new IllegalArgumentException("segmentation label " + id + " at pixel (" + (i % SIZE) + ", "
            + (i / SIZE) + ") after resizing is not below " + labelCount
            + "; give a gray image whose values are class ids 0.." + (labelCount - 1) + " (not a colour map)");
      }
      out[id * r.length + i] = 1f;
    }
    return out;
  }

  private static int[] resize(int[] plane, BufferedImage image) {
    return PilResize.bilinear(plane, image.getWidth(), image.getHeight(), SIZE, SIZE);
  }
}
