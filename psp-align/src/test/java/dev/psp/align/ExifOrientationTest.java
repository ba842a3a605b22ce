package dev.psp.align;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExifOrientationTest {
  @TempDir Path dir;

  /** A small JPEG with an APP1 EXIF segment holding one IFD of two entries, orientation among them. */
  static byte[] jpegWithOrientation(int orientation, boolean little) throws Exception {
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "jpeg", jpeg);
    byte[] plain = jpeg.toByteArray();
    ByteArrayOutputStream tiff = new ByteArrayOutputStream();
    tiff.writeBytes(little ? new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0} : new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8});
    tiff.writeBytes(u16(2, little));
    tiff.writeBytes(entry(0x010f, 2, 4, 0x41424300, little)); // Make: ASCII "ABC"
    tiff.writeBytes(entry(0x0112, 3, 1, orientation, little));
    tiff.writeBytes(new byte[4]); // no next IFD
    byte[] body = tiff.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(plain, 0, 2); // SOI
    int length = 2 + 6 + body.length;
    out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xe1, (byte) (length >> 8), (byte) length, 'E', 'x', 'i', 'f', 0, 0});
    out.writeBytes(body);
    out.write(plain, 2, plain.length - 2);
    return out.toByteArray();
  }

  private static byte[] entry(int tag, int type, int count, int value, boolean little) {
    byte[] e = new byte[12];
    System.arraycopy(u16(tag, little), 0, e, 0, 2);
    System.arraycopy(u16(type, little), 0, e, 2, 2);
    System.arraycopy(u32(count, little), 0, e, 4, 4);
    byte[] v = type == 3 ? Arrays.copyOf(u16(value, little), 4) : u32(value, little);
    System.arraycopy(v, 0, e, 8, 4);
    return e;
  }

  private static byte[] u16(int v, boolean little) {
    return little ? new byte[] {(byte) v, (byte) (v >> 8)} : new byte[] {(byte) (v >> 8), (byte) v};
  }

  private static byte[] u32(int v, boolean little) {
    return little ? new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)}
        : new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v};
  }

  @Test
  void readsTheOrientationInBothByteOrders() throws Exception {
    for (boolean little : new boolean[] {true, false}) {
      for (int o = 1; o <= 8; o++) {
        byte[] jpeg = jpegWithOrientation(o, little);
        assertThat(ExifOrientation.of(jpeg)).as("orientation %d, little-endian %s", o, little).isEqualTo(o);
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(jpeg)).getWidth()).isEqualTo(16); // still a JPEG
      }
    }
  }

  @Test
  void noExifTruncatedOrGarbageIsOne() throws Exception {
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "jpeg", jpeg);
    assertThat(ExifOrientation.of(jpeg.toByteArray())).isEqualTo(1);
    byte[] rotated = jpegWithOrientation(6, true);
    int entryEnd = 2 + 10 + 8 + 2 + 12 + 12; // SOI, APP1 header, TIFF header, count, two entries
    for (int cut = 0; cut < 60; cut++) { // the value counts once its entry is whole, never read past the end
      assertThat(ExifOrientation.of(Arrays.copyOf(rotated, cut))).as("first %d bytes", cut)
          .isEqualTo(cut < entryEnd ? 1 : 6);
    }
    assertThat(ExifOrientation.of(new byte[] {(byte) 0x89, 'P', 'N', 'G'})).isEqualTo(1);
    assertThat(ExifOrientation.read(dir.resolve("missing.jpg"))).isEqualTo(1);
    assertThat(ExifOrientation.hint(dir.resolve("missing.jpg"))).isEmpty();
  }

  @Test
  void theHintNamesTheTurnAndTheFix() throws Exception {
    Path photo = dir.resolve("phone.jpg");
    Files.write(photo, jpegWithOrientation(6, false));
    assertThat(ExifOrientation.read(photo)).isEqualTo(6);
    assertThat(ExifOrientation.hint(photo)).contains("EXIF orientation (6)").contains("turned 90° clockwise")
        .contains("mogrify -auto-orient phone.jpg");
    Files.write(photo, jpegWithOrientation(1, true));
    assertThat(ExifOrientation.hint(photo)).isEmpty();
  }
}
