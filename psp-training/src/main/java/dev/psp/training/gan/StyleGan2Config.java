package dev.psp.training.gan;

import dev.psp.nn.Architecture;
import dev.psp.nn.stylegan2.Generator;
import dev.psp.nn.stylegan2.StyledConv;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of a StyleGAN2 pair: output size, width divisor (every channel count of the official
 * config-f networks, channel multiplier 2, divided by it; the style dimension becomes {@code
 * 512/divisor}) and mapping depth. {@code (1024, 1, 8)} is the official FFHQ model. Recorded in a
 * checkpoint's {@code args} ({@link #toArgs}) so the checkpoint reloads by itself.
 *
 * @param size image size, a power of two in [8, 1024]
 * @param widthDivisor a power of two in [1, 64] (as {@link Architecture#widthDivisor()})
 * @param nMlp layers of the mapping network
 */
public record StyleGan2Config(int size, int widthDivisor, int nMlp) {

  /** Validates the values. */
  public StyleGan2Config {
    if (size < 8 || size > 1024 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("size must be a power of two in [8, 1024], got " + size);
    }
    architecture(widthDivisor, nMlp); // validates both
  }

  private static Architecture architecture(int widthDivisor, int nMlp) {
    return new Architecture(widthDivisor, Architecture.OFFICIAL.bodyUnits(), nMlp);
  }

  /** The style (latent) dimension, {@code 512 / widthDivisor}. */
  public int styleDim() {
    return architecture(widthDivisor, nMlp).styleDim();
  }

  /**
   * Channels per resolution, shared by generator and discriminator: the official table {@code 512
   * (4…32), 512, 256, 128, 64, 32 (64…1024)} divided by the width divisor.
   */
  public Map<Integer, Integer> channels() {
    return architecture(widthDivisor, nMlp).generatorChannels();
  }

  /** The generator, with keys as in rosinality's {@code g} / {@code g_ema} state_dicts (no prefix). */
  public Generator generator() {
    return new Generator("", size, styleDim(), nMlp, channels(), StyledConv.DEFAULT_BLUR, 0.01);
  }

  /** The discriminator, with keys as in rosinality's {@code d} state_dict. */
  public Discriminator discriminator() {
    return new Discriminator("", size, channels());
  }

  /**
   * The {@code args} entries describing this shape: rosinality's {@code size}, {@code latent},
   * {@code n_mlp}, {@code channel_multiplier}, and {@code sdk_width_divisor}.
   */
  public Map<String, Object> toArgs() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("size", (long) size);
    m.put("latent", (long) styleDim());
    m.put("n_mlp", (long) nMlp);
    m.put("channel_multiplier", 2L);
    m.put("sdk_width_divisor", (long) widthDivisor);
    return m;
  }

  /**
   * The shape recorded in {@code args}; {@code sdk_width_divisor} defaults to 1 (an official
   * checkpoint).
   *
   * @throws IllegalArgumentException naming a missing or inconsistent entry
   */
  public static StyleGan2Config fromArgs(Map<?, ?> args) {
    int size = intArg(args, "size", null);
    int divisor = intArg(args, "sdk_width_divisor", 1);
    int nMlp = intArg(args, "n_mlp", 8);
    int multiplier = intArg(args, "channel_multiplier", 2);
    if (multiplier != 2) {
      throw new IllegalArgumentException("args.channel_multiplier is " + multiplier
          + "; only the config-f networks (channel_multiplier 2) are supported");
    }
    StyleGan2Config c = new StyleGan2Config(size, divisor, nMlp);
    int latent = intArg(args, "latent", c.styleDim());
    if (latent != c.styleDim()) {
      throw new IllegalArgumentException("args.latent is " + latent + " but width divisor " + divisor
          + " gives style dimension " + c.styleDim());
    }
    return c;
  }

  private static int intArg(Map<?, ?> args, String key, Integer dflt) {
    Object v = args.get(key);
    if (v == null) {
      if (dflt == null) {
        throw new IllegalArgumentException("args has no '" + key + "'; is this a StyleGAN2 checkpoint?");
      }
      return dflt;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return Math.toIntExact(n.longValue());
    }
    throw new IllegalArgumentException("args." + key + " must be an integer, got " + v);
  }

  @Override
  public String toString() {
    return "StyleGAN2 " + size + "px, width/" + widthDivisor + " (style dim " + styleDim()
        + "), n_mlp " + nMlp;
  }
}
