package dev.psp.training;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What every training option means, grouped as {@code psp train --list-options} prints them: the
 * official options of {@code options/train_options.py} (same names and defaults) and the SDK's
 * {@code sdk_*} additions. A test checks that the list and {@link TrainOptions} agree.
 */
public final class TrainOptionDocs {
  /** One option: its group, key, default (null for none) and meaning. */
  public record Option(String group, String key, Object defaultValue, String meaning) {}

  private TrainOptionDocs() {}

  /** Every option, in groups: data, model, losses, optimiser, schedule, logging, weights files, SDK. */
  public static List<Option> all() {
    List<Option> o = new ArrayList<>();
    String g = "data";
    add(o, g, "dataset_type", "the task and its dataset: ffhq_encode, ffhq_frontalize, celebs_sketch_to_face,"
        + " celebs_seg_to_face, celebs_super_resolution (as in the official data_configs)");
    add(o, g, "input_nc", "channels of the encoder input: 3 for images, 1 for sketches, 19 for label maps");
    add(o, g, "label_nc", "label channels (1 for sketches, 19 for segmentation, 0 for images)");
    add(o, g, "resize_factors", "super-resolution only: comma-separated down-sampling factors, e.g. 1,2,4,8,16,32");
    add(o, g, "batch_size", "training batch size");
    add(o, g, "test_batch_size", "validation batch size");
    add(o, g, "workers", "official data-loader processes (recorded; the SDK loads data in the training thread)");
    add(o, g, "test_workers", "official validation data-loader processes (recorded, unused)");
    g = "model";
    add(o, g, "encoder_type", "GradualStyleEncoder (pSp), BackboneEncoderUsingLastLayerIntoW (W) or"
        + " BackboneEncoderUsingLastLayerIntoWPlus (naive W+)");
    add(o, g, "output_size", "generator output size in pixels (a power of two); taken from stylegan_weights'"
        + " args when it has them and this is unset");
    add(o, g, "start_from_latent_avg", "add latent_avg to the encoder output (true for every official model)");
    add(o, g, "learn_in_w", "predict one w instead of W+ (needs the W encoder)");
    add(o, g, "train_decoder", "also train the StyleGAN2 decoder (the paper keeps it fixed)");
    g = "losses";
    add(o, g, "l2_lambda", "weight of the pixel-wise L2 loss");
    add(o, g, "lpips_lambda", "weight of the LPIPS loss (needs sdk_lpips_backbone and sdk_lpips_lin)");
    add(o, g, "id_lambda", "weight of the identity loss (needs sdk_ir_se50); 0 or moco_lambda 0");
    add(o, g, "moco_lambda", "weight of the MoCo feature loss (needs sdk_moco)");
    add(o, g, "w_norm_lambda", "weight of ||E(x) - latent_avg||");
    add(o, g, "l2_lambda_crop", "weight of L2 on the inner face crop");
    add(o, g, "lpips_lambda_crop", "weight of LPIPS on the inner face crop");
    add(o, g, "sdk_crop", "box of the *_crop terms: top,bottom,left,right of the 256-px image (official 35,223,32,220)");
    g = "optimiser";
    add(o, g, "optim_name", "ranger (RAdam + Lookahead, the official default) or adam");
    add(o, g, "learning_rate", "learning rate");
    g = "schedule";
    add(o, g, "max_steps", "last training step (steps 0..max_steps run)");
    add(o, g, "val_interval", "steps between validations; the best one is saved as best_model.pt");
    add(o, g, "save_interval", "steps between iteration_N.pt checkpoints (none: only best and latest)");
    g = "logging";
    add(o, g, "exp_dir", "output folder (checkpoints/, logs/, images/); set by --exp-dir");
    add(o, g, "image_interval", "steps between image grids");
    add(o, g, "board_interval", "steps between logged loss lines (logs/train.jsonl)");
    add(o, g, "use_wandb", "official Weights & Biases switch (recorded; the SDK writes JSON lines instead)");
    g = "weights files";
    add(o, g, "stylegan_weights", "StyleGAN2 checkpoint the decoder starts from (its g_ema and latent_avg)");
    add(o, g, "checkpoint_path", "a pSp checkpoint to start from instead (its whole model and latent_avg)");
    add(o, g, "sdk_ir_se50", "model_ir_se50.pth: the encoder's IR-SE-50 start and the identity loss network");
    add(o, g, "sdk_lpips_net", "LPIPS backbone: alex (default) or vgg");
    add(o, g, "sdk_lpips_backbone", "torchvision AlexNet/VGG16 weights for LPIPS");
    add(o, g, "sdk_lpips_lin", "LPIPS v0.1 linear heads (alex.pth or vgg.pth)");
    add(o, g, "sdk_moco", "moco_v2_800ep_pretrain.pt for the MoCo loss");
    add(o, g, "sdk_d_features_lambda", "weight of the discriminator feature-matching loss (loss_d_features, default 0):"
        + " a perceptual loss on a StyleGAN2 discriminator trained by psp train-stylegan");
    add(o, g, "sdk_discriminator", "the psp train-stylegan checkpoint whose discriminator sdk_d_features_lambda uses"
        + " (default stylegan_weights)");
    add(o, g, "sdk_parser_lambda", "weight of the face-parser feature-matching loss (loss_parser, default 0):"
        + " a perceptual loss on the face parser of sdk_parser");
    add(o, g, "sdk_parser_labels_lambda", "weight of the label-consistency loss (loss_parser_labels, default 0, segmentation"
        + " only): class-weighted cross-entropy between the sdk_parser's labels of the output and the input label map");
    add(o, g, "sdk_parser", "a face parser written by psp train-parser, for sdk_parser_lambda and sdk_parser_labels_lambda");
    add(o, g, "sdk_style_teacher", "a pSp inversion model: the decoder and latent_avg start from it, and its codes"
        + " of the targets replace sdk_teacher_rows of the student's code in training (needs train_decoder=false)");
    add(o, g, "sdk_teacher_rows", "W+ rows the teacher supplies: fine (default), coarse, medium, numbers or ranges");
    add(o, g, "sdk_generated", "pairs of each batch drawn from the frozen decoder instead of the data (default 0):"
        + " the target is G(w) of a random w, the source the image (inversion) or its labels by sdk_generated_parser"
        + " (segmentation)");
    add(o, g, "sdk_generated_w_lambda", "weight of the W+ loss on the drawn pairs (loss_w_generated, default 0):"
        + " the mean squared difference between the encoder's code and their w");
    add(o, g, "sdk_generated_parser", "a face parser written by psp train-parser that labels the drawn faces for"
        + " segmentation");
    add(o, g, "sdk_code_targets", "a .npy file of W+ codes of the training faces, row f for face f (psp fit-codes"
        + " writes it): the encoder is graded against them (loss_w_target); not for tasks that flip their pairs");
    add(o, g, "sdk_code_targets_lambda", "weight of loss_w_target, the mean squared difference from the face's code"
        + " (default 1)");
    add(o, g, "sdk_code_targets_rows", "W+ rows graded against the codes: numbers, ranges, coarse, medium or fine"
        + " (default: every row the teacher does not supply)");
    g = "sdk";
    add(o, g, "sdk_seed", "seed of data order, augmentation, noise and initialisation (default 0)");
    add(o, g, "sdk_task", "a task the official dataset types lack: inpainting");
    add(o, g, "sdk_oversample", "psp train --synthetic only: draw a face k times as often for each label it"
        + " carries, e.g. glasses=3 (attribute=k[,attribute=k]; default: every face once)");
    add(o, g, "sdk_width_divisor", "all channel counts divided by this power of two (1 = official); taken from"
        + " stylegan_weights' args when unset");
    add(o, g, "sdk_encoder_width_divisor", "the encoder's channel counts divided by this instead (a smaller value"
        + " makes the encoder wider than its generator; default sdk_width_divisor)");
    add(o, g, "sdk_body_units", "residual units per IR-SE stage (official [3,4,14,3])");
    add(o, g, "sdk_n_mlp", "layers of the mapping network (official 8); taken from stylegan_weights' args when unset");
    return List.copyOf(o);
  }

  /** The keys of {@link #all()}; an {@code sdk_*} key outside them is a typo. */
  public static Set<String> keys() {
    Set<String> keys = new HashSet<>();
    for (Option o : all()) {
      keys.add(o.key());
    }
    return keys;
  }

  private static void add(List<Option> o, String group, String key, String meaning) {
    o.add(new Option(group, key, TrainOptions.defaultValue(key), meaning));
  }
}
