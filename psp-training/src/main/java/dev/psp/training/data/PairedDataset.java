package dev.psp.training.data;

import java.util.Random;

/**
 * Indexed source/target pairs with their task's transforms applied, like the official {@code
 * ImagesDataset}. Random augmentations draw only from the {@code Random} they are given, so a
 * sample is a pure function of (index, random state) and a run can be replayed exactly.
 */
public interface PairedDataset {

  /** The number of pairs. */
  int size();

  /** Pair {@code index} (0 ≤ index &lt; size), augmented with {@code random}. */
  Sample get(int index, Random random);

  /** Channels of the source ({@code input_nc}). */
  int sourceChannels();

  /**
   * The face (the underlying image) that pair {@code index} shows: the index itself, unless faces
   * are drawn more than once ({@link SyntheticPairs} with oversampling).
   */
  default int face(int index) {
    return index;
  }
}
