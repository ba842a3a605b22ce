package dev.psp.serve;

import dev.psp.ImageFormatException;
import dev.psp.image.ImageFiles;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.Part;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Reads uploads within the server's limits: the body size (from {@code Content-Length} before reading,
 * and while reading), the media type, and the image's width, height and pixel count, taken from the
 * image header ({@link ImageFiles#decode}) before any pixel is decoded, so a small file that declares a
 * huge image (a decompression bomb) is refused without allocating it. Only PNG and JPEG are decoded,
 * and only a few images at a time. Thread-safe.
 */
final class ImageLimits {
  /** The image media types the API reads. */
  static final List<String> IMAGE_TYPES = List.of("image/png", "image/jpeg");
  /** The ImageIO formats of {@link #IMAGE_TYPES}. */
  private static final Set<String> FORMATS = Set.of("png", "jpeg");
  /** The attribute Jetty reads a request's multipart limits from. */
  private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";

  private final long maxUploadBytes;
  private final int maxSide;
  private final long maxPixels;
  private final Semaphore decoding;
  /**
   * Requests reading and preparing their uploads at once: each may hold a 16 MiB body and its decoded
   * image, so 250 HTTP threads must not all do it together.
   */
  private final Semaphore uploads;
  /** How long a request waits for a permit before 503. */
  private final long waitMillis;

  /** Limits with one decoding permit per core (at least 2), four upload permits per core, 30 s waits. */
  ImageLimits(long maxUploadBytes, int maxSide, long maxPixels) {
    this(maxUploadBytes, maxSide, maxPixels, Math.max(2, Runtime.getRuntime().availableProcessors()),
        4 * Math.max(2, Runtime.getRuntime().availableProcessors()), 30_000);
  }

  /** Limits with the given permits and wait (tests drive them to 503 with a short wait). */
  ImageLimits(long maxUploadBytes, int maxSide, long maxPixels, int decodingPermits, int uploadPermits,
      long waitMillis) {
    this.maxUploadBytes = maxUploadBytes;
    this.maxSide = maxSide;
    this.maxPixels = maxPixels;
    this.decoding = new Semaphore(decodingPermits);
    this.uploads = new Semaphore(uploadPermits);
    this.waitMillis = waitMillis;
  }

  /** The media type of a {@code Content-Type} value without its parameters, lower case; "" for none. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    String t = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return t.equals("image/jpg") || t.equals("image/pjpeg") ? "image/jpeg" : t;
  }

  /**
   * Checks the request's {@code Content-Type}.
   *
   * @throws ApiException 415 naming the accepted types and the one sent
   */
  static void requireContentType(Context ctx, List<String> accepted) {
    String t = mediaType(ctx.contentType());
    if (!accepted.contains(t)) {
      throw ApiException.unsupportedMediaType("Content-Type must be " + String.join(" or ", accepted) + ", got "
          + (t.isEmpty() ? "none" : "'" + ctx.contentType() + "'"));
    }
  }

  /**
   * Runs {@code work} (reading an upload and turning it into what the queue takes) while holding one of
   * the upload permits; waits up to 30 s for one (the server's limits).
   *
   * @throws ApiException 503 when the server is too busy reading other uploads
   */
  <T> T admit(java.util.function.Supplier<T> work) {
    acquire(uploads, "reading other uploads", "read the upload");
    try {
      return work.get();
    } finally {
      uploads.release();
    }
  }

  /** One permit of {@code permits} within the wait, or 503 {@code busy}. */
  private void acquire(Semaphore permits, String busyWith, String task) {
    try {
      if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
        throw ApiException.unavailable("busy", "Busy", "the server is busy " + busyWith, 5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("busy", "Busy", "interrupted while waiting to " + task, 5);
    }
  }

  /** The request body as an image, after the checks of {@link #requireContentType} and {@link #decode}. */
  BufferedImage readImage(Context ctx) {
    return readPhoto(ctx).image();
  }

  /** An uploaded photo and the EXIF orientation of its bytes (1 when it has none). */
  record Photo(BufferedImage image, int orientation) {}

  /** The request body as an image, as {@link #readImage} reads it, with the EXIF orientation of its bytes. */
  Photo readPhoto(Context ctx) {
    requireContentType(ctx, IMAGE_TYPES);
    byte[] body = readBody(ctx);
    return new Photo(decode(body, "request body"), dev.psp.align.ExifOrientation.of(body));
  }

  /**
   * The request body, refused with 413 when it is larger than the limit: at once when
   * {@code Content-Length} says so, otherwise as soon as the limit is passed while reading.
   */
  byte[] readBody(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxUploadBytes) {
      throw tooLarge("request body of " + declared + " bytes");
    }
    try (InputStream in = ctx.req().getInputStream()) {
      return readAtMost(in, "request body");
    } catch (IOException e) {
      throw ApiException.badBody("cannot read the request body: " + e.getMessage());
    }
  }

  private byte[] readAtMost(InputStream in, String what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(chunk)) > 0; ) {
      total += n;
      if (total > maxUploadBytes) {
        throw tooLarge(what + " of more than " + maxUploadBytes + " bytes");
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  private ApiException tooLarge(String what) {
    return ApiException.tooLarge(what + " is larger than this server's limit of " + maxUploadBytes + " bytes ("
        + human(maxUploadBytes) + ")");
  }

  private static String human(long bytes) {
    return bytes >= (1 << 20) ? String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
        : String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }

  /**
   * One file of a {@code multipart/form-data} request, within the upload limit.
   *
   * @throws ApiException 415 when the request is not multipart, 400 when the part is missing or the body
   *     malformed, 413 when a part or the whole is larger than the limits
   */
  Upload readPart(Context ctx, String name) {
    if (!mediaType(ctx.contentType()).equals("multipart/form-data")) {
      throw ApiException.unsupportedMediaType("Content-Type must be multipart/form-data with the file parts 'from' and"
          + " 'to', got " + (ctx.contentType() == null ? "none" : "'" + ctx.contentType() + "'"));
    }
    long maxTotal = 2 * maxUploadBytes + (64 << 10);
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxTotal) {
      throw ApiException.tooLarge("request body of " + declared + " bytes is larger than this server's limit of "
          + maxTotal + " bytes for two files (" + human(maxUploadBytes) + " each)");
    }
    if (ctx.req().getAttribute(MULTIPART_CONFIG) == null) {
      ctx.req().setAttribute(MULTIPART_CONFIG, new MultipartConfigElement(System.getProperty("java.io.tmpdir"),
          maxUploadBytes, maxTotal, (int) Math.min(Integer.MAX_VALUE, maxUploadBytes)));
    }
    Part part;
    try {
      part = ctx.req().getPart(name);
    } catch (Exception e) {
      String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("max") || m.contains("exceed") || m.contains("too large") || m.contains("size")) {
        throw ApiException.tooLarge("a part of the request is larger than this server's limit of " + maxUploadBytes
            + " bytes (" + human(maxUploadBytes) + "): " + e.getMessage());
      }
      throw ApiException.badBody("cannot read the multipart body: " + e.getMessage());
    }
    if (part == null) {
      throw ApiException.badBody("the multipart body has no part '" + name + "'; send the file parts 'from' and 'to'");
    }
    if (part.getSize() > maxUploadBytes) {
      throw tooLarge("part '" + name + "' of " + part.getSize() + " bytes");
    }
    try (InputStream in = part.getInputStream()) {
      return new Upload(name, mediaType(part.getContentType()), readAtMost(in, "part '" + name + "'"));
    } catch (IOException e) {
      throw ApiException.badBody("cannot read part '" + name + "': " + e.getMessage());
    }
  }

  /**
   * One uploaded file.
   *
   * @param name the part's name
   * @param mediaType its media type without parameters, "" when the part has none
   * @param bytes its content
   */
  record Upload(String name, String mediaType, byte[] bytes) {
    /** Whether the content starts with the {@code .npy} magic. */
    boolean isNpy() {
      return bytes.length >= 6 && (bytes[0] & 0xff) == 0x93 && bytes[1] == 'N' && bytes[2] == 'U' && bytes[3] == 'M'
          && bytes[4] == 'P' && bytes[5] == 'Y';
    }
  }

  /**
   * Decodes a PNG or JPEG image after checking the size its header declares.
   *
   * @param what names the input in messages, e.g. {@code request body}
   * @throws ApiException 400 when it is not a PNG or JPEG image or is corrupt, 413 when it declares more
   *     than the allowed width, height or pixels, 503 when the server is too busy decoding others
   */
  BufferedImage decode(byte[] bytes, String what) {
    acquire(decoding, "decoding other images", "decode " + what);
    try {
      return ImageFiles.decode(bytes, what, FORMATS, maxSide, maxPixels);
    } catch (ImageFormatException e) {
      throw e.reason() == ImageFormatException.Reason.TOO_LARGE
          ? ApiException.tooLarge(e.getMessage().replace("are accepted", "are accepted by this server"))
          : ApiException.badBody(e.getMessage());
    } finally {
      decoding.release();
    }
  }
}
