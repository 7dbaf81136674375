"""Build or check the docs without quarto: nbdev's own docs pre-processing of every notebook, then (build) HTML pages.

    python tools/docs.py --check      # fail on a notebook nbdev could not process for the docs site
    python tools/docs.py              # _proc/ (processed notebooks) and _docs/*.html (nbconvert)

nbdev executes, for the docs, every exported cell and every cell holding an import; a cell that mixes an import with
other code is executed too (nbdev warns), and fails when that code needs data or state from earlier cells.
The check treats that warning as an error, and any exception while processing as one."""
import argparse, json, multiprocessing, os, subprocess, sys, warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIXED = 'imports and other code'

def process(nb_path:str, dest:str|None=None) -> list:
    "Run nbdev's docs processors (`FilterDefaults`) over one notebook; returns its problems (and writes it to `dest`)"
    from execnb.nbio import read_nb, write_nb
    from nbdev.processors import FilterDefaults
    os.chdir(Path(nb_path).parent)  # as nbdev_docs does: relative paths in cells are relative to the notebook
    os.environ['IN_TEST'] = '1'
    nb, problems = read_nb(nb_path), []
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter('always')
        try: FilterDefaults()(nb)
        except Exception as e: problems.append(f'{Path(nb_path).name}: {e} ({type(e.__cause__ or e).__name__}: {e.__cause__ or ""})')
    problems += [f'{Path(nb_path).name}: a cell mixes an import with other code (nbdev executes it for the docs):\n'
                 f'{str(w.message).split("---")[1].strip()}' for w in ws if MIXED in str(w.message)]
    if dest is not None and not problems:
        for c in nb.cells:
            if c.cell_type == 'raw' and c.source.startswith('---'):  # quarto's front matter: shown as a title instead
                import yaml
                fm = yaml.safe_load(c.source.strip('-\n'))
                c.cell_type, c.source = 'markdown', f"# {fm.get('title', '')}\n\n> {fm.get('description', '')}"
            c.pop('has_sd', None)  # nbdev's own mark, not part of the notebook format
            if c.cell_type == 'code' and '#| echo: false' in c.source: c.metadata['tags'] = ['remove_input']  # quarto's directive
        write_nb(nb, dest)
    return problems

def _child(conn, nb_path, dest): conn.send(process(nb_path, dest))

def forked(f:Path, dest:Path|None) -> list:
    "`process` one notebook in a child forked from this process; its problems, or a crash named"
    ctx = multiprocessing.get_context('fork')
    r, w = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(w, str(f), None if dest is None else str(dest))); p.start(); w.close()
    try: res = r.recv()
    except EOFError: res = None
    p.join()
    return res if res is not None else [f'{f.name}: the docs processing crashed (exit code {p.exitcode})']

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--check', action='store_true', help='only check that every notebook processes cleanly')
    p.add_argument('--workers', type=int, default=2)
    a = p.parse_args()
    nbs = sorted((ROOT/'nbs').glob('*.ipynb'))
    proc, docs = ROOT/'_proc', ROOT/'_docs'
    if not a.check: proc.mkdir(exist_ok=True); docs.mkdir(exist_ok=True)
    # A fresh process per notebook, as nbdev does (no state leaks from one notebook into the next), forked from this one
    # once it has imported fastai: each notebook no longer pays the import (about 6 s of CPU).
    import fastai.vision.all, nbdev.processors, execnb.shell  # noqa: F401 (preloaded for the forked workers)
    with ThreadPoolExecutor(a.workers) as ex: results = list(ex.map(lambda f: forked(f, None if a.check else proc/f.name), nbs))
    problems = [p for r in results for p in r]
    if problems:
        print('\n\n'.join(problems), file=sys.stderr)
        sys.exit(f'docs: {len(problems)} problem(s) in the notebooks above')
    print(f'docs: {len(nbs)} notebooks processed by nbdev without errors or mixed import cells')
    if a.check: return
    subprocess.run([sys.executable, '-m', 'nbconvert', '--log-level=WARN', '--to', 'html', '--output-dir', str(docs),
                    '--TagRemovePreprocessor.enabled=True', '--TagRemovePreprocessor.remove_input_tags=remove_input',
                    *map(str, sorted(proc.glob('*.ipynb')))], check=True)
    print(f'docs: HTML pages in {docs}')

if __name__ == '__main__': main()
