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

  /**
   * The noise of mix variant k for a batch of the given inputs: input i draws from stream i of {@code
   * seed + k} (for one image, what the server's mix gives variant k), whatever the batch size.
   */
  static Noise forVariant(NoiseOptions o, int k, long[] inputs) {
    return o.mode == Mode.fixed ? Noise.fixed() : Noise.seeded(o.seed + k).withStreams(inputs);
  }
}
