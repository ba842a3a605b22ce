/**
 * A procedural face domain for training pSp without FFHQ or CelebA: {@link
 * dev.psp.synthetic.FaceParams} sampled from a seed, rendered by {@link
 * dev.psp.synthetic.FaceRenderer} into an RGB face, its CelebAMask-HQ label map and a line
 * sketch ({@link dev.psp.synthetic.SyntheticFace}), and paired for each task of the paper
 * in memory ({@link dev.psp.synthetic.SyntheticFaces}) or on disk in the official folder
 * layout ({@link dev.psp.synthetic.SyntheticDataset}).
 *
 * <p>Everything is deterministic in its seed and pure Java (no native code, no global random state).
 */
package dev.psp.synthetic;
