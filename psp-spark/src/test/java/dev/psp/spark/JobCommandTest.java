package dev.psp.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Usage errors and help: exit codes and one-line messages, before any Spark session starts. */
class JobCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return PspSparkJob.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void helpListsTheOptions() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("--master", "--input", "--output", "--model", "--codes", "--batch-size",
        "--inference-slots", "--threads", "--align");
  }

  @Test
  void versionNamesTheSdk() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("psp-spark ");
  }

  @Test
  void missingRequiredOptionsAreUsageErrors() {
    assertThat(run("--input", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required options", "--output", "--model");
  }

  @Test
  void combinationsThatWriteNothingOrCannotWorkAreUsageErrors() {
    assertThat(run("-i", "x", "-o", "y", "-m", "encode", "--no-images")).isEqualTo(2);
    assertThat(err.toString()).contains("error: --no-images needs --codes");
    assertThat(run("-i", "x", "-o", "y", "-m", "encode", "--align", "--face", "all")).isEqualTo(2);
    assertThat(err.toString()).contains("'all' gives several outputs per input");
    assertThat(run("-i", "x", "-o", "y", "-m", "encode", "--batch-size", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("batch size must be >= 1, got 0");
    assertThat(run("-i", "x", "-o", "y", "-m", "encode", "--face", "largest")).isEqualTo(2);
    assertThat(err.toString()).contains("--align only");
    assertThat(run("-i", "x", "-o", "y", "-m", "encode", "--task", "painting")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown task 'painting'");
  }
}
