"""How many predictions per second does `resnet_nb_serve` answer with 1 to 16 clients at once, against `predict_files`?

A ResNet-18 safe export at 128 px (random weights: speed does not depend on them), served by `resnet_nb_serve` on
127.0.0.1 in its own process, twice: predicting the requests that arrive together in one batch (`--batch 16`, the
default) and one request at a time (`--batch 1`, as the app did before). Each client is a `gradio_client.Client` in a
thread of this process that does what the page does over plain HTTP (upload the file, call `/classify`, read the
answer from the event stream): a load generator that costs the shared cores almost nothing. Gradio's own Python client
(`gradio_client`) costs about three times the server's CPU per request, so rows with it (8 clients) measure mostly the
client. The reference is `predict_files` over the same photos in this process, with the server idle. Every ratio is
within this run; `server_cpu_ms` is the server process's CPU time per answer.
Prints a markdown table, writes bench/app_throughput.md and .png.
    python bench/app_throughput.py        # RESNET_NB_DATA must point at the data (make sets it)
"""
import os, sys, time, subprocess, tempfile, threading, warnings, socket, http.client, json, uuid
warnings.filterwarnings('ignore')
os.environ.setdefault('GRADIO_ANALYTICS_ENABLED', 'False')
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from common import md_table, bench_file, device_name
import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
import pandas as pd
import torch
from gradio_client import Client, handle_file
from resnet_nb.core import course_settings, dogscats_path, setup_run
from resnet_nb.data import image_folder_dls, image_files
from resnet_nb.learner import make_learner
from resnet_nb.deploy import save_safe, load_safe, predict_files
from resnet_nb.test_utils import free_port, installed_command

CLIENTS = [int(c) for c in os.environ.get('BENCH_CLIENTS', '1,2,4,8,16').split(',')]
PER_CLIENT = int(os.environ.get('BENCH_REQUESTS', 12))
BATCHES = (16, 1)  # the app's default, and one request at a time

