package dev.psp.synthetic;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A contact sheet for looking at the synthetic domain: per face, the image, its coloured label map,
 * its sketch, the frontal face, a masked version and a 4× low-resolution version, two faces per
 * row. Run {@code main [out.png] [count] [size] [seed]} (defaults /tmp/synthetic_sheet.png, 16, 128, 0).
 */
public final class SyntheticContactSheet {
  private static final int TILES = 6;
  private static final int GAP = 4;

  private SyntheticContactSheet() {}

  /** The sheet for faces 0..count-1 of stream {@code seed} at {@code size} pixels. */
  public static BufferedImage render(long seed, int count, int size) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, got " + count);
    }
    int perRow = Math.min(2, count);
    int rows = (count + perRow - 1) / perRow;
    int blockW = TILES * size + GAP * 4;
    BufferedImage sheet = new BufferedImage(perRow * blockW, rows * (size + GAP), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = sheet.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
      for (int i = 0; i < count; i++) {
        SyntheticFace face = SyntheticFaces.sample(seed, i, size);
        BufferedImage[] tiles = {face.image(), face.colouredLabels(), face.sketch(),
            face.frontal().image(), face.masked(i).image(), face.lowRes(4)};
        int x0 = (i % perRow) * blockW;
        int y0 = (i / perRow) * (size + GAP);
        for (int t = 0; t < TILES; t++) {
          g.drawImage(tiles[t], x0 + t * size, y0, null);
        }
      }
    } finally {
      g.dispose();
    }
    return sheet;
  }

  /** Writes a sheet: {@code [out.png] [count] [size] [seed]}. */
  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "/tmp/synthetic_sheet.png");
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int size = args.length > 2 ? Integer.parseInt(args[2]) : 128;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 0;
    dev.psp.internal.AtomicFiles.writeImage(out, render(seed, count, size), "png");
    System.out.println("wrote " + out);
  }
}
