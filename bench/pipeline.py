"""Does the input pipeline keep up? Epoch time against pure compute, with the original photos and with the shrunk-copy cache.

Dogs-vs-cats files, ResNet-18 from random weights, batch 32, a random crop of 75-100% and a flip per item (as
bench/pets_speed.py), DataLoader workers as `setup_run` sets them (none on a CPU). For 64 and 128 px: one fastai epoch
(training + validation) reading the original JPEGs, the same reading the shrunk copies of `shrunk_copy` (longer side
`shrunk_side` of a run whose item transform works at that size: 128 px for 64-px runs, 256 for 128), the same learner on
preloaded tensors (fastai's loop, head and optimiser with no input pipeline), and plain PyTorch on preloaded tensors
(pure compute: ResNet-18 with its own `fc`, torch's default Adam). Also the shrunk copies with `FusedAdam` (fastai's Adam as
PyTorch's fused AdamW; lesson 8) and plain PyTorch with torch's fused Adam (ratios: against both plain loops,
and FusedAdam's epoch against fastai's Adam's, round by round). At 64 px also the shrunk copies with two DataLoader worker
processes (fastai's default on this machine before `setup_run` chose none). The shrunk copies read by `batch_decode_dls`
(lesson 8: undecoded files as items, decoded and cropped a batch at a time by `DecodeCrop`, on the GPU where there is one),
with fastai's Adam and with FusedAdam; and both pipelines alone (their batches, no model). Then `predict_files` over 256 files, original and shrunk, against pure eval.
On a GPU: `BENCH_BS` sets the batch size, and the file list is repeated up to `BENCH_N` files if the folder has fewer.
Loops run in turn, round after round; each ratio is the median of the per-round ratios. The cache is built before timing
(its one-off cost is reported separately). Prints a markdown table, writes bench/pipeline<suffix>.md and .png.
    python bench/pipeline.py            # RESNET_NB_DATA must point at the data (make sets it)
"""
import math, os, sys, time, warnings, tempfile
from dataclasses import replace
warnings.filterwarnings('ignore')
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from fastai.vision.all import *
from resnet_nb.core import dogscats_path, setup_run, SAMPLE
from resnet_nb.data import image_files, parent_label, sample_per_class, shrunk_copy, cached_files, shrunk_side
from resnet_nb.scale import batch_decode_dls
from resnet_nb.learner import make_learner
from resnet_nb.scale import FusedAdam
from resnet_nb.deploy import predict_files
from common import md_row, bench_file, device_name
from pets_speed import rounds, pure_train_step, pure_eval_step, crop_flip_dls, preloaded_dls, BS, DEV

N_TRAIN, N_PRED, ROUNDS = int(os.environ.get('BENCH_N', 320)), int(os.environ.get('BENCH_NPRED', 256)), int(os.environ.get('BENCH_ROUNDS', 7))

def decode_dls(files, size, **kwargs) -> DataLoaders:
    "`crop_flip_dls`' crops, flips and split, with the files decoded a batch at a time (`batch_decode_dls`)"
    return batch_decode_dls(files, size=size, bs=BS, valid_pct=0.1, seed=42, **kwargs)

def epoch_fn(files, size, opt_func=Adam, dls_fn=crop_flip_dls, **kwargs):
    "One fastai epoch (train + valid) over `files` at `size` px with `opt_func`, as a function of no arguments"
    dls = dls_fn(files, size, **kwargs)
    learn = make_learner(dls, 'resnet18', pretrained=False, opt_func=opt_func)
    def run():
        with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3)
    return run, len(dls.train)*BS, len(dls.valid_ds), learn

def batches_fn(files, size, dls_fn=crop_flip_dls):
    "An epoch's batches alone (training then validation, no model): the input pipeline's own time"
    dls = dls_fn(files, size)
    def run():
        for dl in (dls.train, dls.valid):
            for b in dl: pass
    return run

def preloaded_fn(learn, size, n_train, n_valid):
    "The epoch of `learn` (same model, loss, metrics, optimiser) on preloaded tensors: fastai's loop without an input pipeline"
    l = Learner(preloaded_dls(size, n_train, n_valid), learn.model, loss_func=learn.loss_func, metrics=learn.metrics, opt_func=learn.opt_func)
    def run():
        with l.no_bar(), l.no_logging(): l.fit(1, 1e-3)
    return run

COLUMNS = {'original': 'original photos', 'cached': 'shrunk copies', 'cached, 2 workers': 'shrunk, 2 workers',
           'fastai on preloaded tensors': 'fastai on preloaded tensors', 'cached, FusedAdam': 'shrunk, FusedAdam',
           'cached, batch decode': 'shrunk, batch decode', 'cached, batch decode, FusedAdam': 'shrunk, batch decode, FusedAdam'}

