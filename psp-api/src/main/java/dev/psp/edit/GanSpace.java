package dev.psp.edit;

import dev.psp.CheckpointFormatException;
import dev.psp.LatentCode;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * GANSpace edits (Härkönen et al. 2020) as e4e's {@code editings/ganspace.py} applies them: the PCA of
 * W ({@code mean [1,dim]}, {@code comp [K,1,dim]}, {@code std [K]}, as in {@code ffhq_pca.pt}); an
 * edit {@code (component, rows [start,end), strength)} moves the chosen rows so that the code's
 * coordinate along the component, measured on row 0 in units of its standard deviation, becomes
 * {@code strength}: {@code delta = (strength − coord) · comp · std}. Note that the strength is the
 * target coordinate, not a step. Immutable.
 */
public final class GanSpace {
  private final float[] mean;
  private final float[][] components;
  private final float[] std;
  private final int dim;

  private GanSpace(float[] mean, float[][] components, float[] std) {
    this.mean = mean;
    this.components = components;
    this.std = std;
    this.dim = mean.length;
  }

  /**
   * Reads a GANSpace PCA file: a dict with {@code mean}, {@code comp} and {@code std} tensors.
   *
   * @throws IOException naming what is missing or mis-shaped
   */
  public static GanSpace read(Path file) throws IOException, CheckpointFormatException {
    try (Checkpoint c = CheckpointReader.read(file)) {
      Object root = c.root();
      if (!(root instanceof Map<?, ?> m)) {
        throw new IOException(file + " is not a GANSpace PCA file: expected a dict with mean, comp and std");
      }
      TensorData mean = tensor(m, "mean", file);
      TensorData comp = tensor(m, "comp", file);
      TensorData std = tensor(m, "std", file);
      if (mean.rank() < 1 || comp.rank() < 1) {
        throw new IOException(file + ": 'mean' or 'comp' is a scalar; a GANSpace PCA file holds mean [1,dim],"
            + " comp [K,1,dim] and std [K]");
      }
      int dim = Math.toIntExact(mean.shape()[mean.rank() - 1]);
      int k = Math.toIntExact(comp.shape()[0]);
      if (mean.numel() != dim || comp.numel() != (long) k * dim || std.numel() != k) {
        throw new IOException(file + ": shapes mean " + Arrays.toString(mean.shape()) + ", comp "
            + Arrays.toString(comp.shape()) + ", std " + Arrays.toString(std.shape())
            + " do not fit; expected [1,dim], [K,1,dim], [K]");
      }
      float[] cv = comp.toFloatArray();
      float[][] comps = new float[k][];
      for (int i = 0; i < k; i++) {
        comps[i] = Arrays.copyOfRange(cv, i * dim, (i + 1) * dim);
      }
      float[] sd = std.toFloatArray();
      for (int i = 0; i < sd.length; i++) {
        if (!(sd[i] > 0) || !Float.isFinite(sd[i])) {
          throw new IOException(file + ": std[" + i + "] is " + sd[i] + "; every component's standard deviation"
              + " must be positive and finite (edits divide by it)");
        }
      }
      return new GanSpace(mean.toFloatArray(), comps, sd);
    }
  }

  private static TensorData tensor(Map<?, ?> m, String key, Path file) throws IOException {
    if (!(m.get(key) instanceof TensorData t)) {
      throw new IOException(file + " has no '" + key + "' tensor; a GANSpace PCA file holds mean, comp and std");
    }
    return t;
  }

  /** The number of principal components. */
  public int components() {
    return components.length;
  }

  /** The latent dimension. */
  public int dim() {
    return dim;
  }

  /** The coordinate of sample {@code b}'s row 0 along {@code component}, in standard deviations. */
  public float coordinate(LatentCode code, int b, int component) {
    checkComponent(component);
    float[] row = code.row(b, 0);
    float[] c = components[component];
    double sum = 0;
    for (int k = 0; k < dim; k++) {
      sum += (row[k] - mean[k]) * c[k];
    }
    return (float) sum / std[component];
  }

  /**
   * One edit on every sample: rows {@code [fromRow, toRow)} move by {@code (strength − coordinate) ·
   * comp · std}.
   *
   * @throws IllegalArgumentException if the component, rows or dimension do not fit
   */
  public LatentCode edit(LatentCode code, int component, int fromRow, int toRow, double strength) {
    checkComponent(component);
    if (code.dim() != dim) {
      throw new IllegalArgumentException("the PCA has dimension " + dim + ", the code " + code.dim());
    }
    if (fromRow < 0 || toRow > code.nStyles() || fromRow >= toRow) {
      throw new IllegalArgumentException("rows [" + fromRow + ", " + toRow + ") are not within the code's "
          + code.nStyles() + " rows");
    }
    if (!Double.isFinite(strength)) {
      throw new IllegalArgumentException("strength must be finite, got " + strength);
    }
    float[] v = code.values();
    int n = code.nStyles();
    float[] c = components[component];
    float sd = std[component];
    for (int b = 0; b < code.batchSize(); b++) {
      float factor = (float) strength - coordinate(code, b, component);
      for (int r = fromRow; r < toRow; r++) {
        int base = (b * n + r) * dim;
        for (int k = 0; k < dim; k++) {
          v[base + k] = v[base + k] + factor * c[k] * sd;
        }
      }
    }
    return LatentCode.of(v, code.batchSize(), n, dim);
  }

  private void checkComponent(int component) {
    if (component < 0 || component >= components.length) {
      throw new IllegalArgumentException("component " + component + " is not in [0, " + components.length + ")");
    }
  }
}
