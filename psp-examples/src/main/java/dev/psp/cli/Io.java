package dev.psp.cli;

import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** Reading inputs and writing outputs of the commands: images, {@code .npy} tensors and folders. */
final class Io {
  private static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

  private Io() {}

  static boolean isNpy(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
  }

  static boolean isImageName(Path p) {
    return IMAGE_EXTENSIONS.contains(extension(p));
  }

  static String extension(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  static String stem(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? n : n.substring(0, dot);
  }

  /** The image files of a folder, sorted by name; or the file itself. */
  static List<Path> imageFiles(Path input) throws IOException {
    if (!Files.exists(input)) {
      throw new IOException("input " + input + " does not exist");
    }
    if (Files.isDirectory(input)) {
      List<Path> out;
      try (Stream<Path> s = Files.list(input)) {
        out = s.filter(Files::isRegularFile).filter(Io::isImageName).sorted().toList();
      }
      if (out.isEmpty()) {
        throw new IOException("folder " + input + " holds no images (" + String.join(", ", IMAGE_EXTENSIONS) + ")");
      }
      return out;
    }
    return List.of(input);
  }

  /**
   * The image files of {@code input} for a command that names its outputs after them: two images of
   * one stem ({@code a.jpg}, {@code a.png}) would write one {@code a.png}, so they are refused.
   */
  static List<Path> imageFilesNamingOutputs(Path input) throws IOException {
    List<Path> out = imageFiles(input);
    java.util.Map<String, Path> byStem = new java.util.HashMap<>();
    for (Path p : out) {
      Path other = byStem.putIfAbsent(stem(p), p);
      if (other != null) {
        throw new PspCli.UsageException("folder " + input + " holds " + other.getFileName() + " and "
            + p.getFileName() + ", whose outputs would have the same name; rename one");
      }
    }
    return out;
  }

  static BufferedImage readImage(Path p) throws IOException {
    try {
      return dev.psp.image.ImageFiles.read(p);
    } catch (dev.psp.ImageFormatException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  static TensorData readNpy(Path p) throws IOException {
    if (!Files.isRegularFile(p)) {
      throw new IOException("input " + p + " does not exist");
    }
    return Npy.read(p);
  }

  static void writeImage(BufferedImage img, Path p) throws IOException {
    createParent(p);
    String fmt = extension(p);
    if (fmt.equals("jpeg")) {
      fmt = "jpg";
    }
    if (!IMAGE_EXTENSIONS.contains(fmt)) {
      throw new PspCli.UsageException("output " + p + " must end in .png, .jpg, .bmp or .npy, or be a folder");
    }
    // written to a temporary name and renamed: a failed write never leaves a truncated image or
    // destroys the previous file
    dev.psp.internal.AtomicFiles.writeImage(p, img, fmt);
  }

  /**
   * Refuses an output that is the input, or a folder output that is the input folder: the run would
   * overwrite what it reads.
   */
  static void checkNotInput(Path input, Path output) throws IOException {
    Path in = input.toAbsolutePath().normalize();
    Path out = output.toAbsolutePath().normalize();
    boolean same = in.equals(out) || (Files.exists(in) && Files.exists(out) && Files.isSameFile(in, out));
    if (!same && Files.isDirectory(out) && Files.isRegularFile(in)) { // the output written into that folder
      Path written = out.resolve(stem(in) + ".png");
      same = written.equals(in) || (Files.exists(written) && Files.isSameFile(written, in));
    }
    if (same) {
      throw new PspCli.UsageException("--output " + output + " is the input; write the results somewhere else");
    }
  }

  static void writeNpy(TensorData t, Path p) throws IOException {
    createParent(p);
    Npy.write(p, t);
  }

  static void createParent(Path p) throws IOException {
    Path parent = p.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
  }

  /** Stacks tensors of equal trailing shape along dimension 0. */
  static TensorData stack(List<TensorData> parts) {
    long[] shape = parts.get(0).shape();
    long rows = 0;
    List<float[]> values = new ArrayList<>();
    int total = 0;
    for (TensorData t : parts) {
      rows += t.dim(0);
      float[] v = t.toFloatArray();
      values.add(v);
      total += v.length;
    }
    float[] out = new float[total];
    int o = 0;
    for (float[] v : values) {
      System.arraycopy(v, 0, out, o, v.length);
      o += v.length;
    }
    shape[0] = rows;
    return TensorData.ofFloats(out, shape);
  }
}