def serve(model, batch:int):
    "Start `resnet_nb_serve` on a free port; (process, url) once it answers"
    port = free_port()
    proc = subprocess.Popen([installed_command('resnet_nb_serve'), str(model), '--port', str(port), '--batch', str(batch)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(240):
        with socket.socket() as s:
            if s.connect_ex(('127.0.0.1', port)) == 0: return proc, f'http://127.0.0.1:{port}/'
        time.sleep(0.5)
    proc.terminate(); raise TimeoutError('the app did not start')

class HTTPClient:
    "What the page does for one photo, over one kept-alive HTTP connection: upload it, call `/classify`, read the answer"
    def __init__(self, url): self.conn = http.client.HTTPConnection(url.split('/')[2], timeout=300)
    def _ask(self, method, path, body=None, headers={}):
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse(); data = r.read()
        if r.status != 200: raise RuntimeError(f'{method} {path}: {r.status} {data[:200]!r}')
        return data
    def predict(self, f):
        b = uuid.uuid4().hex
        body = (f'--{b}\r\nContent-Disposition: form-data; name="files"; filename="{f.name}"\r\n\r\n').encode() + f.read_bytes() + f'\r\n--{b}--\r\n'.encode()
        path = json.loads(self._ask('POST', '/gradio_api/upload', body, {'Content-Type': f'multipart/form-data; boundary={b}'}))[0]
        call = json.dumps({'data': [{'path': path, 'meta': {'_type': 'gradio.FileData'}}]})
        event = json.loads(self._ask('POST', '/gradio_api/call/classify', call, {'Content-Type': 'application/json'}))['event_id']
        answer = self._ask('GET', f'/gradio_api/call/classify/{event}').decode()
        if 'event: complete' not in answer: raise RuntimeError(answer[-300:])

class GradioClient:
    "Gradio's own client (it downloads the returned picture too, as the page shows it)"
    def __init__(self, url): self.client = Client(url, verbose=False)
    def predict(self, f): self.client.predict(handle_file(str(f)), api_name='/classify')

def cpu_seconds(pid:int) -> float:
    "CPU time (user + system) used so far by process `pid`"
    f = Path(f'/proc/{pid}/stat').read_text().rsplit(')', 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK')

def load(url, server, photos, n:int, client=HTTPClient) -> dict:
    "`n` clients each sending `PER_CLIENT` photos one after the other: throughput, latencies, the server's CPU per answer"
    clients, lat, lock = [client(url) for _ in range(n)], [], threading.Lock()
    def work(i):
        for j in range(PER_CLIENT):
            t = time.perf_counter()
            clients[i].predict(photos[(i*PER_CLIENT + j) % len(photos)])
            with lock: lat.append(time.perf_counter() - t)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    cpu0, start = cpu_seconds(server.pid), time.perf_counter()
    for t in threads: t.start()
    for t in threads: t.join()
    secs, lat, cpu = time.perf_counter() - start, pd.Series(lat), cpu_seconds(server.pid) - cpu0
    return dict(requests=n*PER_CLIENT, seconds=round(secs, 2), predictions_per_s=round(n*PER_CLIENT/secs, 1),
                median_latency_ms=round(1000*lat.median()), p90_latency_ms=round(1000*lat.quantile(0.9)),
                server_cpu_ms=round(1000*cpu/(n*PER_CLIENT)))

def main():
    setup_run(0)
    tmp = Path(tempfile.mkdtemp())
    cfg = course_settings('sample', size=128, presize=128, bs=8, max_per_class=8, pretrained=False)
    model = save_safe(make_learner(image_folder_dls(dogscats_path(), cfg), 'resnet18', pretrained=False), tmp/'model')
    photos = image_files(dogscats_path()/'valid')[:64]
    safe = load_safe(model)
    predict_files(safe, photos[:8])  # warm up
    ref = []
    for _ in range(3):
        t = time.perf_counter(); predict_files(safe, photos); ref.append(len(photos)/(time.perf_counter() - t))
    ref = sorted(ref)[1]
    print(f'predict_files: {ref:.1f} photos/s (median of 3)', flush=True)
    rows = []
    for batch in BATCHES:
        proc, url = serve(model, batch)
        try:
            HTTPClient(url).predict(photos[0])  # warm up
            runs = [(n, HTTPClient) for n in CLIENTS] + [(8, GradioClient)]
            for n, client in runs:
                rows.append(dict(app=f'--batch {batch}', client='gradio_client' if client is GradioClient else 'HTTP', clients=n,
                                 **load(url, proc, photos, n, client)))
                rows[-1]['vs_predict_files'] = round(rows[-1]['predictions_per_s'] / ref, 2)
                print(rows[-1], flush=True)
        finally: proc.terminate(); proc.wait(30)
    df = pd.DataFrame(rows)
    http = df[df.client == 'HTTP']
    md = (f"`resnet_nb_serve`, ResNet-18 safe export at 128 px, {device_name() + ', ' if torch.cuda.is_available() else ''}{os.cpu_count()} CPU cores "
          f"(the clients run on the same cores), each request uploaded, queued, predicted and answered as the page does it, {PER_CLIENT} photos per "
          f"client (HTTP: a light client over plain HTTP; gradio_client: Gradio's Python client, whose own CPU use on the same cores dominates). `predict_files` on the same {len(photos)} photos: {ref:.1f} photos/s; `vs_predict_files` = the app's predictions/s ÷ that.\n\n"
          f"{md_table(df)}\n")
    print(md); bench_file('app_throughput.md').write_text(md)
    fig, axs = plt.subplots(1, 2, figsize=(9, 3.2))
    for batch, d in http.groupby('app', sort=False):
        axs[0].plot(d.clients, d.predictions_per_s, marker='o', label=batch)
        axs[1].plot(d.clients, d.p90_latency_ms, marker='o', label=batch)
    axs[0].axhline(ref, ls='--', c='grey', label='predict_files'); axs[0].axhline(0.3*ref, ls=':', c='grey', label='0.3 × predict_files')
    axs[0].set(xscale='log', xlabel='clients at once', ylabel='predictions / s', title='throughput')
    axs[1].set(xscale='log', xlabel='clients at once', ylabel='ms', title='p90 latency')
    for ax in axs: ax.set_xticks(CLIENTS, CLIENTS); ax.legend(fontsize=7)
    fig.tight_layout(); fig.savefig(bench_file('app_throughput.png'), dpi=100)

if __name__ == '__main__': main()
