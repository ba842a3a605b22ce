package dev.psp.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.Encoder;
import dev.psp.LoadOptions;
import dev.psp.TranslationTask;
import dev.psp.synthetic.SyntheticFaces;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/**
 * What the server tests share: a hermetic home (a fresh {@code user.home} and an empty model folder, so
 * an official checkpoint on a developer's machine is never picked up and the bundled demo models
 * load), synthetic inputs, PNG helpers, pixel comparisons and a crafted decompression bomb.
 */
final class TestSupport {
  private static Path modelDir;

  private TestSupport() {}

  /** An empty model folder inside a fresh home; sets {@code user.home} to that home once per JVM. */
  static synchronized Path hermeticModelDir() {
    if (modelDir == null) {
      try {
        Path home = Files.createTempDirectory("psp-serve-home");
        System.setProperty("user.home", home.toString());
        System.clearProperty("psp.models.dir");
        modelDir = Files.createDirectories(home.resolve("empty-models"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return modelDir;
  }

  /** A configuration for tests: the hermetic model folder, the loopback address, a free port. */
  static ServeConfig.Builder config(String... models) {
    ServeConfig.Builder b = ServeConfig.builder().optModelDir(hermeticModelDir()).optHost("127.0.0.1").optPort(0);
    for (String m : models) {
      b.addModel(m);
    }
    return b;
  }

  /** The options the tests load their reference models with: the same as the server's. */
  static LoadOptions loadOptions() {
    return LoadOptions.defaults().optModelDir(hermeticModelDir());
  }

  /** Input {@code index} of a task: a synthetic sketch, label map or face, 256 px. */
  static BufferedImage input(TranslationTask task, int index) {
    return SyntheticFaces.pair(task, 11, index, Encoder.INPUT_SIZE).source();
  }

  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static BufferedImage read(byte[] bytes) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
      assertThat(image).as("a decodable image").isNotNull();
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts two images have the same size and the same RGB in every pixel. */
  static void assertSamePixels(BufferedImage actual, BufferedImage expected) {
    assertThat(actual.getWidth()).as("width").isEqualTo(expected.getWidth());
    assertThat(actual.getHeight()).as("height").isEqualTo(expected.getHeight());
    int[] a = actual.getRGB(0, 0, actual.getWidth(), actual.getHeight(), null, 0, actual.getWidth());
    int[] e = expected.getRGB(0, 0, expected.getWidth(), expected.getHeight(), null, 0, expected.getWidth());
    assertThat(a).as("pixels").isEqualTo(e);
  }

  /**
   * A small PNG that declares a {@code width x height} RGB image: a valid signature, an IHDR with its
   * CRC, one IDAT of a megabyte of zero rows (a few kilobytes compressed), IEND. Decoding it would need
   * {@code 3 * width * height} bytes.
   */
  static byte[] pngBomb(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    Deflater deflater = new Deflater(9);
    deflater.setInput(new byte[1 << 20]);
    deflater.finish();
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (!deflater.finished()) {
      idat.write(buf, 0, deflater.deflate(buf));
    }
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
