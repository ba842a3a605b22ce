package dev.psp.training;

import dev.psp.image.ImageConversion;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Training image grids, like the official {@code vis_faces} figures: one row per sample, columns
 * input | target | output, saved as PNG. Inputs are drawn by kind: RGB in [-1, 1] as an image, one
 * channel in [0, 1] (sketch) in gray, a one-hot map as a colour per class.
 */
public final class ImageGrid {
  private ImageGrid() {}

  /**
   * A grid of rows of channel-major square tiles.
   *
   * @param rows each row's tiles (each {@code [C, s, s]}; C is 3, 1 or the label count)
   */
  public static BufferedImage of(List<List<float[]>> rows, int size) {
    int cols = rows.stream().mapToInt(List::size).max().orElse(0);
    BufferedImage out = new BufferedImage(cols * size, rows.size() * size, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < rows.get(r).size(); c++) {
        draw(out, rows.get(r).get(c), size, c * size, r * size);
      }
    }
    return out;
  }

  /** Writes a grid as PNG, creating folders as needed. */
  public static void save(List<List<float[]>> rows, int size, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      dev.psp.internal.AtomicFiles.writeImage(file, of(rows, size), "png");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void draw(BufferedImage out, float[] chw, int s, int x0, int y0) {
    int plane = s * s;
    int channels = chw.length / plane;
    for (int i = 0; i < plane; i++) {
      int rgb;
      if (channels == 3) {
        rgb = (ImageConversion.toByte(chw[i]) << 16) | (ImageConversion.toByte(chw[plane + i]) << 8)
            | ImageConversion.toByte(chw[2 * plane + i]);
      } else if (channels == 1) {
        int g = Math.max(0, Math.min(255, (int) (chw[i] * 255)));
        rgb = (g << 16) | (g << 8) | g;
      } else {
        int best = 0;
        for (int c = 1; c < channels; c++) {
          if (chw[c * plane + i] > chw[best * plane + i]) {
            best = c;
          }
        }
        rgb = classColour(best);
      }
      out.setRGB(x0 + i % s, y0 + i / s, rgb);
    }
  }

  /** A fixed, well-separated colour for class {@code id} (0, background, is black). */
  public static int classColour(int id) {
    if (id == 0) {
      return 0;
    }
    float hue = (id * 0.618034f) % 1f;
    return java.awt.Color.HSBtoRGB(hue, 0.65f, 0.95f) & 0xFFFFFF;
  }
}
