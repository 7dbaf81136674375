#!/bin/bash
# On the GPU machine: install the pinned fastai stack (wheels from prepare.sh) beside its torch, run every notebook's tests (NBFLAGS="--flags slow" for all cells) and, with BENCH=1, the benchmark; logs in $OUT
cd "$(dirname "$0")/../.."
python3 -m pip install -q --no-index --no-deps --no-build-isolation .gpu/whl/*.whl 2>&1 | tail -3
python3 -m pip install -q --no-index --no-deps --no-build-isolation -e . 2>&1 | tail -3
nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv
python3 -c "import torch, torchvision, fastai, PIL; print('torch', torch.__version__, 'tv', torchvision.__version__, 'fastai', fastai.__version__, 'PIL', PIL.__version__, 'cuda', torch.cuda.is_available())"
export RESNET_NB_DATA=$PWD/.gpu/data PYTHONUNBUFFERED=1 OUT=${OUT:-$PWD/out/gpu}
mkdir -p $OUT
start=$(date +%s)
nbdev_test --n_workers 4 --timing $NBFLAGS > $OUT/nbdev_test.log 2>&1; echo "nbdev_test rc=$? in $(( $(date +%s)-start )) s"
tail -40 $OUT/nbdev_test.log
if [ -n "$BENCH" ]; then
  BENCH_OUT=$OUT BENCH_N=${BENCH_N:-960} BENCH_NPRED=${BENCH_NPRED:-469} python3 bench/pets_speed.py > $OUT/bench.log 2>&1; tail -30 $OUT/bench.log
fi
