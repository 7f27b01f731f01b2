//! Copies a fixture site into a temporary folder, runs `breakeven` on it, reads the output back.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

pub struct Site {
    dir: TempDir,
}

/// What one run printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Site {
    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            dir.path(),
        );
        Site { dir }
    }

    /// An empty folder to write a site into.
    pub fn blank() -> Site {
        Site {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    /// Runs `breakeven --root <site> <args…>`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs `breakeven --root <site> <args…>` with extra environment variables.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_breakeven"))
            .arg("--root")
            .arg(self.root())
            .args(args)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .envs(env.iter().copied())
            .output()
            .expect("run breakeven");
        // Temp paths differ per run: tests compare messages with the root written as `<root>`.
        let root = self.root().to_string_lossy().into_owned();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).replace(&root, "<root>"),
            stderr: String::from_utf8_lossy(&out.stderr).replace(&root, "<root>"),
        }
    }

    /// Builds into `public/` and insists it succeeded.
    pub fn build(&self) -> Run {
        let run = self.run(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// A page of the output, e.g. `blog/posts/x/index.html`.
    pub fn read(&self, rel: &str) -> String {
        let path = self.path("public").join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path("public").join(rel).exists()
    }

    /// Every output file and its bytes.
    pub fn output(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        collect(&self.path("public"), &self.path("public"), &mut files);
        files
    }
}

impl Run {
    /// stderr without the source lines and carets shown under each message, for tests about
    /// the messages and their help alone.
    pub fn messages(&self) -> String {
        let snippet = |l: &str| {
            let rest = l
                .trim_start()
                .trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with('|') || rest.starts_with(" |")
        };
        self.stderr
            .lines()
            .filter(|l| !snippet(l))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    /// Asserts the run failed with `code` and printed `needle`.
    pub fn fails_with(&self, code: i32, needle: &str) {
        assert_eq!(
            self.code, code,
            "expected exit {code}, got {}:\n{}",
            self.code, self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "expected `{needle}` in:\n{}",
            self.stderr
        );
    }
}

/// The `<main>` element of a page: the part snapshots compare.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page has </main>") + "</main>".len();
    &html[start..end]
}

/// Copies a folder and everything in it (`cp -r`).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path
                .strip_prefix(base)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            files.insert(rel, fs::read(&path).expect("read"));
        }
    }
}
