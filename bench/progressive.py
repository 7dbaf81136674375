"""Stage 3 benchmark: fixed-size training versus progressive resizing, time to accuracy.

Dogs-vs-cats (150 images per class for training and for validation), ResNet-18 from random weights, fit_one_cycle per phase,
reading the shrunk copies of lesson 8's cache (`cached=True`). Fixed: 128 px for 8 epochs. Progressive: 64 px for 5 epochs,
then 128 px for 3. Seeds 0-4 (BENCH_SEEDS); BENCH_LONG=k makes every phase k times longer, BENCH_PER_CLASS sets the images per
class (150), BENCH_OUT the output folder; on a GPU the files are progressive_gpu.md/.png. The earlier runs (3 seeds, 6 epochs, original photos; then with two DataLoader workers) are in git history.
Prints a markdown table, writes bench/progressive.md and bench/progressive.png.
    python bench/progressive.py            # RESNET_NB_DATA must point at the data (make sets it)
"""
import os, time, warnings
warnings.filterwarnings('ignore')
from pathlib import Path
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from fastai.vision.all import *
from resnet_nb.core import course_settings, dogscats_path, setup_run
from resnet_nb.learner import make_learner
from resnet_nb.resizing import dls_maker, progressive_resize
from common import md_row, bench_file, device_name

SEEDS = [int(s) for s in os.environ.get('BENCH_SEEDS', '0,1,2,3,4').split(',')]
LONG = int(os.environ.get('BENCH_LONG', 1))  # schedules this many times longer (a GPU run: 2 or more)
PER_CLASS = int(os.environ.get('BENCH_PER_CLASS', 150))
SCHEDULES = {'fixed': [(128, 8*LONG)], 'progressive': [(64, 5*LONG), (128, 3*LONG)]}

class EpochClock(Callback):
    "Wall time since the start of the run and accuracy after every epoch (after the Recorder has its values)"
    order = Recorder.order + 1
    def __init__(self): self.start, self.points = time.perf_counter(), []
    def after_epoch(self): self.points.append((time.perf_counter() - self.start, self.recorder.values[-1][-1]))

def run(name, seed):
    setup_run(seed)
    make = dls_maker(dogscats_path(), course_settings('sample', max_per_class=PER_CLASS, bs=32), seed=seed, cached=True)
    sched = SCHEDULES[name]
    dls = make(sched[0][0])
    clock = EpochClock()
    learn = make_learner(dls, 'resnet18', pretrained=False, cbs=clock)
    clock.start = time.perf_counter()
    with learn.no_bar(), learn.no_logging(): phases = progressive_resize(learn, sched, make)
    return clock.points, phases

def main():
    rows, curves = [], {}
    for seed in SEEDS:
        res = {name: run(name, seed) for name in SCHEDULES}
        (fixed_pts, fixed_ph), (prog_pts, prog_ph) = res['fixed'], res['progressive']
        target, t_fixed = fixed_pts[-1][1], fixed_pts[-1][0]
        reach = next((t for t,a in prog_pts if a >= target), float('nan'))
        rows.append(dict(seed=seed, fixed_acc=target, fixed_s=t_fixed, prog_acc=prog_pts[-1][1], prog_s=prog_pts[-1][0],
                         prog_time_to_fixed_acc=reach, ratio=reach/t_fixed,
                         epoch_s_64=prog_ph.seconds[0]/prog_ph.epochs[0], epoch_s_128=fixed_ph.seconds[0]/fixed_ph.epochs[0]))
        curves[seed] = res
        print(rows[-1], flush=True)
    df = pd.DataFrame(rows)
    cols = list(df.columns)
    fmt = lambda v: f'{v:.3f}' if isinstance(v, float) else str(v)
    summ = lambda c: f'{df[c].mean():.3f} ± {df[c].std():.3f}'
    where = device_name()
    lines = [f'ResNet-18 from random weights, dogs-vs-cats {PER_CLASS} per class for training and for validation, {where}, shrunk copies (cache); '
             f'fixed {SCHEDULES["fixed"]} vs progressive {SCHEDULES["progressive"]}', '',
             md_row(cols), md_row(['---']*len(cols)), *[md_row([fmt(v) for v in r]) for r in df.itertuples(index=False)],
             md_row(['mean ± sd'] + [summ(c) for c in cols[1:]]), '',
             f"Goal: progressive reaches the fixed-size final accuracy in ≤ 0.6× the time. It did in {int((df.ratio <= 0.6).sum())} of {len(df)} seeds "
             f"(reached at all in {int(df.ratio.notna().sum())}; ratio where reached: {', '.join(f'{r:.2f}' for r in df.ratio.dropna()) or 'none'}); "
             f"final accuracy fixed {summ('fixed_acc')}, progressive {summ('prog_acc')}; "
             f"total time fixed {summ('fixed_s')} s, progressive {summ('prog_s')} s."]
    text = '\n'.join(lines)
    print(text)
    bench_file('progressive.md').write_text(text + '\n')
    fig, ax = plt.subplots(figsize=(7, 4))
    for seed, res in curves.items():
        for i, name in enumerate(SCHEDULES):
            pts = np.array(res[name][0])
            ax.plot(pts[:, 0], pts[:, 1], 'o-', color=f'C{i}', alpha=0.7, label=name if seed == SEEDS[0] else None)
    ax.set_xlabel('wall time (s)'); ax.set_ylabel('validation accuracy'); ax.legend()
    ax.set_title(f'Fixed 128 px vs progressive 64→128 px ({len(SEEDS)} seeds)')
    fig.tight_layout(); fig.savefig(bench_file('progressive.png'), dpi=100)

if __name__ == '__main__': main()
