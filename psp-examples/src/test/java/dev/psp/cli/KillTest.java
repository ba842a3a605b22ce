package dev.psp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.nn.Architecture;
import dev.psp.testing.Fixtures;
import dev.psp.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the middle of work, in a child JVM: a training run killed ten times at random moments
 * (checkpoints are written every step, so many kills land in a write) resumes to the loss curve of an
 * uninterrupted run and never leaves a checkpoint that does not read; a folder translation killed
 * halfway leaves only whole images, and {@code --skip-existing} finishes it.
 */
class KillTest {
  private static final Pattern STEP = Pattern.compile("\"split\":\"train\",\"step\":(\\d+)");
  private static final Pattern LOSS = Pattern.compile("\"loss\":([^,}]+)");

  @TempDir Path dir;

  private Process start(Path log, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
        "-cp", System.getProperty("java.class.path"), PspCli.class.getName()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(
        ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put(Relaunch.MARKER, "1"); // one JVM: the kill must reach the process doing the work
    pb.environment().put("OMP_NUM_THREADS", "1");
    return pb.start();
  }

  private void runToEnd(Path log, List<String> args) throws Exception {
    Process p = start(log, args);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("finished in 300 s").isTrue();
    assertThat(p.exitValue()).as(Files.readString(log)).isZero();
  }

  private List<String> trainArgs(Path exp, Path gan) {
    return List.of("train", "--exp-dir", exp.toString(), "--synthetic", "8",
        "-s", "dataset_type=celebs_sketch_to_face", "-s", "input_nc=1", "-s", "label_nc=1",
        "-s", "output_size=16", "-s", "sdk_width_divisor=16", "-s", "sdk_body_units=[1,1,1,1]",
        "-s", "sdk_n_mlp=2", "-s", "stylegan_weights=" + gan, "-s", "start_from_latent_avg=true",
        "-s", "batch_size=2", "-s", "test_batch_size=2", "-s", "lpips_lambda=0", "-s", "max_steps=60",
        "-s", "save_interval=1", "-s", "val_interval=10", "-s", "board_interval=1", "-s", "image_interval=1000");
  }

  private static Map<Long, String> losses(Path exp) throws IOException {
    Map<Long, String> m = new TreeMap<>();
    for (String line : Files.readAllLines(exp.resolve("logs/train.jsonl"))) {
      Matcher step = STEP.matcher(line);
      Matcher loss = LOSS.matcher(line);
      if (step.find() && loss.find()) {
        assertThat(m.put(Long.parseLong(step.group(1)), loss.group(1))).as("step %s logged twice", step.group(1)).isNull();
      }
    }
    return m;
  }

  /** Checks every checkpoint of the run reads; returns how many interrupted temporary files lie beside them. */
  private static int everyCheckpointReads(Path exp) throws Exception {
    Path folder = exp.resolve("checkpoints");
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    int partial = 0;
    try (Stream<Path> s = Files.list(folder)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".pt")) {
          try (Checkpoint c = CheckpointReader.read(p)) {
            assertThat(c.stateDict()).as(name).isNotEmpty();
          }
        } else {
          assertThat(name).as("only checkpoints, the timestamp file and hidden temporary files")
              .matches("timestamp\\.txt|\\..*\\.partial");
          partial += name.endsWith(".partial") ? 1 : 0;
        }
      }
    }
    return partial;
  }

  @Test
  void trainingKilledTenTimesResumesToTheUninterruptedLossCurve() throws Exception {
    Path gan = TinyModels.writeStyleGan(dir.resolve("gan.pt"), 16, new Architecture(16, List.of(1, 1, 1, 1), 2), 3,
        null);
    Path straight = dir.resolve("straight");
    runToEnd(dir.resolve("straight.log"), trainArgs(straight, gan));
    Map<Long, String> expected = losses(straight);
    assertThat(expected).hasSize(61); // steps 0 to 60

    Path killed = dir.resolve("killed");
    Path log = dir.resolve("killed.log");
    Random random = new Random(20261202);
    Path latest = killed.resolve("checkpoints/latest.pt");
    int duringWrites = 0;
    int leftovers = 0;
    for (int trial = 0; trial < 10; trial++) {
      java.nio.file.attribute.FileTime before = Files.exists(latest) ? Files.getLastModifiedTime(latest) : null;
      Process p = start(log, trainArgs(killed, gan));
      // wait for this run's first checkpoint (progress), then kill at a random moment of the next steps:
      // a checkpoint is written every step, so some kills land in the middle of a write
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (p.isAlive() && System.nanoTime() < deadline
          && (!Files.exists(latest) || Files.getLastModifiedTime(latest).equals(before))) {
        Thread.sleep(5);
      }
      boolean finished = p.waitFor(random.nextInt(400), TimeUnit.MILLISECONDS);
      assertThat(finished).as("trial %d finished before its kill; output:%n%s", trial, Files.readString(log)).isFalse();
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      int now = everyCheckpointReads(killed);
      duringWrites += now > leftovers ? 1 : 0; // a new temporary file left: killed in the middle of a write
      leftovers = now;
    }
    System.out.println("KillTest: 10 kills, " + duringWrites + " of them during a checkpoint write");
    runToEnd(log, trainArgs(killed, gan));
    everyCheckpointReads(killed);
    assertThat(Files.readString(log)).contains("resuming at step");
    assertThat(losses(killed)).isEqualTo(expected);
  }

  @Test
  void aFolderTranslationKilledHalfwayLeavesWholeImagesAndSkipExistingFinishesIt() throws Exception {
    Path in = Files.createDirectories(dir.resolve("faces"));
    for (int i = 0; i < 400; i++) {
      Files.copy(Fixtures.path("families/inputs/input_" + (i % 2) + ".png"), in.resolve(String.format("f%03d.png", i)));
    }
    Path out = dir.resolve("out");
    Path log = dir.resolve("translate.log");
    List<String> args = List.of("translate", "--model", "encode", "--input", in.toString(), "--output", out.toString(),
        "--batch-size", "1");
    Process p = start(log, args);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (count(out) < 20 && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(20);
    }
    assertThat(p.isAlive()).as("still running after 20 outputs; output:%n%s", Files.readString(log)).isTrue();
    p.destroyForcibly();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    int written = count(out);
    assertThat(written).isBetween(20, 399);
    try (Stream<Path> s = Files.list(out)) {
      for (Path f : s.toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".png")) {
          assertThat(dev.psp.image.ImageFiles.read(f).getWidth()).as(name).isEqualTo(128);
        } else {
          assertThat(name).matches("\\..*\\.partial"); // a temporary file the kill interrupted; never an output name
        }
      }
    }
    runToEnd(log, List.of("translate", "--model", "encode", "--input", in.toString(), "--output", out.toString(),
        "--skip-existing"));
    assertThat(Files.readString(log)).contains("skipping " + written + " of 400 inputs whose outputs exist");
    assertThat(count(out)).isEqualTo(400);
    // the same input as f000, translated in a batch of 4 instead of 1: equal up to rounding
    PspCliTest.assertPixelsWithinOneLevel(ImageIO.read(out.resolve("f398.png").toFile()),
        ImageIO.read(out.resolve("f000.png").toFile()));
    assertThat(ImageIO.read(out.resolve("f399.png").toFile())).isNotNull();
  }

  private static int count(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(out)) {
      return (int) s.filter(f -> f.getFileName().toString().endsWith(".png")).count();
    }
  }
}
