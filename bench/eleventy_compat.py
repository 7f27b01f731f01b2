#!/usr/bin/env python3
"""How much of an Eleventy site breakeven builds as Eleventy does.

    bench/eleventy_compat.py SITE [--breakeven BIN] [--eleventy-json FILE] [--keep DIR]

SITE is an Eleventy project (its config, input folder, `_data`, `_includes`) with its npm
dependencies installed (`npm install` in SITE). The script

1. runs Eleventy there (`npx @11ty/eleventy`, output to a temporary folder) with a wrapper
   config that adds one collection callback, which writes every page of `collections.all`
   (input path, URL, date, tags) to a JSON file; `--eleventy-json` reuses such a file;
2. copies the site to a temporary folder as breakeven reads it: the input folder as
   `content/`, its `.eleventyignore` (and the project's, lines renamed), JavaScript data files
   (`*.11tydata.js`, `_data/*.js`) and `---js` front matter converted to JSON by running them
   with Node (what an author does by hand; functions are left out), a `site.yaml`, and every
   file of `_includes/` as a probe layout that prints the page's path, URL, date and tags;
3. builds that copy with breakeven and reads the probes back;
4. prints, for Eleventy's pages that have a URL, the share that breakeven builds from the same
   source with the same URL, the same date (same instant) and the same tags (as sets: each tag
   is a collection).

Layouts are probes, not ports, so only what content and data decide is compared: nothing
here says the pages look alike. What an author ports by hand (JavaScript functions, template
pages) comes from `--port DIR`, laid over the copy before it is built. Needs node/npx and python3 (standard library only).
"""

import argparse
from html import unescape
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

CONFIG_NAMES = ["eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", ".eleventy.js"]

WRAPPER = """\
import fs from "node:fs";
import * as user from "./{config}";
const userDefault = user.default;
export const config = user.config ?? userDefault?.config;
export default async function (eleventyConfig) {{
  const returned = typeof userDefault === "function" ? await userDefault(eleventyConfig) : undefined;
  eleventyConfig.addCollection("__breakevenCompat", (api) => {{
    const pages = api.getAll().map((p) => ({{
      inputPath: p.inputPath,
      url: p.url,
      date: p.date instanceof Date ? p.date.toISOString() : String(p.date),
      tags: Array.isArray(p.data.tags) ? p.data.tags : p.data.tags ? [p.data.tags] : [],
      // Eleventy dates a page by its file's times when neither its data nor its file name does.
      fileTime: p.data.date == null
        ? !/^\d{{4}}-\d{{2}}-\d{{2}}/.test(p.inputPath.split("/").pop())
        : /^(git )?(created|last modified)$/i.test(String(p.data.date)),
    }}));
    const dirs = eleventyConfig.directories ?? {{}};
    fs.writeFileSync(process.env.BREAKEVEN_COMPAT_OUT, JSON.stringify({{
      input: dirs.input, includes: dirs.includes, data: dirs.data, pages,
    }}));
    return [];
  }});
  return returned;
}}
"""

# Tera escapes each value for HTML; tags come one per element.
PROBE = """<!doctype html><html><head><meta name="compat-path" content="{{ page.path }}">\
<meta name="compat-url" content="{{ page.url }}"><meta name="compat-date" content="{{ page.date }}">\
{% for tag in page.tags %}<meta name="compat-tag" content="{{ tag }}">{% endfor %}</head>\
<body>{{ content | safe }}</body></html>
"""

PROBE_RE = re.compile(r'<meta name="compat-(path|url|date|tag)" content="([^"]*)">')

JS_DATA = """\
// A data file that logs must not mix its messages into the JSON written to stdout.
console.log = console.info = console.debug = (...args) => console.error(...args);
import(process.argv[1]).then(async (m) => {
  let v = m.default ?? m;
  if (typeof v === "function") v = await v();
  process.stdout.write(JSON.stringify(v ?? {}));
});
"""


def run_eleventy(site: Path, output: str, env: dict, config: str | None = None) -> None:
    args = ["npx", "@11ty/eleventy", f"--output={output}", "--quiet"]
    if config:
        args.append(f"--config={config}")
    run = subprocess.run(args, cwd=site, env=env, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"Eleventy failed:\n{run.stdout}\n{run.stderr}")


