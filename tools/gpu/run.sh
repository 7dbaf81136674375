#!/bin/bash
# On the GPU machine: install the pinned fastai stack (wheels from prepare.sh) beside its torch, run every notebook's tests (NBFLAGS="--flags slow" for all cells;
# TESTS=0: none) and, with BENCH=1, bench/pets_speed.py; with SCALE=1 the GPU items of lesson 8 (the launcher with one process on the GPU,
# bench/pipeline.py at batch 256 over 5,120 files, bench/progressive.py twice as long); logs and tables in $OUT (8 files at most come back)
cd "$(dirname "$0")/../.."
python3 -m pip install -q --no-index --no-deps --no-build-isolation .gpu/whl/*.whl 2>&1 | tail -3
python3 -m pip install -q --no-index --no-deps --no-build-isolation -e . 2>&1 | tail -3
nvidia-smi --query-gpu=name,memory.total,memory.used --format=csv
python3 -c "import torch, torchvision, fastai, PIL; print('torch', torch.__version__, 'tv', torchvision.__version__, 'fastai', fastai.__version__, 'PIL', PIL.__version__, 'cuda', torch.cuda.is_available())"
export RESNET_NB_DATA=$PWD/.gpu/data PYTHONUNBUFFERED=1 OUT=${OUT:-$PWD/out/gpu}
mkdir -p $OUT
start=$(date +%s)
if [ "${TESTS:-1}" = 1 ]; then
  # 03c_app needs gradio and a browser (Chromium), which that machine does not have
  nbdev_test --n_workers 4 --timing --skip_file_re '^([_.]|03c_app)' $NBFLAGS > $OUT/nbdev_test.log 2>&1; echo "nbdev_test rc=$? in $(( $(date +%s)-start )) s"
  tail -40 $OUT/nbdev_test.log
fi
if [ -n "$BENCH" ]; then
  BENCH_OUT=$OUT BENCH_N=${BENCH_N:-960} BENCH_NPRED=${BENCH_NPRED:-469} python3 bench/pets_speed.py > $OUT/bench.log 2>&1; tail -30 $OUT/bench.log
fi
if [ -n "$SCALE" ]; then
  torchrun --nproc_per_node 1 $(which resnet_nb_train) $RESNET_NB_DATA/dogscats --no-pretrained --epochs 1 --size 128 \
    --out /tmp/torchrun_model > $OUT/torchrun.log 2>&1; echo "torchrun, one process: rc=$?"; grep '^{' $OUT/torchrun.log; ls /tmp/torchrun_model
  BENCH_OUT=$OUT BENCH_BS=${BENCH_BS:-256} BENCH_N=${BENCH_N:-5120} BENCH_NPRED=${BENCH_NPRED:-5120} BENCH_ROUNDS=${BENCH_ROUNDS:-3} \
    python3 bench/pipeline.py > $OUT/pipeline.log 2>&1; echo "pipeline rc=$?"; tail -30 $OUT/pipeline.log
  BENCH_OUT=$OUT BENCH_LONG=${BENCH_LONG:-2} python3 bench/progressive.py > $OUT/progressive.log 2>&1; echo "progressive rc=$?"; tail -12 $OUT/progressive.log
fi
