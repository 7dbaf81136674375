"""Write bench/README.md: every benchmark's question, how it was measured, its committed table and its plot, in one place.

    python bench/make_readme.py      # after a benchmark was re-run with BENCH_UPDATE=1 (which writes bench/*.md and *.png)

The lessons and the README quote these results in a sentence and link here; the numbers live in the tables only."""
import ast
from pathlib import Path

HERE = Path(__file__).parent
ORDER = ['pets_speed', 'pipeline', 'opt_step', 'progressive', 'cli_recipe', 'app_throughput']  # as the lessons meet them
INTRO = """# Benchmarks

What the course's speed claims rest on. Each section: the question, how it is measured (the script's own description),
the committed table and its plot. Timings depend on the machine: compare ratios within one table, not seconds across
tables. Run one with `.venv/bin/python bench/<name>.py` (`RESNET_NB_DATA` must point at the data; `make` sets it);
results go to `out/bench/` unless `BENCH_UPDATE=1`, which rewrites the committed files here; then `python bench/make_readme.py`.
GPU runs write `*_gpu.*` files beside the CPU ones.
"""

def section(name:str) -> str:
    "One benchmark's section: title (the docstring's first line), description, table(s), plot(s)"
    doc = ast.get_docstring(ast.parse((HERE/f'{name}.py').read_text())) or name
    title, _, rest = doc.partition('\n')
    rest = rest.split('\n    python ')[0].strip()  # the usage line is for the script's --help
    parts = [f'## {title.strip()}', f'`bench/{name}.py`. {rest}']
    for suffix in ('', '_gpu'):
        md, png = HERE/f'{name}{suffix}.md', HERE/f'{name}{suffix}.png'
        if md.exists(): parts.append(('**On a GPU.** ' if suffix else '') + md.read_text().strip())
        if png.exists(): parts.append(f'![{name}{suffix}]({png.name})')
    return '\n\n'.join(parts)

def main():
    names = ORDER + sorted(p.stem for p in HERE.glob('*.py') if p.stem not in ORDER + ['common', 'make_readme'])
    (HERE/'README.md').write_text(INTRO + '\n' + '\n\n'.join(section(n) for n in names) + '\n')
    print(f"bench/README.md: {len(names)} benchmarks")

if __name__ == '__main__': main()
