package dev.psp.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.OutputSize;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.synthetic.SyntheticFaces;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PspSparkJob} in local[2] mode on the bundled demo model and 200 synthetic faces (plus an
 * unreadable file, a truncated PNG, and a JPEG whose name collides with a PNG's): outputs equal to the
 * library's, codes readable back into {@link LatentCode}, one model load per JVM, and a run killed
 * halfway that, started again, ends with the same outputs as one uninterrupted run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PspSparkJobTest {
  static final int FACES = 200;
  /** Inputs that fail: an unreadable file and a truncated PNG. */
  static final Set<String> BROKEN = Set.of("broken.png", "truncated.png");

  private Path work;
  private Path input;
  private Path clean;
  private String cleanLog;
  private int loadsOfTheCleanRun;
  private PspModel library;

  @BeforeAll
  void runTheJobOnceUninterrupted(@TempDir Path dir) throws Exception {
    work = dir;
    input = dir.resolve("in");
    SparkTesting.writeFaces(input, 0, FACES);
    // face0000.jpg collides with face0000.png: both get the name face0000-<8 hex digits of SHA-256(path)>
    SparkTesting.write(SyntheticFaces.pair(TranslationTask.INVERSION, SparkTesting.SEED, 1000, 256).source(),
        input.resolve("face0000.jpg"), "jpg");
    Files.writeString(input.resolve("broken.png"), "not an image");
    byte[] png = Files.readAllBytes(input.resolve("face0001.png"));
    Files.write(input.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 3));
    SparkTesting.spark();
    clean = dir.resolve("clean");
    int before = PspSpark.modelsLoadedInThisJvm();
    cleanLog = runJob(0, "--master", "local[2]", "--input", input.toString(), "--output", clean.toString(),
        "--model", "encode", "--codes", "--partitions", "8");
    loadsOfTheCleanRun = PspSpark.modelsLoadedInThisJvm() - before;
    library = Psp.load("encode");
  }

  @AfterAll
  void close() {
    if (library != null) {
      library.close();
    }
  }

  /** Runs the job in this JVM (it joins the tests' Spark session) and returns its output. */
  static String runJob(int expectedExitCode, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = PspSparkJob.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(rc).as("exit code; output:\n%s\nerrors:\n%s", out, err).isEqualTo(expectedExitCode);
    return out + err.toString();
  }

  /** The inputs that succeed, by output name. */
  private Map<String, Path> goodInputs() throws IOException {
    Map<String, Path> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(input)) {
      for (Path p : s.sorted().toList()) {
        String file = p.getFileName().toString();
        if (BROKEN.contains(file)) {
          continue;
        }
        String name = file.startsWith("face0000.") ? Names.disambiguated(p.toUri().toString().replace("file:///", "file:/"))
            : Names.stem(file);
        out.put(name, p);
      }
    }
    return out;
  }

  @Test
  void everyGoodInputHasAnImageNamedAfterItAndNothingElseIsWritten() throws IOException {
    Set<String> expected = new HashSet<>();
    goodInputs().keySet().forEach(n -> expected.add(n + ".png"));
    assertThat(expected).hasSize(FACES + 1);
    assertThat(Set.copyOf(OutputStoreTest.names(clean.resolve("images")))).isEqualTo(expected);
    assertThat(cleanLog).contains("203 inputs in", "0 done already", "201 images, 201 codes, 2 errors");
    assertNoTemporaryFiles(clean);
  }

  @Test
  void imagesEqualTheLibrarysTranslationOfTheSameInputs() throws IOException {
    List<Map.Entry<String, Path>> inputs = new ArrayList<>(goodInputs().entrySet());
    int maxDiff = 0;
    long differing = 0;
    long pixels = 0;
    for (int from = 0; from < inputs.size(); from += 8) {
      List<Map.Entry<String, Path>> batch = inputs.subList(from, Math.min(inputs.size(), from + 8));
      List<BufferedImage> images = new ArrayList<>();
      for (Map.Entry<String, Path> e : batch) {
        images.add(ImageIO.read(e.getValue().toFile()));
      }
      List<BufferedImage> expected = library.translate(images, Noise.fixed(), OutputSize.FULL);
      for (int k = 0; k < batch.size(); k++) {
        BufferedImage actual = ImageIO.read(clean.resolve("images").resolve(batch.get(k).getKey() + ".png").toFile());
        BufferedImage want = expected.get(k);
        assertThat(actual.getWidth()).isEqualTo(want.getWidth()).isEqualTo(128);
        for (int y = 0; y < want.getHeight(); y++) {
          for (int x = 0; x < want.getWidth(); x++) {
            int a = actual.getRGB(x, y);
            int b = want.getRGB(x, y);
            for (int shift = 0; shift < 24; shift += 8) {
              int d = Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff));
              maxDiff = Math.max(maxDiff, d);
              differing += d > 0 ? 1 : 0;
              pixels++;
            }
          }
        }
      }
    }
    System.out.printf("psp-spark images vs library: %d of %d values differ, max difference %d%n", differing, pixels,
        maxDiff);
    assertThat(maxDiff).as("largest difference of an 8-bit value").isLessThanOrEqualTo(1);
    assertThat(differing).as("values that differ by one level").isLessThanOrEqualTo(pixels / 1000);
  }

  @Test
  void codesAreParquetRowsThatReadBackIntoTheLibrarysLatentCodes() throws IOException {
    SparkSession spark = SparkTesting.spark();
    List<Row> rows = spark.read().parquet(clean.resolve("codes").toString()).collectAsList();
    assertThat(rows).hasSize(FACES + 1);
    assertThat(spark.read().parquet(clean.resolve("codes").toString()).schema().fieldNames())
        .containsExactly(PspSpark.CODES_SCHEMA.fieldNames());
    Map<String, Path> inputs = goodInputs();
    double worst = 0;
    Set<String> paths = new HashSet<>();
    for (Row r : rows) {
      assertThat(paths.add(r.getAs("path"))).as("one row per input").isTrue();
      String name = r.getAs("name");
      assertThat(inputs).containsKey(name);
      assertThat((String) r.getAs("model")).isEqualTo("encode");
      assertThat((String) r.getAs("checkpoint")).isEqualTo("demo_inversion.pt");
      assertThat((String) r.getAs("engine")).isEqualTo("pytorch");
      assertThat(r.<Object>getAs("seed")).isNull();
      assertThat((String) r.getAs("sdk_version")).isEqualTo(PspSpark.sdkVersion()).isNotBlank();
      LatentCode code = PspSpark.toLatentCode(r);
      LatentCode want = library.encoder().encode(ImageIO.read(inputs.get(name).toFile()));
      assertThat(code.nStyles()).isEqualTo(want.nStyles());
      assertThat(code.dim()).isEqualTo(want.dim());
      float[] a = code.values();
      float[] b = want.values();
      for (int i = 0; i < a.length; i++) {
        worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
      }
    }
    System.out.printf("psp-spark codes vs library: largest relative difference %.3g%n", worst);
    assertThat(worst).isLessThan(1e-5);
  }

  @Test
  void unreadableFilesAreRowsOfTheErrorsTableAndFailNothingElse() {
    List<Row> errors = SparkTesting.spark().read().parquet(clean.resolve("errors").toString()).collectAsList();
    Map<String, String> byName = new HashMap<>();
    for (Row r : errors) {
      byName.put(r.getAs("name"), r.getAs("error"));
    }
    assertThat(byName).containsOnlyKeys("broken", "truncated");
    assertThat(byName.get("broken")).contains("broken.png is not an image of an accepted format");
    assertThat(cleanLog).contains("2 input(s) failed", "broken.png");
  }

  @Test
  void theModelIsLoadedOncePerExecutorJvm() {
    assertThat(loadsOfTheCleanRun).as("loads by the first job, 8 partitions on 2 task threads").isLessThanOrEqualTo(1);
    assertThat(cleanLog).contains("in 8 partitions", "models loaded: " + loadsOfTheCleanRun);
    String again = runJob(0, "--master", "local[2]", "--input", input.toString(), "--output",
        work.resolve("again, with spaces %20").toString(), "--model", "encode", "--partitions", "5");
    assertThat(again).contains("in 5 partitions", "models loaded: 0");
    assertThat(ExecutorModel.loadsInThisJvm(PspSparkOptions.of("encode").modelKey())).isEqualTo(1);
  }

  @Test
  void aSecondRunFindsEverythingDoneAndRewritesNothing() throws IOException {
    Path image = clean.resolve("images/face0100.png");
    FileTime before = Files.getLastModifiedTime(image);
    String log = runJob(0, "--master", "local[2]", "--input", input.toString(), "--output", clean.toString(),
        "--model", "encode", "--codes");
    assertThat(log).contains("203 inputs in", "203 done already", "nothing to do");
    assertThat(Files.getLastModifiedTime(image)).isEqualTo(before);
  }

  @Test
  void anOutputFolderOfOtherOptionsIsRefused() {
    String log = runJob(2, "--master", "local[2]", "--input", input.toString(), "--output", clean.toString(),
        "--model", "encode", "--resize");
    assertThat(log).contains("holds outputs made with", "use another --output");
    java.util.Properties manifest = new java.util.Properties();
    try (java.io.InputStream in = Files.newInputStream(clean.resolve("_psp-spark.properties"))) {
      manifest.load(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    // the file the name resolved to: the same name finds another file after a restart with other model folders
    assertThat(manifest.getProperty("model_file")).isEqualTo("demo_inversion.pt (bundled)");
  }

  @Test
  void aRunKilledHalfwayAndStartedAgainEndsWithTheOutputsOfAnUninterruptedRun() throws Exception {
    Path out = work.resolve("killed");
    String[] args = {"--master", "local[2]", "--input", input.toString(), "--output", out.toString(), "--model",
        "encode", "--codes", "--partitions", "10", "--batch-size", "4"};
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString()));
    cmd.addAll(Launcher.moduleOptions(Optional.empty()));
    cmd.addAll(List.of("-Xmx2g", "-Dai.djl.offline=true", "-Duser.home=" + System.getProperty("user.home"),
        "-DENGINE_CACHE_DIR=" + System.getProperty("ENGINE_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai"), "-cp",
        System.getProperty("java.class.path"), PspSparkJob.class.getName()));
    cmd.addAll(List.of(args));
    File log = work.resolve("killed.log").toFile();
    Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    int imagesAtKill;
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (true) {
        if (!child.isAlive()) {
          fail("the job ended (exit code " + child.exitValue() + ") before it was killed:\n" + Files.readString(log.toPath()));
        }
        int images = count(out.resolve("images"), ".png");
        if (images >= FACES / 4 && count(out.resolve("codes"), ".parquet") >= 1) {
          break;
        }
        if (System.nanoTime() > deadline) {
          fail("no outputs after 4 minutes:\n" + Files.readString(log.toPath()));
        }
        Thread.sleep(50);
      }
    } finally {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly();
      child.waitFor(1, TimeUnit.MINUTES);
    }
    imagesAtKill = count(out.resolve("images"), ".png");
    int codePartsAtKill = count(out.resolve("codes"), ".parquet");
    System.out.println("psp-spark kill test: killed with " + imagesAtKill + " images and " + codePartsAtKill
        + " codes parts written");
    assertThat(imagesAtKill).as("killed halfway").isLessThan(FACES + 1);

    String restarted = runJob(0, args);
    assertThat(restarted).containsPattern("203 inputs in .*, [1-9][0-9]* done already");

    // the same set of files, each whole, and no temporary file
    assertThat(OutputStoreTest.names(out.resolve("images"))).isEqualTo(OutputStoreTest.names(clean.resolve("images")));
    assertNoTemporaryFiles(out);
    // one code row per input, equal to the uninterrupted run's; the same errors, once each
    Map<String, LatentCode> codes = codesByPath(out);
    Map<String, LatentCode> cleanCodes = codesByPath(clean);
    assertThat(codes.keySet()).isEqualTo(cleanCodes.keySet());
    for (Map.Entry<String, LatentCode> e : codes.entrySet()) {
      float[] a = e.getValue().values();
      float[] b = cleanCodes.get(e.getKey()).values();
      for (int i = 0; i < a.length; i++) {
        assertThat(Math.abs(a[i] - b[i])).as(e.getKey()).isLessThanOrEqualTo(1e-5f * (1 + Math.abs(b[i])));
      }
    }
    List<Row> errors = SparkTesting.spark().read().parquet(out.resolve("errors").toString()).collectAsList();
    assertThat(errors.stream().map(r -> (String) r.getAs("name")).sorted().toList())
        .containsExactly("broken", "truncated");
  }

  private static Map<String, LatentCode> codesByPath(Path out) {
    Map<String, LatentCode> codes = new HashMap<>();
    for (Row r : SparkTesting.spark().read().parquet(out.resolve("codes").toString()).collectAsList()) {
      assertThat(codes.put(r.getAs("path"), PspSpark.toLatentCode(r))).as("duplicate row of %s", r.<Object>getAs("path"))
          .isNull();
    }
    return codes;
  }

  private static int count(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return (int) s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && n.endsWith(suffix)).count();
    }
  }

  static void assertNoTemporaryFiles(Path out) throws IOException {
    try (Stream<Path> s = Files.walk(out)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".partial") || n.startsWith("_temporary")
          || n.endsWith(".crc"))).isEmpty();
    }
  }
}
