package dev.psp.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code psp} command-line app: translate, encode, decode, mix, interpolate, inspect pSp
 * models, export them to ONNX, run the demo, and train pSp and StyleGAN2. Exit codes: 0 success,
 * 1 runtime failure, 2 bad usage. Errors are one line; {@code --verbose} adds the stack trace.
 */
@Command(name = "psp", mixinStandardHelpOptions = true, versionProvider = PspCli.Version.class,
    description = "pixel2style2pixel (pSp) for Java: image-to-image translation with official checkpoints.",
    subcommands = {AlignCommand.class, BenchAlignCommand.class, TranslateCommand.class, ServeCommand.class, SparkCommand.class, EncodeCommand.class, DecodeCommand.class, MixCommand.class,
        InterpolateCommand.class, EditCommand.class, LearnDirectionCommand.class, InfoCommand.class, ExportCommand.class, BenchCommand.class,
        DemoCommand.class, TrainCommand.class, StyleGanCommand.class, ParserCommand.class, FitCodesCommand.class,
        CommandLine.HelpCommand.class})
public final class PspCli {
  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Print stack traces of errors, and the native libraries' own warnings.")
  boolean verbose;

  /**
   * Runs the app and exits with its code. On Linux with glibc, a command that runs a model is run in
   * a child JVM with the native memory settings of {@link dev.psp.internal.NativeAllocator} unless the
   * environment has them already ({@link Relaunch}).
   */
  public static void main(String[] args) {
    java.util.Optional<java.util.List<String>> child = Relaunch.command(args, System.getenv(),
        dev.psp.internal.NativeAllocator.applies());
    if (child.isPresent()) {
      try {
        System.exit(Relaunch.run(child.get()));
      } catch (java.io.IOException e) {
        System.err.println("note: could not start a JVM with tuned native memory (" + e.getMessage()
            + "); running here. Set PSP_NATIVE_ALLOCATOR=system to skip this.");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        System.exit(130);
      }
    }
    // one-line log records ("INFO: loading ...") instead of java.util.logging's two-line default
    System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%n");
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the app with the given streams and returns the exit code (what tests call). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    PspCli app = new PspCli();
    CommandLine cl = new CommandLine(app);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionStrategy(parseResult -> {
      boolean set = app.verbose && System.getProperty("psp.native.warnings") == null;
      if (set) {
        System.setProperty("psp.native.warnings", "true"); // libtorch's own warnings, if it starts in this run
      }
      try {
        return new CommandLine.RunLast().execute(parseResult);
      } finally {
        if (set) {
          System.clearProperty("psp.native.warnings");
        }
      }
    });
    cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? 2 : 1);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e; // from lazily read batches
      if (t instanceof UsageException) {
        commandLine.getErr().println("error: " + t.getMessage());
        commandLine.getErr().println("Try 'psp " + commandLine.getCommandName() + " --help'.");
        return 2;
      }
      commandLine.getErr().println("error: " + oneLine(t));
      if (app.verbose) {
        t.printStackTrace(commandLine.getErr());
      }
      return 1;
    });
    cl.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println("error: " + e.getMessage());
      e.getCommandLine().getErr().println("Try 'psp " + e.getCommandLine().getCommandName() + " --help'.");
      return 2;
    });
    try {
      return cl.execute(args);
    } catch (StackOverflowError e) {
      err.println("error: the input is nested too deeply to process (stack overflow)"
          + (app.verbose ? "" : "; --verbose shows where"));
      if (app.verbose) {
        e.printStackTrace(err);
      }
      return 1;
    } catch (OutOfMemoryError e) {
      err.println("error: out of memory (" + oneLine(e) + "); give the JVM more heap (-Xmx), or use smaller"
          + " batches or inputs");
      return 1;
    }
  }

  /**
   * The message of an exception, with its type where the message alone would be unclear; a missing
   * or unreadable file is named with what is wrong with it (their messages are the bare path).
   */
  static String oneLine(Throwable t) {
    if (t instanceof java.nio.file.NoSuchFileException f && f.getReason() == null) {
      return f.getFile() + " does not exist";
    }
    if (t instanceof java.nio.file.AccessDeniedException f && f.getReason() == null) {
      return f.getFile() + ": permission denied";
    }
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      m = t.getClass().getSimpleName();
    }
    return m.replace('\n', ' ').replaceAll("\\s+", " ");
  }

  /** Bad arguments found after parsing (exit code 2). */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  /** The SDK version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PspCli.class.getPackage().getImplementationVersion();
      return new String[] {"psp " + (v == null ? "development build" : v)};
    }
  }
}
