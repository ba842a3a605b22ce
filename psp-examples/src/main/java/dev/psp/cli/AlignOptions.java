package dev.psp.cli;

import dev.psp.align.FaceAligner;
import dev.psp.align.FaceChoice;
import dev.psp.align.LandmarkModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --align}, {@code --face}, {@code --paste-back}, {@code --landmarks-model}: photos in, photos out. */
final class AlignOptions {
  @Option(names = "--align", description = "Find the face (dlib's detector and 68 landmarks, in Java) and crop it as "
      + "the official scripts/align_all_parallel.py does, before encoding. For photos that are not aligned yet.")
  boolean align;

  @Option(names = "--face", defaultValue = "last", paramLabel = "<last|largest|all|N>",
      description = "Which face to align when there are several: last (the official choice: dlib's least confident), "
          + "largest, all, or a 0-based index in dlib's order (default: ${DEFAULT-VALUE}).")
  String face;

  @Option(names = "--paste-back", description = "Paste each result back into its original photo (needs --align).")
  boolean pasteBack;

  @Option(names = "--landmarks-model", paramLabel = "<file>", description = "dlib's " + LandmarkModel.FILE
      + " (default: the model folders, then /usr/share/dlib).")
  Path landmarksModel;

  /** Checks the combination; usage errors name the option. */
  void validate() {
    if (pasteBack && !align) {
      throw new PspCli.UsageException("--paste-back needs --align (it pastes the result into the photo the face was aligned from)");
    }
    if (!align && landmarksModel != null) {
      throw new PspCli.UsageException("--landmarks-model is used with --align only");
    }
    choice();
  }

  FaceChoice choice() {
    return parseChoice(face);
  }

  /** A {@code --face} value, or a usage error naming the option. */
  static FaceChoice parseChoice(String face) {
    try {
      return FaceChoice.parse(face);
    } catch (IllegalArgumentException e) {
      throw new PspCli.UsageException("--face: " + e.getMessage());
    }
  }

  /** Loads the aligner, looking for the landmark model in {@code modelDir} too. */
  FaceAligner aligner(Path modelDir) throws IOException {
    return FaceAligner.load(LandmarkModel.locate(Optional.ofNullable(landmarksModel), Optional.ofNullable(modelDir)));
  }
}
