package dev.psp.training.gan;

import dev.psp.training.data.Oversampling;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hyperparameters of StyleGAN2 training, with rosinality's train.py defaults from {@link
 * #defaults}. Path-length regularisation is not implemented (recorded as {@code
 * path_regularize = 0}); {@code gRegEvery} still sets the generator's lazy-regularisation
 * learning-rate ratio, as in the official code.
 *
 * @param batch images per step (a multiple of 4, or less than 4, for the minibatch stddev)
 * @param seed the seed of every random draw (weights, latents, noise, data order)
 * @param r1 the R1 weight γ (10)
 * @param dRegEvery R1 every this many steps, weighted by it (16)
 * @param gRegEvery the generator's lazy-regularisation interval, for its Adam ratio (4)
 * @param mixing the style-mixing probability (0.9)
 * @param lr the base learning rate (0.002), scaled by {@code reg_every/(reg_every+1)} per network
 * @param emaDecay the g_ema decay per step ({@code 0.5^(32/10000)})
 * @param latentAvgSamples how many z the saved {@code latent_avg} averages (4096)
 * @param faces how many synthetic faces the training set holds ({@value #DEFAULT_FACES}): recorded
 *     so that {@code psp train-stylegan} resumes on the same set; the trainer itself takes any {@link
 *     dev.psp.training.data.ImageSource}
 * @param oversampling how often faces are drawn by their labels ({@code sdk_oversample}, e.g.
 *     {@code glasses=3}; {@link Oversampling#NONE} unless given): recorded for the same reason
 */
public record StyleGan2Options(int batch, long seed, double r1, int dRegEvery, int gRegEvery,
    double mixing, double lr, double emaDecay, int latentAvgSamples, int faces,
    Oversampling oversampling) {
  /** The synthetic training set's size unless given ({@code psp train-stylegan --faces}). */
  public static final int DEFAULT_FACES = 50_000;


  /** Validates the values. */
  public StyleGan2Options {
    java.util.Objects.requireNonNull(oversampling, "oversampling");
    if (batch < 1 || (batch > 4 && batch % 4 != 0)) {
      throw new IllegalArgumentException("batch must be 1..4 or a multiple of 4 (minibatch stddev"
          + " groups of 4), got " + batch);
    }
    if (!(r1 >= 0) || dRegEvery < 1 || gRegEvery < 1 || !(mixing >= 0 && mixing <= 1)
        || !(lr > 0) || !(emaDecay >= 0 && emaDecay <= 1) || latentAvgSamples < 1 || faces < 1) {
      throw new IllegalArgumentException("invalid options: r1=" + r1 + " d_reg_every=" + dRegEvery
          + " g_reg_every=" + gRegEvery + " mixing=" + mixing + " lr=" + lr + " ema_decay="
          + emaDecay + " latent_avg_samples=" + latentAvgSamples + " faces=" + faces);
    }
  }

  /** rosinality's defaults for a batch size and seed. */
  public static StyleGan2Options defaults(int batch, long seed) {
    return new StyleGan2Options(batch, seed, 10, 16, 4, MixingNoise.STYLEGAN2_PROBABILITY, 0.002,
        Ema.STYLEGAN2_DECAY, 4096, DEFAULT_FACES, Oversampling.NONE);
  }

  /** These options with another R1 interval. */
  public StyleGan2Options withDRegEvery(int every) {
    return new StyleGan2Options(batch, seed, r1, every, gRegEvery, mixing, lr, emaDecay,
        latentAvgSamples, faces, oversampling);
  }

  /** These options with another learning rate. */
  public StyleGan2Options withLr(double rate) {
    return new StyleGan2Options(batch, seed, r1, dRegEvery, gRegEvery, mixing, rate, emaDecay,
        latentAvgSamples, faces, oversampling);
  }

  /** These options with another EMA decay. */
  public StyleGan2Options withEmaDecay(double decay) {
    return new StyleGan2Options(batch, seed, r1, dRegEvery, gRegEvery, mixing, lr, decay,
        latentAvgSamples, faces, oversampling);
  }

  /** These options with another sample count for {@code latent_avg}. */
  public StyleGan2Options withLatentAvgSamples(int samples) {
    return new StyleGan2Options(batch, seed, r1, dRegEvery, gRegEvery, mixing, lr, emaDecay,
        samples, faces, oversampling);
  }

  /** These options with another training-set size. */
  public StyleGan2Options withFaces(int count) {
    return new StyleGan2Options(batch, seed, r1, dRegEvery, gRegEvery, mixing, lr, emaDecay,
        latentAvgSamples, count, oversampling);
  }

  /** These options with another oversampling of the training faces. */
  public StyleGan2Options withOversampling(Oversampling o) {
    return new StyleGan2Options(batch, seed, r1, dRegEvery, gRegEvery, mixing, lr, emaDecay,
        latentAvgSamples, faces, o);
  }

  /** {@code reg_every / (reg_every + 1)}: the lazy-regularisation ratio. */
  static double ratio(int regEvery) {
    return regEvery / (regEvery + 1.0);
  }

  /** The generator's Adam learning rate, {@code lr · ratio}. */
  public double generatorLr() {
    return lr * ratio(gRegEvery);
  }

  /** The generator's Adam β2, {@code 0.99^ratio} (β1 is 0). */
  public double generatorBeta2() {
    return Math.pow(0.99, ratio(gRegEvery));
  }

  /** The discriminator's Adam learning rate, {@code lr · ratio}. */
  public double discriminatorLr() {
    return lr * ratio(dRegEvery);
  }

  /** The discriminator's Adam β2, {@code 0.99^ratio} (β1 is 0). */
  public double discriminatorBeta2() {
    return Math.pow(0.99, ratio(dRegEvery));
  }

  /** The {@code args} entries (rosinality's names, plus {@code sdk_*}). */
  public Map<String, Object> toArgs() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batch", (long) batch);
    m.put("r1", r1);
    m.put("path_regularize", 0.0);
    m.put("d_reg_every", (long) dRegEvery);
    m.put("g_reg_every", (long) gRegEvery);
    m.put("mixing", mixing);
    m.put("lr", lr);
    m.put("augment", false);
    m.put("sdk_seed", seed);
    m.put("sdk_ema_decay", emaDecay);
    m.put("sdk_latent_avg_samples", (long) latentAvgSamples);
    m.put("sdk_faces", (long) faces);
    m.put("sdk_oversample", oversampling.toString());
    return m;
  }

  /**
   * The options recorded in {@code args}; rosinality's defaults where an entry is absent ({@link
   * #DEFAULT_FACES} for a checkpoint written before {@code sdk_faces} was recorded).
   */
  public static StyleGan2Options fromArgs(Map<?, ?> args) {
    StyleGan2Options d = defaults(16, 0);
    return new StyleGan2Options((int) longArg(args, "batch", d.batch), longArg(args, "sdk_seed", 0),
        doubleArg(args, "r1", d.r1), (int) longArg(args, "d_reg_every", d.dRegEvery),
        (int) longArg(args, "g_reg_every", d.gRegEvery), doubleArg(args, "mixing", d.mixing),
        doubleArg(args, "lr", d.lr), doubleArg(args, "sdk_ema_decay", d.emaDecay),
        (int) longArg(args, "sdk_latent_avg_samples", d.latentAvgSamples),
        (int) longArg(args, "sdk_faces", d.faces), oversampling(args));
  }

  private static Oversampling oversampling(Map<?, ?> args) {
    Object v = args.get("sdk_oversample");
    if (v == null) {
      return Oversampling.NONE;
    }
    if (v instanceof String text) {
      return Oversampling.parse(text);
    }
    throw new IllegalArgumentException("args.sdk_oversample must be a string, got " + v);
  }

  private static long longArg(Map<?, ?> args, String key, long dflt) {
    Object v = args.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    throw new IllegalArgumentException("args." + key + " must be an integer, got " + v);
  }

  private static double doubleArg(Map<?, ?> args, String key, double dflt) {
    Object v = args.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("args." + key + " must be a number, got " + v);
  }
}
