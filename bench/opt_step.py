"""How much of a training batch is the optimiser step? fastai's `Adam` against `FusedAdam` (lesson 8: the same steps as PyTorch's fused AdamW),
and against `FusedAdam` removing the gradients after each step (PyTorch's default `zero_grad`) instead of zeroing them.

ResNet-18 with fastai's head (`make_learner`, random weights), batch 32, preloaded tensors (no input pipeline), 64 and 128 px.
A callback times each batch (before_batch to after_batch) and its optimiser step (before_step to after_step); the two
optimisers' epochs alternate, round after round; the table gives medians over all training batches.
Prints a markdown table, writes bench/opt_step<suffix>.md and .png.
    python bench/opt_step.py
"""
import os, sys, time, warnings
warnings.filterwarnings('ignore')
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from fastai.vision.all import *
from resnet_nb.core import setup_run
from resnet_nb.learner import make_learner
from resnet_nb.scale import FusedAdam
from pets_speed import BS, DEV, sync, preloaded_dls
from common import md_table, bench_file, device_name

N_TRAIN, ROUNDS = int(os.environ.get('BENCH_N', 320)), int(os.environ.get('BENCH_ROUNDS', 5))

class StepTimer(Callback):
    "Record the seconds of each training batch and of its optimiser step"
    order = 100
    def before_fit(self): self.batch, self.step = [], []
    def before_batch(self):
        if self.training: sync(); self.t0 = time.perf_counter()
    def before_step(self): sync(); self.t1 = time.perf_counter()
    def after_step(self): sync(); self.step.append(time.perf_counter() - self.t1)
    def after_batch(self):
        if self.training: sync(); self.batch.append(time.perf_counter() - self.t0)

class FusedAdamRemovingGrads(FusedAdam):
    "`FusedAdam` with PyTorch's default `zero_grad`: gradients removed, so backward allocates them again"
    def zero_grad(self): self.opt.zero_grad(set_to_none=True)

def learner(opt_func, size):
    "A learner on `N_TRAIN` preloaded random images of `size` px, timing its batches"
    return make_learner(preloaded_dls(size, N_TRAIN, BS), 'resnet18', pretrained=False, n_out=2, opt_func=opt_func, cbs=StepTimer())

def main():
    setup_run(42)
    rows = []
    for size in (64, 128):
        ls = {'fastai Adam': learner(Adam, size), 'FusedAdam': learner(FusedAdam, size),
              'FusedAdam, gradients removed': learner(FusedAdamRemovingGrads, size)}
        got = {k: ([], []) for k in ls}
        for _ in range(ROUNDS):
            for k, l in ls.items():
                with l.no_bar(), l.no_logging(): l.fit(1, 1e-3)
                got[k][0].extend(l.step_timer.batch); got[k][1].extend(l.step_timer.step)
        for k, (b, s) in got.items():
            b, s = np.median(b), np.median(s)
            rows.append(dict(size=size, optimiser=k, batch_ms=round(b*1e3, 1), step_ms=round(s*1e3, 1), step_share=round(s/b, 3)))
    df = pd.DataFrame(rows)
    where = device_name()
    head = (f'torch {torch.__version__}, {where}, ResNet-18 with fastai\'s head, batch {BS}, preloaded tensors; '
            f'medians over {ROUNDS} epochs of {N_TRAIN // BS} training batches per optimiser, epochs alternating.')
    text = '\n'.join([head, '', md_table(df)])
    print(text)
    bench_file('opt_step.md').write_text(text + '\n')
    fig, ax = plt.subplots(figsize=(9, 4))
    labels = [f'{r.size}px, {r.optimiser}' for r in df.itertuples()]
    ax.barh(labels, df.batch_ms - df.step_ms, label='forward + backward + rest'); ax.barh(labels, df.step_ms, left=df.batch_ms - df.step_ms, label='optimiser step')
    ax.set_xlabel('milliseconds per training batch'); ax.invert_yaxis(); ax.legend(); ax.set_title(f'ResNet-18, batch {BS}, {where}: the optimiser step')
    fig.tight_layout(); fig.savefig(bench_file('opt_step.png'), dpi=100)

if __name__ == '__main__': main()
