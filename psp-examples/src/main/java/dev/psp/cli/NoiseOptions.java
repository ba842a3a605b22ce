package dev.psp.cli;

import dev.psp.Noise;
import picocli.CommandLine.Option;

/** {@code --noise fixed|random} and {@code --seed}: the generator's noise. */
final class NoiseOptions {
  enum Mode { fixed, random }

  @Option(names = "--noise", defaultValue = "fixed", paramLabel = "<fixed|random>",
      description = "fixed: the checkpoint's noise buffers (official inference); random: fresh noise from --seed. "
          + "Default: ${DEFAULT-VALUE}.")
  Mode mode;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "<n>", description = "Seed of random noise and sampling (default: ${DEFAULT-VALUE}).")
  long seed;

  Noise noise() {
    return mode == Mode.fixed ? Noise.fixed() : Noise.seeded(seed);
  }

  /** The noise of batch k: random noise is seeded with {@code seed + k}, so batches differ reproducibly. */
  static Noise forBatch(NoiseOptions o, int k) {
    return o.mode == Mode.fixed ? Noise.fixed() : Noise.seeded(o.seed + k);
  }
}