def eleventy_listing(site: Path, out: Path) -> dict:
    """Eleventy's pages (from a run with the wrapper config) and the HTML files it writes (from
    a run without: the wrapper's collection would get a tag page of its own)."""
    config = next((n for n in CONFIG_NAMES if (site / n).exists()), None)
    wrapper = site / ".breakeven-compat.config.mjs"
    if config:
        wrapper.write_text(WRAPPER.format(config=config))
    else:
        wrapper.write_text(WRAPPER.replace('import * as user from "./{config}";', "const user = {};").format())
    env = dict(os.environ, BREAKEVEN_COMPAT_OUT=str(out), ELEVENTY_RUN_MODE="build")
    try:
        with tempfile.TemporaryDirectory() as plain, tempfile.TemporaryDirectory() as wrapped:
            run_eleventy(site, plain, env)
            files = sorted(p.relative_to(plain).as_posix() for p in Path(plain).rglob("*.html"))
            run_eleventy(site, wrapped, env, wrapper.name)
    finally:
        wrapper.unlink(missing_ok=True)
    if not out.exists():
        sys.exit("Eleventy ran but the wrapper config wrote no listing")
    listing = json.loads(out.read_text())
    listing["files"] = files
    out.write_text(json.dumps(listing))
    return listing


def rel_dir(site: Path, configured: str | None, default: str) -> Path:
    """A folder Eleventy names relative to the project (`./content/`), inside `site`."""
    return (site / (configured or default)).resolve()


def js_data_to_json(path: Path, original: Path, site: Path) -> None:
    """Runs `original` where it is (its imports resolve in the site's node_modules), from the
    site's folder as Eleventy does (a data file may read relative paths or write a `.cache/`)."""
    run = subprocess.run(["node", "-e", JS_DATA, original.resolve().as_uri()], capture_output=True, text=True,
                         cwd=site)
    if run.returncode != 0:
        error = next((l for l in run.stderr.splitlines() if "Error" in l), run.stderr.strip()[:200])
        print(f"note: {path.name} did not run ({error.strip()}); left out", file=sys.stderr)
        path.unlink()
        return
    name = path.name.removesuffix(path.suffix) + ".json"
    path.with_name(name).write_text(run.stdout)
    path.unlink()


JS_FRONT_MATTER = """\
const code = require("fs").readFileSync(0, "utf8");
const names = [...code.matchAll(/^(?:const|let|var|function)\\s+([A-Za-z_$][\\w$]*)/gm)].map((m) => m[1]);
const data = new Function(code + "; return {" + names.join(",") + "};")();
process.stdout.write(JSON.stringify(data, (k, v) => (typeof v === "function" ? undefined : v)));
"""

FENCE_JS = re.compile(r"\A---(?:js|javascript)\n(.*?)\n---\n", re.S)


def js_front_matter_to_yaml(path: Path) -> None:
    """`---js` front matter as the JSON (and so YAML) of the values it declares."""
    text = path.read_text()
    m = FENCE_JS.match(text)
    if not m:
        return
    run = subprocess.run(["node", "-e", JS_FRONT_MATTER], input=m.group(1), capture_output=True, text=True)
    if run.returncode != 0:
        print(f"note: the ---js front matter of {path.name} did not run; left as it is", file=sys.stderr)
        return
    path.write_text(f"---\n{run.stdout}\n---\n" + text[m.end():])


def copy_root_ignores(site: Path, input_dir: Path, into: Path) -> None:
    """The project's `.eleventyignore`, when the input folder is below it: its lines name paths
    from the project, so those inside the input folder are renamed into `content/`."""
    ignore = site / ".eleventyignore"
    if input_dir == site or not ignore.is_file():
        return
    prefix = input_dir.relative_to(site).as_posix() + "/"
    lines = []
    for line in ignore.read_text().splitlines():
        path = line.strip().removeprefix("./")
        if path.startswith(prefix):
            lines.append("content/" + path[len(prefix):])
    (into / ".eleventyignore").write_text("\n".join(lines) + "\n")


