package dev.psp.align;

import dev.psp.align.dlib.Detection;
import dev.psp.align.dlib.FrontalFaceDetector;
import dev.psp.align.dlib.ShapePredictor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The official pSp face alignment in Java: dlib's frontal face detector (run as the official script
 * runs it, upsampled once), dlib's 68-point shape predictor on each box, then the FFHQ crop of
 * {@code scripts/align_all_parallel.py} ({@link FfhqAlignment}). The outputs equal the official
 * script's, so every official face model gets the input it was trained on.
 *
 * <pre>{@code
 * FaceAligner aligner = FaceAligner.load();           // finds shape_predictor_68_face_landmarks.dat
 * RgbImage photo = RgbImage.of(ImageIO.read(file));
 * AlignedFace face = aligner.align(photo, FaceChoice.last(), file.toString()).get(0);
 * BufferedImage input = face.image().toBufferedImage(); // 256 x 256, ready for Psp.load("encode")
 * }</pre>
 *
 * <p>Thread-safe: the models are immutable after loading. Detection uses the common fork-join pool.
 */
public final class FaceAligner {
  /** The official script's output and transform size. */
  public static final int OFFICIAL_SIZE = 256;
  /** The official script's detector upsampling. */
  public static final int UPSAMPLE = 1;

  private final FrontalFaceDetector detector;
  private final ShapePredictor predictor;
  private final Path landmarkModel;

  private FaceAligner(FrontalFaceDetector detector, ShapePredictor predictor, Path landmarkModel) {
    this.detector = detector;
    this.predictor = predictor;
    this.landmarkModel = landmarkModel;
  }

  /**
   * Loads the detector (bundled) and the landmark model found by {@link LandmarkModel#locate}.
   *
   * @throws java.nio.file.NoSuchFileException when the landmark model is nowhere; the message says how to get it
   * @throws IOException when it cannot be read or is not dlib's model
   */
  public static FaceAligner load() throws IOException {
    return load(LandmarkModel.locate(Optional.empty(), Optional.empty()));
  }

  /** Loads the detector (bundled) and the landmark model from {@code landmarkModel}. */
  public static FaceAligner load(Path landmarkModel) throws IOException {
    Objects.requireNonNull(landmarkModel, "landmarkModel");
    ShapePredictor sp = ShapePredictor.read(landmarkModel);
    return new FaceAligner(FrontalFaceDetector.load(true), sp, landmarkModel);
  }

  /** Every face in {@code photo} with its landmarks, most confident first (dlib's order). */
  public List<Face> detect(RgbImage photo) {
    List<Face> out = new ArrayList<>();
    for (Detection d : detector.detect(photo, UPSAMPLE)) {
      out.add(new Face(d.box(), d.confidence(), predictor.predict(photo, d.box())));
    }
    return out;
  }

  /**
   * Aligns the chosen faces of {@code photo} as the official script does (256 x 256).
   *
   * @param source names the photo in errors (a file name, say)
   * @throws NoFaceException when there is no face, or not the one chosen
   */
  public List<AlignedFace> align(RgbImage photo, FaceChoice choice, String source) throws NoFaceException {
    return align(photo, choice, source, OFFICIAL_SIZE, OFFICIAL_SIZE);
  }

  /**
   * Aligns the chosen faces of {@code photo}.
   *
   * @param outputSize side of the aligned images (official: 256)
   * @param transformSize side of the crop before the final resize (official: 256; FFHQ used 4096 for 1024)
   * @throws NoFaceException when there is no face, or not the one chosen
   */
  public List<AlignedFace> align(RgbImage photo, FaceChoice choice, String source, int outputSize, int transformSize)
      throws NoFaceException {
    List<AlignedFace> out = new ArrayList<>();
    for (Face f : choice.select(detect(photo), source)) {
      out.add(align(photo, f, outputSize, transformSize));
    }
    return out;
  }

  /** Aligns one face found earlier (for example by {@link #detect}). */
  public AlignedFace align(RgbImage photo, Face face, int outputSize, int transformSize) {
    return FfhqAlignment.align(photo, face.landmarks(), outputSize, transformSize);
  }

  /** The landmark model file in use. */
  public Path landmarkModel() {
    return landmarkModel;
  }

  @Override
  public String toString() {
    return "FaceAligner[dlib frontal face detector, upsample " + UPSAMPLE + "; landmarks " + landmarkModel + "]";
  }
}
