package dev.psp;

import dev.psp.io.TensorData;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a checkpoint holds, read and checked against its architecture in pure Java by {@link
 * Psp#inspect}: no engine and no native library is involved. Immutable and thread-safe.
 *
 * @param file the checkpoint file
 * @param bundled true when the file is the SDK's bundled demo model standing in for a missing official one
 * @param fileSize the file's size in bytes
 * @param config the architecture and options (the task may come from the model's name)
 * @param latentAvg the checkpoint's {@code latent_avg}, if it has one
 * @param encoderParameters parameter elements of the encoder
 * @param decoderParameters parameter elements of the decoder (StyleGAN2)
 * @param stateDictEntries entries of the state_dict, buffers included
 */
public record ModelInfo(Path file, boolean bundled, long fileSize, ModelConfig config, Optional<TensorData> latentAvg,
    long encoderParameters, long decoderParameters, int stateDictEntries) {

  /** All parameter elements. */
  public long parameters() {
    return encoderParameters + decoderParameters;
  }

  @Override
  public String toString() {
    return "ModelInfo[" + file.getFileName() + (bundled ? " (bundled demo model)" : "") + ", " + config.task()
        + ", " + config.encoderType().officialName() + ", input_nc " + config.inputNc() + ", " + config.outputSize()
        + " px, " + config.nStyles() + " W+ rows, " + parameters() + " parameters]";
  }
}
