package dev.psp.spark;

import java.io.IOException;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * One Parquet file of the job's {@code codes/} or {@code errors/} table, written by one task under a
 * temporary name and renamed into place by {@link #commit}: a reader sees all of its rows or none.
 * The columns are those of {@link PspSpark#CODES_SCHEMA} and {@link PspSpark#ERRORS_SCHEMA}. Not
 * thread-safe.
 */
final class ParquetPart implements AutoCloseable {
  /** The codes table: one row per input, the code as {@code [n_styles][dim]}. */
  static final MessageType CODES = MessageTypeParser.parseMessageType("""
      message codes {
        required binary path (STRING);
        required binary name (STRING);
        required group code (LIST) {
          repeated group list {
            required group element (LIST) {
              repeated group list {
                required float element;
              }
            }
          }
        }
        required binary model (STRING);
        required binary checkpoint (STRING);
        required binary engine (STRING);
        optional int64 seed;
        required binary sdk_version (STRING);
      }
      """);

  /** The errors table: one row per input that failed. */
  static final MessageType ERRORS = MessageTypeParser.parseMessageType("""
      message errors {
        required binary path (STRING);
        required binary name (STRING);
        required binary error (STRING);
        required binary model (STRING);
        required binary sdk_version (STRING);
      }
      """);

  private final OutputStore store;
  private final String folder;
  private final MessageType schema;
  private final SimpleGroupFactory groups;
  private OutputStore.Temporary file;
  private ParquetWriter<Group> writer;
  private int rows;

  ParquetPart(OutputStore store, String folder, MessageType schema) {
    this.store = store;
    this.folder = folder;
    this.schema = schema;
    this.groups = new SimpleGroupFactory(schema);
  }

  /** Appends a code row. */
  void addCode(ImageResult r, String model, String checkpoint, String engine, String sdkVersion) throws IOException {
    Group g = groups.newGroup().append("path", r.path()).append("name", r.name());
    Group code = g.addGroup("code");
    for (float[] row : r.code()) {
      Group values = code.addGroup("list").addGroup("element");
      for (float v : row) {
        values.addGroup("list").append("element", v);
      }
    }
    g.append("model", model).append("checkpoint", checkpoint).append("engine", engine);
    if (r.seed() != null) {
      g.append("seed", r.seed().longValue());
    }
    g.append("sdk_version", sdkVersion);
    write(g);
  }

  /** Appends an error row. */
  void addError(ImageResult r, String model, String sdkVersion) throws IOException {
    write(groups.newGroup().append("path", r.path()).append("name", r.name()).append("error", r.error())
        .append("model", model).append("sdk_version", sdkVersion));
  }

  private void write(Group g) throws IOException {
    if (writer == null) {
      file = store.temporary(folder);
      writer = ExampleParquetWriter.builder(file.parquet())
          .withType(schema)
          .withConf(OutputStore.configuration(java.util.Map.of()))
          .withCompressionCodec(CompressionCodecName.SNAPPY)
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
          .build();
    }
    writer.write(g);
    rows++;
  }

  /** Rows written so far. */
  int rows() {
    return rows;
  }

  /** Closes the file and renames it to {@code finalName}; does nothing when no row was written. */
  void commit(String finalName) throws IOException {
    if (writer == null) {
      return;
    }
    writer.close();
    writer = null;
    file.commit(finalName);
    file = null;
  }

  /** Discards an uncommitted file. Idempotent. */
  @Override
  public void close() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException | RuntimeException e) {
        // the file is discarded anyway
      }
      writer = null;
    }
    if (file != null) {
      file.discard();
      file = null;
    }
  }
}
