package dev.psp.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.appender.ConsoleAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;

/**
 * Local mode's logging when the user configured none: Spark's log at WARN and DJL's at ERROR (through SLF4J),
 * one line per record on standard error, instead of Spark's INFO default. {@code --verbose} or a
 * {@code log4j2.configurationFile} keeps Spark's own behaviour.
 */
final class QuietLog {
  private QuietLog() {}

  static void apply() {
    ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
    b.setStatusLevel(Level.ERROR);
    b.setConfigurationName("psp-spark local");
    AppenderComponentBuilder console = b.newAppender("stderr", "Console")
        .addAttribute("target", ConsoleAppender.Target.SYSTEM_ERR);
    console.add(b.newLayout("PatternLayout").addAttribute("pattern", "%level %c{1}: %m%n"));
    b.add(console);
    b.add(b.newRootLogger(Level.WARN).add(b.newAppenderRef("stderr")));
    // DJL's start-up notes (no GPU on a CPU machine, ...), as the psp command's simplelogger.properties does
    b.add(b.newLogger("ai.djl", Level.ERROR));
    // notes that say nothing in local mode, which binds to 127.0.0.1 and needs no native Hadoop
    b.add(b.newLogger("org.apache.spark.util.Utils", Level.ERROR));
    b.add(b.newLogger("org.apache.hadoop.util.NativeCodeLoader", Level.ERROR));
    Configurator.reconfigure(b.build());
  }
}
