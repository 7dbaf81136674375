"""Stage 2 benchmark: where does an epoch's time go, and is batched prediction close to the model's own speed?

Same data (dogs-vs-cats files), model (ResNet-18, random init), batch size and image size for every loop.
Loops that are compared run in turn, round after round, so that drifts in the machine's speed hit them alike;
each ratio is the median of the per-round ratios. Runs on fastai's default device (the GPU if there is one).
Prints a markdown table, writes bench/pets_speed<suffix>.md and .png (suffix: '' on CPU, '_gpu' on a GPU).
    python bench/pets_speed.py            # RESNET_NB_DATA must point at the data (make sets it)
"""
import os, sys, time, warnings
warnings.filterwarnings('ignore')
from pathlib import Path
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from fastai.vision.all import *
from resnet_nb.core import dogscats_path, setup_run
from resnet_nb.data import image_files, parent_label, sample_per_class
from resnet_nb.learner import make_learner, FilesDataset, torch_tfms, run_epoch
from resnet_nb.deploy import predict_files
from common import md_row, bench_file, device_name

BS, N_TRAIN, N_PRED = int(os.environ.get('BENCH_BS', 32)), int(os.environ.get('BENCH_N', 320)), int(os.environ.get('BENCH_NPRED', 256))
ROUNDS = int(os.environ.get('BENCH_ROUNDS', 5))
DEV = default_device()

def sync():
    if DEV.type == 'cuda': torch.cuda.synchronize()

def seconds(f):
    "Seconds that `f()` takes, device work included"
    sync(); start = time.perf_counter(); f(); sync(); return time.perf_counter() - start

def rounds(fns:dict, n:int=ROUNDS) -> pd.DataFrame:
    "Seconds of each of `fns` (name -> function of no arguments), run in turn `n` times: one row per round, one column per name"
    for f in fns.values(): f()  # warm-up: worker start-up, allocator, file cache, kernels
    return pd.DataFrame([{k: seconds(f) for k,f in fns.items()} for _ in range(n)])

def crop_flip_dls(files, size, **kwargs) -> DataLoaders:
    "The benchmarks' DataLoaders: labels from folders, 10% held out, a random crop of 75-100% and a flip per item"
    return DataBlock(blocks=(ImageBlock, CategoryBlock), get_y=parent_label, splitter=RandomSplitter(0.1, seed=42),
                     item_tfms=[RandomResizedCrop(size, min_scale=0.75), FlipItem()],
                     batch_tfms=Normalize.from_stats(*imagenet_stats)).dataloaders(files, bs=BS, **kwargs)

def preloaded_dls(size, n_train, n_valid) -> DataLoaders:
    "DataLoaders of one random batch of `size`-px images with two classes, repeated to `n_train` and `n_valid` items: no input pipeline"
    x, y = torch.randn(BS, 3, size, size), torch.randint(0, 2, (BS,))
    items = lambda n: [(x[i % BS], TensorCategory(y[i % BS])) for i in range(n)]
    return DataLoaders.from_dsets(items(n_train), items(n_valid), bs=BS, num_workers=0, device=DEV)

