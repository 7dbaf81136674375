"""Make another copy of the course's data, different in counts, classes and balance, out of links to the files of SRC.

    python tools/other_copy.py ../shared/data /tmp/resnet_nb_other [PER_BREED]    # then:
    RESNET_NB_DATA=/tmp/resnet_nb_other make test

The tests must hold on any copy of the datasets, not only on the one they were written against. This copy keeps
fastai's layout but: pets PER_BREED photos per breed (default 5) with four breeds dropped (two cat, two dog) and one
breed of one fewer (never below 4: the Siamese lesson validates 2 photos of each breed and trains on 2 at least);
dogs-vs-cats unbalanced the other way round (more cats than dogs); MNIST-tiny and CamVid-tiny cut to about 60%.
Files are symbolic links: nothing is copied, and nothing is written into SRC."""
import random, sys
from pathlib import Path

def link(files, src:Path, dest:Path):
    for f in files:
        d = dest/f.relative_to(src)
        d.parent.mkdir(parents=True, exist_ok=True)
        d.symlink_to(f.resolve())

def main(src, dest, per_breed=5):
    src, dest = Path(src).resolve(), Path(dest).absolute()
    if dest.exists() and any(dest.iterdir()): sys.exit(f'{dest} exists and is not empty: give a new folder')
    rng = random.Random(0)
    # pets: per_breed per breed, 4 breeds dropped, one breed of one fewer
    pets = sorted((src/'oxford-iiit-pet'/'images').glob('*.jpg'))
    breeds = {}
    for f in pets: breeds.setdefault(f.stem.rsplit('_', 1)[0], []).append(f)
    cats, dogs = sorted(b for b in breeds if b[0].isupper()), sorted(b for b in breeds if b[0].islower())
    keep = cats[2:] + dogs[2:]
    for i, b in enumerate(keep): link(sorted(breeds[b])[:per_breed - (i == 0 and per_breed > 4)], src, dest)
    # dogs-vs-cats: more cats than dogs
    for split, n_cats, n_dogs in (('train', 300, 120), ('valid', 90, 40)):
        for cls, n in (('cats', n_cats), ('dogs', n_dogs)):
            fs = sorted((src/'dogscats'/split/cls).glob('*'))
            link(rng.sample(fs, min(n, len(fs))), src, dest)
    # MNIST-tiny and CamVid-tiny: about 60% of the files (masks with their images)
    for split in ('train', 'valid', 'test'):
        fs = sorted(p for p in (src/'mnist_tiny'/split).rglob('*.png'))
        link(rng.sample(fs, int(0.6*len(fs))), src, dest)
    link([src/'mnist_tiny'/'labels.csv'], src, dest)
    imgs = sorted((src/'camvid_tiny'/'images').glob('*.png'))
    chosen = rng.sample(imgs, int(0.6*len(imgs)))
    link(chosen + [src/'camvid_tiny'/'labels'/f'{f.stem}_P.png' for f in chosen] + [src/'camvid_tiny'/'codes.txt'], src, dest)
    n = {d.name: sum(1 for _ in d.rglob('*') if _.is_symlink()) for d in dest.iterdir()}
    print(f'{dest}: ' + ', '.join(f'{k} {v} files' for k, v in sorted(n.items())) +
          f'; pets: {len(keep)} breeds ({len(cats)-2} cat), {per_breed} photos each, {keep[0]} {per_breed - (per_breed > 4)}')

if __name__ == '__main__':
    if len(sys.argv) not in (3, 4): sys.exit(__doc__)
    main(*sys.argv[1:3], *map(int, sys.argv[3:]))
