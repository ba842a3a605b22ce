package dev.psp.synthetic;

import java.util.SplittableRandom;

/** Colour sampling for {@link FaceParams#random(long)}: skin tones, hair, irises, clothes. */
final class Palettes {
  private static final int[] SKIN = {0xffe0c4, 0xf1c2a0, 0xe0ac7d, 0xc6865e, 0x8d5536, 0x5a3825};
  private static final int[] HAIR = {0x1e1919, 0x3c281c, 0x69462d, 0x966e46, 0xdcbe82, 0x963c1e,
      0xaaaaaa, 0xe1e1dc};
  private static final double[] HAIR_WEIGHTS = {0.25, 0.22, 0.18, 0.1, 0.1, 0.06, 0.05, 0.04};
  private static final int[] IRIS = {0x5a371e, 0x372314, 0x4678b4, 0x508250, 0x78828c, 0x826432};
  private static final int[] FRAME = {0x141414, 0x3c2814, 0xb4b4be, 0xc8aa50, 0x8c1e28};

  private Palettes() {}

  static int skin(SplittableRandom r) {
    double t = r.nextDouble() * (SKIN.length - 1);
    int i = Math.min((int) t, SKIN.length - 2);
    return jitter(r, mix(SKIN[i], SKIN[i + 1], t - i), 6);
  }

  static int hair(SplittableRandom r) {
    if (r.nextDouble() < 0.04) {
      return vivid(r);
    }
    double x = r.nextDouble();
    int i = 0;
    while (i < HAIR.length - 1 && (x -= HAIR_WEIGHTS[i]) >= 0) {
      i++;
    }
    return jitter(r, HAIR[i], 10);
  }

  static int iris(SplittableRandom r) {
    return jitter(r, IRIS[r.nextInt(IRIS.length)], 8);
  }

  static int frame(SplittableRandom r) {
    return FRAME[r.nextInt(FRAME.length)];
  }

  /** Lips: the skin reddened, sometimes lipstick. */
  static int lips(SplittableRandom r, int skin) {
    if (r.nextDouble() < 0.15) {
      return jitter(r, 0xc0202e, 15);
    }
    return mix(skin, 0xb4424e, 0.35 + 0.3 * r.nextDouble());
  }

  /** Any hue, medium saturation and value: clothes, hats, dyed hair. */
  static int vivid(SplittableRandom r) {
    return hsv(r.nextDouble(), 0.2 + 0.7 * r.nextDouble(), 0.25 + 0.65 * r.nextDouble());
  }

  static int background(SplittableRandom r) {
    return hsv(r.nextDouble(), 0.5 * r.nextDouble(), 0.35 + 0.6 * r.nextDouble());
  }

  /** Each channel multiplied by {@code f}, clamped. */
  static int scale(int rgb, double f) {
    return rgb(((rgb >> 16) & 0xff) * f, ((rgb >> 8) & 0xff) * f, (rgb & 0xff) * f);
  }

  /** {@code (1-t)·a + t·b} per channel. */
  static int mix(int a, int b, double t) {
    return rgb(((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t,
        ((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t, (a & 0xff) * (1 - t) + (b & 0xff) * t);
  }

  static int rgb(double r, double g, double b) {
    return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
  }

  /** Rounds to the nearest integer in [0, 255] (halves up). */
  static int clamp(double c) {
    return c <= 0 ? 0 : c >= 255 ? 255 : (int) (c + 0.5);
  }

  private static int jitter(SplittableRandom r, int rgb, int amount) {
    return rgb(((rgb >> 16) & 0xff) + r.nextInt(-amount, amount + 1),
        ((rgb >> 8) & 0xff) + r.nextInt(-amount, amount + 1), (rgb & 0xff) + r.nextInt(-amount, amount + 1));
  }

  private static int hsv(double h, double s, double v) {
    double c = v * s;
    double hp = h * 6;
    double x = c * (1 - Math.abs(hp % 2 - 1));
    double r;
    double g;
    double b;
    switch ((int) hp) {
      case 0 -> { r = c; g = x; b = 0; }
      case 1 -> { r = x; g = c; b = 0; }
      case 2 -> { r = 0; g = c; b = x; }
      case 3 -> { r = 0; g = x; b = c; }
      case 4 -> { r = x; g = 0; b = c; }
      default -> { r = c; g = 0; b = x; }
    }
    double m = v - c;
    return rgb(255 * (r + m), 255 * (g + m), 255 * (b + m));
  }
}
