package dev.psp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.internal.NativeAllocator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the {@code psp} command runs itself again with the native allocator settings, and how. */
class RelaunchTest {

  @Test
  void aModelCommandWithoutTheSettingsRunsAgainInAChildJvmWithTheSameArguments() {
    Optional<List<String>> cmd = Relaunch.command(new String[] {"--verbose", "translate", "-m", "x.pt"},
        Map.of("PATH", "/bin"), true, true);
    assertThat(cmd).isPresent();
    List<String> c = cmd.get();
    assertThat(c.get(0)).endsWith("java");
    assertThat(c).containsSubsequence("-cp", System.getProperty("java.class.path"), PspCli.class.getName(),
        "--verbose", "translate", "-m", "x.pt");
  }

  @Test
  void noRelaunchWhenTheSettingsArePresentInTheChildForLightCommandsOrWhereGlibcIsAbsent() {
    Map<String, String> tuned = new HashMap<>(NativeAllocator.SETTINGS);
    String[] translate = {"translate", "-m", "x.pt"};
    assertThat(Relaunch.command(translate, tuned, true, true)).isEmpty();
    assertThat(Relaunch.command(translate, Map.of(Relaunch.MARKER, "1"), true, true)).isEmpty();
    assertThat(Relaunch.command(translate, Map.of(), false, true)).isEmpty();
    assertThat(Relaunch.command(translate, Map.of(), true, false)).isEmpty();
    assertThat(Relaunch.command(new String[] {"info", "-m", "x.pt"}, Map.of(), true, true)).isEmpty();
    assertThat(Relaunch.command(new String[] {"export", "-m", "x.pt"}, Map.of(), true, true)).isEmpty();
    assertThat(Relaunch.command(new String[] {"train", "--list-options"}, Map.of(), true, true)).isEmpty();
    assertThat(Relaunch.command(new String[] {"--help"}, Map.of(), true, true)).isEmpty();
    assertThat(Relaunch.command(new String[0], Map.of(), true, true)).isEmpty();
  }

  @Test
  void theSystemSettingTurnsRelaunchingOff() {
    System.setProperty("psp.native.allocator", "system");
    try {
      assertThat(Relaunch.command(new String[] {"translate"}, Map.of(), true)).isEmpty();
    } finally {
      System.clearProperty("psp.native.allocator");
    }
    System.setProperty("psp.native.allocator", "tuned");
    try {
      assertThat(Relaunch.command(new String[] {"translate"}, Map.of(), true)).isPresent();
    } finally {
      System.clearProperty("psp.native.allocator");
    }
  }

  @Test
  void benchReportsTheAllocatorItRunsWith() {
    assertThat(BenchCommand.machine()).startsWith("cpu: ").contains("cores, avx512: ").contains("native allocator: ");
  }
}
