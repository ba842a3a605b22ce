#!/usr/bin/env bash
# Retrains every bundled demo model from scratch on this machine (2 cores):
#   1. a StyleGAN2 (64 px, widths /16, 4-layer mapping) on the synthetic face domain: GAN_STEPS on one
#      thread, then GAN_MORE_STEPS on two (exact resume); the bundled demo_stylegan2.pt is the result;
#   2. one pSp model per task on synthetic pairs, starting from that generator; the decoder is
#      fine-tuned too (the official option train_decoder: a 2-core StyleGAN2 is too weak to keep
#      fixed). Inversion trains first (learning rate 1e-3, two stages: the w_norm penalty is dropped
#      after step 1200); frontalization, super-resolution and inpainting start from its best
#      checkpoint (the official checkpoint_path option). Sketch and segmentation learn the geometry
#      with the inversion model's decoder frozen and its colours (fine rows) as a teacher;
#   3. copies the best checkpoints into models/ and rewrites the stored outputs the tests compare.
# Thread counts are part of the recipe: a libtorch run on 1 and on 2 threads rounds differently.
# Usage: scripts/train_demo_models.sh [work-dir]   (GAN_STEPS, GAN_MORE_STEPS, PSP_STEPS override the step counts)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:-/tmp/demo-train}
GAN_STEPS=${GAN_STEPS:-2200}
GAN_MORE_STEPS=${GAN_MORE_STEPS:-11000}
PSP_STEPS=${PSP_STEPS:-600}
mkdir -p "$WORK" models
export OPT_OUT_TRACKING=true OMP_NUM_THREADS=1

if [ ! -f "$WORK/psp.jar" ]; then
  mvn -B -ntp -q install -DskipTests
  cp psp-examples/target/psp.jar "$WORK/psp.jar"   # a private copy: rebuilding must not touch a running jar
fi
psp() { # psp <threads> args...
  local threads=$1; shift
  OMP_NUM_THREADS=$threads java -Xmx6g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" \
    -Dai.djl.pytorch.num_interop_threads=1 -jar "$WORK/psp.jar" "$@"
}

# 1. StyleGAN2, in two runs that a rerun resumes (exact resume) or skips when they are complete
psp 1 train-stylegan -o "$WORK/stylegan2.pt" --size 64 --width-divisor 16 --n-mlp 4 --batch 8 \
  --until-step "$GAN_STEPS" --save-every 200 2> "$WORK/gan.progress"

# the StyleGAN2 trains on (exact resume: optimizers, EMA, step); at 2200 steps its samples are
# formless, at 8200 and 13200 they show head outlines, hair shapes, hats and dark eye/glasses regions
[ -f "$WORK/stylegan2_long.pt" ] || cp "$WORK/stylegan2.pt" "$WORK/stylegan2_long.pt"
psp 2 train-stylegan -o "$WORK/stylegan2_long.pt" --size 64 --width-divisor 16 --n-mlp 4 --batch 8 \
  --until-step $((GAN_STEPS + GAN_MORE_STEPS)) --save-every 500 2> "$WORK/gan_long.progress"

GAN="$WORK/stylegan2_long.pt"

# 2. pSp per task: threads name dataset_type input_nc label_nc extra options (later -s win)
train_task() {
  local threads=$1 task=$2 dataset=$3 nc=$4 label=$5; shift 5
  psp "$threads" train --exp-dir "$WORK/$task" --synthetic 4000 \
    -s dataset_type="$dataset" -s input_nc="$nc" -s label_nc="$label" -s output_size=64 \
    -s sdk_width_divisor=16 -s "sdk_body_units=[1,2,2,1]" -s sdk_n_mlp=4 \
    -s stylegan_weights="$GAN" -s start_from_latent_avg=true \
    -s batch_size=8 -s test_batch_size=8 -s learning_rate=0.0005 -s optim_name=ranger \
    -s l2_lambda=1.0 -s lpips_lambda=0 -s w_norm_lambda=0.005 -s train_decoder=true \
    -s max_steps="$PSP_STEPS" -s val_interval=200 -s save_interval=200 -s image_interval=200 \
    -s board_interval=10 "$@" >> "$WORK/$task.log" 2> "$WORK/$task.progress"
}
INV=(-s learning_rate=0.001 -s val_interval=200 -s save_interval=200)
train_task 2 inversion ffhq_encode 3 0 "${INV[@]}" -s max_steps=1200
train_task 2 inversion ffhq_encode 3 0 "${INV[@]}" -s max_steps=4000 -s w_norm_lambda=0   # resumes at 1201
# the other photo tasks start from the inversion model: same encoder, same decoder
FROM=(-s checkpoint_path="$WORK/inversion/checkpoints/best_model.pt" -s learning_rate=0.001 -s w_norm_lambda=0
      -s max_steps=1000)
train_task 2 frontalization ffhq_frontalize 3 0 "${FROM[@]}"
train_task 2 super_resolution celebs_super_resolution 3 0 "${FROM[@]}" -s resize_factors=1,2,4,8,16
train_task 2 inpainting ffhq_encode 3 0 "${FROM[@]}" -s sdk_task=inpainting
# sketches and label maps say nothing of colours: in training, the fine rows (7-9, the rows style
# mixing replaces) come from the inversion model's code of the target (sdk_style_teacher), whose
# decoder they share, frozen; the encoder learns the geometry. At inference those rows come from
# style mixing, or stay near latent_avg
TEACH=(-s sdk_style_teacher="$WORK/inversion/checkpoints/best_model.pt" -s sdk_teacher_rows=fine
       -s train_decoder=false -s learning_rate=0.001 -s max_steps=1600)
train_task 2 sketch_to_face celebs_sketch_to_face 1 1 "${TEACH[@]}"
train_task 2 segmentation_to_face celebs_seg_to_face 19 19 "${TEACH[@]}"
# ReStyle over pSp: the encoder reads the image and the current reconstruction (input_nc 6) and refines
# over 3 steps per batch; the decoder stays frozen, as in the ReStyle paper
train_task 2 restyle_inversion ffhq_encode 6 0 -s encoder_type=BackboneEncoder -s n_iters_per_batch=3 -s train_decoder=false

# 3. bundle (the StyleGAN2 too: pSp training on the synthetic domain can start from it)
scripts/bundle_demo_models.sh "$WORK/stylegan2_long.pt" "$WORK"
