package dev.psp.serve;

import dev.psp.Encoder;
import dev.psp.LoadOptions;
import dev.psp.ModelRegistry;
import dev.psp.Psp;
import dev.psp.PspModel;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The models of a server, by name: loads them (on the inference thread) and resolves the {@code model}
 * parameter of a request to a ready model, with the problem to answer when it cannot. Thread-safe.
 */
final class ServedModels {
  private final List<ServedModel> models;
  private final LoadOptions options;

  ServedModels(List<String> specs, LoadOptions options) {
    List<ServedModel> m = new ArrayList<>();
    for (String s : specs) {
      m.add(new ServedModel(s));
    }
    this.models = List.copyOf(m);
    this.options = options;
  }

  /** All models, in the configured order. */
  List<ServedModel> all() {
    return models;
  }

  /** The names requests use, in order. */
  List<String> names() {
    return models.stream().map(ServedModel::name).toList();
  }

  /** Whether every model is loaded. */
  boolean allReady() {
    return models.stream().allMatch(m -> m.state() == ServedModel.State.READY);
  }

  /** Whether some model failed to load. */
  boolean anyFailed() {
    return models.stream().anyMatch(m -> m.state() == ServedModel.State.FAILED);
  }

  /**
   * Loads one model with the server's options and warms it up with one translation of a blank image
   * (an engine's first forward pass is several times slower than the next ones); records the failure
   * instead of throwing. Runs on the inference thread.
   */
  void load(ServedModel m) {
    PspModel loaded = null;
    try {
      boolean bundled = ModelRegistry.resolve(m.spec(), options.modelDir()).bundled();
      loaded = Psp.load(m.spec(), options);
      BufferedImage blank = new BufferedImage(Encoder.INPUT_SIZE, Encoder.INPUT_SIZE, BufferedImage.TYPE_INT_RGB);
      loaded.translate(blank);
      m.ready(loaded, bundled);
    } catch (Exception | LinkageError e) { // LinkageError: an engine's natives that cannot be linked
      if (loaded != null) {
        loaded.close();
      }
      m.failed(e);
    }
  }

  /**
   * The ready model a request asks for; without {@code model} the only model, if there is one.
   *
   * @throws ApiException 400 when the parameter is missing and several models are served, 404 for a name
   *     no model answers to (listing the names), 503 while it loads or when it failed to load
   */
  ServedModel require(String requested) {
    ServedModel m;
    if (requested == null || requested.isBlank()) {
      if (models.size() != 1) {
        throw ApiException.badParameter("model", "parameter 'model' is required: this server serves " + names());
      }
      m = models.get(0);
    } else {
      // a model's own name before another's alias: "frontalize.pt" served as "frontalize" stays reachable
      // next to the bundled "ffhq_frontalize", whose aliases include "frontalize"
      m = models.stream().filter(x -> x.name().equalsIgnoreCase(requested.trim())).findFirst()
          .or(() -> models.stream().filter(x -> x.answersTo(requested)).findFirst())
          .orElseThrow(() -> ApiException.unknownModel("unknown model '" + requested + "'; this server serves "
              + names(), names()));
    }
    switch (m.state()) {
      case READY:
        return m;
      case LOADING:
        throw ApiException.unavailable("model-loading", "Model loading", "model '" + m.name()
            + "' is still loading; GET /health says when every model is ready", 5);
      default:
        throw ApiException.unavailable("model-failed", "Model failed to load", "model '" + m.name()
            + "' failed to load: " + m.failure().map(Throwable::getMessage).orElse("unknown error"));
    }
  }

  /** Closes every loaded model; call on the inference thread when it runs nothing else. */
  void closeAll() {
    for (ServedModel m : models) {
      m.close();
    }
  }
}
