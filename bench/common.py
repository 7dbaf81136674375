"Helpers shared by the benchmark scripts"

def md_table(df, index=False) -> str:
    "A markdown table of `df` (no tabulate needed)"
    df = df.reset_index() if index else df
    rows = [list(map(str, df.columns))] + [[str(v) for v in r] for r in df.itertuples(index=False)]
    return '\n'.join(['| ' + ' | '.join(rows[0]) + ' |', '| ' + ' | '.join('---' for _ in rows[0]) + ' |'] + ['| ' + ' | '.join(r) + ' |' for r in rows[1:]])
