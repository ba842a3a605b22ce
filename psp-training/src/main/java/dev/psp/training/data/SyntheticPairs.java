package dev.psp.training.data;

import dev.psp.synthetic.SyntheticFaces;
import java.util.Random;

/**
 * Training pairs of a task drawn from the synthetic face domain ({@link SyntheticFaces#pair}),
 * rendered at 256 px on access and passed through the task's transforms, like image folders would
 * be. Pair {@code i} of seed {@code s} is always the same face, so a test set made with another seed
 * is held out.
 */
public final class SyntheticPairs implements PairedDataset {
  private static final int RENDER_SIZE = 256;
  private final TaskTransforms transforms;
  private final long seed;
  private final int count;
  private final boolean train;

  /**
   * {@code count} pairs of the transforms' task from faces of {@code seed}.
   *
   * @param train whether training augmentations (flips) apply
   */
  public SyntheticPairs(TaskTransforms transforms, long seed, int count, boolean train) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    this.transforms = transforms;
    this.seed = seed;
    this.count = count;
    this.train = train;
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public Sample get(int index, Random random) {
    SyntheticFaces.Pair p = SyntheticFaces.pair(transforms.task(), seed, index, RENDER_SIZE);
    return transforms.apply(p.source(), p.target(), train, random);
  }

  @Override
  public int sourceChannels() {
    return transforms.sourceChannels();
  }
}
