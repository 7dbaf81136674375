"Copy a fastai-style data folder, shrinking the JPEG photos of the pets and dogs-vs-cats sets to at most 200 px (everything else as is)"
import shutil, sys
from pathlib import Path
from PIL import Image

def shrink_copy(src:Path, dst:Path, max_side:int=200):
    if dst.exists(): shutil.rmtree(dst)
    for f in sorted(src.rglob('*')):
        t = dst/f.relative_to(src)
        if f.is_dir(): t.mkdir(parents=True, exist_ok=True); continue
        t.parent.mkdir(parents=True, exist_ok=True)
        if f.relative_to(src).parts[0] in ('oxford-iiit-pet', 'dogscats') and f.suffix.lower() in ('.jpg', '.jpeg'):
            try:
                im = Image.open(f); im.draft('RGB', (max_side, max_side)); im = im.convert('RGB')
                im.thumbnail((max_side, max_side)); im.save(t, quality=85); continue
            except Exception: pass  # unreadable on purpose (the bad-file tests): copy it as it is
        shutil.copy2(f, t)

if __name__ == '__main__': shrink_copy(Path(sys.argv[1]), Path(sys.argv[2]))
