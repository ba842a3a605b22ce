package dev.psp.training;

import dev.psp.EncoderType;
import dev.psp.TranslationTask;
import dev.psp.nn.Architecture;
import dev.psp.training.data.Oversampling;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The options of a pSp training run, under the official {@code options/train_options.py} names and
 * defaults, so an official {@code opts} dict (as stored in every official checkpoint) is a valid
 * configuration. The SDK adds a few keys, all prefixed {@code sdk_}: the dataset folders (the
 * official code finds them through {@code configs/paths_config.py}), the random seed, the weights of
 * the loss networks and a smaller architecture.
 *
 * <p>Immutable; {@link #with} gives a modified copy. {@link #toCheckpointOpts} is what checkpoints
 * store.
 */
public final class TrainOptions {
  /** The official defaults ({@code options/train_options.py}). */
  private static final Map<String, Object> DEFAULTS = officialDefaults();

  private final Map<String, Object> opts;

  private TrainOptions(Map<String, Object> opts) {
    this.opts = Collections.unmodifiableMap(new LinkedHashMap<>(opts));
  }

  /** The official defaults overridden by {@code values} (official or {@code sdk_} keys). */
  public static TrainOptions of(Map<String, ?> values) {
    Map<String, Object> m = new LinkedHashMap<>(DEFAULTS);
    for (Map.Entry<String, ?> e : values.entrySet()) {
      if (!DEFAULTS.containsKey(e.getKey()) && !e.getKey().startsWith("sdk_")
          && !e.getKey().equals("device") && !e.getKey().equals("n_styles")
          && !e.getKey().equals(RESTYLE_ITERATIONS)) {
        throw new IllegalArgumentException("unknown training option '" + e.getKey()
            + "'; options are the official ones " + DEFAULTS.keySet() + ", ReStyle's " + RESTYLE_ITERATIONS
            + " and sdk_* keys");
      }
      if (e.getKey().startsWith("sdk_") && !TrainOptionDocs.keys().contains(e.getKey())) {
        throw new IllegalArgumentException("unknown training option '" + e.getKey() + "'; the SDK's options are "
            + TrainOptionDocs.keys().stream().filter(k -> k.startsWith("sdk_")).sorted().toList());
      }
      m.put(e.getKey(), e.getValue());
    }
    TrainOptions o = new TrainOptions(m);
    o.validate();
    return o;
  }

  /** The official default of an option, or null ({@code sdk_*} options and those without one). */
  public static Object defaultValue(String key) {
    return DEFAULTS.get(key);
  }

  /** The official option names, in the order of the official TrainOptions. */
  public static java.util.Set<String> officialKeys() {
    return DEFAULTS.keySet();
  }

  /** A copy with one option changed. */
  public TrainOptions with(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(opts);
    m.put(key, value);
    return of(m);
  }

  private static Map<String, Object> officialDefaults() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("exp_dir", null);
    d.put("dataset_type", "ffhq_encode");
    d.put("encoder_type", "GradualStyleEncoder");
    d.put("input_nc", 3L);
    d.put("label_nc", 0L);
    d.put("output_size", 1024L);
    d.put("batch_size", 4L);
    d.put("test_batch_size", 2L);
    d.put("workers", 4L);
    d.put("test_workers", 2L);
    d.put("learning_rate", 0.0001);
    d.put("optim_name", "ranger");
    d.put("train_decoder", false);
    d.put("start_from_latent_avg", false);
    d.put("learn_in_w", false);
    d.put("lpips_lambda", 0.8);
    d.put("id_lambda", 0.0);
    d.put("l2_lambda", 1.0);
    d.put("w_norm_lambda", 0.0);
    d.put("lpips_lambda_crop", 0.0);
    d.put("l2_lambda_crop", 0.0);
    d.put("moco_lambda", 0.0);
    d.put("stylegan_weights", "pretrained_models/stylegan2-ffhq-config-f.pt");
    d.put("checkpoint_path", null);
    d.put("max_steps", 500000L);
    d.put("image_interval", 100L);
    d.put("board_interval", 50L);
    d.put("val_interval", 1000L);
    d.put("save_interval", null);
    d.put("use_wandb", false);
    d.put("resize_factors", null);
    return Collections.unmodifiableMap(d);
  }

  /** ReStyle's option: refinement steps per training batch (set only for ReStyle encoders). */
  public static final String RESTYLE_ITERATIONS = "n_iters_per_batch";

  /**
   * True when the encoder is one of ReStyle's: each batch is refined over {@link #iterations()}
   * steps, the encoder reading the image next to the previous reconstruction.
   */
  public boolean restyle() {
    return encoderType().isReStyle();
  }

  /** ReStyle's steps per batch ({@code n_iters_per_batch}); 1 for pSp. */
  public int iterations() {
    return restyle() ? intOpt(RESTYLE_ITERATIONS) : 1;
  }

  /**
   * The dataset types of the official data_configs of pSp, e4e and ReStyle; the encode-only ones of
   * other domains (cars, churches, horses, cats, wild animals) train inversion.
   */
  static final java.util.Set<String> OFFICIAL_DATASET_TYPES = new java.util.TreeSet<>(java.util.List.of(
      "ffhq_encode", "ffhq_frontalize", "celebs_sketch_to_face", "celebs_seg_to_face", "celebs_super_resolution",
      "cars_encode", "church_encode", "horse_encode", "cats_encode", "afhq_wild_encode", "toonify"));

  private void validate() {
    oversampling(); // a malformed sdk_oversample is refused here, with the other options
    if (opts.containsKey(RESTYLE_ITERATIONS) != encoderType().isReStyle()) {
      throw new IllegalArgumentException(RESTYLE_ITERATIONS + " is ReStyle's option: set it exactly when"
          + " encoder_type is one of ReStyle's (BackboneEncoder, ResNetBackboneEncoder, ProgressiveBackboneEncoder,"
          + " ResNetProgressiveBackboneEncoder)");
    }
    if (restyle() && (intOpt(RESTYLE_ITERATIONS) < 1 || intOpt(RESTYLE_ITERATIONS) > 20)) {
      throw new IllegalArgumentException(RESTYLE_ITERATIONS + " must be in 1..20, got " + opts.get(RESTYLE_ITERATIONS));
    }
    if (intOpt("batch_size") < 1 || intOpt("test_batch_size") < 1) {
      throw new IllegalArgumentException("batch_size and test_batch_size must be positive");
    }
    if (!(doubleOpt("learning_rate") > 0)) {
      throw new IllegalArgumentException("learning_rate must be positive, got " + opts.get("learning_rate"));
    }
    String optim = string("optim_name");
    if (!optim.equals("ranger") && !optim.equals("adam")) {
      throw new IllegalArgumentException("optim_name must be 'ranger' or 'adam', got '" + optim + "'");
    }
    if (doubleOpt("id_lambda") > 0 && doubleOpt("moco_lambda") > 0) {
      throw new IllegalArgumentException("Both ID and MoCo loss have lambdas > 0! Please select only one"
          + " to have non-zero lambda (the official rule)");
    }
    if (!(learnInW() ? encoderType() == EncoderType.INTO_W : true)) {
      throw new IllegalArgumentException("learn_in_w needs encoder_type BackboneEncoderUsingLastLayerIntoW");
    }
    String dataset = string("dataset_type");
    if (string("sdk_task") == null && !OFFICIAL_DATASET_TYPES.contains(dataset)) {
      throw new IllegalArgumentException("dataset_type '" + dataset + "' is none of the official ones "
          + OFFICIAL_DATASET_TYPES + " (the official code would not find it either); for an image folder of"
          + " another task name the task with sdk_task");
    }
    if (task() == TranslationTask.SEGMENTATION_TO_FACE && intOpt("label_nc") < 2) {
      throw new IllegalArgumentException("segmentation to face needs label_nc, the number of label classes (19 for"
          + " CelebAMask-HQ, with input_nc 19), got " + opts.get("label_nc"));
    }
    EncoderType.fromOfficialName(string("encoder_type"));
    architecture();
    int size = intOpt("output_size");
    if (size < 8 || size > 1024 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("output_size must be a power of two in [8, 1024], got " + size);
    }
  }

  /** The raw value of an option (null when unset). */
  public Object get(String key) {
    return opts.get(key);
  }

  /** An integer option; an official {@code None} is an error naming the key. */
  public int intOpt(String key) {
    Object v = opts.get(key);
    if (v instanceof Number n) {
      return Math.toIntExact(n.longValue());
    }
    if (v instanceof String s) {
      return Integer.parseInt(s.trim());
    }
    throw new IllegalArgumentException("option " + key + " must be an integer, got " + v);
  }

  /** A floating-point option. */
  public double doubleOpt(String key) {
    Object v = opts.get(key);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      return Double.parseDouble(s.trim());
    }
    throw new IllegalArgumentException("option " + key + " must be a number, got " + v);
  }

  /** A boolean option ({@code train_decoder} is parsed with {@code type=bool}: any non-empty string is true). */
  public boolean bool(String key) {
    Object v = opts.get(key);
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    return false;
  }

  /** A string option, or null. */
  public String string(String key) {
    Object v = opts.get(key);
    return v == null ? null : v.toString();
  }

  /** The encoder type. */
  public EncoderType encoderType() {
    return EncoderType.fromOfficialName(string("encoder_type"));
  }

  /** The task, from {@code dataset_type} and {@code label_nc} (as checkpoints are read). */
  public TranslationTask task() {
    String t = string("sdk_task");
    if (t != null) {
      return TranslationTask.forName(t).orElseThrow(
          () -> new IllegalArgumentException("unknown sdk_task '" + t + "'"));
    }
    return TranslationTask.fromOpts(string("dataset_type"), intOpt("label_nc"));
  }

  /** The output size. */
  public int outputSize() {
    return intOpt("output_size");
  }

  /** {@code 2·log2(output_size) − 2}. */
  public int nStyles() {
    return 2 * Integer.numberOfTrailingZeros(outputSize()) - 2;
  }

  /** Whether the encoder predicts one w. */
  public boolean learnInW() {
    return bool("learn_in_w");
  }

  /** The architecture ({@link Architecture#OFFICIAL} unless {@code sdk_*} keys say otherwise). */
  public Architecture architecture() {
    return Architecture.fromOpts(opts);
  }

  /** The random seed of the run ({@code sdk_seed}, default 0): data order, noise, initialisation. */
  public long seed() {
    Object v = opts.get("sdk_seed");
    return v == null ? 0L : ((Number) v).longValue();
  }

  /**
   * How synthetic training faces are drawn by their labels ({@code sdk_oversample}, e.g. {@code
   * glasses=3}); {@link Oversampling#NONE} when unset.
   *
   * @throws IllegalArgumentException naming the option when its text is not of that form
   */
  public Oversampling oversampling() {
    String text = string("sdk_oversample");
    try {
      return text == null ? Oversampling.NONE : Oversampling.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sdk_oversample: " + e.getMessage(), e);
    }
  }

  /**
   * The options a checkpoint stores: every option, plus {@code device} and {@code n_styles} as the
   * official Coach and pSp add them. {@code device} is {@code "cpu"}, so the official code loads the
   * file on a machine without a GPU.
   */
  public Map<String, Object> toCheckpointOpts() {
    Map<String, Object> m = new LinkedHashMap<>(opts);
    m.put("device", "cpu");
    m.put("n_styles", (long) nStyles());
    m.replaceAll((k, v) -> v instanceof Integer i ? Long.valueOf(i) : v instanceof List<?> l
        ? l.stream().map(x -> x instanceof Integer i ? (Object) Long.valueOf(i) : x).toList() : v);
    return m;
  }

  /**
   * The options a resumed run keeps: the task and its inputs, the network, how codes start, what trains
   * and the optimizer, which the saved weights and optimizer state belong to. Loss weights, the learning
   * rate, max_steps, the intervals, the batch and the seed may change between runs of one experiment (a
   * second stage; the last two then change the data order from the resumed step on).
   */
  static final List<String> FIXED_ON_RESUME = List.of("label_nc", "input_nc", "output_size", "encoder_type",
      "start_from_latent_avg", "learn_in_w", "train_decoder", "optim_name", RESTYLE_ITERATIONS);

  /**
   * What this run and the saved {@code opts} of the run it resumes disagree on, each as {@code "what
   * saved (this run: value)"}: the task and the architecture as they resolve (a task named by
   * dataset_type or by sdk_task is one task; an option left out is its default), and the options of
   * {@link #FIXED_ON_RESUME}. Empty when it may resume.
   */
  public List<String> resumeConflicts(Map<String, Object> saved) {
    List<String> out = new java.util.ArrayList<>();
    Object savedTask = saved.get("sdk_task") != null ? TranslationTask.forName(saved.get("sdk_task").toString())
        .map(Object::toString).orElse(saved.get("sdk_task").toString())
        : TranslationTask.fromOpts((String) saved.get("dataset_type"), saved.get("label_nc") instanceof Number n
            ? n.intValue() : 0);
    differs(out, "task", savedTask, task());
    Object savedArch;
    try {
      savedArch = Architecture.fromOpts(saved);
    } catch (IllegalArgumentException e) {
      savedArch = e.getMessage();
    }
    differs(out, "architecture", savedArch, architecture());
    for (String k : FIXED_ON_RESUME) {
      differs(out, k, saved.containsKey(k) ? saved.get(k) : DEFAULTS.get(k), opts.get(k));
    }
    return out;
  }

  private static void differs(List<String> out, String what, Object a, Object b) {
    boolean same = a instanceof Number x && b instanceof Number y ? x.doubleValue() == y.doubleValue()
        : String.valueOf(a).equals(String.valueOf(b));
    if (!same) {
      out.add(what + " " + a + " (this run: " + b + ")");
    }
  }

  /** All options, in order. */
  public Map<String, Object> asMap() {
    return opts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainOptions t && t.opts.equals(opts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(opts);
  }

  @Override
  public String toString() {
    return "TrainOptions" + opts;
  }
}
