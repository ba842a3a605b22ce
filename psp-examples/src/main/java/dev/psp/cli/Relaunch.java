package dev.psp.cli;

import dev.psp.internal.NativeAllocator;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the {@code psp} command again in a child JVM whose environment has the malloc settings of
 * {@link NativeAllocator} (glibc reads them only at process start), when a command that runs a model
 * was started without them. The child inherits stdin, stdout and stderr; the parent waits and exits
 * with the child's code, and kills the child if it is itself terminated. {@code psp.native.allocator=
 * system} ({@code PSP_NATIVE_ALLOCATOR}) turns this off.
 */
final class Relaunch {
  /** Set in the child's environment, so it never relaunches again. */
  static final String MARKER = "PSP_RELAUNCHED";
  /** Commands that load no native engine: not worth a second JVM. */
  private static final Set<String> LIGHT = Set.of("info", "export", "align", "bench-align", "spark", "help", "--help", "-h", "--version", "-V");

  private Relaunch() {}

  /** The child's command line, or empty when this process should run the command itself. */
  static Optional<List<String>> command(String[] args, Map<String, String> env, boolean allocatorApplies) {
    boolean wanted;
    try {
      wanted = NativeAllocator.wanted();
    } catch (IllegalArgumentException e) {
      wanted = false; // the engine reports the bad setting itself
    }
    return command(args, env, allocatorApplies, wanted);
  }

  /** The child's command line given whether the settings apply here and are wanted. */
  static Optional<List<String>> command(String[] args, Map<String, String> env, boolean allocatorApplies,
      boolean wanted) {
    if (!allocatorApplies || !wanted || env.containsKey(MARKER) || NativeAllocator.isTuned(env) || args.length == 0
        || LIGHT.contains(firstCommand(args)) || List.of(args).contains("--list-options")) {
      return Optional.empty();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PspCli.class.getName());
    cmd.addAll(List.of(args));
    return Optional.of(cmd);
  }

  private static String firstCommand(String[] args) {
    for (String a : args) {
      if (!a.equals("--verbose")) {
        return a;
      }
    }
    return "";
  }

  /** Runs the command in a child JVM with the settings and returns its exit code. */
  static int run(List<String> command) throws java.io.IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    NativeAllocator.SETTINGS.forEach(pb.environment()::putIfAbsent); // the user's own values win
    pb.environment().put(MARKER, "1");
    Process child = pb.start();
    Thread killer = new Thread(child::destroy, "psp-relaunch-stop");
    Runtime.getRuntime().addShutdownHook(killer);
    try {
      return child.waitFor();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already
      }
    }
  }
}
