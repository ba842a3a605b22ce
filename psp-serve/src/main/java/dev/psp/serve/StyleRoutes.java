package dev.psp.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.psp.LatentCode;
import dev.psp.OutputSize;
import dev.psp.PspModel;
import dev.psp.StyleMixer;
import dev.psp.io.TensorData;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/mix} and {@code /v1/interpolate}: multi-modal outputs by style mixing (paper §4.2) and
 * frames along the line between two W+ codes, computed as {@code psp mix} and {@code psp interpolate}
 * compute them.
 */
final class StyleRoutes {
  /** The most variants one mix request makes. */
  static final int MAX_SAMPLES = 16;
  /** The most frames one interpolate request makes. */
  static final int MAX_STEPS = 32;

  private final Services s;

  StyleRoutes(Services services) {
    this.s = services;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/mix", this::mix);
    routes.post("/v1/interpolate", this::interpolate);
  }

  private void mix(Context ctx) {
    Params p = new Params(ctx, "model", "layers", "alpha", "samples", "seed", "noise", "resize");
    ServedModel m = s.models.require(p.string("model"));
    String layers = p.string("layers") == null || p.string("layers").isEmpty() ? StyleMixer.DEFAULT_ROWS : p.string("layers");
    double alpha = p.number("alpha", 1.0, 0, 1);
    int samples = p.integer("samples", 4, 1, MAX_SAMPLES);
    long seed = p.longValue("seed", 0);
    NoiseChoice noise = p.noise();
    OutputSize size = OutputSize.of(p.flag("resize", false));
    StyleMixer mixer;
    int[] rows;
    try {
      mixer = StyleMixer.parse(layers, alpha);
      rows = mixer.rows(m.config().nStyles());
    } catch (IllegalArgumentException e) {
      throw ApiException.badParameter("layers", e.getMessage());
    }
    String type = Negotiation.choose(ctx.header("Accept"), List.of("application/json", ImageEncoding.PNG));
    s.queue.checkRoom(); // before the upload is read
    TensorData x = s.limits.admit(() -> CodecRoutes.preprocess(m, s.limits.readImage(ctx)));
    PspModel model = m.model().orElseThrow();
    s.answer(ctx, s.queue.submit("mix", () -> ModelWork.mix(model, x, mixer, samples, seed, noise, size)), out -> {
      List<BufferedImage> images = new ArrayList<>();
      out.forEach(rgb -> images.add(rgb.toImage()));
      if (type.equals(ImageEncoding.PNG)) {
        return CodecRoutes.image(m, ImageEncoding.row(images), type, noise);
      }
      JsonObject o = new JsonObject();
      o.addProperty("model", m.name());
      o.addProperty("translation", ImageEncoding.base64Png(images.get(0)));
      JsonArray variants = new JsonArray();
      images.subList(1, images.size()).forEach(i -> variants.add(ImageEncoding.base64Png(i)));
      o.add("images", variants);
      o.addProperty("layers", layers);
      JsonArray r = new JsonArray();
      for (int row : rows) {
        r.add(row);
      }
      o.add("rows", r);
      o.addProperty("alpha", alpha);
      o.addProperty("seed", seed);
      o.addProperty("samples", samples);
      o.addProperty("noise", noise.describe());
      return CodecRoutes.provenance(Reply.json(o), m);
    });
  }

  private void interpolate(Context ctx) {
    Params p = new Params(ctx, "model", "steps", "noise", "seed", "resize");
    ServedModel m = s.models.require(p.string("model"));
    int steps = p.integer("steps", 8, 2, MAX_STEPS);
    NoiseChoice noise = p.noise();
    OutputSize size = OutputSize.of(p.flag("resize", false));
    String type = Negotiation.choose(ctx.header("Accept"), List.of("application/json", ImageEncoding.PNG));
    s.queue.checkRoom(); // before the upload is read
    End[] ends = s.limits.admit(() -> new End[] {end(m, s.limits.readPart(ctx, "from")),
        end(m, s.limits.readPart(ctx, "to"))});
    End from = ends[0];
    End to = ends[1];
    PspModel model = m.model().orElseThrow();
    s.answer(ctx, s.queue.submit("interpolate", () -> ModelWork.interpolate(model,
        ModelWork.end(model, from.image(), from.code()), ModelWork.end(model, to.image(), to.code()), steps,
        noise.noise(), size)), out -> {
          List<BufferedImage> frames = new ArrayList<>();
          out.forEach(rgb -> frames.add(rgb.toImage()));
          if (type.equals(ImageEncoding.PNG)) {
            return CodecRoutes.image(m, ImageEncoding.row(frames), type, noise);
          }
          JsonObject o = new JsonObject();
          o.addProperty("model", m.name());
          o.addProperty("steps", steps);
          JsonArray f = new JsonArray();
          frames.forEach(i -> f.add(ImageEncoding.base64Png(i)));
          o.add("frames", f);
          o.addProperty("noise", noise.describe());
          return CodecRoutes.provenance(Reply.json(o), m);
        });
  }

  /**
   * One end of an interpolation: a preprocessed image or a W+ code.
   *
   * @param image {@code [1, C, 256, 256]}, or null
   * @param code a code {@code [1, n, dim]}, or null
   */
  private record End(TensorData image, LatentCode code) {}

  private End end(ServedModel m, ImageLimits.Upload part) {
    String what = "part '" + part.name() + "'";
    if (part.isNpy()) {
      return new End(null, CodecRoutes.code(m, CodecRoutes.readNpy(part.bytes(), what), what));
    }
    String t = part.mediaType();
    if (!t.isEmpty() && !ImageLimits.IMAGE_TYPES.contains(t) && !CodecRoutes.NPY_TYPES.contains(t)) {
      throw ApiException.unsupportedMediaType(what + " has Content-Type '" + t + "'; send image/png, image/jpeg,"
          + " or a W+ code as .npy (application/octet-stream)");
    }
    return new End(CodecRoutes.preprocess(m, s.limits.decode(part.bytes(), what)), null);
  }
}