def pure_train_step(size, n_img, channels_last=False, n_eval=0, fused=False):
    "A function that trains ResNet-18 on `n_img` preloaded random images (forward, backward, Adam step: torch's default, or `fused`), then evaluates `n_eval`"
    model = resnet18(weights=None); model.fc = nn.Linear(512, 2)
    xb, yb = torch.randn(BS, 3, size, size), torch.randint(0, 2, (BS,))
    if channels_last: model, xb = model.to(memory_format=torch.channels_last), xb.contiguous(memory_format=torch.channels_last)
    model, xb, yb = model.to(DEV).train(), xb.to(DEV), yb.to(DEV)
    opt = torch.optim.Adam(model.parameters(), 1e-3, fused=True if fused else None)
    def run():
        model.train()
        for _ in range(n_img // BS):
            F.cross_entropy(model(xb), yb).backward(); opt.step(); opt.zero_grad()
        model.eval()
        with torch.no_grad():
            for i in range(0, n_eval, BS): model(xb[:n_eval-i]).sum().item()
    return run

def pure_eval_step(model, size, n_img, bs=64):
    "A function that runs `model`'s batched inference on `n_img` preloaded images"
    model = model.eval(); xb = torch.randn(bs, 3, size, size, device=one_param(model).device)
    def run():
        with torch.no_grad():
            for _ in range(n_img // bs): model(xb)
    return run

def main():
    setup_run(42)
    size, workers = 128, defaults.cpus  # as setup_run sets them: none on a CPU, one per core with a GPU
    pw = max(workers, 2)                 # the prediction row with worker processes
    files = sample_per_class(image_files(dogscats_path()/'train'), parent_label, N_TRAIN // 2)
    # fastai: Learner.fit for one epoch (training, then validation), against a plain PyTorch loop doing the same with
    # the same files, model, batch size, number of workers, optimiser and the same augmentation work on each item:
    # a random crop of 75-100% of the picture and a random flip (torchvision's RandomResizedCrop + RandomHorizontalFlip)
    dls = crop_flip_dls(files, size)
    n_train, n_valid = len(dls.train) * BS, len(dls.valid_ds)
    learn = make_learner(dls, 'resnet18', pretrained=False)
    model = resnet18(weights=None); model.fc = nn.Linear(512, 2); model.to(DEV)
    vocab = sorted(set(map(parent_label, files)))
    ds = FilesDataset(dls.train.items, [vocab.index(parent_label(f)) for f in dls.train.items], torch_tfms(size, True))
    dl = torch.utils.data.DataLoader(ds, batch_size=BS, shuffle=True, num_workers=workers, drop_last=True,
                                     pin_memory=DEV.type == 'cuda')
    vds = FilesDataset(dls.valid.items, [vocab.index(parent_label(f)) for f in dls.valid.items], torch_tfms(size, False))
    vdl = torch.utils.data.DataLoader(vds, batch_size=BS, num_workers=workers, pin_memory=DEV.type == 'cuda')
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    def fastai_epoch():
        with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3)
    def plain_epoch(): run_epoch(model, dl, nn.CrossEntropyLoss(), opt); run_epoch(model, vdl, nn.CrossEntropyLoss())
    train = rounds({'fastai': fastai_epoch, 'plain': plain_epoch, 'pure': pure_train_step(size, n_train, n_eval=n_valid)})
    # prediction over files (batches of 64) against the same model's pure batched eval
    pred_files = image_files(dogscats_path()/'valid')[:N_PRED]
    pred = rounds({'predict': lambda: predict_files(learn, pred_files), 'full': lambda: predict_files(learn, pred_files, draft=False),
                   'workers': lambda: predict_files(learn, pred_files, num_workers=pw),
                   'pure': pure_eval_step(learn.model, size, N_PRED)})
    # pure compute at three sizes, and channels_last
    sizes = rounds({s: pure_train_step(s, 4*BS if s == 224 else 8*BS) for s in (64, 128, 224)}, n=3)
    cl = rounds({'default': pure_train_step(128, 8*BS), 'channels_last': pure_train_step(128, 8*BS, channels_last=True)}, n=3)
    med = lambda df, k: float(df[k].median())
    rows = [(f'epoch ({n_train} train + {n_valid} valid), fastai Learner ({size}px)', n_train, med(train, 'fastai')),
            (f'epoch, plain PyTorch loop ({size}px)', n_train, med(train, 'plain')),
            (f'epoch, pure compute on preloaded tensors ({size}px)', n_train, med(train, 'pure')),
            *[(f'train, pure compute {s}px', 4*BS if s == 224 else 8*BS, med(sizes, s)) for s in (64, 128, 224)],
            ('train, pure compute 128px, channels_last', 8*BS, med(cl, 'channels_last')),
            (f'predict_files on {N_PRED} files ({size}px)', N_PRED, med(pred, 'predict')),
            (f'predict_files, full-size JPEG decoding ({size}px)', N_PRED, med(pred, 'full')),
            (f'predict_files, {pw} DataLoader workers ({size}px)', N_PRED, med(pred, 'workers')),
            (f'eval, pure compute ({size}px)', N_PRED, med(pred, 'pure'))]
    df = pd.DataFrame(rows, columns=['what', 'images', 'seconds']); df['img/s'] = df.images/df.seconds
    ratio = lambda df, a, b: float((df[a]/df[b]).median())  # time per image is the same for both sides of each pair
    checks = [('fastai epoch / plain PyTorch epoch, time per image', ratio(train, 'fastai', 'plain'), '≤ 1.05'),
              ('fastai epoch / pure compute, time per image', ratio(train, 'fastai', 'pure'), '≤ 1.2'),
              ('predict_files / pure eval, throughput', ratio(pred, 'pure', 'predict'), '≥ 0.8'),
              ('same, decoding JPEGs at full size', ratio(pred, 'pure', 'full'), 'what reduced-scale decoding brings'),
              (f'same, with {pw} DataLoader workers', ratio(pred, 'pure', 'workers'), 'why predict_files uses none on CPU'),
              ('channels_last / default at 128 px, throughput', ratio(cl, 'default', 'channels_last'), '> 1 means it helps')]
    where = device_name()
    lines = [f'torch {torch.__version__}, {where}, {workers} DataLoader workers, batch {BS}, ResNet-18 from random weights; '
             f'medians of {ROUNDS} interleaved rounds (3 for the pure-compute sizes)', '',
             md_row(['what', 'images', 'seconds', 'img/s']), md_row(['---']*4),
             *[md_row([r.what, str(r.images), f'{r.seconds:.2f}', f"{r['img/s']:.1f}"]) for _,r in df.iterrows()], '',
             md_row(['ratio (median over rounds)', 'measured', 'goal']), md_row(['---']*3),
             *[md_row([k, f'{v:.2f}', g]) for k,v,g in checks]]
    text = '\n'.join(lines)
    print(text)
    bench_file('pets_speed.md').write_text(text + '\n')
    fig, ax = plt.subplots(figsize=(8, 4.5))
    ax.barh(df.what, df['img/s']); ax.set_xlabel('images per second'); ax.invert_yaxis()
    ax.set_title(f'ResNet-18 on {where}: where an epoch goes')
    fig.tight_layout(); fig.savefig(bench_file('pets_speed.png'), dpi=100)

if __name__ == '__main__': main()
