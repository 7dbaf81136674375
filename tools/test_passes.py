"""`make test`'s notebook runs: the sample pass and the turned-down full-mode pass, in one pool, longest notebooks first.

Each notebook runs through nbdev's own `test_nb` (what `nbdev_test` calls), in a worker process, with its pass's
environment set only while it runs. Run one after the other, the two passes left one core idle while each pass's
last notebook finished; in one pool ordered longest first the cores stay busy to the end. The order comes from measured
times: this checkout's last run (`.venv/test_timings.json`, written after every run), else the times recorded in
`tools/test_timings.json` (`--record` rewrites it); notebooks with no time yet go first.

    python tools/test_passes.py [--workers N] [--only sample|full] [--record]   # N: one per core by default

The sample pass takes the mode and weights from the environment (`make test` sets sample mode and random weights
unless told otherwise). The full-mode pass is `make test-full`'s: ResNet-34 with stand-in ImageNet weights in a
temporary TORCH_HOME, `#| slow` cells included, turned down to 1 epoch, 4 images per class and 64 px (96 px presize)."""
import argparse, json, os, subprocess, sys, tempfile, time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FULL_NBS = '0[0-7]_*.ipynb'  # the lessons whose code depends on the mode
LAST, RECORDED = ROOT/'.venv'/'test_timings.json', ROOT/'tools'/'test_timings.json'

def measured_seconds() -> dict:
    "{pass: {notebook: seconds}} of this checkout's last run, else as recorded in tools/test_timings.json; {} if neither"
    for f in (LAST, RECORDED):
        if f.exists(): return json.loads(f.read_text())
    return {}

def full_env(torch_home:str) -> dict:
    "The full-mode pass's environment"
    return dict(RESNET_NB_MODE='full', RESNET_NB_PRETRAINED='1', RESNET_NB_OFFLINE='1', TORCH_HOME=torch_home,
                RESNET_NB_EPOCHS='1', RESNET_NB_MAX_PER_CLASS='4', RESNET_NB_SIZE='64', RESNET_NB_PRESIZE='96')

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
    p.add_argument('--record', action='store_true', help='also write the times to tools/test_timings.json (committed: the order on a fresh clone)')
    a = p.parse_args()
    nbs = ROOT/'nbs'
    with tempfile.TemporaryDirectory() as th:
        if a.only != 'sample':  # in a child: this process stays free of torch until it forks the workers
            subprocess.run([sys.executable, '-c', 'from resnet_nb.test_utils import write_standin_weights as w; import sys; '
                            '[w(sys.argv[1], a) for a in ("resnet18", "resnet34")]', str(Path(th)/'hub'/'checkpoints')], check=True)
        passes = {'sample': ({}, [], sorted(nbs.glob('*.ipynb'))), 'full': (full_env(th), ['slow'], sorted(nbs.glob(FULL_NBS)))}
        if a.only: passes = {a.only: passes[a.only]}
        jobs = [(name, f, env, flags) for name, (env, flags, files) in passes.items() for f in files]
        known = measured_seconds()
        jobs.sort(key=lambda j: -known.get(j[0], {}).get(j[1].stem, 1e6))  # longest first; notebooks not yet timed before them
        said = {'sample': f"sample pass (RESNET_NB_MODE={os.environ.get('RESNET_NB_MODE', 'as this machine gives')}, "
                          f"RESNET_NB_PRETRAINED={os.environ.get('RESNET_NB_PRETRAINED', 'as this machine gives')})",
                'full': f"full-mode pass ({' '.join(f'{k}={v}' for k,v in full_env('<temporary>').items())}, #| slow cells included)"}
        print(f"{len(jobs)} notebook runs in {a.workers} workers, longest first: {' and '.join(said[k] for k in passes)}", flush=True)
        start, failed, times = time.time(), [], {}
        sys.path.insert(0, str(Path(__file__).parent))
        from test_passes import run_one as job  # by module name: a notebook's IPython shell replaces the workers' `__main__`
        with ProcessPoolExecutor(a.workers) as ex:
            futs = {ex.submit(job, str(f), env, flags): (name, f.name) for name, f, env, flags in jobs}
            for fut in as_completed(futs):
                name, nb = futs[fut]
                try: ok, secs = fut.result()
                except Exception as e: ok, secs = False, 0; print(f'{nb}: the worker failed: {type(e).__name__}: {e}', file=sys.stderr)
                if not ok: failed.append(f'{name} pass: {nb}')
                elif secs: times.setdefault(name, {})[Path(nb).stem] = round(secs)
                print(f"{'ok    ' if ok else 'FAILED'} {name:6} {nb}: {secs:.0f} s", flush=True)
    print(f'{len(jobs)} notebook runs in {time.time() - start:.0f} s')
    merged = measured_seconds()
    for name, t in times.items(): merged[name] = {**merged.get(name, {}), **t}
    for f in [LAST] + ([RECORDED] if a.record else []):
        if f.parent.exists(): f.write_text(json.dumps(merged, indent=1, sort_keys=True) + '\n')
    if failed: sys.exit('nbdev tests failed on:\n\t' + '\n\t'.join(failed))
    print('Success.')

if __name__ == '__main__': main()
