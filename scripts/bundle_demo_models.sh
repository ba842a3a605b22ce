#!/usr/bin/env bash
# Copies a demo training run into models/ (the StyleGAN2 and each task's best checkpoint) and rewrites
# the outputs BundledModelsTest compares (psp-examples/src/test/resources/bundled-expected).
# Usage: scripts/bundle_demo_models.sh <stylegan2.pt> <work-dir>   (the work dir of train_demo_models*.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
GAN=$1
WORK=$2
cp "$GAN" models/demo_stylegan2.pt
for task in inversion frontalization sketch_to_face segmentation_to_face super_resolution inpainting restyle_inversion; do
  cp "$WORK/$task/checkpoints/best_model.pt" "models/demo_$task.pt"
done
mvn -B -ntp -q install -DskipTests
mvn -B -ntp -q -pl psp-examples test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
java -Dai.djl.offline=true -cp "psp-examples/target/test-classes:psp-examples/target/classes:$(cat "$WORK/cp.txt")" \
  dev.psp.cli.WriteBundledExpectations psp-examples/src/test/resources/bundled-expected
ls -la models
