"""Uploads FILES small files (SIZE bytes, every one different) into folder PARENT, CONNS at a
time, as tus creation-with-upload: the set-up of scripts/bench-folder-page.sh and
scripts/count-statements.sh (wrk, which runs for a time rather than a count, measures speed).
Usage: python3 bench/upload-files.py URL TOKEN PARENT [files=10000] [size=4096] [conns=16] [ext=txt]
[prefix=f] (the names are PREFIX000000.EXT and on)"""
import base64
import http.client
import sys
import threading
import time
from urllib.parse import urlparse

url, token, parent = sys.argv[1:4]
files = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
size = int(sys.argv[5]) if len(sys.argv) > 5 else 4096
conns = int(sys.argv[6]) if len(sys.argv) > 6 else 16
ext = sys.argv[7] if len(sys.argv) > 7 else "txt"
prefix = sys.argv[8] if len(sys.argv) > 8 else "f"
address = urlparse(url)
b64 = lambda s: base64.b64encode(s.encode()).decode()
failed = []


def worker(k):
    conn = http.client.HTTPConnection(address.hostname, address.port)
    for n in range(k, files, conns):
        name = f"{prefix}{n:06d}.{ext}"
        stamp = f"{name} ".encode()
        body = stamp + b"x" * (size - len(stamp))
        conn.request("POST", "/api/v1/uploads", body=body, headers={
            "authorization": f"Bearer {token}", "tus-resumable": "1.0.0",
            "upload-length": str(size), "content-type": "application/offset+octet-stream",
            "upload-metadata": f"filename {b64(name)},parent_id {b64(parent)}"})
        response = conn.getresponse()
        response.read()
        if response.status != 201:
            failed.append((name, response.status))


started = time.monotonic()
threads = [threading.Thread(target=worker, args=(k,)) for k in range(conns)]
for t in threads:
    t.start()
for t in threads:
    t.join()
took = time.monotonic() - started
print(f"{files - len(failed)} files uploaded in {took:.1f} s ({files / took:.0f} files/s), {len(failed)} failed")
sys.exit(1 if failed else 0)
