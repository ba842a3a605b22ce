package dev.psp.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.OutputSize;
import dev.psp.PspModel;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code POST /v1/translate}, {@code /v1/encode} and {@code /v1/decode}: the official inference, an image
 * to its W+ code, and a code back to an image. Translate (with fixed noise) and encode requests are
 * batched with others of the same model and options; the batch a result came from is reported in the
 * {@code X-Psp-Batch-*} headers.
 */
final class CodecRoutes {
  /** The media types of a W+ code response besides JSON. */
  static final List<String> NPY_TYPES = List.of("application/octet-stream", "application/x-npy");

  private final Services s;

  CodecRoutes(Services services) {
    this.s = services;
  }

  void register(RoutesConfig routes) {
    routes.post("/v1/translate", this::translate);
    routes.post("/v1/encode", this::encode);
    routes.post("/v1/decode", this::decode);
  }

  private void translate(Context ctx) {
    Params p = new Params(ctx, "model", "resize", "noise", "seed");
    ServedModel m = s.models.require(p.string("model"));
    OutputSize size = OutputSize.of(p.flag("resize", false));
    NoiseChoice noise = p.noise();
    String type = Negotiation.choose(ctx.header("Accept"), List.of(ImageEncoding.PNG, ImageEncoding.JPEG));
    s.queue.checkRoom(); // before the upload is read
    TensorData x = s.limits.admit(() -> preprocess(m, s.limits.readImage(ctx)));
    PspModel model = m.model().orElseThrow();
    if (noise.fixed()) {
      InferenceQueue.BatchKey key = new InferenceQueue.BatchKey(m.name(), "translate", size);
      s.answer(ctx, s.queue.submit(key, x, in -> ModelWork.translate(model, in, Noise.fixed(), size)),
          b -> batchHeaders(image(m, b.value().toImage(), type, noise), b));
    } else {
      s.answer(ctx, s.queue.submit("translate", () -> ModelWork.translate(model, List.of(x), noise.noise(), size).get(0)),
          rgb -> image(m, rgb.toImage(), type, noise));
    }
  }

  private void encode(Context ctx) {
    Params p = new Params(ctx, "model");
    ServedModel m = s.models.require(p.string("model"));
    String type = Negotiation.choose(ctx.header("Accept"), List.of("application/json", NPY_TYPES.get(0), NPY_TYPES.get(1)));
    s.queue.checkRoom(); // before the upload is read
    TensorData x = s.limits.admit(() -> preprocess(m, s.limits.readImage(ctx)));
    PspModel model = m.model().orElseThrow();
    InferenceQueue.BatchKey key = new InferenceQueue.BatchKey(m.name(), "encode", null);
    s.answer(ctx, s.queue.submit(key, x, in -> ModelWork.encode(model, in)), b -> {
      LatentCode code = b.value();
      Reply r = type.equals("application/json") ? Reply.json(codeJson(m.name(), code)) : Reply.ok(type, npy(code.toTensor()));
      return batchHeaders(provenance(r, m), b);
    });
  }

  private void decode(Context ctx) {
    Params p = new Params(ctx, "model", "resize", "noise", "seed");
    ServedModel m = s.models.require(p.string("model"));
    OutputSize size = OutputSize.of(p.flag("resize", false));
    NoiseChoice noise = p.noise();
    String type = Negotiation.choose(ctx.header("Accept"), List.of(ImageEncoding.PNG, ImageEncoding.JPEG));
    ImageLimits.requireContentType(ctx, NPY_TYPES);
    s.queue.checkRoom(); // before the upload is read
    LatentCode code = s.limits.admit(() -> code(m, readNpy(s.limits.readBody(ctx), "request body"), "request body"));
    PspModel model = m.model().orElseThrow();
    s.answer(ctx, s.queue.submit("decode", () -> ModelWork.decode(model, code, noise.noise(), size)),
        rgb -> image(m, rgb.toImage(), type, noise));
  }

  /**
   * The task's official preprocessing of an uploaded image, on the request thread.
   *
   * @throws ApiException 422 when the image cannot be the model's input (e.g. a label map with ids past 18)
   */
  static TensorData preprocess(ServedModel m, BufferedImage image) {
    try {
      return m.model().orElseThrow().encoder().preprocess(List.of(image));
    } catch (IllegalArgumentException e) {
      throw ApiException.unprocessable("unusable-image", "Image not usable", e.getMessage());
    }
  }

  /** A {@code .npy} array. */
  static TensorData readNpy(byte[] bytes, String what) {
    try {
      return Npy.read(new ByteArrayInputStream(bytes), what);
    } catch (IOException e) {
      throw ApiException.badBody(e.getMessage());
    }
  }

  /**
   * One W+ code from {@code [1, n, dim]} or {@code [n, dim]}, checked against the model as the generator
   * checks it, before it is queued.
   */
  static LatentCode code(ServedModel m, TensorData t, String what) {
    long[] shape = t.shape();
    if (t.rank() == 2) {
      t = t.reshape(1, shape[0], shape[1]);
    } else if (t.rank() != 3 || shape[0] != 1) {
      throw ApiException.badBody(what + ": a W+ code must be [1, n_styles, dim] or [n_styles, dim] (one code per"
          + " request), got " + Arrays.toString(shape));
    }
    LatentCode code = LatentCode.fromTensor(t, 0);
    int rows = m.config().nStyles();
    if (code.nStyles() != rows) {
      throw ApiException.badBody(what + ": codes have " + code.nStyles() + " rows, this " + m.config().outputSize()
          + "px generator takes " + rows);
    }
    int dim = m.config().architecture().styleDim();
    if (code.dim() != dim) {
      throw ApiException.badBody(what + ": codes have rows of " + code.dim() + " values, this model's W+ rows have "
          + dim);
    }
    return code;
  }

  /** {@code {"model": .., "shape": [1, n, dim], "data": [..]}}; floats in their shortest exact decimal form. */
  static JsonObject codeJson(String model, LatentCode code) {
    JsonObject o = new JsonObject();
    o.addProperty("model", model);
    JsonArray shape = new JsonArray();
    shape.add(code.batchSize());
    shape.add(code.nStyles());
    shape.add(code.dim());
    o.add("shape", shape);
    JsonArray data = new JsonArray();
    for (float v : code.values()) {
      data.add(v);
    }
    o.add("data", data);
    return o;
  }

  static byte[] npy(TensorData t) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, t);
    return out.toByteArray();
  }

  /** An image reply with the model's provenance and the noise used. */
  static Reply image(ServedModel m, BufferedImage image, String type, NoiseChoice noise) {
    return provenance(Reply.ok(type, ImageEncoding.encode(image, type)), m).header("X-Psp-Noise", noise.describe());
  }

  /** The model and engine that computed a reply, as headers. */
  static Reply provenance(Reply r, ServedModel m) {
    return r.header("X-Psp-Model", m.name()).header("X-Psp-Engine", m.model().orElseThrow().engine());
  }

  private static Reply batchHeaders(Reply r, InferenceQueue.Batched<?> b) {
    return r.header("X-Psp-Batch-Id", Long.toString(b.batchId())).header("X-Psp-Batch-Index", Integer.toString(b.index()))
        .header("X-Psp-Batch-Size", Integer.toString(b.size()));
  }
}
