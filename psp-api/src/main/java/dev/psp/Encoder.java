package dev.psp;

import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The pSp encoder E: an input image to its W+ code, {@code E(x) + w_avg} when the model starts from
 * the average latent (as all official models do). Thread-safe.
 */
public interface Encoder {
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

  /** Channels of the encoder input ({@code input_nc}). */
  int inputChannels();
}
