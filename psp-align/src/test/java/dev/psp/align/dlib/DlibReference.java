package dev.psp.align.dlib;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.psp.align.FaceBox;
import dev.psp.align.Landmarks;
import dev.psp.align.RgbImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * The test photos and what dlib 19.24 (C++, built from Debian's libdlib-dev by
 * {@code src/test/cpp/make_reference.sh}) finds in them: {@code faces/dlib_reference.json}.
 */
public final class DlibReference {
  /** One photo with dlib's detections. */
  public record Photo(String file, int width, int height, List<Face> faces) {
    /** The decoded test photo. */
    public RgbImage image() {
      try (InputStream in = DlibReference.class.getResourceAsStream("/faces/" + file)) {
        return RgbImage.of(ImageIO.read(in));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return file;
    }
  }

  /** One detection: box, dlib's score (confidence), filter index and the 68 landmarks for that box. */
  public record Face(FaceBox box, double score, int weightIndex, Landmarks landmarks) {}

  private DlibReference() {}

  /** Every photo of the reference, in file order. */
  public static List<Photo> photos() {
    try (InputStream in = DlibReference.class.getResourceAsStream("/faces/dlib_reference.json")) {
      JsonArray all = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonArray();
      List<Photo> out = new ArrayList<>();
      for (JsonElement e : all) {
        JsonObject p = e.getAsJsonObject();
        List<Face> faces = new ArrayList<>();
        for (JsonElement d : p.getAsJsonArray("detections")) {
          JsonObject o = d.getAsJsonObject();
          FaceBox box = new FaceBox(o.get("left").getAsLong(), o.get("top").getAsLong(),
              o.get("right").getAsLong(), o.get("bottom").getAsLong());
          JsonArray lm = o.getAsJsonArray("landmarks");
          long[] xy = new long[2 * lm.size()];
          for (int i = 0; i < lm.size(); i++) {
            xy[2 * i] = lm.get(i).getAsJsonArray().get(0).getAsLong();
            xy[2 * i + 1] = lm.get(i).getAsJsonArray().get(1).getAsLong();
          }
          faces.add(new Face(box, o.get("score").getAsDouble(), o.get("weight_index").getAsInt(), Landmarks.of(xy)));
        }
        out.add(new Photo(p.get("file").getAsString(), p.get("width").getAsInt(), p.get("height").getAsInt(),
            List.copyOf(faces)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
