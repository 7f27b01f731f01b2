#!/usr/bin/env bash
# Times cold builds of the blog layouts as the blog grows: wall time, CPU time and peak memory,
# in all and per page, so a cost that grows faster than the number of pages shows.
#
#   bench/scale.sh                         # 1,000, 10,000 and 50,000 posts, median of 1 run
#   bench/scale.sh --posts 1000 --posts 10000 --runs 3
#   bench/scale.sh --hugo                  # Hugo too, on its corpus of the same posts
#
# The sites are compare.sh's "blog layouts" (this repository's site.yaml, layouts/, data/ and
# static/ over the corpus's posts, each post under layouts/blog.html): see compare.sh.
# Environment: BENCH_DIR (default /tmp/breakeven-bench), HUGO, HUGO_VERSION, GEN_CORPUS.
# A 50,000-post corpus takes about 570 MB, and each of its outputs about 2 GB until the end.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
bench_dir=${BENCH_DIR:-${TMPDIR:-/tmp}/breakeven-bench}

posts=()
runs=1
with_hugo=false
while [ $# -gt 0 ]; do
    case $1 in
        --posts) posts+=("$2"); shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --hugo) with_hugo=true; shift ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ ${#posts[@]} -gt 0 ] || posts=(1000 10000 50000)

die() { echo "scale.sh: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

mkdir -p "$bench_dir"
# shellcheck source=bench/common.sh
. "$here/common.sh"
table=$(mktemp)
trap 'rm -f "$table"; empty_trash' EXIT
install_gnu_time
$with_hugo && install_hugo
build_breakeven

tools=(blog)
$with_hugo && tools+=(hugo)

# The one-minute load average, as the tables report it: other work on the machine stretches
# wall times, much less CPU time and memory.
load() { cut -d ' ' -f 1 /proc/loadavg; }

for n in "${posts[@]}"; do
    be_site=$(corpus breakeven "$n")
    blog=$bench_dir/breakeven-blog-$n
    install_blog_site "$be_site" "$blog" true
    $with_hugo && corpus hugo "$n" >/dev/null
    declare -A site_of=([blog]=$blog [hugo]=$bench_dir/hugo-$n)
    want=$(expected_pages "$be_site" "$n")
    declare -A want_of=([blog]=$(blog_pages "$be_site" "$n") [hugo]=$want)
    for tool in "${tools[@]}"; do : >"$bench_dir/scale-$tool-$n.txt"; done
    loads=()
    for ((r = 1; r <= runs; r++)); do
        for tool in "${tools[@]}"; do
            log "$n posts: $tool, run $r/$runs (load $(load))"
            loads+=("$(load)")
            name=breakeven; [ "$tool" = hugo ] && name=hugo
            out=$bench_dir/out-scale-$tool-$n
            timed_build "$name" "${site_of[$tool]}" "$out" "$bench_dir/scale-$tool-$n.txt"
            check_pages "$tool" "$out" "${want_of[$tool]}"
        done
    done
    # Set aside, not deleted, until the end: deleting them would slow the next size's builds
    # (see set_aside in common.sh).
    set_aside "$bench_dir/out-scale-blog-$n"
    set_aside "$bench_dir/out-scale-hugo-$n"
    load_range=$(printf '%s\n' "${loads[@]}" | sort -g | sed -n '1p;$p' | paste -sd '-')
    for tool in "${tools[@]}"; do
        f=$bench_dir/scale-$tool-$n.txt
        awk '{ print $1, $2 + $3, $4 }' "$f" >"$f.cols"
        echo "$n $tool $(median "$f.cols" 1) $(median "$f.cols" 2) $(median "$f.cols" 3) $load_range" >>"$table"
    done
done

echo
echo "Cold builds of the blog layouts, median of $runs run(s); $(nproc) CPUs; breakeven $be_rev."
echo
awk '
    BEGIN {
        printf "| %-9s | %7s | %8s | %8s | %9s | %11s | %10s | %11s | %9s |\n", "tool", "posts", "wall",
            "CPU", "peak RSS", "wall / page", "CPU / page", "RSS / page", "load"
        print "|-----------|--------:|---------:|---------:|----------:|------------:|-----------:|------------:|----------:|"
    }
    {
        tool = ($2 == "blog") ? "breakeven" : $2
        kib = $5; n = $1
        printf "| %-9s | %7d | %6.1f s | %6.1f s | %5.0f MiB | %8.2f ms | %7.2f ms | %7.1f KiB | %9s |\n",
            tool, n, $3, $4, kib / 1024, 1000 * $3 / n, 1000 * $4 / n, kib / n, $6
    }
' "$table"
echo
echo "CPU = user + sys. load: the one-minute load average before the builds (lowest-highest)."
echo "Raw samples (wall user sys maxrss_kb): $bench_dir/scale-{blog,hugo}-<posts>.txt"
