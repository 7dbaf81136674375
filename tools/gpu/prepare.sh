#!/bin/bash
# Prepare .gpu/ (ignored by git) for a run on a lent GPU machine that has PyTorch but no network and no fastai:
# wheels of the pinned stack (with accelerate, the [distributed] extra, for lesson 8's two-process test), and a copy of the data with the photos shrunk so that it fits the 64 MiB transfer limit.
#   echo /.gpu/ >> .git/info/exclude; bash tools/gpu/prepare.sh ../shared/data
# then, with the device tool: run `BENCH=1 bash tools/gpu/run.sh` carrying .gpu
set -e
cd "$(dirname "$0")/../.."
data=${1:-../shared/data}
mkdir -p .gpu/whl
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .gpu/whl \
  fastai==2.8.7 fastcore==1.14.5 fastdownload==0.0.8 fastprogress==1.1.6 fasttransform==0.0.2 plum-dispatch==2.9.0 \
  beartype==0.23.1 python-fasthtml==0.14.5 python-multipart==0.0.34 itsdangerous==2.2.0 starlette==1.10.0 defusedxml==0.7.1 \
  execnb==0.1.18 nbdev==2.4.14 astunparse==1.6.3 ipython==9.18.1 ipython-pygments-lexers matplotlib-inline==0.2.2 \
  traitlets==5.16.1 ipywidgets==8.1.9 comm==0.2.3 widgetsnbextension jupyterlab_widgets jedi parso pexpect ptyprocess \
  prompt_toolkit wcwidth stack_data executing asttokens pure_eval decorator ghapi==1.0.6 fastgit watchdog \
  accelerate==1.15.0 huggingface_hub==2.4.0 safetensors==0.8.0 psutil==7.2.2 pyyaml==6.0.3 hf-xet==1.8.0 click==8.5.1 \
  httpx2==2.16.2 httpcore2==2.16.2 anyio==4.16.0 h11==0.16.0 idna==3.20 tqdm==4.70.1 truststore==0.10.5 packaging==26.3
.venv/bin/python tools/gpu/shrink_data.py "$data" .gpu/data
du -sh .gpu
