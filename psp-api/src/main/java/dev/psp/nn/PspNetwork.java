package dev.psp.nn;

import dev.psp.nn.encoder.Encoder;
import dev.psp.EncoderType;
import dev.psp.ModelConfig;
import dev.psp.nn.stylegan2.Generator;
import dev.psp.nn.stylegan2.StyledConv;
import java.util.List;

/**
 * The pSp network ({@code models/psp.py}; Richardson et al., "Encoding in Style", CVPR 2021): an
 * {@code encoder} into W+ (or W), the StyleGAN2 {@code decoder = Generator(S, 512, 8)} and {@code
 * face_pool = AdaptiveAvgPool2d((256,256))}. Configured by the output size S, the input channels and
 * the encoder type, as in a checkpoint's {@code opts}; {@code n_styles = 2·log2(S) - 2}.
 *
 * <p>This class provides the building blocks of {@code pSp.forward} (encode, decode, mapping,
 * face_pool), which every engine runs through its {@link TensorOps}; adding {@code latent_avg}, style
 * mixing and choosing noise happen in the API ({@link dev.psp.PspModel}, {@link dev.psp.StyleMixer},
 * {@link dev.psp.Noise}). {@code face_pool} pools to {@link dev.psp.Encoder#INPUT_SIZE}. Immutable and
 * thread-safe.
 */
public final class PspNetwork implements Layer {

  /** The style dimension of the official decoder. */
  public static final int STYLE_DIM = 512;

  private final int outputSize;
  private final int inputNc;
  private final EncoderType encoderType;
  private final int nStyles;
  private final Architecture architecture;
  private final Encoder encoder;
  private final Generator decoder;
  private final AdaptiveAvgPool2d facePool;

  /**
   * The network for {@code opts.output_size}, {@code opts.input_nc} and {@code opts.encoder_type}.
   */
  public PspNetwork(int outputSize, int inputNc, EncoderType encoderType) {
    this(outputSize, inputNc, encoderType, Architecture.OFFICIAL);
  }

  /** The network of an architecture (see {@link Architecture}); {@link Architecture#OFFICIAL} for official models. */
  public PspNetwork(int outputSize, int inputNc, EncoderType encoderType, Architecture architecture) {
    if (outputSize < 8 || outputSize > 1024 || Integer.bitCount(outputSize) != 1) {
      throw new IllegalArgumentException(
          "output_size must be a power of two between 8 and 1024, got " + outputSize);
    }
    if (inputNc < 1) {
      throw new IllegalArgumentException("input_nc must be positive, got " + inputNc);
    }
    this.outputSize = outputSize;
    this.inputNc = inputNc;
    this.encoderType = encoderType;
    this.nStyles = 2 * Integer.numberOfTrailingZeros(outputSize) - 2;
    this.architecture = architecture;
    this.encoder = Encoder.of(encoderType, "encoder.", inputNc, nStyles, architecture);
    this.decoder = new Generator("decoder.", outputSize, architecture.styleDim(), architecture.nMlp(),
        architecture.generatorChannels(), StyledConv.DEFAULT_BLUR, 0.01);
    this.facePool = new AdaptiveAvgPool2d(dev.psp.Encoder.INPUT_SIZE, dev.psp.Encoder.INPUT_SIZE);
  }

  /** The network a checkpoint's configuration describes. */
  public static PspNetwork forConfig(ModelConfig config) {
    return new PspNetwork(config.outputSize(), config.inputNc(), config.encoderType(), config.architecture());
  }

  @Override
  public void declare(StateDictSpec.Builder spec) {
    spec.add(encoder).add(decoder).add(facePool);
  }

  /**
   * The encoder codes for x {@code [B,input_nc,256,256]}: {@code [B,n_styles,512]}, or {@code
   * [B,512]} when {@link #learnInW()}; latent_avg is not added.
   */
  public <T> T encode(TensorOps<T> ops, T x) {
    return encoder.forward(ops, x);
  }

  /**
   * Decodes W+ codes {@code [B,n_styles,512]} or W codes {@code [B,512]} (as the decoder receives
   * them with {@code input_is_latent=True}) to images {@code [B,3,S,S]}, with one noise map per
   * layer ({@link #noiseShape}); pass {@link #storedNoises} for {@code randomize_noise=False}.
   */
  public <T> T decode(TensorOps<T> ops, T codes, List<T> noises) {
    return decoder.forward(ops, codes, noises);
  }

  /** The mapping network z → w, {@code [B,512]} → {@code [B,512]}. */
  public <T> T mapping(TensorOps<T> ops, T z) {
    return decoder.mapping(ops, z);
  }

  /** {@code face_pool}: images {@code [B,3,S,S]} to {@code [B,3,256,256]}. */
  public <T> T facePool(TensorOps<T> ops, T image) {
    return facePool.forward(ops, image);
  }

  /** The decoder's stored noise buffers {@code decoder.noises.noise_i}. */
  public <T> List<T> storedNoises(TensorOps<T> ops) {
    return decoder.storedNoises(ops);
  }

  /** The shape of noise map i, {@code [1,1,r,r]}. */
  public long[] noiseShape(int i) {
    return decoder.noiseShape(i);
  }

  /** The number of noise maps. */
  public int numNoises() {
    return decoder.numLayers();
  }

  /** The widths and depths. */
  public Architecture architecture() {
    return architecture;
  }

  /** The style dimension (512 for official models). */
  public int styleDim() {
    return architecture.styleDim();
  }

  /** The output size S. */
  public int outputSize() {
    return outputSize;
  }

  /** The input channels. */
  public int inputNc() {
    return inputNc;
  }

  /** The encoder type. */
  public EncoderType encoderType() {
    return encoderType;
  }

  /** {@code n_styles = 2·log2(S) - 2}, the number of W+ rows. */
  public int nStyles() {
    return nStyles;
  }

  /** True for the W encoder ({@code learn_in_w}): codes are {@code [B,512]}. */
  public boolean learnInW() {
    return encoder.learnInW();
  }

  /** The encoder. */
  public Encoder encoder() {
    return encoder;
  }

  /** The decoder. */
  public Generator decoder() {
    return decoder;
  }

  @Override
  public String toString() {
    return "PspNetwork(output_size=" + outputSize + ", input_nc=" + inputNc + ", encoder_type="
        + encoderType + ", n_styles=" + nStyles + ")";
  }
}
