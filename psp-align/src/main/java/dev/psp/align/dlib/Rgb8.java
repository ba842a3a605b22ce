package dev.psp.align.dlib;

import dev.psp.align.RgbImage;

/** dlib's {@code array2d<rgb_pixel>}: three planes of unsigned 8-bit samples, row-major. */
final class Rgb8 {
  final int width;
  final int height;
  final byte[][] planes;

  Rgb8(int width, int height) {
    this(width, height, new byte[3][Math.multiplyExact(width, height)]);
  }

  private Rgb8(int width, int height, byte[][] planes) {
    this.width = width;
    this.height = height;
    this.planes = planes;
  }

  static Rgb8 of(RgbImage image) {
    return new Rgb8(image.width(), image.height(),
        new byte[][] {image.copyPlane(0), image.copyPlane(1), image.copyPlane(2)});
  }

  int get(int c, int x, int y) {
    return planes[c][y * width + x] & 0xFF;
  }
}
