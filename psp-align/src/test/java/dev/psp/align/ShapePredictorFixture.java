package dev.psp.align;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * dlib's landmark model for tests: skipped with the reason when absent, except on CI
 * ({@code CI=true}), where {@code .ci/run} installs it and its absence is a failure.
 */
final class ShapePredictorFixture {
  private static FaceAligner aligner;

  private ShapePredictorFixture() {}

  /** The file, or skips (fails on CI) saying how to get it. */
  static Path modelOrSkip() {
    try {
      return LandmarkModel.locate(Optional.empty(), Optional.empty());
    } catch (java.nio.file.NoSuchFileException e) {
      String why = e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
      return null;
    }
  }

  /** One aligner per test JVM (the model takes a fraction of a second to map). */
  static synchronized FaceAligner alignerOrSkip() throws java.io.IOException {
    if (aligner == null) {
      aligner = FaceAligner.load(modelOrSkip());
    }
    return aligner;
  }
}
