package dev.psp.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar psp-spark.jar} in local mode as a user runs it: a plain JVM without Spark on its class
 * path, without Spark's JVM options and without the malloc settings, so the launcher starts the job in
 * a child JVM with Spark's jars from {@code target/spark-jars}.
 */
class PspSparkJarIT {
  private static Path jar() {
    Path jar = Path.of(System.getProperty("psp.spark.jar", "target/psp-spark.jar"));
    assertThat(jar).as("mvn package builds it before the integration tests").isRegularFile();
    return jar;
  }

  static ProcessBuilder java(Path dir, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Duser.home=" + System.getProperty("user.home"));
    cmd.add("-DENGINE_CACHE_DIR=" + System.getProperty("ENGINE_CACHE_DIR", System.getProperty("user.home") + "/.djl.ai"));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("log.txt").toFile());
    dev.psp.internal.NativeAllocator.SETTINGS.keySet().forEach(pb.environment()::remove);
    pb.environment().remove(Launcher.MARKER);
    return pb;
  }

  static String run(ProcessBuilder pb, int expected) throws Exception {
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    String log = Files.readString(pb.directory().toPath().resolve("log.txt"));
    assertThat(p.exitValue()).as(log).isEqualTo(expected);
    return log;
  }

  @Test
  void theJarRunsLocalModeWithoutSparkOnItsClassPath(@TempDir Path dir) throws Exception {
    SparkTesting.writeFaces(dir.resolve("in"), 0, 12);
    String log = run(java(dir, List.of("-jar", jar().toAbsolutePath().toString(), "--master", "local[2]",
        "--input", "in", "--output", "out", "--model", "encode", "--codes")), 0);
    assertThat(log).contains("12 images, 12 codes, 0 errors", "models loaded: 1");
    assertThat(OutputStoreTest.names(dir.resolve("out/images"))).hasSize(12);
    PspSparkJobTest.assertNoTemporaryFiles(dir.resolve("out"));
  }

  @Test
  void helpNeedsNoSpark(@TempDir Path dir) throws Exception {
    String log = run(java(dir, List.of("-jar", jar().toAbsolutePath().toString(), "--help")), 0);
    assertThat(log).contains("Usage: spark", "--inference-slots");
  }
}
