package dev.psp.serve;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Images out: PNG (lossless, the default) or JPEG bytes, base64 for JSON, and a row of images as one grid. */
final class ImageEncoding {
  /** The PNG media type. */
  static final String PNG = "image/png";
  /** The JPEG media type. */
  static final String JPEG = "image/jpeg";
  private static final float JPEG_QUALITY = 0.95f;

  private ImageEncoding() {}

  /** The image as {@code mediaType} ({@link #PNG} or {@link #JPEG}). */
  static byte[] encode(BufferedImage image, String mediaType) {
    return mediaType.equals(JPEG) ? jpeg(image) : png(image);
  }

  /** The image as PNG bytes. */
  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The image as JPEG bytes (quality 0.95). */
  static byte[] jpeg(BufferedImage image) {
    BufferedImage rgb = image;
    if (image.getType() != BufferedImage.TYPE_INT_RGB) {
      rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = rgb.createGraphics();
      g.drawImage(image, 0, 0, null);
      g.dispose();
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(rgb, null, null), p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** The image as base64 PNG, for JSON. */
  static String base64Png(BufferedImage image) {
    return Base64.getEncoder().encodeToString(png(image));
  }

  /** The images side by side in one row, in order; each is drawn at its own size, top-aligned. */
  static BufferedImage row(List<BufferedImage> images) {
    int width = 0;
    int height = 0;
    for (BufferedImage i : images) {
      width += i.getWidth();
      height = Math.max(height, i.getHeight());
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    int x = 0;
    for (BufferedImage i : images) {
      g.drawImage(i, x, 0, null);
      x += i.getWidth();
    }
    g.dispose();
    return out;
  }
}
