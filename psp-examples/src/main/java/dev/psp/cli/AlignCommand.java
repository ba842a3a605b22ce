package dev.psp.cli;

import dev.psp.align.AlignedFace;
import dev.psp.align.Face;
import dev.psp.align.ExifOrientation;
import dev.psp.align.FaceAligner;
import dev.psp.align.FaceChoice;
import dev.psp.align.LandmarkModel;
import dev.psp.align.Landmarks;
import dev.psp.align.NoFaceException;
import dev.psp.align.RgbImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code psp align}: photos to FFHQ-aligned face crops, as the official {@code align_all_parallel.py}. */
@Command(name = "align", mixinStandardHelpOptions = true,
    description = "Align the faces of photos as the official scripts/align_all_parallel.py does (dlib's detector and "
        + "68 landmarks, the FFHQ crop), in Java.")
final class AlignCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "<image|folder>", description = "A photo or a folder of photos.")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<image|folder>",
      description = "A folder (<photo>.png, or <photo>_face<j>.png with --face all), or one image for one photo.")
  Path output;

  @Option(names = "--face", defaultValue = "last", paramLabel = "<last|largest|all|N>",
      description = "Which face when there are several: last (official), largest, all, or a 0-based index (default: ${DEFAULT-VALUE}).")
  String face;

  @Option(names = "--size", defaultValue = "256", description = "Side of the aligned images (official: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--transform-size", paramLabel = "<px>",
      description = "Side of the crop before the final resize (official: the same as --size; FFHQ's 1024 px used 4096).")
  Integer transformSize;

  @Option(names = "--landmarks", paramLabel = "<faces.json>",
      description = "Also write every face found: box, confidence, 68 landmarks, the crop's corners in the photo.")
  Path landmarksJson;

  @Option(names = "--landmarks-model", paramLabel = "<file>", description = "dlib's " + LandmarkModel.FILE
      + " (default: the model folders, then /usr/share/dlib).")
  Path landmarksModel;

  @Option(names = "--model-dir", paramLabel = "<folder>", description = "A model folder to search first.")
  Path modelDir;

  @Override
  public Integer call() throws Exception {
    int transform = transformSize == null ? size : transformSize;
    if (size < 1 || size > 8192 || transform < 1 || transform > 8192) {
      throw new PspCli.UsageException("--size and --transform-size must be in 1..8192, got " + size + " and " + transform);
    }
    if (size > transform) {
      throw new PspCli.UsageException("--size " + size + " is larger than --transform-size " + transform
          + " (the official script never enlarges); raise --transform-size to at least " + size);
    }
    Io.checkNotInput(input, output);
    FaceChoice choice = AlignOptions.parseChoice(face);
    List<Path> photos = Io.imageFilesNamingOutputs(input);
    boolean folder = !Io.isImageName(output) || Files.isDirectory(output);
    if (!folder && (photos.size() > 1 || choice.equals(FaceChoice.all()))) {
      throw new PspCli.UsageException("--output " + output + " is one image but there may be several faces; give a folder");
    }
    FaceAligner aligner = FaceAligner.load(LandmarkModel.locate(Optional.ofNullable(landmarksModel), Optional.ofNullable(modelDir)));
    PrintWriter err = spec.commandLine().getErr();
    Progress progress = new Progress(err, "photos", photos.size());
    Map<Path, String> failures = new LinkedHashMap<>();
    List<String> json = new ArrayList<>();
    int written = 0;
    for (Path p : photos) {
      try {
        RgbImage photo = RgbImage.of(Io.readImage(p));
        List<Face> all = aligner.detect(photo);
        List<Face> chosen = choice.select(all, p.toString());
        List<String> faceJson = new ArrayList<>();
        for (int j = 0; j < chosen.size(); j++) {
          Face f = chosen.get(j);
          AlignedFace a = aligner.align(photo, f, size, transform);
          String name = chosen.size() == 1 ? Io.stem(p) : String.format(Locale.ROOT, "%s_face%d", Io.stem(p), j);
          Path out = folder ? output.resolve(name + ".png") : output;
          Io.writeImage(a.image().toBufferedImage(), out);
          written++;
          faceJson.add(faceJson(f, a, out));
        }
        json.add(String.format(Locale.ROOT, "{\"photo\": %s, \"width\": %d, \"height\": %d, \"faces_found\": %d, \"aligned\": [%s]}",
            quote(p.toString()), photo.width(), photo.height(), all.size(), String.join(", ", faceJson)));
      } catch (NoFaceException | IOException | RuntimeException e) { // one bad photo fails alone
        String why = (e.getMessage() == null ? e.toString() : e.getMessage())
            + (e instanceof NoFaceException ? ExifOrientation.hint(p) : "");
        failures.put(p, why);
        json.add(String.format(Locale.ROOT, "{\"photo\": %s, \"error\": %s}", quote(p.toString()), quote(why)));
      }
      progress.advance(1);
    }
    String summary = progress.finish();
    if (landmarksJson != null) {
      Io.createParent(landmarksJson);
      dev.psp.internal.AtomicFiles.writeString(landmarksJson, "[\n" + String.join(",\n", json) + "\n]\n");
    }
    PrintWriter out = spec.commandLine().getOut();
    AlignedPhotos.report(failures, written, err);
    out.println("aligned " + written + " face(s) of " + summary + " -> " + output);
    return failures.isEmpty() ? 0 : 1;
  }

  private static String faceJson(Face f, AlignedFace a, Path out) {
    Landmarks lm = f.landmarks();
    StringBuilder pts = new StringBuilder();
    for (int i = 0; i < Landmarks.COUNT; i++) {
      pts.append(i == 0 ? "" : ", ").append('[').append(lm.x(i)).append(", ").append(lm.y(i)).append(']');
    }
    StringBuilder quad = new StringBuilder();
    double[] q = a.quad();
    for (int i = 0; i < q.length; i++) {
      quad.append(i == 0 ? "" : ", ").append(q[i]);
    }
    return String.format(Locale.ROOT, "{\"output\": %s, \"box\": [%d, %d, %d, %d], \"confidence\": %s, \"landmarks\": [%s], \"quad\": [%s]}",
        quote(out.toString()), f.box().left(), f.box().top(), f.box().right(), f.box().bottom(),
        Double.toString(f.confidence()), pts, quad);
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
