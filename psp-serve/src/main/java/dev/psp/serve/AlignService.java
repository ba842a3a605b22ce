package dev.psp.serve;

import dev.psp.align.FaceAligner;
import dev.psp.align.LandmarkModel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The face aligner of {@code /v1/align}: dlib's detector and 68-point landmark model, loaded once at
 * start. Without the landmark model the server still runs and {@link #require()} answers 503 with the
 * message saying how to install it. Thread-safe.
 */
final class AlignService {
  /** Where the aligner is in its life. */
  enum State {
    /** Waiting for or being loaded. */
    LOADING,
    /** Loaded. */
    READY,
    /** The landmark model is missing or unreadable; {@link #problem()} says why. */
    UNAVAILABLE
  }

  private final Optional<Path> landmarkModel;
  private final Optional<Path> modelDir;
  private volatile State state = State.LOADING;
  private volatile FaceAligner aligner;
  private volatile String problem;

  AlignService(Optional<Path> landmarkModel, Optional<Path> modelDir) {
    this.landmarkModel = landmarkModel;
    this.modelDir = modelDir;
  }

  /** Finds and reads the landmark model, as {@code psp align} does; records why not instead of throwing. */
  void load() {
    try {
      aligner = FaceAligner.load(LandmarkModel.locate(landmarkModel, modelDir));
      state = State.READY;
    } catch (Exception | LinkageError e) { // LinkageError: dlib's natives that cannot be linked
      problem = e.getMessage() == null ? e.toString() : e.getMessage();
      state = State.UNAVAILABLE;
    }
  }

  State state() {
    return state;
  }

  /** Why the aligner is unavailable, if it is. */
  Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  /**
   * The aligner.
   *
   * @throws ApiException 503 while it loads, or with the reason (and how to install the landmark model)
   *     when it is unavailable
   */
  FaceAligner require() {
    switch (state) {
      case READY:
        return aligner;
      case LOADING:
        throw ApiException.unavailable("aligner-loading", "Aligner loading",
            "the face aligner is still loading dlib's landmark model", 5);
      default:
        throw ApiException.unavailable("aligner-unavailable", "Face alignment unavailable",
            "face alignment is not available on this server: " + problem);
    }
  }
}
