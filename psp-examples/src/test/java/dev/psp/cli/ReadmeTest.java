package dev.psp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.Encoder;
import dev.psp.Psp;
import dev.psp.TranslationTask;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import dev.psp.synthetic.SyntheticFaces;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md runs as written: its Java example is compiled and run, and every {@code psp} line of its
 * command block is run in a child JVM whose working folder holds the inputs the lines name, with the
 * bundled demo models (the home folder is a fresh one, so no official file is found). A line that
 * ends with the comment {@code needs the official checkpoint} is only parsed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeTest {
  static final Path README = Path.of("..", "README.md");
  private static final String OFFICIAL_ONLY = "needs the official checkpoint";

  private Path work;
  private Path home;

  @BeforeAll
  void prepareTheInputsTheReadmeNames(@TempDir Path dir) throws Exception {
    work = dir;
    home = Files.createDirectories(work.resolve("home"));
    Files.createDirectories(work.resolve("sketches"));
    Files.createDirectories(work.resolve("photos"));
    for (int i = 0; i < 3; i++) {
      write(SyntheticFaces.pair(TranslationTask.SKETCH_TO_FACE, 5, i, Encoder.INPUT_SIZE).source(),
          work.resolve("sketches/s" + i + ".png"));
      write(SyntheticFaces.pair(TranslationTask.INVERSION, 5, i, Encoder.INPUT_SIZE).source(),
          work.resolve("photos/p" + i + ".png"));
    }
    Files.copy(work.resolve("sketches/s0.png"), work.resolve("sketch.png"));
    // labelled faces for learn-direction: synthetic faces with and without glasses
    Files.createDirectories(work.resolve("glasses"));
    Files.createDirectories(work.resolve("no-glasses"));
    int withGlasses = 0;
    int without = 0;
    for (int i = 0; withGlasses < 6 || without < 6; i++) {
      boolean g = SyntheticFaces.params(9, i).accessories().glasses();
      if (g ? withGlasses < 6 : without < 6) {
        write(SyntheticFaces.pair(TranslationTask.INVERSION, 9, i, Encoder.INPUT_SIZE).source(),
            work.resolve((g ? "glasses/g" : "no-glasses/n") + i + ".png"));
        if (g) {
          withGlasses++;
        } else {
          without++;
        }
      }
    }
    Files.copy(work.resolve("photos/p0.png"), work.resolve("a.png"));
    Files.copy(work.resolve("photos/p0.png"), work.resolve("face.png"));
    Files.copy(work.resolve("photos/p1.png"), work.resolve("b.png"));
    Random r = new Random(3);
    float[] x = new float[2 * 3 * 256 * 256];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 * r.nextDouble() - 1);
    }
    Npy.write(work.resolve("x.npy"), TensorData.ofFloats(x, 2, 3, 256, 256));
    int dim = Psp.inspect("sketch", dev.psp.LoadOptions.defaults().optModelDir(home)).config().architecture()
        .styleDim();
    float[] w = new float[dim];
    for (int i = 0; i < dim; i++) {
      w[i] = (float) r.nextGaussian();
    }
    Npy.write(work.resolve("w.npy"), TensorData.ofFloats(w, 1, dim));
    Files.createDirectories(work.resolve("models"));
    Files.copy(Path.of("..", "models", "demo_stylegan2.pt"), work.resolve("models/demo_stylegan2.pt"));
    // real photos for the alignment lines: dlib's example photos of psp-align's tests
    Path faces = Path.of("..", "psp-align", "src", "test", "resources", "faces");
    Files.createDirectories(work.resolve("group"));
    for (String f : List.of("bald_guys_crop.png", "2008_001009.png")) {
      Files.copy(faces.resolve(f), work.resolve("group").resolve(f));
    }
    BufferedImage tom = ImageIO.read(faces.resolve("Tom_Cruise_avp_2014_4.png").toFile());
    assertThat(ImageIO.write(tom, "jpg", work.resolve("photo.jpg").toFile())).isTrue();
  }

  /** Alignment lines need dlib's landmark model: installed by .ci/run, parsed only where it is absent. */
  private static boolean landmarkModelPresent() {
    return Files.isRegularFile(Path.of("/usr/share/dlib/shape_predictor_68_face_landmarks.dat"))
        || "true".equals(System.getenv("CI"));
  }

  private static void write(BufferedImage image, Path file) throws IOException {
    ImageIO.write(image, "png", file.toFile());
  }

  static String readme() throws IOException {
    return Files.readString(README, StandardCharsets.UTF_8);
  }

  /** The fenced code blocks of a language, in order. */
  static List<String> blocks(String text, String language) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The {@code psp} lines of the bash blocks (continuations joined), with their trailing comments. */
  static List<String> pspLines(String text) {
    List<String> out = new ArrayList<>();
    for (String block : blocks(text, "bash")) {
      String joined = block.replace("\\\n", " ");
      for (String line : joined.split("\n")) {
        if (line.startsWith("psp ")) {
          out.add(line);
        }
      }
    }
    return out;
  }

  /** Splits a command line on blanks, honouring single and double quotes; the comment is dropped. */
  static List<String> args(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        any = true;
      } else if (c == '#') {
        break;
      } else if (Character.isWhitespace(c)) {
        if (cur.length() > 0 || any) {
          out.add(cur.toString());
          cur.setLength(0);
          any = false;
        }
      } else {
        cur.append(c);
      }
    }
    if (cur.length() > 0 || any) {
      out.add(cur.toString());
    }
    return out;
  }

  private Process start(Path dir, List<String> command) throws IOException {
    Path log = Files.createTempFile(work, "child", ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Duser.home=" + home);
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("OPT_OUT_TRACKING", "true");
    // psp spark: Spark's jars as psp-spark's package phase copies them (Spark is not on this class path)
    pb.environment().put("PSP_SPARK_JARS", Path.of("..", "psp-spark", "target", "spark-jars").toAbsolutePath().toString());
    Process p = pb.start();
    logs.put(p, log);
    return p;
  }

  /** Where each child's output goes. */
  private final java.util.Map<Process, Path> logs = new java.util.HashMap<>();

  private String finish(Process p, String what) throws Exception {
    try {
      boolean done = p.waitFor(300, TimeUnit.SECONDS);
      String out = Files.readString(logs.get(p), StandardCharsets.UTF_8);
      assertThat(done).as(what + " finished within 300 s; output so far:\n" + out).isTrue();
      assertThat(p.exitValue()).as(what + " exit code; output:\n" + out).isZero();
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  /** The line's arguments with its {@code --port} replaced by a free one (the README's port may be taken here). */
  private static List<String> withFreePort(List<String> args) throws IOException {
    int free;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      free = s.getLocalPort();
    }
    List<String> out = new ArrayList<>(args);
    int at = out.indexOf("--port");
    if (at < 0) {
      out.add("--port");
      out.add(Integer.toString(free));
    } else {
      out.set(at + 1, Integer.toString(free));
    }
    return out;
  }

  /** A server line: waits for {@code /health} to answer 200 and {@code /} to give the page, then stops it. */
  private void serveUntilHealthy(Process p, String line) throws Exception {
    String port = null;
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      int health = 0;
      while (System.nanoTime() < deadline && p.isAlive()) {
        Matcher m = Pattern.compile("http://[^:/]+:(\\d+)/").matcher(Files.readString(logs.get(p), StandardCharsets.UTF_8));
        if (m.find()) {
          port = m.group(1);
          health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/health")).build(),
              java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
          if (health == 200) {
            break;
          }
        }
        Thread.sleep(250);
      }
      String out = Files.readString(logs.get(p), StandardCharsets.UTF_8);
      assertThat(health).as(line + ": /health; output:\n" + out).isEqualTo(200);
      String page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(page).as(line + ": the web page").containsIgnoringCase("<html");
    } finally {
      p.destroy(); // SIGTERM: the graceful shutdown
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void everyPspLineOfTheReadmeRuns() throws Exception {
    List<String> lines = pspLines(readme());
    assertThat(lines).as("psp lines of README.md").hasSizeGreaterThan(10);
    int parsedOnly = 0;
    for (String line : lines) {
      List<String> a = args(line);
      assertThat(a.get(0)).isEqualTo("psp");
      List<String> cliArgs = a.subList(1, a.size());
      boolean aligns = cliArgs.contains("--align") || cliArgs.get(0).equals("align");
      if (line.contains(OFFICIAL_ONLY) || (aligns && !landmarkModelPresent())) {
        // parsed by the CLI's own parser: the command and its options exist
        new picocli.CommandLine(new PspCli()).parseArgs(cliArgs.toArray(new String[0]));
        parsedOnly += line.contains(OFFICIAL_ONLY) ? 1 : 0;
        continue;
      }
      List<String> cmd = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"),
          PspCli.class.getName()));
      if (cliArgs.get(0).equals("serve")) {
        cmd.addAll(withFreePort(cliArgs));
        serveUntilHealthy(start(work, cmd), line);
        System.out.println("ran: " + line);
        continue;
      }
      cmd.addAll(cliArgs);
      String out = finish(start(work, cmd), line);
      for (int i = 0; i < cliArgs.size() - 1; i++) {
        String opt = cliArgs.get(i);
        if (opt.equals("--output") || opt.equals("-o") || opt.equals("--latent-out") || opt.equals("--exp-dir")) {
          assertThat(work.resolve(cliArgs.get(i + 1))).as(line + " wrote " + cliArgs.get(i + 1) + "\n" + out)
              .exists();
        }
      }
      System.out.println("ran: " + line);
    }
    assertThat(parsedOnly).as("lines marked '" + OFFICIAL_ONLY + "'").isEqualTo(1);
  }

  @Test
  void theJavaExampleCompilesAndRuns() throws Exception {
    List<String> java = blocks(readme(), "java");
    assertThat(java).hasSize(1);
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : java.get(0).split("\n")) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    Path src = Files.createDirectories(work.resolve("example-src"));
    Path classes = Files.createDirectories(work.resolve("example-classes"));
    Files.writeString(src.resolve("ReadmeExample.java"), imports + "\npublic class ReadmeExample {\n"
        + "  public static void main(String[] args) throws Exception {\n" + body + "  }\n}\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        src.resolve("ReadmeExample.java").toString());
    assertThat(rc).as("javac of README's Java example").isZero();
    Path dir = Files.createDirectories(work.resolve("example-run"));
    Files.copy(work.resolve("sketch.png"), dir.resolve("sketch.png"));
    finish(start(dir, List.of("-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
        "ReadmeExample")), "README's Java example");
    BufferedImage face = ImageIO.read(dir.resolve("face.png").toFile());
    int size = Psp.inspect("sketch", dev.psp.LoadOptions.defaults().optModelDir(home)).config().outputSize();
    assertThat(face.getWidth()).isEqualTo(size);
    List<int[]> variants = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      BufferedImage v = ImageIO.read(dir.resolve("variant" + k + ".png").toFile());
      variants.add(v.getRGB(0, 0, size, size, null, 0, size));
    }
    assertThat(variants.get(0)).as("style-mixing variants differ").isNotEqualTo(variants.get(1));
  }

  @Test
  void theGettingStartedProgramsCompileAndRun() throws Exception {
    List<String> programs = blocks(Files.readString(Path.of("..", "docs", "getting-started.md")), "java");
    assertThat(programs).as("Java programs of docs/getting-started.md").isNotEmpty();
    Path src = Files.createDirectories(work.resolve("guide-src"));
    Path classes = Files.createDirectories(work.resolve("guide-classes"));
    Path dir = Files.createDirectories(work.resolve("guide-run"));
    Files.copy(work.resolve("sketch.png"), dir.resolve("sketch.png"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    for (String program : programs) {
      Matcher name = Pattern.compile("public class (\\w+)").matcher(program);
      assertThat(name.find()).as("a public class in\n" + program).isTrue();
      Path file = src.resolve(name.group(1) + ".java");
      Files.writeString(file, program);
      assertThat(javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
          file.toString())).as("javac of " + file.getFileName()).isZero();
      finish(start(dir, List.of("-cp", classes + File.pathSeparator + System.getProperty("java.class.path"),
          name.group(1))), "docs/getting-started.md: " + name.group(1));
    }
    assertThat(dir.resolve("face.png")).exists();
  }
}
