"Copy the outputs of executed notebooks (out/) into the notebooks of nbs/, code cell by cell id; sources in nbs/ are kept"
import json, sys
from pathlib import Path
out, nbs = Path(sys.argv[1]), Path(sys.argv[2])
for ex in sorted(out.glob('[0-9][0-9]*.ipynb')):
    dst = nbs/ex.name
    e, d = json.loads(ex.read_text()), json.loads(dst.read_text())
    outs = {c.get('id'): c.get('outputs', []) for c in e['cells'] if c['cell_type'] == 'code'}
    src = {c.get('id'): c['source'] for c in e['cells'] if c['cell_type'] == 'code'}
    n = changed = 0
    for c in d['cells']:
        if c['cell_type'] != 'code' or c.get('id') not in outs: continue
        s = ''.join(c['source']) if isinstance(c['source'], list) else c['source']
        es = src[c['id']]; es = ''.join(es) if isinstance(es, list) else es
        if s != es: changed += 1; continue  # the code changed since the run: its old output would mislead
        c['outputs'] = outs[c['id']]; n += 1
    dst.write_text(json.dumps(d, indent=1, ensure_ascii=False) + '\n')
    print(f'{ex.name}: outputs of {n} code cells' + (f'; {changed} cells changed since the run, left without outputs' if changed else ''))
