package dev.psp.align;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The EXIF orientation of a JPEG file (tag 0x0112 of its first IFD), which cameras set instead of
 * turning the pixels. Alignment reads the pixels as stored, as the official script does, so a photo
 * shown upright by viewers can be on its side for the face detector; {@link #hint} says so in errors.
 */
public final class ExifOrientation {
  /** Bytes read from the start of the file: EXIF sits in the first APP1 segment, at most 64 KiB. */
  private static final int HEAD = 1 << 17;
  private static final int ORIENTATION_TAG = 0x0112;

  private ExifOrientation() {
  }

  /**
   * The orientation, 1 (as stored) to 8; 1 when the file is not a JPEG, has no EXIF orientation, or
   * cannot be read.
   */
  public static int read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return of(in.readNBytes(HEAD));
    } catch (IOException | RuntimeException e) {
      return 1;
    }
  }

  /** The orientation in the start of a JPEG file's bytes, or in all of them (see {@link #read}). */
  public static int of(byte[] b) {
    if (b.length < 4 || u8(b, 0) != 0xff || u8(b, 1) != 0xd8) {
      return 1;
    }
    int at = 2;
    while (at + 4 <= b.length && u8(b, at) == 0xff) {
      int marker = u8(b, at + 1);
      int length = (u8(b, at + 2) << 8) | u8(b, at + 3);
      if (marker == 0xda || marker == 0xd9 || length < 2) { // start of scan or end: no EXIF before it
        return 1;
      }
      int body = at + 4;
      if (marker == 0xe1 && body + 14 <= b.length && b[body] == 'E' && b[body + 1] == 'x' && b[body + 2] == 'i'
          && b[body + 3] == 'f' && b[body + 4] == 0 && b[body + 5] == 0) {
        return orientation(b, body + 6, Math.min(b.length, at + 2 + length));
      }
      at += 2 + length;
    }
    return 1;
  }

  /** Reads the orientation from the TIFF structure at {@code tiff}, within {@code end}. */
  private static int orientation(byte[] b, int tiff, int end) {
    boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
    if (!little && !(b[tiff] == 'M' && b[tiff + 1] == 'M')) {
      return 1;
    }
    long ifd = tiff + u32(b, tiff + 4, little);
    if (ifd + 2 > end) {
      return 1;
    }
    int entries = u16(b, (int) ifd, little);
    for (int i = 0; i < entries; i++) {
      int e = (int) ifd + 2 + 12 * i;
      if (e + 12 > end) {
        return 1;
      }
      if (u16(b, e, little) == ORIENTATION_TAG && u16(b, e + 2, little) == 3) { // SHORT, value in place
        int v = u16(b, e + 8, little);
        return v >= 1 && v <= 8 ? v : 1;
      }
    }
    return 1;
  }

  /**
   * A sentence to append to a "no face" error for this file, or "" when its pixels are stored
   * upright.
   */
  public static String hint(Path file) {
    return hint(read(file), file.getFileName().toString());
  }

  /**
   * The sentence of {@link #hint(Path)} for a photo of orientation {@code o} (1 to 8, from {@link #of})
   * called {@code name} in the command it suggests; "" for 1.
   */
  public static String hint(int o, String name) {
    if (o < 2 || o > 8) {
      return "";
    }
    String how = switch (o) {
      case 3 -> "turned by 180°";
      case 6 -> "turned 90° clockwise";
      case 8 -> "turned 90° counter-clockwise";
      default -> "mirrored" + (o == 2 ? "" : o == 4 ? " upside down" : " and turned");
    };
    return ". Its EXIF orientation (" + o + ") tells viewers to show it " + how + "; alignment reads the pixels"
        + " as stored, as the official script does: turn the pixels first (e.g. mogrify -auto-orient "
        + name + ")";
  }

  private static int u8(byte[] b, int i) {
    return b[i] & 0xff;
  }

  private static int u16(byte[] b, int i, boolean little) {
    return little ? u8(b, i) | (u8(b, i + 1) << 8) : (u8(b, i) << 8) | u8(b, i + 1);
  }

  private static long u32(byte[] b, int i, boolean little) {
    long lo = u16(b, little ? i : i + 2, little);
    long hi = u16(b, little ? i + 2 : i, little);
    return (hi << 16) | lo;
  }
}
