package dev.psp.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.psp.align.AlignedFace;
import dev.psp.align.ExifOrientation;
import dev.psp.align.Face;
import dev.psp.align.FaceAligner;
import dev.psp.align.FaceChoice;
import dev.psp.align.Landmarks;
import dev.psp.align.NoFaceException;
import dev.psp.align.RgbImage;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/align}: the faces of a photo found with dlib's detector and 68 landmarks and cropped as
 * the official {@code align_all_parallel.py} does, as {@code psp align} does it. Runs on the inference
 * thread too: detection is as heavy as a small model.
 */
final class AlignRoutes {
  /** The largest side of an aligned face this server makes. */
  static final int MAX_SIZE = 1024;
  /** The most faces one request aligns (face=all on a crowd photo would hold the inference thread). */
  static final int MAX_FACES = 32;
  /** How the photo is named in the "no face" message. */
  static final String SOURCE = "the uploaded image";

  private final Services s;
  private final AlignBacklog backlog;

  AlignRoutes(Services services) {
    this.s = services;
    this.backlog = new AlignBacklog(services.config.maxPixels(), services.metrics);
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/align", this::align);
  }

  /** The uploaded photo's pixels and its EXIF orientation. */
  private record Upload(RgbImage photo, int orientation) {}

  /** A photo's faces: every one found, and the chosen ones aligned. */
  private record Found(int width, int height, int count, List<Face> chosen, List<AlignedFace> aligned) {}

  private void align(Context ctx) {
    Params p = new Params(ctx, "face", "size");
    FaceChoice choice;
    try {
      choice = FaceChoice.parse(p.string("face") == null ? "last" : p.string("face"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badParameter("face", "parameter 'face': " + e.getMessage());
    }
    int size = p.integer("size", FaceAligner.OFFICIAL_SIZE, 1, MAX_SIZE);
    String type = Negotiation.choose(ctx.header("Accept"), List.of("application/json", ImageEncoding.PNG));
    if (type.equals(ImageEncoding.PNG) && choice.equals(FaceChoice.all())) {
      throw ApiException.badParameter("face", "face=all may give several faces and Accept: image/png returns one;"
          + " choose last, largest or an index, or accept application/json");
    }
    FaceAligner aligner = s.aligner.require();
    s.queue.checkRoom(); // before the upload is read
    Upload upload = s.limits.admit(() -> {
      ImageLimits.Photo body = s.limits.readPhoto(ctx);
      return new Upload(RgbImage.of(body.image()), body.orientation());
    });
    RgbImage photo = upload.photo();
    s.answer(ctx, backlog.submit((long) photo.width() * photo.height(), () -> s.queue.submit("align", () -> {
      List<Face> all = aligner.detect(photo);
      List<Face> chosen;
      try {
        chosen = choice.select(all, SOURCE);
      } catch (NoFaceException e) { // a photo on its side, as cameras store them: say so
        throw new NoFaceException(e.getMessage() + ExifOrientation.hint(upload.orientation(), "the photo"));
      }
      if (chosen.size() > MAX_FACES) {
        throw ApiException.unprocessable("too-many-faces", "Too many faces", "the photo has " + chosen.size()
            + " faces and one request aligns at most " + MAX_FACES + "; choose face=largest, last or an index, or"
            + " crop the photo");
      }
      List<AlignedFace> aligned = new ArrayList<>();
      for (Face f : chosen) {
        aligned.add(aligner.align(photo, f, size, size));
      }
      return new Found(photo.width(), photo.height(), all.size(), chosen, aligned);
    })), found -> {
      if (type.equals(ImageEncoding.PNG)) {
        return Reply.ok(type, ImageEncoding.png(found.aligned().get(0).image().toBufferedImage()));
      }
      JsonObject o = new JsonObject();
      o.addProperty("width", found.width());
      o.addProperty("height", found.height());
      o.addProperty("faces_found", found.count());
      JsonArray faces = new JsonArray();
      for (int i = 0; i < found.chosen().size(); i++) {
        faces.add(faceJson(found.chosen().get(i), found.aligned().get(i)));
      }
      o.add("faces", faces);
      return Reply.json(o);
    });
  }

  /** One face as {@code psp align --landmarks} writes it, with the aligned image as base64 PNG. */
  static JsonObject faceJson(Face f, AlignedFace a) {
    JsonObject o = new JsonObject();
    JsonArray box = new JsonArray();
    box.add(f.box().left());
    box.add(f.box().top());
    box.add(f.box().right());
    box.add(f.box().bottom());
    o.add("box", box);
    o.addProperty("confidence", f.confidence());
    JsonArray landmarks = new JsonArray();
    Landmarks lm = f.landmarks();
    for (int i = 0; i < Landmarks.COUNT; i++) {
      JsonArray pt = new JsonArray();
      pt.add(lm.x(i));
      pt.add(lm.y(i));
      landmarks.add(pt);
    }
    o.add("landmarks", landmarks);
    JsonArray quad = new JsonArray();
    for (double q : a.quad()) {
      quad.add(q);
    }
    o.add("quad", quad);
    o.addProperty("image", ImageEncoding.base64Png(a.image().toBufferedImage()));
    return o;
  }
}
