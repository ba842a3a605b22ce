package dev.psp.serve;

import dev.psp.Noise;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The generator noise a request asks for: {@code fixed} (the checkpoint's noise buffers, what
 * {@code PspModel.translate} and the official inference use, the default), {@code seeded} (fresh
 * noise from {@code seed}, like {@code psp --noise random --seed S}) or {@code random} (fresh noise
 * from a seed the server draws and reports, so the result can be reproduced with {@code seeded}).
 *
 * @param mode {@code fixed}, {@code seeded} or {@code random}
 * @param seed the noise seed; unused for fixed noise
 */
record NoiseChoice(String mode, long seed) {
  /** The choice for a {@code noise} parameter; {@code random} draws its seed here. */
  static NoiseChoice of(String mode, long seed) {
    return mode.equals("random") ? new NoiseChoice(mode, ThreadLocalRandom.current().nextLong()) : new NoiseChoice(mode, seed);
  }

  /** Whether the stored noise buffers are used. */
  boolean fixed() {
    return mode.equals("fixed");
  }

  /** The noise of mix variant k of a request's image: fixed, or seeded with {@code seed + k}, as {@code psp mix} gives its first input. */
  Noise noise(int k) {
    return fixed() ? Noise.fixed() : Noise.seeded(seed + k);
  }

  /** The noise of a request's only image (or of all its frames): fixed or seeded with {@code seed}. */
  Noise noise() {
    return noise(0);
  }

  /** For the {@code X-Psp-Noise} header: {@code fixed} or {@code seeded(S)}. */
  String describe() {
    return fixed() ? "fixed" : "seeded(" + seed + ")";
  }
}
