package dev.psp;

import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The pSp encoder E: an input image to its W+ code, {@code E(x) + w_avg} when the model starts from
 * the average latent (as all official models do). For ReStyle models, the code after the model's
 * default number of refinement steps ({@link PspModel#refine}). Thread-safe.
 */
public interface Encoder {
  /**
   * The side of every encoder input, 256: pSp encoders take 256×256 inputs whatever the output size,
   * and {@code face_pool} brings outputs back to this size. The one definition of the number.
   */
  int INPUT_SIZE = 256;
  /**
   * Encodes preprocessed inputs.
   *
   * @param input {@code [B, input_nc, 256, 256]} float32, exactly what the official forward receives
   * @throws IllegalArgumentException if the shape is wrong, saying the expected one
   */
  LatentCode encode(TensorData input);

  /** Encodes images after the task's official preprocessing (see {@link #preprocess(List)}). */
  default LatentCode encode(List<BufferedImage> images) {
    return encode(preprocess(images));
  }

  /** Encodes one image after the task's official preprocessing. */
  default LatentCode encode(BufferedImage image) {
    return encode(List.of(image));
  }

  /** The task's official preprocessing: images to {@code [B, input_nc, 256, 256]}. */
  TensorData preprocess(List<BufferedImage> images);

  /**
   * Channels of the image input: {@code input_nc}, or for ReStyle {@code input_nc − 3} (its encoder
   * also reads the current reconstruction).
   */
  int inputNc();
}
