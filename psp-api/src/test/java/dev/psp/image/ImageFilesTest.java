package dev.psp.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.ImageFormatException;
import dev.psp.ImageFormatException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Untrusted image files: decoded when sound, refused with the reason and the file's name when not. */
class ImageFilesTest {
  @TempDir Path dir;

  private static byte[] png(int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0x123456);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  /** A PNG that declares w x h RGB pixels but holds only a few compressed rows: a decompression bomb. */
  private static byte[] bomb(int w, int h) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(out);
    d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream i = new DataOutputStream(ihdr);
    i.writeInt(w);
    i.writeInt(h);
    i.write(new byte[] {8, 2, 0, 0, 0});
    chunk(d, "IHDR", ihdr.toByteArray());
    Deflater def = new Deflater(9);
    def.setInput(new byte[1 << 20]);
    def.finish();
    byte[] buf = new byte[1 << 16];
    int n = def.deflate(buf);
    chunk(d, "IDAT", Arrays.copyOf(buf, n));
    chunk(d, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(DataOutputStream d, String type, byte[] data) throws IOException {
    d.writeInt(data.length);
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    d.write(t);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }

  private Path file(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  @Test
  void soundImagesDecodeWithTheirPixels() throws Exception {
    BufferedImage one = ImageFiles.read(file("one.png", png(1, 1)));
    assertThat(one.getWidth()).isEqualTo(1);
    assertThat(one.getRGB(0, 0) & 0xffffff).isEqualTo(0x123456);
    assertThat(ImageFiles.read(file("wide.png", png(300, 20))).getWidth()).isEqualTo(300);
  }

  @Test
  void aDecompressionBombIsRefusedFromItsHeader() throws Exception {
    byte[] b = bomb(30_000, 30_000);
    assertThat(b.length).isLessThan(4096);
    Path p = file("bomb.png", b);
    assertThatThrownBy(() -> ImageFiles.read(p))
        .isInstanceOfSatisfying(ImageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
        .hasMessage("image " + p + " is a 30000x30000 image (900000000 pixels); at most 16384 pixels a side and"
            + " 50000000 pixels in all are accepted");
    assertThatThrownBy(() -> ImageFiles.decode(bomb(1000, 1000), "upload", ImageFiles.FORMATS, 4096, 100_000))
        .hasMessageContaining("1000000 pixels");
  }

  @Test
  void textZeroBytesAndOtherFormatsAreNotImages() throws Exception {
    Path text = file("text.png", "hello, not a picture".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ImageFiles.read(text))
        .isInstanceOfSatisfying(ImageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_AN_IMAGE))
        .hasMessage("image " + text + " is not an image of an accepted format (BMP, GIF, JPEG, PNG)");
    assertThatThrownBy(() -> ImageFiles.read(file("empty.png", new byte[0])))
        .hasMessageContaining("is not an image of an accepted format");
    assertThatThrownBy(() -> ImageFiles.decode(png(2, 2), "upload", java.util.Set.of("jpeg"), 100, 100))
        .hasMessage("upload is not an image of an accepted format (JPEG)");
  }

  @Test
  void aCutOffPngIsCorruptNotBlack() throws Exception {
    byte[] whole = png(64, 64);
    for (int cut : new int[] {whole.length - 12, whole.length / 2, 40, 20}) {
      Path p = file("cut" + cut + ".png", Arrays.copyOf(whole, cut));
      assertThatThrownBy(() -> ImageFiles.read(p)).as("cut at %d", cut)
          .isInstanceOfSatisfying(ImageFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
          .hasMessageStartingWith("image " + p + " is ");
    }
  }
}
