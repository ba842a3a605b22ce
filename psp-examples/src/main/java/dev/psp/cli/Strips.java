package dev.psp.cli;

import java.awt.image.BufferedImage;
import java.util.List;

/** Images side by side, pixel for pixel (no resampling). */
final class Strips {
  private Strips() {
  }

  /** The images left to right, top-aligned, on black. */
  static BufferedImage horizontal(List<BufferedImage> images) {
    int w = images.stream().mapToInt(BufferedImage::getWidth).sum();
    int h = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
    BufferedImage strip = new BufferedImage(Math.max(w, 1), h, BufferedImage.TYPE_INT_RGB);
    int x = 0;
    for (BufferedImage img : images) {
      for (int y = 0; y < img.getHeight(); y++) {
        for (int i = 0; i < img.getWidth(); i++) {
          strip.setRGB(x + i, y, img.getRGB(i, y));
        }
      }
      x += img.getWidth();
    }
    return strip;
  }
}
