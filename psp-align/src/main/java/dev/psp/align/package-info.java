/**
 * Face alignment for real photos, as the official {@code scripts/align_all_parallel.py} does it, in pure
 * Java: {@link dev.psp.align.FaceAligner} finds faces and their 68 landmarks with dlib's own models
 * ({@link dev.psp.align.dlib}), {@link dev.psp.align.FfhqAlignment} cuts the FFHQ crop, and
 * {@link dev.psp.align.PasteBack} puts an edited crop back into the photo. Value types:
 * {@link dev.psp.align.RgbImage}, {@link dev.psp.align.FaceBox}, {@link dev.psp.align.Landmarks},
 * {@link dev.psp.align.Face}, {@link dev.psp.align.AlignedFace}; the choice among several faces is a
 * {@link dev.psp.align.FaceChoice}.
 */
package dev.psp.align;