def breakeven_copy(site: Path, listing: dict, into: Path) -> None:
    input_dir = rel_dir(site, listing.get("input"), ".")
    includes = rel_dir(input_dir, None, listing.get("includes") or "_includes")
    if listing.get("includes", "").startswith("./"):
        includes = rel_dir(site, listing["includes"], "_includes")
    data = rel_dir(site, listing.get("data"), "_data")
    ignore = shutil.ignore_patterns("node_modules", "_site", ".git")
    shutil.copytree(input_dir, into / "content", ignore=ignore)
    if data.is_dir() and not data.is_relative_to(input_dir):
        shutil.copytree(data, into / "_data", ignore=ignore)
    copy_root_ignores(site, input_dir, into)
    for ext in ("js", "cjs", "mjs"):
        for js in (into / "content").rglob(f"*.11tydata.{ext}"):
            js_data_to_json(js, input_dir / js.relative_to(into / "content"), site)
        for js in (into / "content" / "_data").glob(f"*.{ext}"):
            js_data_to_json(js, input_dir / js.relative_to(into / "content"), site)
        for js in (into / "_data").glob(f"*.{ext}"):
            js_data_to_json(js, data / js.name, site)
    for md in (into / "content").rglob("*.md"):
        js_front_matter_to_yaml(md)
    layouts = into / "layouts"
    layouts.mkdir()
    (layouts / "compat-probe.html").write_text(PROBE)
    if includes.is_dir():
        for f in includes.rglob("*"):
            if f.is_file() and not f.is_relative_to(site / "node_modules"):
                rel = f.relative_to(includes).with_suffix(".html")
                for target in {rel, Path(*rel.parts[1:]) if rel.parts[0] == "layouts" and len(rel.parts) > 1 else rel}:
                    (layouts / target).parent.mkdir(parents=True, exist_ok=True)
                    (layouts / target).write_text(front_matter_of(f) + PROBE)
        shutil.rmtree(into / "content" / includes.name, ignore_errors=True)
    (into / "site.yaml").write_text(
        f"title: {site.name}\nbase_url: https://example.com/\ndefault_layout: compat-probe\n"
    )


def front_matter_of(layout: Path) -> str:
    """A layout's own front matter block (its `layout:` chain, its `permalink`, its data): the
    probe keeps it, so that what a layout decides is compared too."""
    text = layout.read_text(errors="replace")
    found = re.match(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", text, re.S)
    return found.group(0) if found else ""


def lay_port_over(port: Path, root: Path) -> None:
    """Copies the hand-ported files over the copy; a file named `X.delete` removes `X`. A ported
    layout keeps its front matter and gets the probe as its body."""
    for f in sorted(p for p in port.rglob("*") if p.is_file()):
        rel = f.relative_to(port)
        if rel.suffix == ".delete":
            (root / rel.with_suffix("")).unlink(missing_ok=True)
            print(f"port: removed {rel.with_suffix('')}", file=sys.stderr)
            continue
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        if rel.parts[0] == "layouts":
            (root / rel).write_text(front_matter_of(f) + PROBE)
        else:
            shutil.copyfile(f, root / rel)
        print(f"port: {rel}", file=sys.stderr)


def breakeven_pages(binary: str, root: Path) -> dict:
    run = subprocess.run([binary, "--root", str(root), "build", "--no-cache"], capture_output=True, text=True)
    warnings = len(re.findall(r"^warning:", run.stderr, re.M))
    print(f"breakeven build: exit {run.returncode}, {warnings} warnings", file=sys.stderr)
    if run.returncode != 0:
        sys.exit(f"breakeven failed:\n{run.stderr}")
    pages = {}
    # `.html` files, and those a permalink names without an extension (`/about`).
    written = [f for f in (root / "public").rglob("*") if f.is_file() and f.suffix in ("", ".html")]
    for html in written:
        page = {"tags": []}
        # A chain of layouts nests probes: the outermost, first, is read.
        head = html.read_text(errors="replace").split("</head>", 1)[0]
        for key, value in PROBE_RE.findall(head):
            if key == "tag":
                page["tags"].append(unescape(value))
            else:
                page.setdefault(key, unescape(value))
        if "path" in page:
            pages[page["path"]] = page
    return pages


def instant(text):
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)
    except ValueError:
        return None


def compare_files(listing: dict, public: Path) -> None:
    """Eleventy's HTML files (every page, also those outside collections) that breakeven wrote."""
    files = listing.get("files") or []
    if not files:
        return
    ours = {p.relative_to(public).as_posix() for p in public.rglob("*.html")}
    missing = [f for f in files if f not in ours]
    share = len(files) - len(missing)
    print(f"Eleventy's HTML files also written by breakeven: {share}/{len(files)}  "
          f"{100 * share / len(files):5.1f}%" + (f"  (not: {', '.join(missing)})" if missing else ""))
    # Pages Eleventy leaves unpublished (`.eleventyignore`, a README) show up only here.
    extra = sorted(ours - set(files))
    print(f"breakeven's HTML files that Eleventy does not write: {len(extra)}"
          + (f"  ({', '.join(extra)})" if extra else ""))


