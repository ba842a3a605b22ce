package dev.psp.cli;

import dev.psp.spark.PspSparkJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code psp spark}: the psp-spark job ({@link PspSparkJob}) in local mode or against a master, with
 * its own options ({@code psp spark --help}); Spark's jars come from {@code spark-jars/} beside
 * {@code psp.jar}, {@code --spark-jars}, {@code PSP_SPARK_JARS} or {@code SPARK_HOME}.
 */
@Command(name = "spark", description = "Translate or encode a folder with Apache Spark (local mode or a cluster); "
    + "restartable, codes as Parquet. 'psp spark --help' lists its options.")
final class SparkCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Unmatched List<String> args = new ArrayList<>();

  @Override
  public Integer call() {
    return PspSparkJob.run(args.toArray(new String[0]), spec.commandLine().getOut(), spec.commandLine().getErr());
  }
}
