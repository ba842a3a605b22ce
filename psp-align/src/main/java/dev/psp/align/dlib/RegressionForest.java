package dev.psp.align.dlib;

import java.util.Arrays;

/**
 * The regression trees of one cascade level (one regressor {@code r_t} of Kazemi and Sullivan, "One
 * Millisecond Face Alignment with an Ensemble of Regression Trees", CVPR 2014, section 2.3), as dlib
 * serializes them: {@code std::vector<impl::regression_tree>}.
 *
 * <p>A tree is a complete binary tree. Split node {@code i} compares the difference of two pixel
 * features with a threshold and goes to {@code 2i+1} when {@code f[idx1] - f[idx2] > thresh}, to
 * {@code 2i+2} otherwise; with {@code S} splits, node {@code S + k} is leaf {@code k}, which holds an
 * increment of the whole shape.
 *
 * <p>All trees are packed into a few flat arrays, in the order they are used, so that one prediction
 * streams through memory instead of chasing 7,500 small objects. Immutable.
 */
final class RegressionForest {
  private final int dim;
  /** Tree {@code t} has splits {@code firstSplit[t] .. firstSplit[t+1]-1}; length {@code trees + 1}. */
  private final int[] firstSplit;
  /** {@code idx1, idx2} of each split. */
  private final int[] featurePairs;
  private final float[] thresholds;
  /** Leaf {@code k} of tree {@code t} starts at {@code (firstSplit[t] + t + k) * dim}. */
  private final float[] leaves;

  private RegressionForest(int dim, int[] firstSplit, int[] featurePairs, float[] thresholds, float[] leaves) {
    this.dim = dim;
    this.firstSplit = firstSplit;
    this.featurePairs = featurePairs;
    this.thresholds = thresholds;
    this.leaves = leaves;
  }

  /**
   * Reads {@code vector<regression_tree>}, each tree {@code vector<split_feature> splits;
   * vector<matrix<float,0,1>> leaf_values} with leaves of {@code dim} values.
   */
  static RegressionForest read(DlibInput in, int dim) {
    // a tree takes at least 2 + 2 bytes, a split 2 + 2 + 4, a leaf 4 + 4 * dim
    int trees = in.countOf(4, "number of trees in a cascade level");
    int[] firstSplit = new int[trees + 1];
    int[] pairs = new int[0];
    float[] thresholds = new float[0];
    float[] leaves = new float[0];
    int splitsSoFar = 0;
    for (int t = 0; t < trees; t++) {
      int treeAt = in.position();
      int splits = in.countOf(8, "number of splits of a tree");
      int end = Math.addExact(splitsSoFar, splits);
      if (end > thresholds.length) {
        int capacity = Math.max(end, 2 * thresholds.length);
        pairs = Arrays.copyOf(pairs, Math.multiplyExact(2, capacity));
        thresholds = Arrays.copyOf(thresholds, capacity);
      }
      for (int s = splitsSoFar; s < end; s++) {
        pairs[2 * s] = in.count(Integer.MAX_VALUE, "split feature index");
        pairs[2 * s + 1] = in.count(Integer.MAX_VALUE, "split feature index");
        thresholds[s] = in.float32();
      }
      int leavesAt = in.position();
      int leafCount = in.countOf(4 + 4 * dim, "number of leaves of a tree");
      if (leafCount != splits + 1) {
        throw in.error(leavesAt, "tree " + t + " (at byte " + treeAt + ") has " + splits + " splits and "
            + leafCount + " leaves, " + (splits + 1) + " leaves expected");
      }
      int leafStart = Math.multiplyExact(splitsSoFar + t, dim);
      int leafEnd = Math.addExact(leafStart, Math.multiplyExact(leafCount, dim));
      if (leafEnd > leaves.length) {
        int doubled = (int) Math.min(Integer.MAX_VALUE - 8, 2L * leaves.length);
        leaves = Arrays.copyOf(leaves, Math.max(leafEnd, doubled));
      }
      for (int k = 0; k < leafCount; k++) {
        in.floatColumn(leaves, leafStart + k * dim, dim, "leaf");
      }
      splitsSoFar = end;
      firstSplit[t + 1] = end;
    }
    int leafValues = (splitsSoFar + trees) * dim;
    if (leaves.length != leafValues) {
      leaves = Arrays.copyOf(leaves, leafValues);
    }
    return new RegressionForest(dim, firstSplit, Arrays.copyOf(pairs, 2 * splitsSoFar),
        Arrays.copyOf(thresholds, splitsSoFar), leaves);
  }

  /** Number of trees. */
  int trees() {
    return firstSplit.length - 1;
  }

  /** Number of splits of tree {@code t}. */
  int splits(int t) {
    return firstSplit[t + 1] - firstSplit[t];
  }

  /** One more than the largest feature index a split reads (0 without splits). */
  int featuresNeeded() {
    int max = -1;
    for (int p : featurePairs) {
      max = Math.max(max, p);
    }
    return max + 1;
  }

  /**
   * Walks every tree on {@code features} and adds the leaves reached to {@code shape}, tree after tree
   * and element by element in float, as dlib does.
   */
  void addLeaves(float[] features, float[] shape) {
    int trees = trees();
    // First all walks, then all additions: the leaf loads no longer wait behind the walks, so the
    // memory system can fetch several leaves at once.
    int[] leafAt = new int[trees];
    for (int t = 0; t < trees; t++) {
      int first = firstSplit[t];
      int n = firstSplit[t + 1] - first;
      int i = 0;
      while (i < n) {
        int s = first + i;
        // features are integers 0..255, so the float difference is exact; equal goes right
        i = features[featurePairs[2 * s]] - features[featurePairs[2 * s + 1]] > thresholds[s] ? 2 * i + 1 : 2 * i + 2;
      }
      leafAt[t] = (first + t + i - n) * dim;
    }
    for (int t = 0; t < trees; t++) {
      int base = leafAt[t];
      for (int j = 0; j < dim; j++) {
        shape[j] += leaves[base + j];
      }
    }
  }
}
