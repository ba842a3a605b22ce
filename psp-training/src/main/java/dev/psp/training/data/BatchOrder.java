package dev.psp.training.data;

import java.util.Random;

/**
 * Which samples make up each training batch: like the official {@code DataLoader(shuffle=True,
 * drop_last=True)}, every epoch visits a fresh permutation of the dataset in whole batches, but the
 * permutation of epoch e is a pure function of (seed, e), so the batch of any step can be recomputed
 * after a restart. The augmentation randomness of each sample is likewise a function of (seed,
 * step, slot).
 */
public final class BatchOrder {
  private final int size;
  private final int batchSize;
  private final long seed;
  private int cachedEpoch = -1;
  private int[] cachedPermutation;

  /** The order of batches of {@code batchSize} over {@code size} samples. */
  public BatchOrder(int size, int batchSize, long seed) {
    if (batchSize < 1 || size < batchSize) {
      throw new IllegalArgumentException("a dataset of " + size + " samples cannot fill a batch of "
          + batchSize + " (the last partial batch is dropped, as drop_last=True)");
    }
    this.size = size;
    this.batchSize = batchSize;
    this.seed = seed;
  }

  /** Batches per epoch. */
  public int batchesPerEpoch() {
    return size / batchSize;
  }

  /** The dataset indices of the batch trained at {@code step}. */
  public int[] batch(long step) {
    int epoch = Math.toIntExact(step / batchesPerEpoch());
    int b = (int) (step % batchesPerEpoch());
    int[] perm = permutation(epoch);
    int[] out = new int[batchSize];
    System.arraycopy(perm, b * batchSize, out, 0, batchSize);
    return out;
  }

  /** The randomness for augmenting slot {@code slot} of the batch of {@code step}. */
  public Random augmentation(long step, int slot) {
    return new Random(mix(seed, step * 1_000_003L + slot, 0x2545F4914F6CDD1DL));
  }

  private int[] permutation(int epoch) {
    if (epoch != cachedEpoch) {
      int[] p = new int[size];
      for (int i = 0; i < size; i++) {
        p[i] = i;
      }
      Random r = new Random(mix(seed, epoch, 0x9E3779B97F4A7C15L));
      for (int i = size - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      cachedPermutation = p;
      cachedEpoch = epoch;
    }
    return cachedPermutation;
  }

  /** A well-mixed 64-bit seed from a base seed, a counter and a stream constant. */
  public static long mix(long seed, long counter, long stream) {
    long z = seed * 0xBF58476D1CE4E5B9L + counter * stream + 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
