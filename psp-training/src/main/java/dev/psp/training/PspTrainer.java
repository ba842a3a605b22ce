package dev.psp.training;

import dev.psp.djl.PyTorchEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.psp.PspException;
import dev.psp.djl.DjlTensorOps;
import dev.psp.internal.Gaussian;
import dev.psp.io.DType;
import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import dev.psp.nn.StateDictSpec;
import dev.psp.training.data.BatchOrder;
import dev.psp.training.data.PairedDataset;
import dev.psp.training.data.Sample;
import dev.psp.training.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * pSp training, as the official {@code training/coach.py} runs it: the encoder (and the decoder with
 * {@code train_decoder}) learns from a {@link Criterion} with Ranger or Adam; the network is in
 * training mode (BatchNorm uses batch statistics), noise is random, outputs go through {@code
 * face_pool}; every {@code val_interval} steps the test set is scored, the best model is kept as
 * {@code best_model.pt}, and every {@code save_interval} steps {@code iteration_<step>.pt} is written.
 * Steps 0 to {@code max_steps} are trained, inclusive, as in the official loop.
 *
 * <p>Everything random is a function of {@code sdk_seed} and the step: the data order, the
 * augmentations, the noise and the faces drawn from the decoder ({@link GeneratedFaces}). With the
 * resume state in {@code checkpoints/latest.pt} (written with each iteration checkpoint), a run that
 * stops and restarts gives the same losses as one that never stopped. Logs go to {@code logs/train.jsonl} (one JSON object per logged step) and image grids
 * (input | target | output) to {@code logs/images/}.
 *
 * <p>Deviations from the official Coach: validation always scores the whole test set (the official
 * code scores 5 batches at step 0 and discards them); noise comes from the SDK's seeded generator
 * instead of torch's global one. Not thread-safe.
 */
public final class PspTrainer implements AutoCloseable {
  private static final long NOISE_STREAM = 0x6E6F697365L;
  private static final long GENERATED_STREAM = 0x64726177L;

  private final TrainOptions opts;
  private final PspNetwork net;
  private final Criterion criterion;
  private final PairedDataset train;
  private final PairedDataset test;
  private final Path expDir;
  private final StateDictSpec spec;
  private final NDManager root;
  private final Map<String, NDArray> params = new HashMap<>();
  private final Map<String, long[]> counters = new LinkedHashMap<>();
  private final Map<String, NDArray> trainable = new LinkedHashMap<>();
  private final TensorData latentAvgData;
  /**
   * ReStyle's first reconstruction: latent_avg decoded with the stored noise, pooled to 256 (no
   * gradient), once when the run starts, as the official coach does; latest.pt keeps it for a resume.
   */
  private final NDArray averageImage;
  private final NDArray latentAvg;
  private final Optimizer optimizer;
  /** The frozen model whose codes of the targets supply some rows ({@code sdk_style_teacher}), or null. */
  private final StyleTeacher teacher;
  /** Pairs of each batch drawn from the frozen decoder ({@code sdk_generated}), or null. */
  private final GeneratedFaces generated;
  /** Fitted W+ codes of the training faces ({@code sdk_code_targets}), or null. */
  private final CodeTargets codeTargets;
  private final BatchOrder order;
  /** How many steps' losses {@link #history()} keeps: a run of the official 500,000 steps would hold ~250 MB. */
  static final int HISTORY = 10_000;
  private final java.util.ArrayDeque<Map<String, Double>> history = new java.util.ArrayDeque<>();
  private long step;
  private Double bestValLoss;

