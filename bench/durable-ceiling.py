"""The disk's ceiling for small durable files, with no server, network or database: THREADS
threads each create files of SIZE bytes in one folder and fdatasync each (and, every BATCH
files, only the last), for SECONDS. Prints files/s.
Usage: python3 bench/durable-ceiling.py DIR [threads=16] [size=4096] [seconds=5] [batch=1]"""
import os
import sys
import threading
import time

root = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 16
size = int(sys.argv[3]) if len(sys.argv) > 3 else 4096
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 5
batch = int(sys.argv[5]) if len(sys.argv) > 5 else 1
body = os.urandom(size)
counts = [0] * threads
stop = time.monotonic() + seconds


def writer(k):
    n = 0
    while time.monotonic() < stop:
        fd = os.open(os.path.join(root, f"{k}-{n}"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, body)
        if (n + 1) % batch == 0:
            os.fdatasync(fd)
        os.close(fd)
        n += 1
    counts[k] = n


workers = [threading.Thread(target=writer, args=(k,)) for k in range(threads)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print(f"{sum(counts) / seconds:.0f}")
