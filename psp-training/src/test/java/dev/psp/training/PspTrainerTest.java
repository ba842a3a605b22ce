package dev.psp.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.LoadOptions;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pSp training loop on a tiny model: learning, checkpoints, exact resume. */
class PspTrainerTest {
  @TempDir Path tmp;

  @Test
  void trainingLowersTheLossFarBeyondChance() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 3, true);
    TrainOptions o = TrainOptions.of(TrainingFixtures.tinyOpts(tmp.resolve("exp"), gan))
        .with("max_steps", 60L);
    try (PspTrainer t = PspTrainer.create(o, TrainingFixtures.l2(), TrainingFixtures.discs(64, 1),
        TrainingFixtures.discs(8, 2), TrainingFixtures.adam())) {
      double before = t.validate().get("loss");
      t.train(TrainingListener.silent());
      double after = t.validate().get("loss");
      List<Map<String, Double>> h = t.history();
      double first = h.subList(0, 10).stream().mapToDouble(m -> m.get("loss")).average().orElseThrow();
      double last = h.subList(h.size() - 10, h.size()).stream().mapToDouble(m -> m.get("loss")).average().orElseThrow();
      System.out.printf("validation L2 %.4f -> %.4f; train L2 mean of first 10 steps %.4f, last 10 %.4f%n",
          before, after, first, last);
      // the validation set is fixed and scored without randomness: a halving is no accident
      assertThat(after).isLessThan(0.5 * before);
      assertThat(last).isLessThan(0.6 * first);
    }
    Path exp = tmp.resolve("exp");
    assertThat(exp.resolve("checkpoints/best_model.pt")).exists();
    assertThat(exp.resolve("checkpoints/iteration_60.pt")).exists();
    // 61 training lines (steps 0..60) and 2 validations (step 0 and the last step)
    assertThat(Files.readAllLines(exp.resolve("logs/train.jsonl"))).hasSize(61 + 2);
    assertThat(exp.resolve("logs/images/train/faces/0000.png")).exists();
  }

  @Test
  void stoppedAndResumedRunEqualsUninterruptedRun() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 4, true);
    TrainOptions base = TrainOptions.of(TrainingFixtures.tinyOpts(tmp.resolve("a"), gan))
        .with("max_steps", 12L).with("save_interval", 5L);
    List<Map<String, Double>> full = trainToTheEnd(base);
    TrainOptions b = base.with("exp_dir", tmp.resolve("b").toString());
    try (PspTrainer t = resumable(b)) {
      t.trainUntil(7, TrainingListener.silent()); // latest.pt was written after step 5
    }
    // a resumed run keeps how codes start and what trains; it may change loss weights and max_steps
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> resumable(
        b.with("start_from_latent_avg", false).with("train_decoder", true)))
        .hasMessageContaining("holds a run with other options: start_from_latent_avg true (this run: false),"
            + " train_decoder false (this run: true)").hasMessageContaining("another exp_dir");
    assertResumesAt(b, 6, full);
    try (Checkpoint ca = CheckpointReader.read(tmp.resolve("a/checkpoints/iteration_12.pt"));
        Checkpoint cb = CheckpointReader.read(tmp.resolve("b/checkpoints/iteration_12.pt"))) {
      Map<String, TensorData> sa = ca.stateDict();
      Map<String, TensorData> sb = cb.stateDict();
      assertThat(sb.keySet()).containsExactlyElementsOf(sa.keySet());
      for (String k : sa.keySet()) {
        assertThat(sb.get(k).toFloatArray()).as(k).containsExactly(sa.get(k).toFloatArray());
      }
    }
    // the resumed run dropped the log lines of steps 6-7 it retrained: 13 train lines and 2 validations
    List<String> log = Files.readAllLines(tmp.resolve("b/logs/train.jsonl"));
    assertThat(log).hasSize(15);
    assertThat(withoutTimes(log)).isEqualTo(withoutTimes(Files.readAllLines(tmp.resolve("a/logs/train.jsonl"))));
  }

  private static List<String> withoutTimes(List<String> lines) {
    return lines.stream().map(l -> l.replaceAll(",\"seconds\":[0-9.]+", "")).toList();
  }

  @Test
  void trainedCheckpointLoadsThroughThePublicApiWithItsBatchNormStatistics() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 5, false);
    TrainOptions o = TrainOptions.of(TrainingFixtures.tinyOpts(tmp.resolve("exp"), gan)).with("max_steps", 3L);
    Map<String, TensorData> sd;
    try (PspTrainer t = PspTrainer.create(o, TrainingFixtures.l2(), TrainingFixtures.discs(8, 1),
        TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      t.train(TrainingListener.silent());
      sd = t.stateDict();
    }
    // four training steps in train mode: every BatchNorm counted 4 batches and moved its running stats
    assertThat(sd.get("encoder.input_layer.1.num_batches_tracked").toLongArray()).containsExactly(4);
    assertThat(sd.get("encoder.input_layer.1.running_var").toFloatArray()).isNotEqualTo(new float[sd.get(
        "encoder.input_layer.1.running_var").toFloatArray().length]);
    Path ckpt = tmp.resolve("exp/checkpoints/iteration_3.pt");
    try (Checkpoint c = CheckpointReader.read(ckpt)) {
      assertThat(c.opts()).containsEntry("device", "cpu").containsEntry("n_styles", 6L)
          .containsEntry("output_size", (long) TrainingFixtures.SIZE);
      assertThat(c.latentAvg()).isPresent(); // start_from_latent_avg: mean_latent of the decoder
      assertThat(c.latentAvg().get().shape()).containsExactly(TrainingFixtures.ARCH.styleDim());
    }
    try (PspModel m = Psp.load(ckpt.toString(), LoadOptions.defaults().optEngine("pytorch"))) {
      assertThat(m.config().outputSize()).isEqualTo(TrainingFixtures.SIZE);
    }
  }

  @Test
  void reStyleTrainingRefinesOverItsStepsAndGivesACheckpointThatRefines() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 3, true);
    Map<String, Object> tiny = reStyleOpts(tmp.resolve("restyle"), gan, 3);
    tiny.put("start_from_latent_avg", false); // the official default: ReStyle checkpoints carry latent_avg anyway
    TrainOptions o = TrainOptions.of(tiny).with("max_steps", 40L);
    try (PspTrainer t = PspTrainer.create(o, TrainingFixtures.l2(), TrainingFixtures.discs(64, 1),
        TrainingFixtures.discs(8, 2), TrainingFixtures.adam())) {
      double before = t.validate().get("loss");
      t.train(TrainingListener.silent());
      double after = t.validate().get("loss");
      System.out.printf("ReStyle validation L2 (last of 3 steps) %.4f -> %.4f%n", before, after);
      assertThat(after).isLessThan(0.7 * before);
    }
    Path ckpt = tmp.resolve("restyle/checkpoints/iteration_40.pt");
    try (Checkpoint c = CheckpointReader.read(ckpt)) { // each of the 3 passes of a step moves BatchNorm's statistics
      long tracked = c.stateDict().entrySet().stream().filter(e -> e.getKey().endsWith("num_batches_tracked"))
          .findFirst().orElseThrow().getValue().toLongArray()[0];
      assertThat(tracked).isEqualTo(3 * 41L); // steps 0..40
    }
    try (PspModel m = Psp.load(ckpt.toString(), LoadOptions.defaults().optEngine("pytorch"))) {
      assertThat(m.config().family()).isEqualTo(dev.psp.ModelFamily.RESTYLE_PSP);
      assertThat(m.config().defaultIterations()).isEqualTo(3);
      float[] v = new float[3 * 256 * 256];
      java.util.Arrays.fill(v, 0.2f);
      List<dev.psp.RefinementStep> steps = m.refine(TensorData.ofFloats(v, 1, 3, 256, 256), 3);
      assertThat(steps).hasSize(3);
      assertThat(steps.get(2).code()).isNotEqualTo(steps.get(0).code());
    }
    // the option belongs to ReStyle encoders only
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrainOptions.of(Map.of(TrainOptions.RESTYLE_ITERATIONS, 3L)))
        .hasMessageContaining("exactly when encoder_type is one of ReStyle's");
  }

  @Test
  void reStyleWithATrainedDecoderResumesWithTheAverageImageOfItsFirstStep() throws Exception {
    // ReStyle's first pass reads the average image, decoded once when the run starts; with
    // train_decoder the decoder moves, so a resumed run must keep that image, not decode a new one
    Path gan = TrainingFixtures.styleGan(tmp, 6, true);
    Map<String, Object> tiny = reStyleOpts(tmp.resolve("a"), gan, 2);
    tiny.put("train_decoder", true);
    TrainOptions base = TrainOptions.of(tiny).with("max_steps", 8L).with("save_interval", 3L);
    List<Map<String, Double>> full = trainToTheEnd(base);
    TrainOptions b = base.with("exp_dir", tmp.resolve("b").toString());
    try (PspTrainer t = resumable(b)) {
      t.trainUntil(5, TrainingListener.silent()); // latest.pt was written after step 3
    }
    assertResumesAt(b, 4, full);
  }

  /** The tiny options with ReStyle's BackboneEncoder ({@code input_nc} 6) and {@code iterations} passes a step. */
  private static Map<String, Object> reStyleOpts(Path exp, Path gan, long iterations) {
    Map<String, Object> tiny = new java.util.LinkedHashMap<>(TrainingFixtures.tinyOpts(exp, gan));
    tiny.put("encoder_type", "BackboneEncoder");
    tiny.put("input_nc", 6L);
    tiny.put(TrainOptions.RESTYLE_ITERATIONS, iterations);
    return tiny;
  }

  /** A trainer on the resume tests' data (10 training, 4 validation samples, Adam). */
  private static PspTrainer resumable(TrainOptions o) throws Exception {
    return PspTrainer.create(o, TrainingFixtures.l2(), TrainingFixtures.discs(10, 1), TrainingFixtures.discs(4, 2),
        TrainingFixtures.adam());
  }

  /** The loss history of an uninterrupted run of {@code o} (all steps: the tests train fewer than HISTORY). */
  private static List<Map<String, Double>> trainToTheEnd(TrainOptions o) throws Exception {
    try (PspTrainer t = resumable(o)) {
      t.train(TrainingListener.silent());
      return t.history();
    }
  }

  /** Resumes {@code o} and checks it starts at {@code step} and trains the losses of the uninterrupted run. */
  private static void assertResumesAt(TrainOptions o, int step, List<Map<String, Double>> full) throws Exception {
    List<Map<String, Double>> resumed;
    try (PspTrainer t = resumable(o)) {
      assertThat(t.step()).isEqualTo(step);
      t.train(TrainingListener.silent());
      resumed = t.history();
    }
    assertThat(resumed).hasSize(full.size() - step);
    for (int i = 0; i < resumed.size(); i++) {
      assertThat(resumed.get(i).get("loss")).as("step %d", step + i).isEqualTo(full.get(step + i).get("loss"));
    }
  }

  @Test
  void aMistypedDatasetTypeOrASegmentationWithoutClassesIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrainOptions.of(Map.of("dataset_type", "celebs_superres")))
        .hasMessageContaining("dataset_type 'celebs_superres' is none of the official ones")
        .hasMessageContaining("celebs_super_resolution").hasMessageContaining("sdk_task");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TrainOptions.of(Map.of("dataset_type", "celebs_seg_to_face")))
        .hasMessageContaining("segmentation to face needs label_nc");
    assertThat(TrainOptions.of(Map.of("dataset_type", "cars_encode")).task()).isEqualTo(dev.psp.TranslationTask.INVERSION);
    assertThat(TrainOptions.of(Map.of("dataset_type", "anything", "sdk_task", "inpainting")).task())
        .isEqualTo(dev.psp.TranslationTask.INPAINTING);
    // a run saved with an unofficial dataset_type (inversion) resumes once sdk_task names the same task;
    // options left out compare as their defaults
    TrainOptions named = TrainOptions.of(Map.of("dataset_type", "my_faces", "sdk_task", "inversion"));
    assertThat(named.resumeConflicts(Map.of("dataset_type", "my_faces", "sdk_width_divisor", 1L))).isEmpty();
    assertThat(named.resumeConflicts(Map.of("dataset_type", "celebs_sketch_to_face", "label_nc", 1L)))
        .containsExactly("task SKETCH_TO_FACE (this run: INVERSION)", "label_nc 1 (this run: 0)");
  }
}
