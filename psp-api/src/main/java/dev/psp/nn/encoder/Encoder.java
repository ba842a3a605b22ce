package dev.psp.nn.encoder;

import dev.psp.EncoderType;

import dev.psp.nn.Architecture;
import dev.psp.nn.Layer;
import dev.psp.nn.TensorOps;

/**
 * A pSp encoder: maps a 256×256 input with {@code input_nc} channels to latent codes, W+ codes
 * {@code [B,n_styles,512]} or, for {@link #learnInW()}, W codes {@code [B,512]}. Implementations
 * are immutable and thread-safe.
 */
public interface Encoder extends Layer {


  /** Computes the codes (without latent_avg) for x {@code [B,input_nc,256,256]}. */
  <T> T forward(TensorOps<T> ops, T x);

  /** The number of W+ rows the decoder takes. */
  int nStyles();

  /** Input channels (3 for RGB, 1 for sketches, 19 for segmentation maps). */
  int inputNc();

  /** True if the codes are single W vectors {@code [B,512]} (the {@code learn_in_w} ablation). */
  boolean learnInW();

  /** The official class name, as in {@code opts.encoder_type}. */
  EncoderType type();

  /** Builds the encoder of a type and architecture with keys under {@code prefix} (e.g. {@code encoder.}). */
  static Encoder of(EncoderType type, String prefix, int inputNc, int nStyles, Architecture arch) {
    return switch (type) {
      case GRADUAL_STYLE -> new GradualStyleEncoder(prefix, inputNc, nStyles, arch);
      case INTO_W -> new BackboneEncoderUsingLastLayerIntoW(prefix, inputNc, nStyles, arch);
      case INTO_W_PLUS -> new BackboneEncoderUsingLastLayerIntoWPlus(prefix, inputNc, nStyles, arch);
      case ENCODER4EDITING -> new Encoder4Editing(prefix, inputNc, nStyles, arch);
      case BACKBONE, RESNET_BACKBONE, PROGRESSIVE_BACKBONE, RESNET_PROGRESSIVE_BACKBONE ->
          new BackboneEncoder(prefix, type, inputNc, nStyles, arch);
    };
  }

  /** Rejects inputs that are not {@code [B,input_nc,256,256]}. */
  static void checkInput(long[] shape, int inputNc, String who) {
    if (shape.length != 4 || shape[1] != inputNc || shape[2] != dev.psp.Encoder.INPUT_SIZE
        || shape[3] != dev.psp.Encoder.INPUT_SIZE) {
      throw new IllegalArgumentException(who + " expects x [B," + inputNc + ",256,256], got "
          + java.util.Arrays.toString(shape) + "; resize inputs to 256x256 first");
    }
  }
}
