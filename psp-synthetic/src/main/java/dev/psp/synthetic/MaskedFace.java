package dev.psp.synthetic;

import java.awt.image.BufferedImage;

/**
 * A face with regions hidden for inpainting. Both images are fresh copies owned by the caller.
 *
 * @param image the RGB face with the masked pixels set to {@link #FILL}
 * @param mask a grayscale image, 255 where the face is hidden, 0 elsewhere
 */
public record MaskedFace(BufferedImage image, BufferedImage mask) {
  /** The colour hidden pixels get: mid gray, about 0 once images are scaled to [-1, 1]. */
  public static final int FILL = 0x808080;
}
