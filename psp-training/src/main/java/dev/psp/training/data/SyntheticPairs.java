package dev.psp.training.data;

import dev.psp.synthetic.SyntheticFaces;
import java.util.Random;

/**
 * Training pairs of a task drawn from the synthetic face domain ({@link SyntheticFaces#pair}),
 * rendered at 256 px on access and passed through the task's transforms, like image folders would
 * be. Pair {@code i} of seed {@code s} is always the same face, so a test set made with another seed
 * is held out. With an {@link Oversampling} a face of weight {@code k} counts as {@code k} pairs,
 * so an epoch draws it {@code k} times.
 */
public final class SyntheticPairs implements PairedDataset {
  private static final int RENDER_SIZE = 256;
  private final TaskTransforms transforms;
  private final long seed;
  private final WeightedFaces faces;
  private final boolean train;

  /**
   * {@code count} pairs of the transforms' task from faces of {@code seed}, each once.
   *
   * @param train whether training augmentations (flips) apply
   */
  public SyntheticPairs(TaskTransforms transforms, long seed, int count, boolean train) {
    this(transforms, seed, count, train, Oversampling.NONE);
  }

  /**
   * {@code count} faces of {@code seed} as pairs of the transforms' task, each as often as its
   * weight under {@code oversampling}.
   *
   * @param train whether training augmentations (flips) apply
   */
  public SyntheticPairs(TaskTransforms transforms, long seed, int count, boolean train,
      Oversampling oversampling) {
    this.transforms = transforms;
    this.seed = seed;
    this.faces = new WeightedFaces(seed, count, oversampling);
    this.train = train;
  }

  /** The number of pairs: the faces, each counted as often as its weight. */
  @Override
  public int size() {
    return faces.count();
  }

  @Override
  public Sample get(int index, Random random) {
    SyntheticFaces.Pair p = SyntheticFaces.pair(transforms.task(), seed, faces.face(index), RENDER_SIZE);
    return transforms.apply(p.source(), p.target(), train, random);
  }

  @Override
  public int face(int index) {
    return faces.face(index);
  }

  @Override
  public int sourceChannels() {
    return transforms.sourceChannels();
  }
}
