"""`make test`'s notebook runs: the sample pass and the turned-down full-mode pass, in one pool, longest notebooks first.

Each notebook runs through nbdev's own `test_nb` (what `nbdev_test` calls), in a worker process, with its pass's
environment set only while it runs. Run one after the other, the two passes left one core idle while each pass's
last notebook finished; in one pool ordered longest first (the times below, measured on 2 cores, are only for the
order) the cores stay busy to the end.

    python tools/test_passes.py [--workers N] [--only sample|full]   # N: one per core by default

The sample pass takes the mode and weights from the environment (`make test` sets sample mode and random weights
unless told otherwise). The full-mode pass is `make test-full`'s: ResNet-34 at 224 px with stand-in ImageNet
weights in a temporary TORCH_HOME, `#| slow` cells included, turned down to 1 epoch and 4 images per class."""
import argparse, os, subprocess, sys, tempfile, time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FULL_NBS = '0[1-7]_*.ipynb'  # the lessons whose code depends on the mode
SECONDS = {  # measured on 2 cores (`--timing` of each pass); used only to start the longest first
    'sample': {'02_pets': 105, '03b_cli': 90, '04_progressive_resizing': 67, '05_siamese': 54, '07_overfitting_checklist': 47,
               '03_production': 38, '06_unet': 37, '08_scale': 27, '03c_app': 19, '00_core': 10, '01_data_blocks': 7,
               '97_test_utils': 1, 'index': 0},
    'full': {'05_siamese': 121, '06_unet': 116, '02_pets': 90, '07_overfitting_checklist': 53, '04_progressive_resizing': 46,
             '03_production': 19, '01_data_blocks': 14}}

def full_env(torch_home:str) -> dict:
    "The full-mode pass's environment"
    return dict(RESNET_NB_MODE='full', RESNET_NB_PRETRAINED='1', RESNET_NB_OFFLINE='1', TORCH_HOME=torch_home,
                RESNET_NB_EPOCHS='1', RESNET_NB_MAX_PER_CLASS='4')

def run_one(nb:str, env:dict, force_flags:list) -> tuple:
    "nbdev's `test_nb` on `nb` with `env` set while it runs; (passed, seconds)"
    from fastcore.xtras import modified_env
    from nbdev.config import get_config
    from nbdev.test import test_nb
    cfg = get_config()
    with modified_env(**env):
        return test_nb(Path(nb), skip_flags=cfg.tst_flags.split(), force_flags=force_flags, basepath=cfg.config_path)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--workers', type=int, default=len(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else os.cpu_count(),
                   help='notebooks run at once (default: one per core)')
    p.add_argument('--only', choices=('sample', 'full'), help='run one pass only')
    a = p.parse_args()
    nbs = ROOT/'nbs'
    with tempfile.TemporaryDirectory() as th:
        if a.only != 'sample':  # in a child: this process stays free of torch until it forks the workers
            subprocess.run([sys.executable, '-c', 'from resnet_nb.test_utils import write_standin_weights as w; import sys; '
                            '[w(sys.argv[1], a) for a in ("resnet18", "resnet34")]', str(Path(th)/'hub'/'checkpoints')], check=True)
        passes = {'sample': ({}, [], sorted(nbs.glob('*.ipynb'))), 'full': (full_env(th), ['slow'], sorted(nbs.glob(FULL_NBS)))}
        if a.only: passes = {a.only: passes[a.only]}
        jobs = [(name, f, env, flags) for name, (env, flags, files) in passes.items() for f in files]
        jobs.sort(key=lambda j: -SECONDS[j[0]].get(j[1].stem, 1000 if j[1].stem[0].isdigit() else 0))  # unknown lessons first
        said = {'sample': f"sample pass (RESNET_NB_MODE={os.environ.get('RESNET_NB_MODE', 'as this machine gives')}, "
                          f"RESNET_NB_PRETRAINED={os.environ.get('RESNET_NB_PRETRAINED', 'as this machine gives')})",
                'full': f"full-mode pass ({' '.join(f'{k}={v}' for k,v in full_env('<temporary>').items())}, #| slow cells included)"}
        print(f"{len(jobs)} notebook runs in {a.workers} workers, longest first: {' and '.join(said[k] for k in passes)}", flush=True)
        start, failed = time.time(), []
        sys.path.insert(0, str(Path(__file__).parent))
        from test_passes import run_one as job  # by module name: a notebook's IPython shell replaces the workers' `__main__`
        with ProcessPoolExecutor(a.workers) as ex:
            futs = {ex.submit(job, str(f), env, flags): (name, f.name) for name, f, env, flags in jobs}
            for fut in as_completed(futs):
                name, nb = futs[fut]
                try: ok, secs = fut.result()
                except Exception as e: ok, secs = False, 0; print(f'{nb}: the worker failed: {type(e).__name__}: {e}', file=sys.stderr)
                if not ok: failed.append(f'{name} pass: {nb}')
                print(f"{'ok    ' if ok else 'FAILED'} {name:6} {nb}: {secs:.0f} s", flush=True)
    print(f'{len(jobs)} notebook runs in {time.time() - start:.0f} s')
    if failed: sys.exit('nbdev tests failed on:\n\t' + '\n\t'.join(failed))
    print('Success.')

if __name__ == '__main__': main()
