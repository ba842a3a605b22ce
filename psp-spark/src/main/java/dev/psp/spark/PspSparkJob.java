package dev.psp.spark;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The runnable job: translates and/or encodes every image of a folder on a Spark cluster, or in local
 * mode, into {@code <output>/images/<name>.png}, {@code <output>/codes/part-*.parquet} (one row per input:
 * path, code, model, seed, SDK version) and {@code <output>/errors/part-*.parquet} (inputs that failed,
 * with the reason). Files appear whole (written under a hidden name, then renamed), and a run that was
 * killed and is started again skips the inputs whose outputs exist, so the final output set is that of
 * one uninterrupted run.
 *
 * <pre>
 * spark-submit --class dev.psp.spark.PspSparkJob psp-spark/target/psp-spark.jar --input DIR --output DIR --model encode --codes
 * java -jar psp-spark/target/psp-spark.jar --master 'local[2]' --input DIR --output DIR --model encode --codes
 * </pre>
 *
 * <p>Without Spark on the class path, or without the JVM options Spark needs on Java 17, the job starts
 * itself again in a child JVM that has them (Spark's jars from {@code --spark-jars}, {@code SPARK_HOME} or
 * the {@code spark-jars} folder beside the jar); see docs/spark.md. Exit codes as the {@code psp}
 * command: 0 success (inputs that failed are listed in {@code errors/}, and do not change it), 1 failure,
 * 2 bad usage.
 */
public final class PspSparkJob {
  private PspSparkJob() {}

  /** Runs the job and exits with its code; the child JVM, if one is needed, shares this one's streams. */
  public static void main(String[] args) {
    System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), true));
  }

  /**
   * Runs the job with the given streams and returns the exit code: the entry point of {@code psp spark}.
   * A child JVM's output is copied to {@code out} and {@code err}.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return execute(args, out, err, false);
  }

  private static int execute(String[] args, PrintWriter out, PrintWriter err, boolean inheritStreams) {
    JobCommand command = new JobCommand(args, inheritStreams);
    CommandLine cl = new CommandLine(command);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? 2 : 1);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof JobCommand.UsageException) {
        commandLine.getErr().println("error: " + e.getMessage());
        commandLine.getErr().println("Try '" + commandLine.getCommandName() + " --help'.");
        return 2;
      }
      commandLine.getErr().println("error: " + BatchTranslator.oneLine(e));
      if (command.verbose) {
        e.printStackTrace(commandLine.getErr());
      }
      return 1;
    });
    cl.setParameterExceptionHandler((e, a) -> {
      e.getCommandLine().getErr().println("error: " + e.getMessage());
      e.getCommandLine().getErr().println("Try '" + e.getCommandLine().getCommandName() + " --help'.");
      return 2;
    });
    return cl.execute(args);
  }
}
