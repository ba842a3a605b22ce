package dev.psp.spark;

import dev.psp.internal.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;

/**
 * The job's output folder: files appear whole or not at all. Each file is written under a hidden
 * temporary name in its own folder ({@code .<name>.<random>.partial}, which Spark's readers skip) and
 * then renamed. A local folder uses {@link AtomicFiles} (POSIX rename); other Hadoop file systems
 * (HDFS, S3A, ...) write and rename through Hadoop's {@link FileSystem} — atomic on HDFS, a copy on
 * object stores, where a reader may see the file appear but never half written. Serializable: the
 * executors write through it. Thread-safe.
 */
abstract class OutputStore implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Suffix of the temporary files; {@link #deletePartials} removes leftovers of killed runs. */
  static final String PARTIAL = ".partial";

  /** The store at {@code root} (a local path, {@code file:} URI or any Hadoop URI). */
  static OutputStore of(String root, Map<String, String> hadoopConf) {
    URI uri = toUri(root);
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      return new Local(Path.of(uri.getScheme() == null ? root : uri.getPath()).toAbsolutePath().normalize());
    }
    return new Hadoop(root.endsWith("/") ? root.substring(0, root.length() - 1) : root, Map.copyOf(hadoopConf));
  }

  /** The bytes of an input file given by path or URI (what Spark's {@code binaryFile} source names {@code path}). */
  static byte[] readInput(String path, Map<String, String> hadoopConf) throws IOException {
    URI uri = toUri(path);
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      return Files.readAllBytes(Path.of(uri.getScheme() == null ? path : uri.getPath()));
    }
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
    try (InputStream in = p.getFileSystem(configuration(hadoopConf)).open(p)) {
      return in.readAllBytes();
    }
  }

  /** Parses a path or URI as Hadoop does (spaces and other characters need no escaping). */
  private static URI toUri(String pathOrUri) {
    return new org.apache.hadoop.fs.Path(pathOrUri).toUri();
  }

  static Configuration configuration(Map<String, String> settings) {
    Configuration c = new Configuration();
    settings.forEach(c::set);
    return c;
  }

  /** The URI of {@code relative} for Spark's readers. */
  abstract String uri(String relative);

  /** Creates the folder {@code relative} and its parents. */
  abstract void mkdirs(String relative) throws IOException;

  /** True when {@code relative} exists. */
  abstract boolean exists(String relative) throws IOException;

  /** The bytes of {@code relative}. */
  abstract byte[] read(String relative) throws IOException;

  /** Writes {@code relative} atomically (temporary file, then rename over any old file). */
  abstract void write(String relative, byte[] bytes) throws IOException;

  /** A new temporary file in folder {@code folder} for a Parquet writer; {@link Temporary#commit} names it. */
  abstract Temporary temporary(String folder) throws IOException;

  /** Names of the visible files (not starting with {@code .} or {@code _}) in folder {@code relative}. */
  abstract List<String> list(String relative) throws IOException;

  /** Deletes temporary files that killed runs left in folder {@code relative}; returns how many. */
  abstract int deletePartials(String relative) throws IOException;

  /** A temporary file being written, and where it goes. */
  interface Temporary {
    /** The Parquet output file of the temporary name. */
    OutputFile parquet();

    /** Renames the written file to {@code finalName} in its folder, replacing a file of that name. */
    void commit(String finalName) throws IOException;

    /** Deletes the temporary file, if any. */
    void discard();
  }

  static String temporaryName(String finalName) {
    return "." + finalName + "." + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + PARTIAL;
  }

  static boolean isPartial(String name) {
    return name.startsWith(".") && name.endsWith(PARTIAL);
  }

  static boolean isVisible(String name) {
    return !name.startsWith(".") && !name.startsWith("_");
  }

  /** A folder on a local (or locally mounted shared) file system. */
  static final class Local extends OutputStore {
    private static final long serialVersionUID = 1L;
    private final String root;

    Local(Path root) {
      this.root = root.toString();
    }

    private Path path(String relative) {
      return Path.of(root).resolve(relative);
    }

    @Override
    String uri(String relative) {
      // not toUri(): Hadoop's Path(String) would quote its %20 again and look for a folder named "my%20out"
      return "file:" + path(relative).toAbsolutePath();
    }

    @Override
    void mkdirs(String relative) throws IOException {
      Files.createDirectories(path(relative));
    }

    @Override
    boolean exists(String relative) {
      return Files.exists(path(relative));
    }

    @Override
    byte[] read(String relative) throws IOException {
      return Files.readAllBytes(path(relative));
    }

    @Override
    void write(String relative, byte[] bytes) throws IOException {
      AtomicFiles.write(path(relative), out -> out.write(bytes));
    }

    @Override
    Temporary temporary(String folder) {
      Path dir = path(folder);
      Path tmp = dir.resolve(temporaryName("part"));
      return new Temporary() {
        @Override
        public OutputFile parquet() {
          return new LocalOutputFile(tmp);
        }

        @Override
        public void commit(String finalName) throws IOException {
          try {
            Files.move(tmp, dir.resolve(finalName), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          } finally {
            Files.deleteIfExists(tmp);
          }
        }

        @Override
        public void discard() {
          try {
            Files.deleteIfExists(tmp);
          } catch (IOException e) {
            // a leftover is removed by the next run's deletePartials
          }
        }
      };
    }

    @Override
    List<String> list(String relative) throws IOException {
      Path dir = path(relative);
      if (!Files.isDirectory(dir)) {
        return List.of();
      }
      try (Stream<Path> s = Files.list(dir)) {
        return s.map(p -> p.getFileName().toString()).filter(OutputStore::isVisible).sorted().toList();
      }
    }

    @Override
    int deletePartials(String relative) throws IOException {
      Path dir = path(relative);
      if (!Files.isDirectory(dir)) {
        return 0;
      }
      int n = 0;
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.toList()) {
          if (isPartial(p.getFileName().toString()) && Files.deleteIfExists(p)) {
            n++;
          }
        }
      }
      return n;
    }
  }

  /** A folder on any Hadoop file system (HDFS, S3A, GCS, ABFS, ...). */
  static final class Hadoop extends OutputStore {
    private static final long serialVersionUID = 1L;
    private final String root;
    private final Map<String, String> conf;
    private transient FileSystem fs;

    Hadoop(String root, Map<String, String> conf) {
      this.root = root;
      this.conf = conf;
    }

    private org.apache.hadoop.fs.Path path(String relative) {
      return new org.apache.hadoop.fs.Path(root + "/" + relative);
    }

    private synchronized FileSystem fs() throws IOException {
      if (fs == null) {
        fs = new org.apache.hadoop.fs.Path(root).getFileSystem(configuration(conf));
      }
      return fs;
    }

    @Override
    String uri(String relative) {
      return path(relative).toString();
    }

    @Override
    void mkdirs(String relative) throws IOException {
      fs().mkdirs(path(relative));
    }

    @Override
    boolean exists(String relative) throws IOException {
      return fs().exists(path(relative));
    }

    @Override
    byte[] read(String relative) throws IOException {
      try (InputStream in = fs().open(path(relative))) {
        return in.readAllBytes();
      }
    }

    @Override
    void write(String relative, byte[] bytes) throws IOException {
      org.apache.hadoop.fs.Path target = path(relative);
      org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(), temporaryName(target.getName()));
      try {
        try (OutputStream out = fs().create(tmp, true)) {
          out.write(bytes);
        }
        rename(tmp, target);
      } finally {
        fs().delete(tmp, false);
      }
    }

    /** Renames over an existing file: HDFS refuses to rename onto one, so it is deleted first. */
    private void rename(org.apache.hadoop.fs.Path from, org.apache.hadoop.fs.Path to) throws IOException {
      if (!fs().rename(from, to)) {
        fs().delete(to, false);
        if (!fs().rename(from, to)) {
          throw new IOException("could not rename " + from + " to " + to);
        }
      }
    }

    @Override
    Temporary temporary(String folder) {
      org.apache.hadoop.fs.Path dir = path(folder);
      org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(dir, temporaryName("part"));
      Configuration c = configuration(conf);
      return new Temporary() {
        @Override
        public OutputFile parquet() {
          try {
            return org.apache.parquet.hadoop.util.HadoopOutputFile.fromPath(tmp, c);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public void commit(String finalName) throws IOException {
          try {
            rename(tmp, new org.apache.hadoop.fs.Path(dir, finalName));
          } finally {
            fs().delete(tmp, false);
          }
        }

        @Override
        public void discard() {
          try {
            fs().delete(tmp, false);
          } catch (IOException e) {
            // a leftover is removed by the next run's deletePartials
          }
        }
      };
    }

    @Override
    List<String> list(String relative) throws IOException {
      org.apache.hadoop.fs.Path dir = path(relative);
      if (!fs().exists(dir)) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      for (FileStatus s : fs().listStatus(dir)) {
        if (isVisible(s.getPath().getName())) {
          out.add(s.getPath().getName());
        }
      }
      out.sort(null);
      return out;
    }

    @Override
    int deletePartials(String relative) throws IOException {
      org.apache.hadoop.fs.Path dir = path(relative);
      if (!fs().exists(dir)) {
        return 0;
      }
      int n = 0;
      for (FileStatus s : fs().listStatus(dir)) {
        if (isPartial(s.getPath().getName()) && fs().delete(s.getPath(), false)) {
          n++;
        }
      }
      return n;
    }
  }
}
