package dev.psp.align;

/**
 * A face found in a photo: dlib's box and confidence and the 68 landmarks predicted in that box.
 *
 * @param box the detector's box in photo pixels
 * @param confidence the detector's score above its threshold (0 or more; larger is surer)
 * @param landmarks the 68 points, in photo pixels
 */
public record Face(FaceBox box, double confidence, Landmarks landmarks) {}
