package dev.psp.align;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The reference outputs of the official {@code align_face} in {@code faces/aligned/} (made by
 * {@code src/test/python/make_align_reference.py}, listed in {@code cases.json}) and the photos they were
 * made from: test photos under {@code faces/}, or synthetic photos regenerated here from their formula.
 */
final class AlignReference {
  /**
   * One reference.
   *
   * @param photoFile the photo under {@code faces/}, or {@code null} for a synthetic photo
   * @param expectShrink the shrink factor the case was designed to exercise, 0 if not stated
   * @param expectPad whether the case pads, {@code null} if not stated
   */
  record Case(String name, String photoFile, int photoWidth, int photoHeight, Landmarks landmarks,
      int outputSize, int transformSize, String png, int expectShrink, Boolean expectPad) {
    /** The photo the face was aligned from. */
    RgbImage photo() {
      return photoFile == null ? synthetic(photoWidth, photoHeight) : read("/faces/" + photoFile);
    }

    /** The official function's output. */
    RgbImage expected() {
      return read("/faces/aligned/" + png);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private AlignReference() {}

  /** Every case of {@code cases.json}, in file order. */
  static List<Case> cases() {
    try (InputStream in = AlignReference.class.getResourceAsStream("/faces/aligned/cases.json")) {
      JsonObject root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
      List<Case> out = new ArrayList<>();
      for (JsonElement e : root.getAsJsonArray("cases")) {
        JsonObject c = e.getAsJsonObject();
        JsonObject photo = c.getAsJsonObject("photo");
        boolean synthetic = photo.has("synthetic");
        JsonObject expect = c.has("expect") ? c.getAsJsonObject("expect") : null;
        out.add(new Case(c.get("name").getAsString(),
            synthetic ? null : photo.get("file").getAsString(),
            synthetic ? photo.get("width").getAsInt() : 0,
            synthetic ? photo.get("height").getAsInt() : 0,
            landmarks(c.getAsJsonArray("landmarks")),
            c.get("output_size").getAsInt(), c.get("transform_size").getAsInt(), c.get("png").getAsString(),
            expect == null ? 0 : expect.get("shrink").getAsInt(),
            expect == null ? null : expect.get("pad").getAsBoolean()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The synthetic test photo: {@code r = (7x + 3y) mod 256}, {@code g = (x*x + y) mod 251},
   * {@code b = 5 (x xor y) mod 256}; textured everywhere so every resampling error shows.
   */
  static RgbImage synthetic(int width, int height) {
    byte[][] p = new byte[3][width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        p[0][i] = (byte) ((x * 7L + y * 3L) % 256);
        p[1][i] = (byte) (((long) x * x + y) % 251);
        p[2][i] = (byte) (((long) (x ^ y) * 5) % 256);
      }
    }
    return RgbImage.ofPlanes(width, height, p);
  }

  /** The largest absolute difference between two images' samples (both must have the same size). */
  static int maxAbsDiff(RgbImage a, RgbImage b) {
    int max = 0;
    for (int c = 0; c < 3; c++) {
      byte[] pa = a.copyPlane(c);
      byte[] pb = b.copyPlane(c);
      for (int i = 0; i < pa.length; i++) {
        max = Math.max(max, Math.abs((pa[i] & 0xFF) - (pb[i] & 0xFF)));
      }
    }
    return max;
  }

  private static Landmarks landmarks(JsonArray points) {
    long[] xy = new long[2 * points.size()];
    for (int i = 0; i < points.size(); i++) {
      JsonArray p = points.get(i).getAsJsonArray();
      xy[2 * i] = p.get(0).getAsLong();
      xy[2 * i + 1] = p.get(1).getAsLong();
    }
    return Landmarks.of(xy);
  }

  private static RgbImage read(String resource) {
    try (InputStream in = AlignReference.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return RgbImage.of(ImageIO.read(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