  private PspTrainer(TrainOptions opts, Criterion criterion, PairedDataset train, PairedDataset test,
      OptimizerFactory optimizers) throws IOException, PspException {
    this.opts = opts;
    this.criterion = criterion;
    this.train = train;
    this.test = test;
    Object dir = opts.get("exp_dir");
    if (dir == null) {
      throw new IllegalArgumentException("exp_dir is required: the folder for checkpoints and logs");
    }
    this.expDir = Path.of(dir.toString());
    this.net = new PspNetwork(opts.outputSize(), opts.intOpt("input_nc"), opts.encoderType(),
        opts.architecture());
    int reconstruction = opts.restyle() ? dev.psp.ModelConfig.RECONSTRUCTION_NC : 0;
    if (train.sourceChannels() + reconstruction != net.inputNc()) {
      throw new IllegalArgumentException("the training data gives " + train.sourceChannels()
          + "-channel sources but input_nc is " + net.inputNc()
          + (opts.restyle() ? " (ReStyle adds the 3 reconstruction channels: input_nc must be "
              + (train.sourceChannels() + reconstruction) + ")" : ""));
    }
    this.spec = net.stateDictSpec();
    Path latest = expDir.resolve("checkpoints").resolve("latest.pt");
    TrainingCheckpoint.Resume resume = Files.isRegularFile(latest)
        ? TrainingCheckpoint.readResume(latest) : null;
    if (resume != null && !opts.resumeConflicts(resume.opts()).isEmpty()) {
      throw new IllegalArgumentException(expDir + " holds a run with other options: "
          + String.join(", ", opts.resumeConflicts(resume.opts())) + ". A run resumes with the same task, network,"
          + " starting codes, trained parts and optimizer (loss weights, learning rate, max_steps, intervals,"
          + " batch and seed may change): give those options, or another exp_dir");
    }
    PspWeights w = resume != null ? resume.weights() : ModelInit.load(opts, net);
    spec.check(w.stateDict(), "initial weights");
    this.codeTargets = CodeTargets.of(opts, net); // holds no native memory: nothing to free if a later check fails
    this.teacher = StyleTeacher.of(opts, net);
    GeneratedFaces drawn;
    try {
      drawn = GeneratedFaces.of(opts, net);
    } catch (RuntimeException | PspException | IOException e) {
      if (teacher != null) {
        teacher.close();
      }
      throw e;
    }
    this.generated = drawn;
    this.root = PyTorchEngine.djl().newBaseManager();
    boolean trainDecoder = opts.bool("train_decoder");
    try {
      for (StateDictSpec.Entry e : spec.entries()) {
        TensorData t = w.stateDict().get(e.key());
        if (e.dtype() == DType.INT64) {
          counters.put(e.key(), t.toLongArray().clone());
          continue;
        }
        NDArray a = DjlTensorOps.toNDArray(root, t);
        params.put(e.key(), a);
        if (e.isParameter() && (e.key().startsWith("encoder.") || trainDecoder && e.key().startsWith("decoder."))) {
          a.setRequiresGradient(true);
          trainable.put(e.key(), a);
        }
      }
      this.latentAvgData = w.latentAvg();
      this.latentAvg = latentAvgData == null ? null : DjlTensorOps.toNDArray(root, latentAvgData);
      if (opts.bool("start_from_latent_avg") && latentAvg == null) {
        throw new IllegalArgumentException("start_from_latent_avg is set but the initial weights have no latent_avg");
      }
      if (opts.restyle() && latentAvg == null) {
        throw new IllegalArgumentException("ReStyle starts from latent_avg, but the initial weights have none");
      }
      this.averageImage = !opts.restyle() ? null
          : resume != null && resume.averageImage() != null ? DjlTensorOps.toNDArray(root, resume.averageImage())
          : averageImage();
      this.optimizer = optimizers.create(opts.string("optim_name"), trainable, opts.doubleOpt("learning_rate"));
      if (resume != null) {
        optimizer.loadState(resume.optimizer());
        step = resume.nextStep();
        bestValLoss = resume.bestValLoss();
      }
      this.order = new BatchOrder(train.size(), opts.intOpt("batch_size"), opts.seed()); // refuses a batch > data
    } catch (RuntimeException e) {
      root.close();
      if (teacher != null) {
        teacher.close();
      }
      if (generated != null) {
        generated.close();
      }
      throw e;
    }
    if (resume != null) {
      TrainingLog.truncate(expDir, step);
    }
  }

  /** Makes an optimizer by its official name over the trainable parameters. */
  @FunctionalInterface
  public interface OptimizerFactory {
    /** The optimizer {@code name} ({@code ranger} or {@code adam}). */
    Optimizer create(String name, Map<String, NDArray> params, double lr);
  }

  /** {@link #create(TrainOptions, Criterion, PairedDataset, PairedDataset, OptimizerFactory)} with the official optimizers. */
  public static PspTrainer create(TrainOptions opts, Criterion criterion, PairedDataset train,
      PairedDataset test) throws IOException, PspException {
    return new PspTrainer(opts, criterion, train, test, dev.psp.training.optim.Optimizers::create);
  }

