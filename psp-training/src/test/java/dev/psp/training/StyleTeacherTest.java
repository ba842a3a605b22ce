package dev.psp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sdk_style_teacher}: the student starts from the teacher's decoder and latent_avg, and the
 * decoder sees the teacher's codes of the targets in the rows {@code sdk_teacher_rows}; a diverging
 * run stops with the step that diverged.
 */
class StyleTeacherTest {
  @TempDir Path tmp;

  /** A tiny inversion model trained for a few steps: best_model.pt of its run. */
  private Path teacher(Path gan) throws Exception {
    TrainOptions o = TrainOptions.of(TrainingFixtures.tinyOpts(tmp.resolve("teacher"), gan)).with("max_steps", 4L);
    try (PspTrainer t = PspTrainer.create(o, TrainingFixtures.l2(), TrainingFixtures.discs(16, 1),
        TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      t.train(TrainingListener.silent());
    }
    return tmp.resolve("teacher/checkpoints/iteration_4.pt");
  }

  private TrainOptions student(Path gan, Path teacher, String rows) {
    return TrainOptions.of(TrainingFixtures.tinyOpts(tmp.resolve("student-" + rows), gan))
        .with("sdk_style_teacher", teacher.toString()).with("sdk_teacher_rows", rows).with("max_steps", 2L)
        .with("sdk_seed", 9L);
  }

  @Test
  void withEveryRowFromTheTeacherTheStudentOutputsTheTeachersReconstruction() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 3, true);
    Path teacher = teacher(gan);
    double teacherLoss;
    try (PspTrainer t = PspTrainer.create(TrainOptions.of(TrainingFixtures.tinyOpts(tmp.resolve("teacher"), gan))
        .with("max_steps", 4L).with("sdk_seed", 9L), TrainingFixtures.l2(), TrainingFixtures.discs(16, 1),
        TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      teacherLoss = t.validate().get("loss"); // resumed at the teacher's last step: its weights
    }
    double all;
    double some;
    try (PspTrainer s = PspTrainer.create(student(gan, teacher, "0-5"), TrainingFixtures.l2(),
        TrainingFixtures.discs(16, 1), TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      all = s.validate().get("loss");
    }
    try (PspTrainer s = PspTrainer.create(student(gan, teacher, "3-5"), TrainingFixtures.l2(),
        TrainingFixtures.discs(16, 1), TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      some = s.validate().get("loss");
    }
    System.out.printf("validation L2: teacher %.6f, student with rows 0-5 from it %.6f, with rows 3-5 %.6f%n",
        teacherLoss, all, some);
    // the untrained student's own rows make the output worse; with none of its rows used, it is the teacher
    assertThat(all).isCloseTo(teacherLoss, org.assertj.core.data.Offset.offset(1e-6 * teacherLoss));
    assertThat(some).isGreaterThan(1.03 * teacherLoss);
  }

  @Test
  void theStudentStartsFromTheTeachersDecoderAndLatentAvgAndKeepsThem() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 4, true);
    Path teacher = teacher(gan);
    TrainOptions o = student(gan, teacher, "3-5");
    try (PspTrainer s = PspTrainer.create(o, TrainingFixtures.l2(), TrainingFixtures.discs(16, 1),
        TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      s.train(TrainingListener.silent());
    }
    try (Checkpoint t = CheckpointReader.read(teacher);
        Checkpoint c = CheckpointReader.read(tmp.resolve("student-3-5/checkpoints/iteration_2.pt"))) {
      Map<String, TensorData> ts = t.stateDict();
      Map<String, TensorData> cs = c.stateDict();
      int decoder = 0;
      for (String k : ts.keySet()) {
        if (k.startsWith("decoder.")) {
          assertThat(cs.get(k).toFloatArray()).as(k).containsExactly(ts.get(k).toFloatArray());
          decoder++;
        }
      }
      assertThat(decoder).isGreaterThan(10);
      assertThat(c.latentAvg().orElseThrow().toFloatArray()).containsExactly(t.latentAvg().orElseThrow().toFloatArray());
      assertThat(c.opts()).containsEntry("sdk_teacher_rows", "3-5");
      // the student's encoder trained: it is not the teacher's
      assertThat(cs.get("encoder.input_layer.0.weight").toFloatArray())
          .isNotEqualTo(ts.get("encoder.input_layer.0.weight").toFloatArray());
    }
  }

  @Test
  void aTeacherNeedsAFrozenDecoderAnExistingFileAndRowsOfTheCode() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 5, true);
    Path teacher = teacher(gan);
    assertThatThrownBy(() -> PspTrainer.create(student(gan, teacher, "3-5").with("train_decoder", true),
        TrainingFixtures.l2(), TrainingFixtures.discs(4, 1), TrainingFixtures.discs(4, 2), TrainingFixtures.adam()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("train_decoder=false");
    assertThatThrownBy(() -> PspTrainer.create(student(gan, tmp.resolve("none.pt"), "3-5"),
        TrainingFixtures.l2(), TrainingFixtures.discs(4, 1), TrainingFixtures.discs(4, 2), TrainingFixtures.adam()))
        .isInstanceOf(java.io.FileNotFoundException.class)
        .hasMessageContaining(tmp.resolve("none.pt").toAbsolutePath().toString())
        .hasMessageContaining("pass -s sdk_style_teacher=");
    assertThatThrownBy(() -> PspTrainer.create(student(gan, teacher, "4-9"),
        TrainingFixtures.l2(), TrainingFixtures.discs(4, 1), TrainingFixtures.discs(4, 2), TrainingFixtures.adam()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row");
    assertThatThrownBy(() -> PspTrainer.create(student(gan, teacher, "3-5").with("learn_in_w", true),
        TrainingFixtures.l2(), TrainingFixtures.discs(4, 1), TrainingFixtures.discs(4, 2), TrainingFixtures.adam()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learn_in_w");
  }

  @Test
  void aRunWhoseLossStopsBeingANumberStopsAtThatStep() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 6, true);
    TrainOptions o = TrainOptions.of(TrainingFixtures.tinyOpts(tmp.resolve("diverge"), gan))
        .with("learning_rate", 1e30).with("max_steps", 5L);
    try (PspTrainer t = PspTrainer.create(o, TrainingFixtures.l2(), TrainingFixtures.discs(8, 1),
        TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      assertThatThrownBy(() -> t.train(TrainingListener.silent()))
          .isInstanceOf(ArithmeticException.class).hasMessageContaining("validation loss at step 0 is NaN")
          .hasMessageContaining("learning_rate");
      assertThat(t.step()).isZero(); // the first update diverged: step 0's validation sees it, nothing saved
    }
    assertThat(tmp.resolve("diverge/checkpoints/best_model.pt")).doesNotExist();
  }

  @Test
  void aSaveStepWithoutValidationWritesNoDivergedWeights() throws Exception {
    Path gan = TrainingFixtures.styleGan(tmp, 6, true);
    TrainOptions o = TrainOptions.of(TrainingFixtures.tinyOpts(tmp.resolve("nan-weights"), gan))
        .with("max_steps", 5L).with("save_interval", 1L).with("val_interval", 1000L);
    Criterion l2 = TrainingFixtures.l2();
    int[] trainingCalls = {0};
    // step 1's training loss (grad mode is on in training only) keeps its finite value but gets a
    // NaN gradient: d sqrt(u)/du is infinite at u = 0, times du/dyHat = 0
    Criterion poisoned = (ops, x, y, yHat, latent, avg) -> {
      Criterion.Result r = l2.compute(ops, x, y, yHat, latent, avg);
      if (!JniUtils.isGradMode() || ++trainingCalls[0] != 2) {
        return r;
      }
      NDArray zero = ops.manager().create(0f);
      NDArray nanGradient = yHat.sum().mul(zero).sqrt();
      return new Criterion.Result(r.total().add(nanGradient), r.values());
    };
    try (PspTrainer t = PspTrainer.create(o, poisoned, TrainingFixtures.discs(8, 1),
        TrainingFixtures.discs(4, 2), TrainingFixtures.adam())) {
      assertThatThrownBy(() -> t.train(TrainingListener.silent()))
          .isInstanceOf(ArithmeticException.class).hasMessageContaining("after the update of step 1")
          .hasMessageContaining("learning_rate");
      assertThat(t.step()).isEqualTo(1);
    }
    assertThat(tmp.resolve("nan-weights/checkpoints/iteration_0.pt")).exists();
    assertThat(tmp.resolve("nan-weights/checkpoints/iteration_1.pt")).doesNotExist();
  }
}
