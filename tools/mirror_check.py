"""A reader's first networked `make test`, without a network: every dataset downloaded from a local mirror.

    .venv/bin/python tools/mirror_check.py [--data ../shared/data] [make targets, default: test]

Packs each of the course's datasets found in `--data` as fastai packs them (`<name>.tgz`), serves them over HTTP on
127.0.0.1 (a server that stops by itself after `--max-minutes`), and runs `make test` with `RESNET_NB_MIRROR` pointing
at it, `RESNET_NB_DATA` unset (empty) and an empty `FASTAI_HOME` and shrunk-image cache: everything a first run
downloads comes from the mirror. Passes when make passes and the server was asked for each archive exactly once.
Needs the package installed (`make venv`), for the archive and server helpers of `resnet_nb.test_utils`."""
import argparse, os, subprocess, sys, tempfile, time
from collections import Counter
from pathlib import Path
from resnet_nb.core import COURSE_DATASETS, dataset_url
from resnet_nb.test_utils import make_dataset_archive, serve_folder

ROOT = Path(__file__).resolve().parents[1]

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data', type=Path, default=ROOT.parent/'shared'/'data', help="a folder in fastai's data layout")
    p.add_argument('--max-minutes', type=float, default=80, help='the mirror stops by itself after this long')
    p.add_argument('targets', nargs='*', default=['test'])
    a = p.parse_args()
    names = [Path(u).name for u in COURSE_DATASETS]  # the archives' file names, e.g. oxford-iiit-pet.tgz
    with tempfile.TemporaryDirectory(prefix='resnet_nb_mirror_') as tmp:
        tmp = Path(tmp)
        for n in names: make_dataset_archive(a.data/n.removesuffix('.tgz'), tmp/'mirror')
        sizes = {n: (tmp/'mirror'/n).stat().st_size for n in names}
        with serve_folder(tmp/'mirror', max_seconds=a.max_minutes*60) as (url, asked):
            env = {**os.environ, 'RESNET_NB_MIRROR': url, 'RESNET_NB_DATA': '', 'FASTAI_HOME': str(tmp/'fastai'),
                   'RESNET_NB_CACHE': str(tmp/'cache')}
            print(f'mirror at {url} with {", ".join(f"{n} ({s/1e6:.1f} MB)" for n,s in sizes.items())}; make {" ".join(a.targets)}', flush=True)
            start = time.time()
            rc = subprocess.run(['make', *a.targets], cwd=ROOT, env=env).returncode
            secs = time.time() - start
        got = Counter(asked)
    print(f'make {" ".join(a.targets)}: exit {rc} in {secs/60:.1f} min; the mirror was asked for: '
          + ', '.join(f'{n} {got.get("/" + n, 0)}x' for n in names)
          + (f'; and for {sorted(set(got) - {"/" + n for n in names})}' if set(got) - {'/' + n for n in names} else ''))
    bad = [n for n in names if got.get('/' + n, 0) != 1]
    if rc or bad: sys.exit(f'mirror check failed: {"make failed" if rc else ""}{"; " if rc and bad else ""}'
                          f'{"each archive should be asked for once: " + ", ".join(bad) if bad else ""}')
    print('mirror check passed')

if __name__ == '__main__': main()
