"Helpers shared by the benchmark scripts"
import os
from pathlib import Path
import torch

def md_row(cells) -> str:
    "One markdown table row of `cells`"
    return '| ' + ' | '.join(map(str, cells)) + ' |'

def md_table(df, index=False) -> str:
    "A markdown table of `df`: the package's `markdown_table` (no tabulate needed)"
    from resnet_nb.reproduce import markdown_table
    return markdown_table(df.reset_index() if index else df)

def device_name() -> str:
    "What the benchmark ran on: the GPU's name, or the CPU threads torch uses"
    return torch.cuda.get_device_name() if torch.cuda.is_available() else f'{torch.get_num_threads()} CPU threads'

def bench_file(name:str) -> Path:
    "Where to write `name` (e.g. 'pipeline.md'): `$BENCH_OUT`, else out/bench; bench/ itself (the committed tables) only with BENCH_UPDATE=1. '_gpu' before the extension on a GPU"
    stem, ext = name.rsplit('.', 1)
    here = Path(__file__).parent
    out = Path(os.environ.get('BENCH_OUT') or (here if os.environ.get('BENCH_UPDATE') == '1' else here.parent/'out'/'bench'))
    out.mkdir(parents=True, exist_ok=True)
    return out/f"{stem}{'_gpu' if torch.cuda.is_available() else ''}.{ext}"
