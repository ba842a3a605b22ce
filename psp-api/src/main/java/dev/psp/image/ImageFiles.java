package dev.psp.image;

import dev.psp.ImageFormatException;
import dev.psp.ImageFormatException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes untrusted image files within limits. The width and height are read from the header before
 * any pixel is decoded, so a small file that declares a huge image (a decompression bomb) is refused
 * without allocating it; a PNG without its closing {@code IEND} chunk is refused as cut off (ImageIO
 * would decode it with the missing rows black). Only the first frame of an animated GIF is read, and
 * EXIF orientation is not applied, as Pillow's {@code Image.open(...).convert('RGB')} in the official
 * scripts does not either. Thread-safe.
 */
public final class ImageFiles {
  /** The formats {@link #read(Path)} accepts. */
  public static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif");
  /** Default limit on either side, in pixels. */
  public static final int MAX_SIDE = 16_384;
  /** Default limit on width × height (50 MP: 200 MB of ARGB). */
  public static final long MAX_PIXELS = 50_000_000L;
  /** Files larger than this are refused before they are read. */
  public static final long MAX_FILE_BYTES = 256L << 20;

  private ImageFiles() {}

  /**
   * Reads an image file within the default limits.
   *
   * @throws ImageFormatException naming the file when it is not a PNG, JPEG, BMP or GIF image, is cut
   *     off or corrupt, or is larger than {@link #MAX_SIDE} / {@link #MAX_PIXELS}
   * @throws IOException when the file cannot be read
   */
  public static BufferedImage read(Path file) throws IOException, ImageFormatException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new ImageFormatException(Reason.TOO_LARGE, "image " + file + " is a file of " + size
          + " bytes; images of more than " + MAX_FILE_BYTES + " bytes are refused");
    }
    return decode(Files.readAllBytes(file), "image " + file);
  }

  /**
   * Decodes image bytes of any of {@link #FORMATS} within the default limits.
   *
   * @param what names the input in messages, e.g. {@code image faces/a.png}
   * @throws ImageFormatException naming {@code what} and the defect
   */
  public static BufferedImage decode(byte[] bytes, String what) throws ImageFormatException {
    return decode(bytes, what, FORMATS, MAX_SIDE, MAX_PIXELS);
  }

  /**
   * Decodes image bytes after checking the size their header declares.
   *
   * @param what names the input in messages, e.g. {@code image faces/a.png}
   * @param formats accepted ImageIO format names, lower case ({@code png}, {@code jpeg}, ...)
   * @throws ImageFormatException naming {@code what} and the defect
   */
  public static BufferedImage decode(byte[] bytes, String what, Set<String> formats, int maxSide, long maxPixels)
      throws ImageFormatException {
    String accepted = String.join(", ", formats.stream().sorted().map(f -> f.toUpperCase(Locale.ROOT)).toList());
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = readerFor(in, formats);
      if (reader == null) {
        throw new ImageFormatException(Reason.NOT_AN_IMAGE, what + " is not an image of an accepted format ("
            + accepted + ")");
      }
      try {
        reader.setInput(in, true, true);
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w < 1 || h < 1) {
          throw new ImageFormatException(Reason.CORRUPT, what + " declares an empty image (" + w + "x" + h + ")");
        }
        if (w > maxSide || h > maxSide || w * h > maxPixels) {
          throw new ImageFormatException(Reason.TOO_LARGE, what + " is a " + w + "x" + h + " image (" + w * h
              + " pixels); at most " + maxSide + " pixels a side and " + maxPixels + " pixels in all are accepted");
        }
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        if ((format.equals("jpeg") || format.equals("jpg")) && jpegComponents(bytes) == 4) {
          throw new ImageFormatException(Reason.NOT_AN_IMAGE, what + " is a CMYK JPEG (4 colour components), which"
              + " decoders convert to RGB in different ways (Pillow, which the official scripts use, and ImageIO"
              + " disagree): convert it to an RGB image first");
        }
        if (format.equals("png") && !endsWithIend(bytes)) {
          throw new ImageFormatException(Reason.CORRUPT, what + " is a PNG without its IEND chunk: the file is cut off");
        }
        BufferedImage image = reader.read(0);
        if (image == null) {
          throw new ImageFormatException(Reason.CORRUPT, what + " holds no image");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (ImageFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // ImageIO's decoders throw IIOException, and for some corrupt files runtime exceptions
      throw new ImageFormatException(Reason.CORRUPT, what + " is corrupt or cut off: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
  }

  /** Whether a PNG's bytes hold the IEND chunk, which the format requires last (trailing bytes tolerated). */
  private static boolean endsWithIend(byte[] png) {
    for (int i = png.length - 8; i >= 8 && i >= png.length - 4096; i--) {
      if (png[i] == 'I' && png[i + 1] == 'E' && png[i + 2] == 'N' && png[i + 3] == 'D') {
        return true;
      }
    }
    return false;
  }

  /** The component count of a JPEG's frame header (3 for YCbCr, 4 for CMYK/YCCK), or -1 if none is found. */
  static int jpegComponents(byte[] jpeg) {
    int i = 2;
    while (i + 9 < jpeg.length) {
      if ((jpeg[i] & 0xff) != 0xff) {
        return -1;
      }
      int marker = jpeg[i + 1] & 0xff;
      if (marker == 0xff) {
        i++; // fill byte
        continue;
      }
      int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
      boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
      if (frame) {
        return jpeg[i + 9] & 0xff;
      }
      if (marker == 0xda || length < 2) {
        return -1; // scan data before any frame header, or a broken segment
      }
      i += 2 + length;
    }
    return -1;
  }

  private static ImageReader readerFor(ImageInputStream in, Set<String> formats) {
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    while (readers.hasNext()) {
      ImageReader r = readers.next();
      try {
        String format = r.getFormatName().toLowerCase(Locale.ROOT);
        if (formats.contains(format.equals("jpg") ? "jpeg" : format)) {
          return r;
        }
      } catch (IOException e) {
        // not this reader
      }
      r.dispose();
    }
    return null;
  }
}
