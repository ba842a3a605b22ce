package dev.psp.spark;

import dev.psp.internal.NativeAllocator;
import dev.psp.internal.Settings;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Starts the job in a child JVM when this one cannot run Spark well: Spark's classes are missing (the
 * {@code psp} command and {@code java -jar psp-spark.jar} ship without them), the JVM lacks the module
 * options Spark needs on Java 17 ({@code --add-opens ...}, which only a JVM's command line can give), or,
 * on Linux with glibc, the process lacks the malloc settings of {@link NativeAllocator}. The child gets
 * the same JVM arguments plus what was missing, and Spark's jars on its class path. Not API.
 */
final class Launcher {
  /** Set in the child's environment: a child never starts another one. */
  static final String MARKER = "PSP_SPARK_RELAUNCHED";
  /** The class whose presence means Spark is on the class path. */
  static final String SPARK_CLASS = "org.apache.spark.sql.SparkSession";
  /** Where {@code mvn package} of psp-spark copies Spark, beside {@code psp-spark.jar}. */
  static final String BUNDLED_FOLDER = "spark-jars";

  private Launcher() {}

  /** True when Spark's classes can be loaded here. */
  static boolean sparkOnClassPath() {
    try {
      Class.forName(SPARK_CLASS, false, Launcher.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** True when every {@code --add-opens java.base/<pkg>} of {@code options} is in effect for the class path. */
  static boolean modulesOpen(List<String> options) {
    Module unnamed = Launcher.class.getClassLoader().getUnnamedModule();
    for (String pkg : openedPackages(options)) {
      if (!Object.class.getModule().isOpen(pkg, unnamed)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The folder of Spark's jars for a JVM that lacks them: {@code explicit} ({@code --spark-jars}), then
   * {@code psp.spark.jars} / {@code PSP_SPARK_JARS}, then {@code $SPARK_HOME/jars}, then the
   * {@value #BUNDLED_FOLDER} folder beside the jar this class came from.
   */
  static Optional<Path> sparkJars(Optional<Path> explicit, Map<String, String> env) {
    List<Path> candidates = new ArrayList<>();
    explicit.ifPresent(candidates::add);
    Settings.get("spark.jars").map(Path::of).ifPresent(candidates::add);
    Optional.ofNullable(env.get("SPARK_HOME")).filter(s -> !s.isBlank()).map(s -> Path.of(s, "jars"))
        .ifPresent(candidates::add);
    ownJar().map(j -> j.resolveSibling(BUNDLED_FOLDER)).ifPresent(candidates::add);
    for (Path c : candidates) {
      if (hasSpark(c)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The message when Spark is nowhere. */
  static String noSparkMessage() {
    return "Apache Spark 4.1 (Scala 2.13) is not on the class path: set SPARK_HOME to an unpacked Spark, give "
        + "--spark-jars <folder of Spark's jars> (or PSP_SPARK_JARS), or build psp-spark (mvn -pl psp-spark package "
        + "puts Spark's jars in psp-spark/target/" + BUNDLED_FOLDER + "); on a cluster, run psp-spark.jar with "
        + "spark-submit";
  }

  private static boolean hasSpark(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith("spark-sql_"));
    } catch (IOException e) {
      return false;
    }
  }

  /** The jar this class was loaded from, if it came from a jar. */
  static Optional<Path> ownJar() {
    try {
      java.security.CodeSource cs = Launcher.class.getProtectionDomain().getCodeSource();
      if (cs == null || cs.getLocation() == null) {
        return Optional.empty();
      }
      Path p = Path.of(cs.getLocation().toURI());
      return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Spark's own list of JVM options for Java 17 ({@code org.apache.spark.launcher.JavaModuleOptions}),
   * read from this class path or from the jars in {@code sparkJars}.
   */
  static List<String> moduleOptions(Optional<Path> sparkJars) {
    ClassLoader loader = Launcher.class.getClassLoader();
    URLClassLoader own = null;
    try {
      if (sparkJars.isPresent()) {
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> s = Files.list(sparkJars.get())) {
          for (Path p : s.filter(p -> p.getFileName().toString().startsWith("spark-launcher")).toList()) {
            urls.add(p.toUri().toURL());
          }
        }
        own = new URLClassLoader(urls.toArray(new URL[0]), null);
        loader = own;
      }
      Class<?> c = Class.forName("org.apache.spark.launcher.JavaModuleOptions", true, loader);
      return List.of((String[]) c.getMethod("defaultModuleOptionArray").invoke(null));
    } catch (ReflectiveOperationException | IOException | LinkageError e) {
      throw new IllegalStateException("cannot read Spark's JVM options (org.apache.spark.launcher.JavaModuleOptions)"
          + " from " + sparkJars.map(Path::toString).orElse("the class path") + ": " + e, e);
    } finally {
      if (own != null) {
        try {
          own.close();
        } catch (IOException e) {
          // nothing was opened for writing
        }
      }
    }
  }

  /**
   * The child JVM's command line, or empty when this JVM runs the job itself.
   *
   * @throws IllegalStateException when Spark is nowhere, or a child was started already and still lacks it
   */
  static Optional<List<String>> childCommand(List<String> args, Optional<Path> explicitSparkJars,
      Map<String, String> env) {
    boolean spark = sparkOnClassPath();
    Optional<Path> jars = spark ? Optional.empty() : sparkJars(explicitSparkJars, env);
    if (!spark && jars.isEmpty()) {
      throw new IllegalStateException(noSparkMessage());
    }
    List<String> options = moduleOptions(jars);
    boolean opens = spark && modulesOpen(options);
    boolean allocator = !wantsAllocator() || NativeAllocator.isTuned(env);
    if (spark && opens && allocator) {
      return Optional.empty();
    }
    if (env.containsKey(MARKER)) {
      if (!spark || !opens) {
        throw new IllegalStateException("the job's JVM still lacks " + (spark ? "Spark's JVM options " + options
            : "Spark's classes") + " after a relaunch; start it with spark-submit, or with java " + String.join(" ", options));
      }
      return Optional.empty(); // the allocator settings are a speed-up only
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(options);
    cmd.add("-cp");
    // Spark's jars first, as spark-submit puts them: the application's own copies of shared libraries
    // (psp serve's Servlet 6 API in psp.jar, say) must not shadow the versions Spark was built with
    cmd.add(jars.map(j -> j.resolve("*") + File.pathSeparator).orElse("") + System.getProperty("java.class.path"));
    cmd.add(PspSparkJob.class.getName());
    cmd.addAll(args);
    return Optional.of(cmd);
  }

  private static boolean wantsAllocator() {
    try {
      return NativeAllocator.applies() && NativeAllocator.wanted();
    } catch (IllegalArgumentException e) {
      return false; // the engine reports the bad setting itself
    }
  }

  /**
   * Runs the child with the allocator settings and the marker in its environment, and returns its exit
   * code. With {@code inherit} it shares this process's standard streams; otherwise its output is copied
   * to {@code out} and {@code err}. The child is destroyed when this JVM exits first.
   */
  static int run(List<String> command, boolean inherit, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    if (inherit) {
      pb.inheritIO();
    } else {
      pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
    }
    NativeAllocator.SETTINGS.forEach(pb.environment()::putIfAbsent);
    pb.environment().put(MARKER, "1");
    Process child = pb.start();
    Thread killer = new Thread(child::destroy, "psp-spark-stop-child");
    Runtime.getRuntime().addShutdownHook(killer);
    List<Thread> copies = new ArrayList<>();
    if (!inherit) {
      copies.add(copy(child.getInputStream(), out));
      copies.add(copy(child.getErrorStream(), err));
    }
    try {
      int code = child.waitFor();
      for (Thread t : copies) {
        t.join();
      }
      return code;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already
      }
    }
  }

  private static Thread copy(InputStream from, PrintWriter to) {
    Thread t = new Thread(() -> {
      char[] buf = new char[8192];
      try (java.io.Reader in = new java.io.InputStreamReader(from, StandardCharsets.UTF_8)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          to.write(buf, 0, n);
          to.flush();
        }
      } catch (IOException e) {
        // the child closed its stream
      }
    }, "psp-spark-child-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** The packages of java.base that {@code options} opens ({@code --add-opens=java.base/<pkg>=...}). */
  static List<String> openedPackages(List<String> options) {
    return options.stream().filter(o -> o.startsWith("--add-opens=java.base/"))
        .map(o -> o.substring("--add-opens=java.base/".length(), o.lastIndexOf('='))).toList();
  }
}
