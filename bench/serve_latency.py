#!/usr/bin/env python3
"""Live-preview latency: the time from saving a post to the new page being served, with the
home page (which lists every post) already showing the change, for `breakeven serve` and
`hugo server` on the same corpus.

    python3 bench/serve_latency.py --breakeven-site DIR --hugo-site DIR [--edits 25]

The corpora are the ones bench/compare.sh prepares (default: $BENCH_DIR/{breakeven,hugo}-10000;
run `bench/compare.sh --posts 10000 --runs 1` once first). Each edit saves one post with a new
unique word, in its text (`--edit body`, the default: what writing does) or in its title
(`--edit title`: every listing must show it). The clock stops when the post served over HTTP
contains the word; right after, the home page (which lists every post) is fetched and counted
as stale unless it agrees (for a title edit it must show the word). Also reports how long the
first page takes to be served.
"""
import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        # A server may drop a connection while it rebuilds: that poll simply failed.
        return None


def wait_until(check, timeout):
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check():
            return time.perf_counter()
        time.sleep(0.001)
    raise SystemExit("timed out")


def posts(site):
    folder = os.path.join(site, "content", "posts")
    return sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".md"))


def listing_of(site, path, page_size):
    """The listing URL that shows the post at `path`: the home page, or with a paged home page
    (`page_size` posts a page, newest first, as the blog's layouts do) the page that holds it."""
    if not page_size:
        return "/"
    def key(p):
        date = re.search(r"^date: (.*)$", open(p, encoding="utf-8").read(), re.M)
        return (date.group(1) if date else "", p)
    # Newest first; equal dates fall back to the source path, as breakeven orders collections.
    ranked = sorted(posts(site), key=key, reverse=True)
    chunk = ranked.index(path) // page_size
    return "/" if chunk == 0 else f"/page/{chunk + 1}/"


def measure(command, base, site, edits, kind, page_size=0):
    """Starts a server, times its first page, then `edits` saves. Restores the posts after."""
    files = posts(site)[:edits]
    listings = {f: listing_of(site, f, page_size) for f in files}
    saved = {f: open(f, encoding="utf-8").read() for f in files}
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first = wait_until(lambda: fetch(base + "/") is not None, 600) - started
        latencies = []
        stale = 0
        for i, path in enumerate(files):
            text = saved[path]
            slug = re.search(r"^permalink: /posts/(.*)/$", text, re.M)
            slug = slug.group(1) if slug else os.path.basename(path)[:-3]
            word = f"Edited{os.getpid()}x{i}"
            if kind == "title":
                new = re.sub(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} {word}"', text, count=1, flags=re.M)
            else:
                new = text + f"\n{word} closes the post.\n"
            home_shows = kind == "title"
            # Write in place and close: what an editor's save does, as one event burst.
            t0 = time.perf_counter()
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(new)
            page = f"{base}/posts/{slug}/"
            t1 = wait_until(lambda: word in (fetch(page) or ""), 120)
            latencies.append((t1 - t0) * 1000)
            # Untimed, right after: the listing must already agree with the page it lists.
            if (word in (fetch(base + listings[path]) or "")) != home_shows:
                stale += 1
        return first, latencies, stale
    finally:
        server.terminate()
        server.wait()
        for path, text in saved.items():
            open(path, "w", encoding="utf-8").write(text)


def report(name, first, latencies, stale):
    latencies = sorted(latencies)
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    print(f"| {name} | {statistics.median(latencies):.0f} ms | {p95:.0f} ms | {stale} | {first:.1f} s |")


def main():
    bench_dir = os.environ.get("BENCH_DIR", os.path.join(tempfile.gettempdir(), "breakeven-bench"))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--breakeven-site", default=os.path.join(bench_dir, "breakeven-10000"))
    ap.add_argument("--hugo-site", default=os.path.join(bench_dir, "hugo-10000"))
    ap.add_argument("--hugo", default=shutil.which("hugo"), help="hugo binary (default: on PATH)")
    ap.add_argument("--edits", type=int, default=25)
    ap.add_argument("--edit", choices=["body", "title"], default="body")
    ap.add_argument("--page-size", type=int, default=0,
                    help="posts per home page when it is paged (the blog layouts: 10)")
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    breakeven = os.path.join(ROOT, "target", "release", "breakeven")
    print(f"save → page served, {a.edits} edits of the post's {a.edit}\n")
    print("| server | p50 | p95 | stale home pages | first page served |")
    print("|---|--:|--:|--:|--:|")
    port = free_port()
    cmd = [breakeven, "--root", a.breakeven_site, "serve", "--port", str(port)]
    report("breakeven serve", *measure(cmd, f"http://127.0.0.1:{port}", a.breakeven_site, a.edits, a.edit,
                                        a.page_size))
    if a.hugo:
        port = free_port()
        cmd = [a.hugo, "server", "--source", a.hugo_site, "--port", str(port), "--bind", "127.0.0.1",
               "--baseURL", f"http://127.0.0.1:{port}/", "--quiet"]
        report("hugo server", *measure(cmd, f"http://127.0.0.1:{port}", a.hugo_site, a.edits, a.edit))
    else:
        print("(hugo not found: pass --hugo PATH, e.g. the binary bench/compare.sh installed)", file=sys.stderr)


if __name__ == "__main__":
    main()