  /**
   * A trainer for {@code opts}, resuming from {@code exp_dir/checkpoints/latest.pt} when it exists,
   * otherwise starting from the weights {@link ModelInit} chooses.
   */
  public static PspTrainer create(TrainOptions opts, Criterion criterion, PairedDataset train,
      PairedDataset test, OptimizerFactory optimizers) throws IOException, PspException {
    return new PspTrainer(opts, criterion, train, test, optimizers);
  }

  /** The next step to train (0 for a fresh run). */
  public long step() {
    return step;
  }

  /**
   * The loss values of the last {@value #HISTORY} steps trained by this instance, in order
   * ({@code logs/train.jsonl} has every step).
   */
  public List<Map<String, Double>> history() {
    return List.copyOf(history);
  }

  /** The network. */
  public PspNetwork network() {
    return net;
  }

  /** Trains up to and including {@code max_steps}. */
  public void train(TrainingListener listener) throws IOException {
    trainUntil(opts.intOpt("max_steps"), listener);
  }

  /**
   * Trains steps {@link #step()} … {@code lastStep} (at most {@code max_steps}), with the official
   * logging, validation and checkpoint schedule. Stopping early (a smaller {@code lastStep}) and
   * calling again, in this or a new process, continues exactly.
   */
  public void trainUntil(long lastStep, TrainingListener listener) throws IOException {
    long maxSteps = opts.intOpt("max_steps");
    long last = Math.min(lastStep, maxSteps);
    long imageInterval = opts.intOpt("image_interval");
    long boardInterval = opts.intOpt("board_interval");
    long valInterval = opts.intOpt("val_interval");
    long saveInterval = opts.get("save_interval") == null ? Math.max(1, maxSteps) : opts.intOpt("save_interval");
    if (imageInterval < 1 || boardInterval < 1 || valInterval < 1 || saveInterval < 1) {
      throw new IllegalArgumentException("image_interval, board_interval, val_interval and save_interval"
          + " must be positive");
    }
    double avgSeconds = 0;
    while (step <= last) {
      long t0 = System.nanoTime();
      List<float[]> shown = new ArrayList<>();
      Map<String, Double> losses = trainStep(step, shown);
      requireFinite(losses, "training");
      history.addLast(losses);
      if (history.size() > HISTORY) {
        history.removeFirst();
      }
      double sec = (System.nanoTime() - t0) / 1e9;
      avgSeconds = avgSeconds == 0 ? sec : 0.9 * avgSeconds + 0.1 * sec;
      listener.onStep(step, last, losses, avgSeconds);
      if (step % boardInterval == 0) {
        TrainingLog.append(expDir, "train", step, losses, sec);
      }
      if (step % imageInterval == 0 || (step < 1000 && step % 25 == 0)) {
        ImageGrid.save(rows(shown), dev.psp.Encoder.INPUT_SIZE,
            expDir.resolve("logs/images/train/faces").resolve(String.format("%04d.png", step)));
      }
      Map<String, Double> val = null;
      if (step % valInterval == 0 || step == maxSteps) {
        val = validate();
        requireFinite(val, "validation");
        listener.onValidation(step, val);
        TrainingLog.append(expDir, "test", step, val, 0);
        if (bestValLoss == null || val.get("loss") < bestValLoss) {
          bestValLoss = val.get("loss");
          writeCheckpoint("best_model.pt", val, true);
        }
      }
      if (step % saveInterval == 0 || step == maxSteps) {
        if (val == null) {
          requireFiniteWeights(); // this step's update is not validated: check what is written
        }
        writeCheckpoint("iteration_" + step + ".pt", val != null ? val : losses, false);
        step++;
        writeResume();
      } else {
        step++;
      }
    }
  }

  private static List<List<float[]>> rows(List<float[]> flat) {
    List<List<float[]>> rows = new ArrayList<>();
    for (int i = 0; i + 2 < flat.size(); i += 3) {
      rows.add(flat.subList(i, i + 3));
    }
    return rows;
  }

  /**
   * Stops a run whose loss is no longer a number. Checked after every step's update by the
   * validation loss, or on save steps without validation by {@link #requireFiniteWeights}, so no
   * checkpoint of diverged weights is written; {@code latest.pt} keeps the last saved step.
   */
  private void requireFinite(Map<String, Double> losses, String what) {
    Double loss = losses.get("loss");
    if (loss == null || !Double.isFinite(loss)) {
      throw new ArithmeticException(what + " loss at step " + step + " is " + loss + " (" + losses + ")"
          + diverged());
    }
  }

