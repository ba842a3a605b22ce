package dev.psp.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.internal.NativeAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherTest {
  @Test
  void theTestJvmHasEveryOptionSparkAsksForSoNoChildIsStarted() {
    List<String> spark = Launcher.moduleOptions(Optional.empty());
    assertThat(spark).contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
    assertThat(Launcher.sparkOnClassPath()).isTrue();
    // fails when a Spark upgrade adds an option that psp.spark.moduleOptions of the pom lacks
    assertThat(Launcher.modulesOpen(spark)).as("the surefire argLine opens what Spark lists").isTrue();
    Map<String, String> tuned = new HashMap<>(NativeAllocator.SETTINGS);
    assertThat(Launcher.childCommand(List.of("--input", "x"), Optional.empty(), tuned)).isEmpty();
  }

  @Test
  void aJvmWithoutTheMallocSettingsStartsAChildWithTheSameArguments() {
    Optional<List<String>> child = Launcher.childCommand(List.of("--input", "x"), Optional.empty(), Map.of());
    if (!NativeAllocator.applies()) {
      assertThat(child).isEmpty();
      return;
    }
    assertThat(child).isPresent();
    List<String> cmd = child.get();
    assertThat(cmd).containsSubsequence("-cp", System.getProperty("java.class.path"), PspSparkJob.class.getName(),
        "--input", "x");
    assertThat(cmd).containsAll(Launcher.moduleOptions(Optional.empty()));
  }

  @Test
  void aChildThatLacksOnlyTheMallocSettingsRunsTheJobItself() {
    assertThat(Launcher.childCommand(List.of(), Optional.empty(), Map.of(Launcher.MARKER, "1"))).isEmpty();
  }

  @Test
  void sparkJarsAreFoundInTheExplicitFolderFirst(@TempDir Path dir) throws Exception {
    assertThat(Launcher.sparkJars(Optional.of(dir), Map.of())).isEmpty();
    Files.createFile(dir.resolve("spark-sql_2.13-4.1.1.jar"));
    assertThat(Launcher.sparkJars(Optional.of(dir), Map.of())).contains(dir);
    Path home = Files.createDirectories(dir.resolve("home/jars"));
    Files.createFile(home.resolve("spark-sql_2.13-4.1.1.jar"));
    assertThat(Launcher.sparkJars(Optional.empty(), Map.of("SPARK_HOME", home.getParent().toString())))
        .contains(home);
  }

  @Test
  void packagesOfTheOptions() {
    assertThat(Launcher.openedPackages(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "-Dx=y",
        "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED"))).containsExactly("java.nio");
  }

  @Test
  void theMessageWithoutSparkSaysWhereToGetIt() {
    assertThat(Launcher.noSparkMessage()).contains("SPARK_HOME", "--spark-jars", "spark-submit",
        "mvn -pl psp-spark package");
  }
}
