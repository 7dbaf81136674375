"Helpers shared by the benchmark scripts"
import os
from pathlib import Path
import torch

def md_row(cells) -> str:
    "One markdown table row of `cells`"
    return '| ' + ' | '.join(map(str, cells)) + ' |'

def md_table(df, index=False) -> str:
    "A markdown table of `df` (no tabulate needed)"
    df = df.reset_index() if index else df
    rows = [list(map(str, df.columns))] + [[str(v) for v in r] for r in df.itertuples(index=False)]
    return '\n'.join([md_row(rows[0]), md_row(['---'] * len(rows[0])), *map(md_row, rows[1:])])

def device_name() -> str:
    "What the benchmark ran on: the GPU's name, or the CPU threads torch uses"
    return torch.cuda.get_device_name() if torch.cuda.is_available() else f'{torch.get_num_threads()} CPU threads'

def bench_file(name:str) -> Path:
    "Where to write `name` (e.g. 'pipeline.md'): in $BENCH_OUT (default bench/), with '_gpu' before the extension on a GPU so a GPU run never overwrites the CPU results the README quotes"
    stem, ext = name.rsplit('.', 1)
    return Path(os.environ.get('BENCH_OUT', Path(__file__).parent))/f"{stem}{'_gpu' if torch.cuda.is_available() else ''}.{ext}"
