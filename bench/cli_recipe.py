"""Which recipe should `resnet_nb_train --no-pretrained` use? Held-out accuracy of training recipes from random weights.

Dogs-vs-cats: the training folder sampled to 150 images per class, the held-out `valid/` folder (at most 150 per class)
never seen in training. ResNet-18 from random weights, 64 px, batch 32, 5 epochs of `fit_one_cycle` (the command line's
default epochs), seeds 0, 1, 2. Recipes:
  naive      Resize(64), no augmentation, lr 3e-3 (the baseline of issue 14)
  augmented  presize 80, aug_transforms(min_scale=0.75), lr 3e-3 (the command line's recipe for ImageNet weights)
  flip_lr    Resize(64), flips only, lr 1e-2
  naive_lr   Resize(64), no augmentation, lr 1e-2
Prints a markdown table, writes bench/cli_recipe.md and bench/cli_recipe.png.
    python bench/cli_recipe.py            # RESNET_NB_DATA must point at the data (make sets it)
"""
import os, sys, time, warnings
warnings.filterwarnings('ignore')
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import md_table, bench_file
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from fastai.vision.all import *
from resnet_nb.core import dogscats_path, setup_run
from resnet_nb.data import image_files, sample_per_class, fit_batch_size
from resnet_nb.learner import make_learner, valid_metrics

SEEDS = [int(s) for s in os.environ.get('BENCH_SEEDS', '0,1,2').split(',')]
SIZE, EPOCHS, N = 64, int(os.environ.get('BENCH_EPOCHS', 5)), 150
norm = Normalize.from_stats(*imagenet_stats)
RECIPES = {
    'naive':     dict(item=Resize(SIZE), batch=[norm], lr=3e-3),
    'augmented': dict(item=Resize(int(SIZE*1.25)), batch=[*aug_transforms(size=SIZE, min_scale=0.75), norm], lr=3e-3),
    'flip_lr':   dict(item=Resize(SIZE), batch=[Flip(p=0.5), norm], lr=1e-2),
    'naive_lr':  dict(item=Resize(SIZE), batch=[norm], lr=1e-2),
}

def run(name, seed):
    setup_run(seed)
    r, path = RECIPES[name], dogscats_path()
    files = sample_per_class(image_files(path/'train'), parent_label, N, seed) + sample_per_class(image_files(path/'valid'), parent_label, N, 0)
    dls = fit_batch_size(DataBlock((ImageBlock, CategoryBlock), get_y=parent_label, splitter=GrandparentSplitter(),
                                   item_tfms=r['item'], batch_tfms=r['batch']).dataloaders(files, bs=32))
    learn = make_learner(dls, 'resnet18', pretrained=False)
    start = time.perf_counter()
    with learn.no_bar(), learn.no_logging(): learn.fit_one_cycle(EPOCHS, r['lr'])
    return dict(recipe=name, seed=seed, accuracy=valid_metrics(learn)['accuracy'], seconds=time.perf_counter()-start)


def main():
    rows = pd.DataFrame([run(n, s) for s in SEEDS for n in RECIPES])
    rows.to_csv(bench_file('cli_recipe.csv'), index=False)
    summary = rows.groupby('recipe', sort=False).agg(mean_acc=('accuracy', 'mean'), std_acc=('accuracy', 'std'),
                                                     min_acc=('accuracy', 'min'), seconds=('seconds', 'mean')).round(3)
    wins = rows.pivot(index='seed', columns='recipe', values='accuracy')
    summary['beats_naive_in'] = [f"{int((wins[n] > wins['naive']).sum())}/{len(wins)}" for n in summary.index]
    md = (f"ResNet-18 from random weights, dogs-vs-cats, {2*N} training images, held-out valid/ folder, {SIZE} px, {EPOCHS} epochs, "
          f"seeds {SEEDS}\n\n{md_table(summary, index=True)}\n\nPer run:\n\n{md_table(rows.round(3))}\n")
    print(md); bench_file('cli_recipe.md').write_text(md)
    ax = wins.plot(marker='o', figsize=(6, 3.5), title='held-out accuracy by recipe (random weights)')
    ax.set_ylabel('accuracy'); ax.figure.tight_layout(); ax.figure.savefig(bench_file('cli_recipe.png'), dpi=100)

if __name__ == '__main__': main()
