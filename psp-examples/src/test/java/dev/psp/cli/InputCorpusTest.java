package dev.psp.cli;

import static dev.psp.cli.PspCliTest.psp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The malformed-input corpus through the CLI: the .npy inputs, latent codes and images of {@code
 * src/test/resources/corpus} (written by {@code src/test/python/make_input_corpus.py}, listed in its
 * {@code index.tsv} with the outcome each must get) and psp-api's malformed checkpoints. A refused
 * input gives exit code 1 or 2 and an error line that names the file and the problem, no stack trace,
 * and no output file; an accepted one gives a whole output. Every case and its message go to {@code
 * target/corpus-report.tsv}.
 */
class InputCorpusTest {
  private static final Path CORPUS = Path.of("src/test/resources/corpus");
  private static final Path FACE = Fixtures.path("families/inputs/input_0.png");

  @TempDir Path dir;

  /** One case of the report. */
  private record Outcome(String file, String command, int code, String message) {}

  @Test
  void everyCorpusFileGetsItsOutcomeAndOneLineThatNamesIt() throws Exception {
    List<String> lines = Files.readAllLines(CORPUS.resolve("index.tsv"));
    List<Outcome> report = new ArrayList<>();
    SoftAssertions soft = new SoftAssertions();
    int k = 0;
    for (String line : lines) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      Path input = CORPUS.resolve(f[0]);
      String command = f[1];
      boolean refused = f[2].equals("refused");
      Path out = dir.resolve("out" + k++);
      PspCliTest.Run r = switch (command) {
        case "translate-npy", "translate-image" -> psp("translate", "--model", "encode", "-i", input.toString(),
            "-o", out + (command.equals("translate-npy") ? ".npy" : ".png"));
        case "decode-npy" -> psp("decode", "--model", "encode", "-i", input.toString(), "-o", out + ".png");
        default -> throw new IllegalStateException("unknown command " + command + " in index.tsv");
      };
      String first = r.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
      report.add(new Outcome(f[0], command, r.code(), refused ? first : "ok"));
      if (refused) {
        soft.assertThat(r.code()).as("%s exit code; err: %s", f[0], r.err()).isIn(1, 2);
        soft.assertThat(first).as(f[0]).contains(input.getFileName().toString()).contains(f[3]);
        soft.assertThat(r.err()).as(f[0]).doesNotContain("\tat ").doesNotContain("Exception:");
        soft.assertThat(outputs(out)).as("%s left an output", f[0]).isEmpty();
      } else {
        soft.assertThat(r.code()).as("%s exit code; err: %s", f[0], r.err()).isZero();
        soft.assertThat(outputs(out)).as(f[0]).hasSize(1);
      }
    }
    try (Stream<Path> s = Files.list(Fixtures.root().resolveSibling("pt").resolve("malformed"))) {
      for (Path pt : s.sorted().toList()) {
        Path out = dir.resolve("out" + k++);
        PspCliTest.Run r = psp("translate", "-m", pt.toString(), "-i", FACE.toString(), "-o", out + ".png");
        String first = r.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("");
        report.add(new Outcome("pt/malformed/" + pt.getFileName(), "translate-model", r.code(), first));
        soft.assertThat(r.code()).as("%s exit code; err: %s", pt, r.err()).isIn(1, 2);
        soft.assertThat(first).as(pt.toString()).contains(pt.getFileName().toString());
        soft.assertThat(first.length()).as("%s: one line of reasonable length", pt).isLessThan(2000);
        soft.assertThat(r.err()).as(pt.toString()).doesNotContain("\tat ");
        soft.assertThat(outputs(out)).as("%s left an output", pt).isEmpty();
      }
    }
    StringBuilder tsv = new StringBuilder("file\tcommand\texit\tmessage\n");
    for (Outcome o : report) {
      tsv.append(o.file()).append('\t').append(o.command()).append('\t').append(o.code()).append('\t')
          .append(o.message().replace('\t', ' ')).append('\n');
    }
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/corpus-report.tsv"), tsv);
    assertThat(report).hasSizeGreaterThanOrEqualTo(60);
    soft.assertAll();
  }

  /**
   * Every corpus case as the CLI arguments that read it, on {@code engine}, writing under {@code out}:
   * the .npy, code and image cases, then each malformed checkpoint as the model.
   */
  static List<List<String>> commands(String engine, Path out) throws IOException {
    List<List<String>> all = new ArrayList<>();
    int k = 0;
    for (String line : Files.readAllLines(CORPUS.resolve("index.tsv"))) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      String input = CORPUS.resolve(f[0]).toString();
      String o = out.resolve("out" + k++).toString();
      all.add(f[1].equals("decode-npy")
          ? List.of("decode", "--engine", engine, "--model", "encode", "-i", input, "-o", o + ".png")
          : List.of("translate", "--engine", engine, "--model", "encode", "-i", input, "-o",
              o + (f[1].equals("translate-npy") ? ".npy" : ".png")));
    }
    try (Stream<Path> s = Files.list(Fixtures.root().resolveSibling("pt").resolve("malformed"))) {
      for (Path pt : s.sorted().toList()) {
        all.add(List.of("translate", "--engine", engine, "-m", pt.toString(), "-i", FACE.toString(), "-o",
            out.resolve("out" + k++) + ".png"));
      }
    }
    return all;
  }

  /**
   * The child JVM of {@link #theWholeCorpusThroughBothEnginesNeverCrashesTheJvm}: runs every case on
   * both engines and prints one line per case, then {@code done N}.
   */
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int n = 0;
    for (String engine : List.of("pytorch", "onnx")) {
      for (List<String> cmd : commands(engine, out.resolve(engine))) {
        java.io.StringWriter err = new java.io.StringWriter();
        int code = PspCli.run(cmd.toArray(String[]::new), new java.io.PrintWriter(java.io.Writer.nullWriter()),
            new java.io.PrintWriter(err, true));
        System.out.println(engine + "\t" + code + "\t" + cmd.get(cmd.indexOf("-i") + 1) + "\t"
            + err.toString().lines().findFirst().orElse(""));
        n++;
      }
    }
    System.out.println("done " + n);
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmHWM:")) {
        System.out.println("peak RSS " + l.replaceAll("\\D", "") + " kB");
      }
    }
  }

  @Test
  void theWholeCorpusThroughBothEnginesNeverCrashesTheJvm() throws Exception {
    // a native crash would kill the child (SIGSEGV, SIGABRT) instead of failing one call
    Path log = dir.resolve("child.log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-Dai.djl.offline=true", "-Dpsp.fixtures=" + Fixtures.root(), "-cp",
        System.getProperty("java.class.path"), InputCorpusTest.class.getName(), dir.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put(Relaunch.MARKER, "1");
    Process p = pb.start();
    boolean finished = p.waitFor(600, java.util.concurrent.TimeUnit.SECONDS);
    String text = Files.readString(log);
    if (!finished) {
      p.destroyForcibly();
    }
    assertThat(finished).as("finished in 600 s:%n%s", text).isTrue();
    assertThat(p.exitValue()).as("the child's exit code (134 or 139 would be a native crash):%n%s", text).isZero();
    int cases = commands("pytorch", dir).size();
    assertThat(text).contains("done " + 2 * cases);
    java.util.regex.Matcher rss = java.util.regex.Pattern.compile("peak RSS (\\d+) kB").matcher(text);
    if (rss.find()) { // Linux: the whole child, both engines and their models included
      assertThat(Long.parseLong(rss.group(1))).as("peak RSS in kB").isLessThan(1L << 20);
      Files.writeString(Path.of("target/corpus-child-rss.txt"), rss.group(0) + "\n");
    }
    assertThat(text.lines().filter(l -> l.startsWith("onnx\t") || l.startsWith("pytorch\t"))
        .filter(l -> !l.split("\t")[1].matches("[012]"))).as("exit codes other than 0, 1, 2").isEmpty();
  }

  /** The files a run wrote at or next to {@code base} (its .png, .npy or folder). */
  private static List<Path> outputs(Path base) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> s = Files.list(base.getParent())) {
      s.filter(p -> p.getFileName().toString().startsWith(base.getFileName().toString() + ".")
          || p.getFileName().toString().equals(base.getFileName().toString())
          || p.getFileName().toString().startsWith("." + base.getFileName() + ".")).forEach(found::add);
    }
    return found;
  }
}
