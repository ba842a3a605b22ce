/**
 * dlib's face detector and shape predictor re-implemented in Java, reading dlib's own model files:
 * fHOG features, the image pyramid, the separable filter scan with non-maximum suppression, and the
 * cascade of regression trees (Kazemi and Sullivan, "One Millisecond Face Alignment with an Ensemble of
 * Regression Trees", CVPR 2014). Arithmetic follows dlib's order so results equal dlib's. Not API: use
 * {@link dev.psp.align.FaceAligner}.
 */
package dev.psp.align.dlib;
