package dev.psp.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import dev.psp.LatentCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * pSp on Apache Spark: maps a Dataset of images to translated images and W+ codes, with one model per
 * executor JVM.
 *
 * <pre>{@code
 * Dataset<Row> images = PspSpark.readImages(spark, "hdfs:///faces", false);    // Spark's binaryFile source
 * Dataset<Row> out = PspSpark.transform(PspSpark.withOutputNames(images),
 *     PspSparkOptions.of("encode").optCodes(true).optBatchSize(8));
 * out.select("path", "code").write().parquet("hdfs:///codes");                 // or out.filter("error is not null")
 * LatentCode w = PspSpark.toLatentCode(out.first());
 * }</pre>
 *
 * <p>Each executor JVM loads the model once, when its first task needs it, and reuses it for every
 * later task and partition (the model never travels with the closure); inside a partition the images go
 * through the model in batches. An input that cannot be read or decoded, or has no face when alignment
 * is asked for, gives a row whose {@code error} is set instead of failing the job. For a whole folder
 * with files out, idempotent restarts and an errors table, use {@link PspSparkJob}. Static methods only;
 * thread-safe.
 */
public final class PspSpark {
  /** The image file extensions {@link #readImages} reads (those of ImageIO, as the {@code psp} command). */
  public static final List<String> IMAGE_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

