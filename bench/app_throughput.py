"""How many predictions per second does `resnet_nb_serve` answer, with 1, 2, 4 and 8 clients sending photos at once?

A ResNet-18 safe export at 128 px (random weights: speed does not depend on them), served by `resnet_nb_serve` on
127.0.0.1 in its own process; each client is a `gradio_client.Client` in a thread, uploading dogs-vs-cats photos through
the same endpoint (and queue) the page's upload uses. Prints a markdown table, writes bench/app_throughput.md and .png.
    python bench/app_throughput.py        # RESNET_NB_DATA must point at the data (make sets it)
"""
import os, sys, time, subprocess, tempfile, threading, warnings, socket
warnings.filterwarnings('ignore')
os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import md_table, bench_file, device_name
import matplotlib; matplotlib.use('Agg')
import pandas as pd
import torch
from gradio_client import Client, handle_file
from resnet_nb.core import course_settings, dogscats_path, setup_run
from resnet_nb.data import image_folder_dls, image_files
from resnet_nb.learner import make_learner
from resnet_nb.deploy import save_safe
from resnet_nb.test_utils import free_port

CLIENTS = [int(c) for c in os.environ.get('BENCH_CLIENTS', '1,2,4,8').split(',')]
PER_CLIENT = int(os.environ.get('BENCH_REQUESTS', 12))


def main():
    setup_run(0)
    tmp = Path(tempfile.mkdtemp())
    cfg = course_settings('sample', size=128, presize=128, bs=8, max_per_class=8, pretrained=False)
    model = save_safe(make_learner(image_folder_dls(dogscats_path(), cfg), 'resnet18', pretrained=False), tmp/'model')
    photos = image_files(dogscats_path()/'valid')[:64]
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent/'resnet_nb_serve'), str(model), '--port', str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(240):
            with socket.socket() as s:
                if s.connect_ex(('127.0.0.1', port)) == 0: break
            time.sleep(0.5)
        url = f'http://127.0.0.1:{port}/'
        endpoint = '/classify'
        Client(url, verbose=False).predict(handle_file(str(photos[0])), api_name=endpoint)  # warm up
        rows = []
        for n in CLIENTS:
            clients = [Client(url, verbose=False) for _ in range(n)]
            lat = []
            def work(i):
                for j in range(PER_CLIENT):
                    t = time.perf_counter()
                    clients[i].predict(handle_file(str(photos[(i*PER_CLIENT + j) % len(photos)])), api_name=endpoint)
                    lat.append(time.perf_counter() - t)
            threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
            start = time.perf_counter()
            for t in threads: t.start()
            for t in threads: t.join()
            secs = time.perf_counter() - start
            rows.append(dict(clients=n, requests=n*PER_CLIENT, seconds=round(secs, 2), predictions_per_s=round(n*PER_CLIENT/secs, 1),
                             median_latency_ms=round(1000*pd.Series(lat).median()), p90_latency_ms=round(1000*pd.Series(lat).quantile(0.9))))
            print(rows[-1], flush=True)
    finally:
        server.terminate(); server.wait(30)
    df = pd.DataFrame(rows)
    md = (f"`resnet_nb_serve`, ResNet-18 safe export at 128 px, {device_name() + ', ' if torch.cuda.is_available() else ''}{os.cpu_count()} CPU cores, requests through gradio_client "
          f"(upload + queue + prediction + response), {PER_CLIENT} photos per client\n\n{md_table(df)}\n")
    print(md); bench_file('app_throughput.md').write_text(md)
    ax = df.plot(x='clients', y='predictions_per_s', marker='o', figsize=(5, 3), legend=False, title='app throughput')
    ax.set_ylabel('predictions / s'); ax.figure.tight_layout(); ax.figure.savefig(bench_file('app_throughput.png'), dpi=100)

if __name__ == '__main__': main()