def main():
    setup_run(42)
    path = dogscats_path()
    files = sample_per_class(image_files(path/'train'), parent_label, N_TRAIN // 2)
    if len(files) < N_TRAIN: files = (files * math.ceil(N_TRAIN / len(files)))[:N_TRAIN]  # a small copy: files repeated
    build = {}
    for size in (64, 128):
        ms = shrunk_side(replace(SAMPLE, size=size, presize=size))  # this pipeline's item transform works at `size`
        start = time.perf_counter(); shrunk_copy(path, ms, files); build[size] = (ms, time.perf_counter() - start)
    rows, checks, ratios = [], [], {}
    for size in (64, 128):
        ms = build[size][0]
        orig, n_train, n_valid, learn = epoch_fn(files, size)
        cached, *_ = epoch_fn(cached_files(files, path, ms), size)
        fns = {'original': orig, 'cached': cached}
        if size == 64 and DEV.type == 'cpu': fns['cached, 2 workers'] = epoch_fn(cached_files(files, path, ms), size, num_workers=2)[0]
        fns.update({'fastai on preloaded tensors': preloaded_fn(learn, size, n_train, n_valid),
                    'cached, FusedAdam': epoch_fn(cached_files(files, path, ms), size, opt_func=FusedAdam)[0],
                    'cached, batch decode': epoch_fn(cached_files(files, path, ms), size, dls_fn=decode_dls)[0],
                    'cached, batch decode, FusedAdam': epoch_fn(cached_files(files, path, ms), size, opt_func=FusedAdam, dls_fn=decode_dls)[0],
                    'cached, batches alone': batches_fn(cached_files(files, path, ms), size),
                    'cached, batch decode, batches alone': batches_fn(cached_files(files, path, ms), size, dls_fn=decode_dls),
                    'pure': pure_train_step(size, n_train, n_eval=n_valid),
                    'pure, fused Adam': pure_train_step(size, n_train, n_eval=n_valid, fused=True)})
        r = rounds(fns, n=ROUNDS)
        for k in r: rows.append((f'epoch {size}px, {k}', n_train + n_valid, float(r[k].median())))
        ratios[f'epoch {size}px'] = {k: float((r[k]/r['pure']).median()) for k in r if not k.startswith('pure') and 'alone' not in k}
        ratios[f'{size}px, the batches alone (no model) / pure compute'] = {k.replace(', batches alone', ''): float((r[k]/r['pure']).median()) for k in r if 'alone' in k}
        ratios[f'epoch {size}px against plain PyTorch with fused Adam'] = {k: float((r[k]/r['pure, fused Adam']).median()) for k in ('cached, FusedAdam', 'cached, batch decode, FusedAdam')}
        ratios[f'epoch {size}px, FusedAdam / fastai Adam'] = {'cached, FusedAdam': float((r['cached, FusedAdam']/r['cached']).median())}
    _, _, _, learn = epoch_fn(files, 128)
    pred_files = image_files(path/'valid')
    pred_files = (pred_files * math.ceil(N_PRED / len(pred_files)))[:N_PRED]
    pc = cached_files(pred_files, path, build[128][0])
    p = rounds({'original': lambda: predict_files(learn, pred_files), 'cached': lambda: predict_files(learn, pc),
                'pure': pure_eval_step(learn.model, 128, N_PRED)}, n=ROUNDS)
    for k in p: rows.append((f'predict_files 128px, {k}' if k != 'pure' else 'eval 128px, pure', N_PRED, float(p[k].median())))
    ratios['predict_files 128px (throughput / pure)'] = {k: float((p['pure']/p[k]).median()) for k in ('original', 'cached')}
    df = pd.DataFrame(rows, columns=['what', 'images', 'seconds']); df['img/s'] = df.images/df.seconds
    where = device_name()
    goals = {'epoch 64px': '≤ 1.1 (CPU)', 'epoch 64px against plain PyTorch with fused Adam': '', 'epoch 128px': '', 'epoch 128px against plain PyTorch with fused Adam': '', 'predict_files 128px (throughput / pure)': ''}
    lines = [f'torch {torch.__version__}, {where}, batch {BS}, ResNet-18 from random weights, {N_TRAIN} files; '
             f'medians of {ROUNDS} interleaved rounds. Building the shrunk copies of dogs-vs-cats once: '
             + ', '.join(f'{ms} px {s:.0f} s' for ms, s in build.values()) + ' (zero when already cached).', '',
             md_row(['what', 'images', 'seconds', 'img/s']), md_row(['---']*4),
             *[md_row([r.what, r.images, f'{r.seconds:.2f}', f"{r['img/s']:.1f}"]) for _, r in df.iterrows()], '',
             md_row(['ratio (median over rounds)', *COLUMNS.values(), 'goal']),
             md_row(['---']*(len(COLUMNS) + 2)),
             *[md_row([k, *[f"{v[c]:.2f}" if c in v else '' for c in COLUMNS], goals.get(k, '')])
               for k, v in ratios.items()]]
    text = '\n'.join(lines); print(text)
    bench_file('pipeline.md').write_text(text + '\n')
    fig, ax = plt.subplots(figsize=(9, 6))
    ax.barh(df.what, df['img/s'], color=['C7' if 'alone' in w else 'C0' if 'original' in w else 'C3' if 'workers' in w else 'C6' if 'batch decode' in w else 'C5' if 'Fused' in w or 'fused' in w else 'C1' if 'cached' in w else 'C4' if 'preloaded' in w else 'C2' for w in df.what])
    ax.set_xlabel('images per second'); ax.invert_yaxis(); ax.set_title(f'ResNet-18 on {where}: the input pipeline against pure compute')
    fig.tight_layout(); fig.savefig(bench_file('pipeline.png'), dpi=100)

if __name__ == '__main__': main()