  /** A W+ code: {@code [n_styles][dim]} floats. */
  public static final DataType CODE_TYPE =
      DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false);

  /**
   * The rows {@link #transform} returns: {@code path}, {@code name}; {@code image} (PNG bytes of
   * {@code pSp(x)}) and {@code code} ({@link #CODE_TYPE}), each null when not asked for or failed;
   * provenance {@code model} (as given), {@code checkpoint} (file name), {@code engine}, {@code seed}
   * (the image's noise seed, null for fixed noise), {@code sdk_version}; and {@code error}, null on success.
   */
  public static final StructType OUTPUT_SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("path", DataTypes.StringType, false),
      DataTypes.createStructField("name", DataTypes.StringType, false),
      DataTypes.createStructField("image", DataTypes.BinaryType, true),
      DataTypes.createStructField("code", CODE_TYPE, true),
      DataTypes.createStructField("model", DataTypes.StringType, false),
      DataTypes.createStructField("checkpoint", DataTypes.StringType, true),
      DataTypes.createStructField("engine", DataTypes.StringType, true),
      DataTypes.createStructField("seed", DataTypes.LongType, true),
      DataTypes.createStructField("sdk_version", DataTypes.StringType, false),
      DataTypes.createStructField("error", DataTypes.StringType, true)});

  /** The {@code codes/} table of {@link PspSparkJob}: one row per input that succeeded. */
  public static final StructType CODES_SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("path", DataTypes.StringType, false),
      DataTypes.createStructField("name", DataTypes.StringType, false),
      DataTypes.createStructField("code", CODE_TYPE, false),
      DataTypes.createStructField("model", DataTypes.StringType, false),
      DataTypes.createStructField("checkpoint", DataTypes.StringType, false),
      DataTypes.createStructField("engine", DataTypes.StringType, false),
      DataTypes.createStructField("seed", DataTypes.LongType, true),
      DataTypes.createStructField("sdk_version", DataTypes.StringType, false)});

  /** The {@code errors/} table of {@link PspSparkJob}: one row per input that failed, with the reason. */
  public static final StructType ERRORS_SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("path", DataTypes.StringType, false),
      DataTypes.createStructField("name", DataTypes.StringType, false),
      DataTypes.createStructField("error", DataTypes.StringType, false),
      DataTypes.createStructField("model", DataTypes.StringType, false),
      DataTypes.createStructField("sdk_version", DataTypes.StringType, false)});

  private PspSpark() {}

  /**
   * The image files of a folder (or a glob, or one file) through Spark's {@code binaryFile} source:
   * columns {@code path}, {@code modificationTime}, {@code length}, {@code content}. The content is read
   * only when a query uses it.
   *
   * @param recursive also read the folder's subfolders
   */
  public static Dataset<Row> readImages(SparkSession spark, String input, boolean recursive) {
    List<String> ext = new ArrayList<>();
    for (String e : IMAGE_EXTENSIONS) {
      ext.add(e);
      ext.add(e.toUpperCase(java.util.Locale.ROOT));
    }
    return spark.read().format("binaryFile")
        .option("pathGlobFilter", "*.{" + String.join(",", ext) + "}")
        .option("recursiveFileLookup", Boolean.toString(recursive))
        .load(input);
  }

  /** {@link #withOutputNames(Dataset, String)} on the {@code path} column. */
  public static Dataset<Row> withOutputNames(Dataset<Row> images) {
    return withOutputNames(images, "path");
  }

  /**
   * Adds the {@code name} column: the input file's stem ({@code a.png} → {@code a}), as {@code psp
   * translate} names its outputs; inputs whose stems are equal without regard to case (a.png and
   * a.jpg, or x/a.png and y/a.png) all get {@code <stem>-<first 8 hex digits of SHA-256(path)>}
   * instead. Names depend on the set of inputs only, not on partitioning or order.
   */
  public static Dataset<Row> withOutputNames(Dataset<Row> images, String pathColumn) {
    Column stem = regexp_extract(col(pathColumn), "([^/]+?)(\\.[^./]*)?/*$", 1);
    Column shared = count(lit(1)).over(Window.partitionBy(lower(stem)));
    return images.withColumn("name",
        when(shared.gt(1), concat(stem, lit("-"), substring(sha2(col(pathColumn), 256), 1, 8))).otherwise(stem));
  }

  /**
   * Translates and/or encodes every image: one output row ({@link #OUTPUT_SCHEMA}) per input row, lazily.
   *
   * @param images a column of paths or URIs ({@link PspSparkOptions#pathColumn()}), and optionally one of
   *     bytes ({@link PspSparkOptions#contentColumn()}; without it each executor reads the paths through
   *     Hadoop's file systems) and a {@code name} column ({@link #withOutputNames}; without it the stem of
   *     the path)
   * @throws IllegalArgumentException naming the missing or mistyped column
   */
  public static Dataset<Row> transform(Dataset<Row> images, PspSparkOptions options) {
    return transform(images, options, null);
  }

  /** {@link #transform} whose executors count model loads in {@code loads}. */
  static Dataset<Row> transform(Dataset<Row> images, PspSparkOptions options, LongAccumulator loads) {
    options.validate();
    InputColumns columns = InputColumns.of(images.schema(), options);
    Map<String, String> hadoop = hadoopSettings(images.sparkSession());
    String sdk = sdkVersion();
    return images.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> {
      if (!rows.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      ExecutorModel model = ExecutorModel.get(options, loads);
      BatchTranslator results = new BatchTranslator(columns.inputs(rows), options, model, hadoop);
      String engine = model.model().engine();
      return new Iterator<Row>() {
        @Override
        public boolean hasNext() {
          return results.hasNext();
        }

        @Override
        public Row next() {
          ImageResult r = results.next();
          return RowFactory.create(r.path(), r.name(), r.png(), r.code(), options.model(),
              r.failed() ? null : model.checkpoint(), r.failed() ? null : engine, r.seed(), sdk, r.error());
        }
      };
    }, Encoders.row(OUTPUT_SCHEMA));
  }

  /**
   * The code of a row of {@link #transform}, of the job's {@code codes/} table, or of any row with a
   * {@code code} column of {@link #CODE_TYPE}, as a batch-1 {@link LatentCode}.
   *
   * @throws IllegalArgumentException when the row has no code (a failed input, or codes not asked for)
   */
  public static LatentCode toLatentCode(Row row) {
    int i = row.fieldIndex("code");
    if (row.isNullAt(i)) {
      throw new IllegalArgumentException("row " + (hasField(row, "path") ? row.getAs("path") : "") + " has no code"
          + (hasField(row, "error") && row.getAs("error") != null ? " (" + row.getAs("error") + ")"
              : "; enable codes with PspSparkOptions.optCodes(true)"));
    }
    List<?> rows = asList(row.get(i));
    int nStyles = rows.size();
    float[] first = toFloats(rows.get(0));
    int dim = first.length;
    float[] values = new float[nStyles * dim];
    for (int r = 0; r < nStyles; r++) {
      float[] v = r == 0 ? first : toFloats(rows.get(r));
      if (v.length != dim) {
        throw new IllegalArgumentException("code rows must have equal widths, got " + dim + " and " + v.length);
      }
      System.arraycopy(v, 0, values, r * dim, dim);
    }
    return LatentCode.of(values, 1, nStyles, dim);
  }

  /** Models psp-spark loaded in this JVM since it started (one per executor JVM and model options). */
  public static int modelsLoadedInThisJvm() {
    return ExecutorModel.loadsInThisJvm();
  }

  /** The SDK version written to the {@code sdk_version} columns. */
  public static String sdkVersion() {
    return SdkVersion.VALUE;
  }

  /** The {@code spark.hadoop.*} settings of the session, without the prefix, for the executors' own file access. */
  static Map<String, String> hadoopSettings(SparkSession spark) {
    Map<String, String> out = new java.util.HashMap<>();
    for (scala.Tuple2<String, String> kv : spark.sparkContext().getConf().getAll()) {
      if (kv._1().startsWith("spark.hadoop.")) {
        out.put(kv._1().substring("spark.hadoop.".length()), kv._2());
      }
    }
    return out;
  }

  private static boolean hasField(Row row, String name) {
    return row.schema() != null && Arrays.asList(row.schema().fieldNames()).contains(name);
  }

  private static List<?> asList(Object o) {
    if (o instanceof List<?> l) {
      return l;
    }
    if (o instanceof scala.collection.Seq<?> s) {
      return scala.jdk.javaapi.CollectionConverters.asJava(s);
    }
    if (o instanceof Object[] a) {
      return Arrays.asList(a);
    }
    if (o instanceof float[] f) {
      List<Float> out = new ArrayList<>(f.length);
      for (float v : f) {
        out.add(v);
      }
      return out;
    }
    throw new IllegalArgumentException("a code must be an array of arrays of floats, got " + o.getClass().getName());
  }

  private static float[] toFloats(Object o) {
    if (o instanceof float[] f) {
      return f;
    }
    List<?> l = asList(o);
    float[] out = new float[l.size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = ((Number) l.get(k)).floatValue();
    }
    return out;
  }

  /** Where the path, name and content are in the input rows. */
  record InputColumns(int path, int name, int content) implements java.io.Serializable {
    static InputColumns of(StructType schema, PspSparkOptions o) {
      List<String> names = Arrays.asList(schema.fieldNames());
      if (!names.contains(o.pathColumn())) {
        throw new IllegalArgumentException("the images have no column '" + o.pathColumn() + "' (columns: " + names
            + "); read them with PspSpark.readImages or name the path column with PspSparkOptions.optPathColumn");
      }
      int path = schema.fieldIndex(o.pathColumn());
      requireType(schema, path, DataTypes.StringType);
      int name = names.contains("name") ? schema.fieldIndex("name") : -1;
      if (name >= 0) {
        requireType(schema, name, DataTypes.StringType);
      }
      int content = names.contains(o.contentColumn()) ? schema.fieldIndex(o.contentColumn()) : -1;
      if (content >= 0) {
        requireType(schema, content, DataTypes.BinaryType);
      }
      return new InputColumns(path, name, content);
    }

    private static void requireType(StructType schema, int i, DataType type) {
      StructField f = schema.fields()[i];
      if (!f.dataType().equals(type)) {
        throw new IllegalArgumentException("column '" + f.name() + "' must be " + type.simpleString() + ", got "
            + f.dataType().simpleString());
      }
    }

    /** The inputs of a partition's rows. */
    Iterator<BatchTranslator.Input> inputs(Iterator<Row> rows) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public BatchTranslator.Input next() {
          Row r = rows.next();
          String p = r.getString(path);
          String n = name >= 0 && !r.isNullAt(name) ? r.getString(name) : p == null ? "" : Names.stem(p);
          byte[] bytes = content >= 0 && !r.isNullAt(content) ? (byte[]) r.get(content) : null;
          return new BatchTranslator.Input(p, n, bytes);
        }
      };
    }
  }
}
