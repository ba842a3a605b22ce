package dev.psp.align.dlib;

import dev.psp.align.FaceBox;

/**
 * One face found by the {@link FrontalFaceDetector}.
 *
 * @param box the face's box in the input image's pixels
 * @param confidence detection score minus the filter's threshold (0 or more)
 * @param weightIndex which of dlib's five filters found it: 0 front, 1 left, 2 right, 3 front
 *     rotated left, 4 front rotated right
 */
public record Detection(FaceBox box, double confidence, int weightIndex) {}
