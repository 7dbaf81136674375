"""Stage 2 benchmark: where does an epoch's time go, and is batched prediction close to the model's own speed?

Same data (dogs-vs-cats files), model (ResNet-18, random init), batch size and image size for every loop.
Prints a markdown table, writes bench/pets_speed.md and bench/pets_speed.png.
    python bench/pets_speed.py            # RESNET_NB_DATA must point at the data (make sets it)
"""
import os, sys, time, warnings
warnings.filterwarnings('ignore')
from pathlib import Path
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
from fastai.vision.all import *
from resnet_nb.data import course_settings, dogscats_path, image_files, image_folder_dls, parent_label, sample_per_class, setup_run
from resnet_nb.pets import make_learner, plain_finetune, FilesDataset, torch_tfms, run_epoch, predict_files

HERE = Path(__file__).parent
BS, N_TRAIN, N_PRED = 32, int(os.environ.get('BENCH_N', 320)), 256

def timed(f, *args, **kw):
    start = time.perf_counter(); f(*args, **kw); return time.perf_counter() - start

def pure_train(size, n_img, channels_last=False):
    "Seconds to train ResNet-18 on `n_img` preloaded random images (forward, backward, Adam step)"
    model = resnet18(weights=None); model.fc = nn.Linear(512, 2)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    xb, yb = torch.randn(BS, 3, size, size), torch.randint(0, 2, (BS,))
    if channels_last: model, xb = model.to(memory_format=torch.channels_last), xb.contiguous(memory_format=torch.channels_last)
    model.train()
    def run(n):
        for _ in range(n):
            F.cross_entropy(model(xb), yb).backward(); opt.step(); opt.zero_grad()
    run(1)  # warm-up
    return timed(run, n_img // BS)

def pure_eval(size, n_img):
    "Seconds for batched inference on `n_img` preloaded images"
    model = resnet18(weights=None).eval(); xb = torch.randn(64, 3, size, size)
    def run():
        with torch.no_grad():
            for _ in range(n_img // 64): model(xb)
    with torch.no_grad(): model(xb)
    return timed(run)

def main():
    setup_run(42)
    size = 128
    files = sample_per_class(image_files(dogscats_path()/'train'), parent_label, N_TRAIN // 2)
    rows = []
    # fastai: Learner.fit for one epoch on the same files (item Resize + batch augmentation)
    # light augmentation on both sides (flip), so that the loops, not the augmentations, are compared
    dls = DataBlock(blocks=(ImageBlock, CategoryBlock), get_y=parent_label, splitter=RandomSplitter(0.1, seed=42),
                    item_tfms=Resize(size), batch_tfms=[Flip(), Normalize.from_stats(*imagenet_stats)]).dataloaders(files, bs=BS)
    n_fastai = len(dls.train) * BS
    learn = make_learner(dls, 'resnet18', pretrained=False)
    with learn.no_bar(), learn.no_logging():
        learn.fit(1, 1e-3)  # warm-up epoch (worker start-up, allocator)
        t0 = time.perf_counter(); learn.fit(1, 1e-3); t_fastai = time.perf_counter() - t0
    # plain PyTorch: torchvision transforms, DataLoader with the same number of workers, Adam
    model = resnet18(weights=None); model.fc = nn.Linear(512, 2)
    vocab = sorted(set(map(parent_label, files)))
    ds = FilesDataset(dls.train.items, [vocab.index(parent_label(f)) for f in dls.train.items], torch_tfms(size, True))
    dl = torch.utils.data.DataLoader(ds, batch_size=BS, shuffle=True, num_workers=defaults.cpus, drop_last=True)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    run_epoch(model, dl, nn.CrossEntropyLoss(), opt)  # warm-up
    t_plain = timed(run_epoch, model, dl, nn.CrossEntropyLoss(), opt)
    t_pure = pure_train(size, n_fastai)
    rows += [dict(what=f'train epoch, fastai Learner ({size}px)', images=n_fastai, seconds=t_fastai),
             dict(what=f'train epoch, plain PyTorch loop ({size}px)', images=len(dl)*BS, seconds=t_plain),
             dict(what=f'train, pure compute on preloaded tensors ({size}px)', images=n_fastai, seconds=t_pure)]
    for s in (64, 128, 224):
        n = 4*BS if s == 224 else 8*BS
        rows.append(dict(what=f'train, pure compute {s}px', images=n, seconds=pure_train(s, n)))
    rows.append(dict(what='train, pure compute 128px, channels_last', images=8*BS, seconds=pure_train(128, 8*BS, channels_last=True)))
    # prediction: predict_files (test DataLoader, batches of 64) versus pure batched eval
    pred_files = image_files(dogscats_path()/'valid')[:N_PRED]
    predict_files(learn, pred_files[:64])  # warm-up
    rows.append(dict(what=f'predict_files on {N_PRED} files ({size}px)', images=N_PRED, seconds=timed(predict_files, learn, pred_files)))
    rows.append(dict(what=f'eval, pure compute ({size}px)', images=N_PRED, seconds=pure_eval(size, N_PRED)))
    df = pd.DataFrame(rows); df['img/s'] = df.images/df.seconds
    ips = dict(zip(df.what, df['img/s']))
    def ratio(a, b): return ips[next(k for k in ips if k.startswith(b))]/ips[next(k for k in ips if k.startswith(a))]
    checks = [('fastai epoch / plain PyTorch epoch, time per image', ratio('train epoch, fastai', 'train epoch, plain'), '≤ 1.05'),
              ('fastai epoch / pure compute, time per image', ratio('train epoch, fastai', 'train, pure compute on'), '≤ 1.2'),
              ('predict_files / pure eval, throughput', 1/ratio('predict_files', 'eval, pure'), '≥ 0.8'),
              ('channels_last / default at 128 px, throughput', 1/ratio('train, pure compute 128px, channels_last', 'train, pure compute 128px'), '> 1 means it helps')]
    md_row = lambda cells: '| ' + ' | '.join(cells) + ' |'
    lines = [f'torch {torch.__version__}, {torch.get_num_threads()} threads, batch {BS}, ResNet-18 from random weights', '',
             md_row(['what', 'images', 'seconds', 'img/s']), md_row(['---']*4),
             *[md_row([r.what, str(r.images), f'{r.seconds:.2f}', f"{r['img/s']:.1f}"]) for _,r in df.iterrows()], '',
             md_row(['ratio', 'measured', 'goal']), md_row(['---']*3), *[md_row([k, f'{v:.2f}', g]) for k,v,g in checks]]
    text = '\n'.join(lines)
    print(text)
    (HERE/'pets_speed.md').write_text(text + '\n')
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.barh(df.what, df['img/s']); ax.set_xlabel('images per second'); ax.invert_yaxis()
    ax.set_title('ResNet-18 on 2 CPU threads: where an epoch goes')
    fig.tight_layout(); fig.savefig(HERE/'pets_speed.png', dpi=100)

if __name__ == '__main__': main()