  private String diverged() {
    return "; the weights have diverged. Lower learning_rate, or check the data and the loss weights;"
        + " a new run resumes from the last saved step, " + expDir.resolve("checkpoints").resolve("latest.pt");
  }

  /** Stops the run when a weight is NaN or infinite (max |w| of a tensor is not finite). */
  private void requireFiniteWeights() {
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      float max;
      try (NDArray abs = e.getValue().abs(); NDArray m = abs.max()) {
        max = m.getFloat();
      }
      if (!Float.isFinite(max)) {
        throw new ArithmeticException("weight " + e.getKey() + " holds " + max + " after the update of step "
            + step + diverged());
      }
    }
  }

  /** One optimisation step on the batch of {@code s}; returns the loss values. */
  private Map<String, Double> trainStep(long s, List<float[]> shown) {
    int b = opts.intOpt("batch_size");
    int[] idx = order.batch(s);
    List<Sample> samples = new ArrayList<>();
    int[] faces = new int[b - (generated == null ? 0 : generated.count())];
    for (int i = 0; i < faces.length; i++) {
      samples.add(train.get(idx[i], order.augmentation(s, i)));
      faces[i] = train.face(idx[i]);
    }
    Map<String, NDArray> updates = new LinkedHashMap<>();
    Map<String, Integer> statUpdates = new LinkedHashMap<>();
    Map<String, Double> values;
    try (NDManager call = root.newSubManager()) {
      // a buffer updated earlier in this step is read back updated: ReStyle's refinement passes each move
      // BatchNorm's running statistics once, as PyTorch's train mode does
      DjlTensorOps ops = new DjlTensorOps(call, k -> updates.containsKey(k) ? updates.get(k) : params.get(k))
          .training((k, v) -> {
            v.attach(root);
            NDArray old = updates.put(k, v);
            if (old != null) {
              old.close();
            }
            if (k.endsWith(".running_mean")) {
              statUpdates.merge(k, 1, Integer::sum);
            }
          });
      try (GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
        Random noise = new Random(BatchOrder.mix(opts.seed(), s, NOISE_STREAM));
        Forward f = null;
        Criterion.Result r = null;
        GeneratedFaces.Batch drawn = generated == null ? null
            : generated.draw(ops, call, new Random(BatchOrder.mix(opts.seed(), s, GENERATED_STREAM)));
        NDArray wLoss = null;
        NDArray targetLoss = null;
        // ReStyle (coach_restyle_psp.perform_train_iteration_on_batch): every step's loss is
        // back-propagated, the previous image and code enter the next step detached, one optimizer step
        for (int it = 0; it < opts.iterations(); it++) {
          f = forward(ops, call, samples, noise, f, drawn);
          r = criterion.compute(ops, f.x, f.y, f.yHat, f.codes, latentAvg);
          NDArray total = r.total();
          if (drawn != null) { // logged with any weight; trained on when the weight is positive
            long n = f.codes.getShape().get(0);
            wLoss = GeneratedFaces.wDistance(f.codes.get(n - generated.count() + ":"), drawn.w());
            if (generated.wLambda() > 0) {
              total = total.add(wLoss.mul(call.create((float) generated.wLambda()))); // a 0-d weight, not a scalar argument
            }
          }
          if (codeTargets != null) { // null when no face of the batch has a code
            targetLoss = codeTargets.loss(call, f.codes, faces);
            if (targetLoss != null && codeTargets.lambda() > 0) {
              total = total.add(targetLoss.mul(call.create((float) codeTargets.lambda())));
            }
          }
          gc.backward(total);
        }
        values = r.values();
        if (wLoss != null) { // the official loss dict's style: the weighted term is in "loss", the raw one by name
          double distance = wLoss.getFloat();
          values = new LinkedHashMap<>(values);
          values.put("loss_w_generated", distance);
          values.merge("loss", generated.wLambda() * distance, Double::sum);
        }
        if (codeTargets != null) { // 0 when no face of the batch has a code, so every step logs the same keys
          double distance = targetLoss == null ? 0 : targetLoss.getFloat();
          values = new LinkedHashMap<>(values);
          values.put("loss_w_target", distance);
          values.merge("loss", codeTargets.lambda() * distance, Double::sum);
        }
        if (s % opts.intOpt("image_interval") == 0 || (s < 1000 && s % 25 == 0)) {
          show(shown, samples, f.yHat, 2);
        }
      }
    }
    optimizer.step();
    for (Map.Entry<String, NDArray> e : updates.entrySet()) {
      NDArray old = params.put(e.getKey(), e.getValue());
      old.close();
    }
    for (Map.Entry<String, Integer> e : statUpdates.entrySet()) { // one per forward pass in train mode
      String counter = e.getKey().substring(0, e.getKey().length() - "running_mean".length()) + "num_batches_tracked";
      counters.get(counter)[0] += e.getValue();
    }
    return values;
  }

  private static void show(List<float[]> shown, List<Sample> samples, NDArray yHat, int count) {
    float[] out = yHat.toFloatArray();
    int per = out.length / samples.size();
    for (int i = 0; i < Math.min(count, samples.size()); i++) {
      shown.add(samples.get(i).source());
      shown.add(samples.get(i).target());
      float[] o = new float[per];
      System.arraycopy(out, i * per, o, 0, per);
      shown.add(o);
    }
  }

  private record Forward(NDArray x, NDArray y, NDArray codes, NDArray yHat) {}

  /**
   * {@code pSp.forward(x, return_latents=True)} with random noise, then the targets. For ReStyle the
   * encoder reads x next to the previous step's image ({@code previous}, detached; the average image
   * first) and its output is added to the previous code (latent_avg first). Faces {@code drawn}
   * from the decoder (or null) follow the samples in the batch.
   */
  private Forward forward(DjlTensorOps ops, NDManager call, List<Sample> samples, Random noise, Forward previous,
      GeneratedFaces.Batch drawn) {
    int real = samples.size();
    int b = real + (drawn == null ? 0 : (int) drawn.x().getShape().get(0));
    int s = dev.psp.Encoder.INPUT_SIZE;
    int c = samples.get(0).source().length / (s * s);
    float[] xs = new float[real * c * s * s];
    float[] ys = new float[real * 3 * s * s];
    for (int i = 0; i < real; i++) {
      System.arraycopy(samples.get(i).source(), 0, xs, i * c * s * s, c * s * s);
      System.arraycopy(samples.get(i).target(), 0, ys, i * 3 * s * s, 3 * s * s);
    }
    NDArray x = call.create(xs, new Shape(real, c, s, s));
    NDArray y = call.create(ys, new Shape(real, 3, s, s));
    if (drawn != null) {
      x = x.concat(drawn.x(), 0);
      y = y.concat(drawn.y(), 0);
    }
    NDArray codes;
    if (opts.restyle()) {
      NDArray recon;
      if (previous == null) {
        recon = averageImage.broadcast(new Shape(b, 3, s, s));
        recon.attach(call); // freed with the call, not kept on the root
      } else {
        recon = previous.yHat.stopGradient();
      }
      NDArray start = previous == null ? latentAvg : previous.codes.stopGradient();
      codes = ops.add(net.encode(ops, ops.concat(List.of(x, recon), 1)), start);
    } else {
      codes = net.encode(ops, x);
      if (opts.bool("start_from_latent_avg")) {
        codes = ops.add(codes, latentAvg);
      }
    }
    List<NDArray> noises = new ArrayList<>();
    for (int i = 0; i < net.numNoises(); i++) {
      long[] shape = net.noiseShape(i).clone();
      shape[0] = b;
      int n = (int) (shape[0] * shape[1] * shape[2] * shape[3]);
      noises.add(call.create(Gaussian.sample(noise, n), new Shape(shape)));
    }
    // with a teacher the decoder sees its rows; the w_norm loss still sees the student's own code
    NDArray decoded = teacher == null ? codes : teacher.mix(call, codes, y);
    NDArray image = net.decode(ops, decoded, noises);
    return new Forward(x, y, codes, net.facePool(ops, image));
  }

  /** latent_avg decoded with the stored noise and pooled to 256: {@code [1,3,256,256]} on the root manager. */
  private NDArray averageImage() {
    return DjlTensorOps.withoutGrad(() -> {
      try (NDManager call = root.newSubManager()) {
        DjlTensorOps ops = new DjlTensorOps(call, params::get);
        NDArray codes = latentAvg.getShape().dimension() == 2 ? latentAvg.expandDims(0) : latentAvg;
        if (codes.getShape().dimension() == 1) {
          codes = codes.reshape(1, 1, -1).repeat(1, net.nStyles());
        }
        NDArray image = net.facePool(ops, net.decode(ops, codes, net.storedNoises(ops))).stopGradient();
        image.attach(root);
        return image;
      }
    });
  }

  /**
   * Scores the test set in eval mode (mean of each loss value over its batches of {@code
   * test_batch_size}, the last partial batch dropped) and saves a grid of the first batches.
   */
  public Map<String, Double> validate() {
    return DjlTensorOps.withoutGrad(this::scoreTestSet);
  }

  private Map<String, Double> scoreTestSet() {
    int b = opts.intOpt("test_batch_size");
    int batches = test.size() / b;
    if (batches == 0) {
      throw new IllegalArgumentException("the test set has " + test.size()
          + " pairs, fewer than test_batch_size " + b);
    }
    Map<String, Double> sum = new LinkedHashMap<>();
    List<float[]> shown = new ArrayList<>();
    for (int k = 0; k < batches; k++) {
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < b; i++) {
        samples.add(test.get(k * b + i, new Random(BatchOrder.mix(opts.seed(), k * b + i, 0x7465737474L))));
      }
      try (NDManager call = root.newSubManager()) {
        DjlTensorOps ops = new DjlTensorOps(call, params::get);
        Random noise = new Random(BatchOrder.mix(opts.seed(), k, NOISE_STREAM ^ 1));
        Forward f = null;
        for (int it = 0; it < opts.iterations(); it++) {
          f = forward(ops, call, samples, noise, f, null); // ReStyle: scored on the last step
        }
        Criterion.Result r = criterion.compute(ops, f.x, f.y, f.yHat, f.codes, latentAvg);
        r.values().forEach((key, v) -> sum.merge(key, v, Double::sum));
        if (shown.size() < 12) {
          show(shown, samples, f.yHat, b);
        }
      }
    }
    sum.replaceAll((key, v) -> v / batches);
    ImageGrid.save(rows(shown), dev.psp.Encoder.INPUT_SIZE,
        expDir.resolve("logs/images/test/faces").resolve(String.format("%04d.png", step)));
    return sum;
  }

  /** The current weights as an official state_dict, in the network's key order. */
  public Map<String, TensorData> stateDict() {
    Map<String, TensorData> sd = new LinkedHashMap<>();
    for (StateDictSpec.Entry e : spec.entries()) {
      if (e.dtype() == DType.INT64) {
        long[] v = counters.get(e.key());
        sd.put(e.key(), TensorData.ofLongs(v.clone(), e.shape()));
      } else {
        sd.put(e.key(), DjlTensorOps.toTensorData(params.get(e.key())));
      }
    }
    return sd;
  }

  /**
   * latent_avg as the official checkpoints save it: pSp's only with start_from_latent_avg, ReStyle's
   * always (its refinement starts from the average code and image); or null.
   */
  private TensorData savedLatentAvg() {
    return opts.bool("start_from_latent_avg") || opts.restyle() ? latentAvgData : null;
  }

  private void writeCheckpoint(String name, Map<String, Double> metrics, boolean best) throws IOException {
    Path dir = expDir.resolve("checkpoints");
    Files.createDirectories(dir);
    TrainingCheckpoint.write(dir.resolve(name), stateDict(), opts.toCheckpointOpts(), savedLatentAvg());
    String line = best ? "**Best**: Step - " + step + ", Loss - " + bestValLoss + " \n" + metrics + "\n"
        : "Step - " + step + ", \n" + metrics + "\n";
    Files.writeString(dir.resolve("timestamp.txt"), line, java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private void writeResume() throws IOException {
    Path dir = expDir.resolve("checkpoints");
    Files.createDirectories(dir);
    TrainingCheckpoint.writeResume(dir.resolve("latest.pt"), stateDict(), opts.toCheckpointOpts(),
        savedLatentAvg(), latentAvgData, step, bestValLoss, optimizer.state(),
        averageImage == null ? null : DjlTensorOps.toTensorData(averageImage));
  }

  @Override
  public void close() {
    optimizer.close();
    root.close();
    if (teacher != null) {
      teacher.close();
    }
    if (generated != null) {
      generated.close();
    }
  }
}
