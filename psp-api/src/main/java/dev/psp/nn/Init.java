package dev.psp.nn;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * How the official code initialises a state_dict entry, so that training can create a fresh
 * network with the official distributions.
 *
 * <p>{@link Fixed} marks entries whose value is part of the architecture (the blur and upsample
 * {@code kernel} buffers): the network computes with the fixed value, and {@link
 * StateDictSpec#validateTensors} reports a checkpoint whose stored value differs. All
 * implementations are immutable and thread-safe.
 */
public sealed interface Init {

  /** {@code n} values drawn from this distribution with {@code rng}. */
  float[] sample(int n, RandomGenerator rng);

  /** N(0, std²), e.g. StyleGAN2 weights ({@code torch.randn}, divided by lr_mul). */
  record Normal(double std) implements Init {
    @Override
    public float[] sample(int n, RandomGenerator rng) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) (rng.nextGaussian() * std);
      }
      return v;
    }

    @Override
    public String toString() {
      return "normal(std=" + std + ")";
    }
  }

  /**
   * U(-bound, bound): PyTorch's default for {@code nn.Conv2d} and {@code nn.Linear} weights and
   * biases, with {@code bound = 1/sqrt(fan_in)}.
   */
  record Uniform(double bound) implements Init {
    @Override
    public float[] sample(int n, RandomGenerator rng) {
      float[] v = new float[n];
      for (int i = 0; i < n; i++) {
        v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
      }
      return v;
    }

    @Override
    public String toString() {
      return "uniform(±" + bound + ")";
    }
  }

  /** Every element equals {@code value} (zeros, ones, PReLU 0.25, modulation bias 1). */
  record Constant(double value) implements Init {
    @Override
    public float[] sample(int n, RandomGenerator rng) {
      float[] v = new float[n];
      Arrays.fill(v, (float) value);
      return v;
    }

    @Override
    public String toString() {
      return "constant(" + value + ")";
    }
  }

  /**
   * A value fixed by the architecture ({@code what} names it, e.g. {@code make_kernel([1,3,3,1])×4});
   * the network never reads the stored tensor.
   */
  record Fixed(String what, float[] values) implements Init {
    /** Copies {@code values}. */
    public Fixed {
      values = values.clone();
    }

    /** A copy of the fixed values (C order). */
    @Override
    public float[] values() {
      return values.clone();
    }

    @Override
    public float[] sample(int n, RandomGenerator rng) {
      if (n != values.length) {
        throw new IllegalArgumentException(
            "fixed value " + what + " has " + values.length + " elements, asked for " + n);
      }
      return values.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Fixed f && f.what.equals(what) && Arrays.equals(f.values, values);
    }

    @Override
    public int hashCode() {
      return what.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "fixed(" + what + ")";
    }
  }
}
