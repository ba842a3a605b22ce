package dev.psp.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * libtorch's own warnings (written to the process's stderr, which Java cannot capture in-process)
 * are dropped by default and kept with {@code psp.native.warnings=true}: checked in child JVMs that
 * start the engine and call an op libtorch warns about.
 */
class NativeWarningsTest {

  /** Starts the engine and triggers a libtorch warning ({@code stft} with {@code return_complex=false}). */
  public static void main(String[] args) {
    PyTorchEngine.instance();
    System.out.println("log level " + NativeLog.current().orElse(-1));
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.ones(new Shape(64));
      x.stft(16, 4, true, m.ones(new Shape(16)), false).close();
    }
    System.out.println("done");
  }

  private static String[] run(String... properties) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(List.of(properties));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(NativeWarningsTest.class.getName());
    Path outFile = Files.createTempFile("psp-native-warnings", ".out");
    Path errFile = Files.createTempFile("psp-native-warnings", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
    try {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
      String out = Files.readString(outFile, StandardCharsets.UTF_8);
      String err = Files.readString(errFile, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as("exit code; stderr: %s", err).isZero();
      return new String[] {out, err};
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(outFile);
      Files.deleteIfExists(errFile);
    }
  }

  @Test
  void libtorchWarningsAreDroppedByDefaultAndShownOnRequest() throws Exception {
    String[] quiet = run();
    assertThat(quiet[0]).contains("log level 2", "done");
    assertThat(quiet[1]).doesNotContain("stft");
    String[] loud = run("-Dpsp.native.warnings=true");
    assertThat(loud[0]).contains("log level 1", "done");
    assertThat(loud[1]).contains("Warning: stft with return_complex=False is deprecated");
  }
}