def checks_of(theirs: dict, ours: dict | None) -> dict:
    checks = {
        "built": ours is not None,
        "url": ours is not None and ours["url"] == theirs["url"],
        "date": ours is not None and instant(ours["date"]) == instant(theirs["date"]),
        # As sets: a tag is a collection, and a page is in it once however often it is named.
        "tags": ours is not None and set(ours["tags"]) == set(theirs["tags"]),
    }
    checks["all"] = all(checks.values())
    return checks


def summarise(title: str, rows: list) -> None:
    """The share of `rows` that breakeven builds as Eleventy does, check by check."""
    if not rows:
        return
    total = len(rows)
    print(f"{title}: {total}")
    results = [checks_of(t, o) for _, t, o in rows]
    for k, label in [("built", "built from the same source"), ("url", "same URL"), ("date", "same date"),
                     ("tags", "same tags"), ("all", "same URL, date and tags")]:
        n = sum(r[k] for r in results)
        print(f"  {label:<28} {n:>4}/{total}  {100 * n / total:5.1f}%")
    # Eleventy dates a page with no date in its data or file name by the file's creation time, which
    # is when it was checked out, not a date its author gave: counted apart.
    dated = [r for (_, t, _), r in zip(rows, results) if not t.get("fileTime")]
    if len(dated) < total and dated:
        n = sum(r["date"] for r in dated)
        print(f"  {'same date, dated in source':<28} {n:>4}/{len(dated)}  {100 * n / len(dated):5.1f}%"
              f"  ({total - len(dated)} undated: Eleventy gives them the file's time)")


def compare(listing: dict, built: dict, site: Path) -> int:
    input_dir = rel_dir(site, listing.get("input"), ".")
    rows = []
    for page in listing["pages"]:
        if page["url"] is False or page["url"] is None:
            continue
        source = (site / page["inputPath"]).resolve().relative_to(input_dir).as_posix()
        rows.append((source, page, built.get(source)))
    if not rows:
        sys.exit("Eleventy listed no pages with a URL")
    for source, theirs, ours in rows:
        checks = checks_of(theirs, ours)
        if not checks["all"]:
            why = [k for k, ok in checks.items() if not ok and k != "all"]
            print(f"  differs: {source}: {', '.join(why)}; Eleventy {theirs['url']} {theirs['date']} "
                  f"{theirs['tags']}" + (f"; breakeven {ours['url']} {ours['date']} {ours['tags']}" if ours else ""))
    kinds = sorted({Path(source).suffix for source, _, _ in rows})
    for kind in kinds:
        of_kind = [o for s, _, o in rows if Path(s).suffix == kind]
        print(f"{kind} pages: {len(of_kind)}, built by breakeven: {sum(o is not None for o in of_kind)}")
    summarise("Eleventy pages with a URL (collections.all)", rows)
    # Other template languages (Nunjucks, Liquid) need a port to Tera; Markdown should carry over.
    summarise("Markdown pages", [r for r in rows if r[0].endswith(".md")])
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--breakeven", default="breakeven", help="the breakeven binary")
    ap.add_argument("--eleventy-json", type=Path, help="reuse a listing written by an earlier run")
    ap.add_argument("--keep", type=Path, help="build the breakeven copy here and keep it")
    ap.add_argument("--port", type=Path, help="files an author ports by hand (JavaScript "
                    "`eleventyComputed` functions as Tera templates in JSON/YAML data, template pages "
                    "as Tera), laid over the copy: paths as in it (`content/...`); each is listed")
    args = ap.parse_args()
    site = args.site.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        listing_file = args.eleventy_json or tmp / "eleventy.json"
        listing = json.loads(listing_file.read_text()) if args.eleventy_json else eleventy_listing(site, listing_file)
        root = args.keep.resolve() if args.keep else tmp / "site"
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        breakeven_copy(site, listing, root)
        if args.port:
            lay_port_over(args.port, root)
        status = compare(listing, breakeven_pages(args.breakeven, root), site)
        compare_files(listing, root / "public")
        return status


if __name__ == "__main__":
    sys.exit(main())
