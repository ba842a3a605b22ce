package dev.psp;

import dev.psp.nn.Architecture;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The architecture and behaviour of a pSp model, read from a checkpoint's {@code opts}.
 *
 * <p>Missing options are filled as the official inference scripts do ({@code learn_in_w=False},
 * {@code output_size=1024}, {@code input_nc=3}, {@code label_nc=0}, {@code encoder_type=GradualStyleEncoder}).
 * A missing {@code start_from_latent_avg} is taken as true exactly when the checkpoint has a
 * {@code latent_avg}. {@code device} is ignored. Immutable.
 *
 * @param task what the model was trained for
 * @param encoderType which encoder the state_dict holds
 * @param inputNc channels of the encoder input
 * @param labelNc the official {@code label_nc} (0 for RGB inputs)
 * @param outputSize generator output resolution S (a power of two)
 * @param nStyles W+ rows, {@code 2·log2(S) − 2}
 * @param startFromLatentAvg whether {@code latent_avg} is added to the encoder output
 * @param learnInW whether the encoder predicts one w (the W ablation)
 * @param opts all options as stored, in file order
 */
public record ModelConfig(
    TranslationTask task,
    EncoderType encoderType,
    int inputNc,
    int labelNc,
    int outputSize,
    int nStyles,
    boolean startFromLatentAvg,
    boolean learnInW,
    Map<String, Object> opts) {

  /** Validates the fields. */
  public ModelConfig {
    if (outputSize < 8 || Integer.bitCount(outputSize) != 1) {
      throw new IllegalArgumentException("output_size must be a power of two >= 8, got " + outputSize);
    }
    if (nStyles != stylesFor(outputSize)) {
      throw new IllegalArgumentException(
          "n_styles must be 2*log2(output_size)-2 = " + stylesFor(outputSize) + ", got " + nStyles);
    }
    if (inputNc < 1) {
      throw new IllegalArgumentException("input_nc must be >= 1, got " + inputNc);
    }
    opts = Collections.unmodifiableMap(new LinkedHashMap<>(opts));
  }

  /** Channels of the reconstruction a ReStyle encoder takes next to the image. */
  public static final int RECONSTRUCTION_NC = 3;

  /** ReStyle's default number of refinement steps ({@code n_iters_per_batch}). */
  public static final int DEFAULT_ITERATIONS = 5;

  /** {@code 2·log2(size) − 2}: 18 for 1024, 16 for 512, 14 for 256. */
  public static int stylesFor(int outputSize) {
    return 2 * Integer.numberOfTrailingZeros(outputSize) - 2;
  }

  /**
   * Reads the configuration from official {@code opts}. The task comes from {@code dataset_type} and
   * {@code label_nc}, unless the SDK recorded it under {@code sdk_task} (tasks without an official
   * dataset type, such as inpainting).
   *
   * @param hasLatentAvg whether the checkpoint stores a {@code latent_avg}
   * @throws CheckpointFormatException if an option has an impossible value, naming it
   */
  public static ModelConfig fromOpts(Map<String, Object> opts, boolean hasLatentAvg)
      throws CheckpointFormatException {
    try {
      // e4e's options name the generator size stylegan_size
      int outputSize = intOpt(opts, "output_size", intOpt(opts, "stylegan_size", 1024));
      int labelNc = intOpt(opts, "label_nc", 0);
      int inputNc = intOpt(opts, "input_nc", 3);
      EncoderType type = EncoderType.fromOfficialName(strOpt(opts, "encoder_type", "GradualStyleEncoder"));
      boolean learnInW = boolOpt(opts, "learn_in_w", false);
      boolean fromAvg = boolOpt(opts, "start_from_latent_avg", hasLatentAvg);
      String dataset = strOpt(opts, "dataset_type", null);
      String sdkTask = strOpt(opts, "sdk_task", null);
      TranslationTask task = sdkTask != null
          ? TranslationTask.forName(sdkTask).orElseThrow(
              () -> new IllegalArgumentException("unknown sdk_task '" + sdkTask + "'"))
          : TranslationTask.fromOpts(dataset, labelNc);
      Architecture.fromOpts(opts); // validated here, so a bad value is a checkpoint error
      if (iterative(type, opts) && inputNc <= RECONSTRUCTION_NC) {
        throw new IllegalArgumentException("a ReStyle model's input_nc counts the image and the "
            + RECONSTRUCTION_NC + "-channel reconstruction (6 for RGB), got " + inputNc);
      }
      intOpt(opts, "n_iters_per_batch", DEFAULT_ITERATIONS);
      return new ModelConfig(task, type, inputNc, labelNc, outputSize, stylesFor(outputSize), fromAvg,
          learnInW, opts);
    } catch (IllegalArgumentException e) {
      throw new CheckpointFormatException("invalid opts: " + e.getMessage(), e);
    }
  }

  /** The same configuration with another task (a model loaded by name knows its task better than its opts). */
  public ModelConfig withTask(TranslationTask newTask) {
    return new ModelConfig(newTask, encoderType, inputNc, labelNc, outputSize, nStyles, startFromLatentAvg,
        learnInW, opts);
  }

  /**
   * The widths and depths of the network: {@link Architecture#OFFICIAL} unless the opts record a
   * smaller architecture (checkpoints made by this SDK for tests, demos and small domains).
   */
  public Architecture architecture() {
    return Architecture.fromOpts(opts);
  }

  /**
   * The family: ReStyle when the encoder is one of ReStyle's or the options are ReStyle's (they carry
   * {@code n_iters_per_batch}); e4e for {@code Encoder4Editing}; else pSp.
   */
  public ModelFamily family() {
    return ModelFamily.of(encoderType, iterative(encoderType, opts));
  }

  /** True when inference is ReStyle's iterative refinement. */
  public boolean iterative() {
    return family().isIterative();
  }

  /** Channels of the image input: {@link #inputNc()}, less the reconstruction's for ReStyle. */
  public int imageNc() {
    return iterative() ? inputNc - RECONSTRUCTION_NC : inputNc;
  }

  /** The refinement steps the model was trained with ({@code n_iters_per_batch}, default 5); 1 unless iterative. */
  public int defaultIterations() {
    return iterative() ? intOpt(opts, "n_iters_per_batch", DEFAULT_ITERATIONS) : 1;
  }

  private static boolean iterative(EncoderType type, Map<String, Object> opts) {
    return type.isReStyle() || opts.containsKey("n_iters_per_batch");
  }

  /** Rows of the code the encoder predicts: 1 for {@code learn_in_w}, else {@link #nStyles()}. */
  public int encoderRows() {
    return learnInW ? 1 : nStyles;
  }

  private static int intOpt(Map<String, Object> opts, String key, int dflt) {
    Object v = opts.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return Math.toIntExact(n.longValue());
    }
    if (v instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(key + " must be an integer, got " + v);
  }

  private static String strOpt(Map<String, Object> opts, String key, String dflt) {
    Object v = opts.get(key);
    return v == null ? dflt : v.toString();
  }

  /** Python truthiness, as the official code applies it ({@code type=bool} makes any non-empty string true). */
  private static boolean boolOpt(Map<String, Object> opts, String key, boolean dflt) {
    Object v = opts.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    throw new IllegalArgumentException(key + " must be a bool, got " + v);
  }
}
