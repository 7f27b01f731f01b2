//! The check every rebuild test makes: after a session applies changed files, each output equals
//! a clean build's, byte for byte, and where a clean build fails the rebuild fails too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use breakeven::Options;
use breakeven::output::{Content, Outputs};
use breakeven::rebuild::Session;

fn bytes(outputs: &Outputs) -> BTreeMap<String, Vec<u8>> {
    outputs
        .iter()
        .map(|(path, o)| {
            let bytes = match &o.content {
                Content::Bytes(b) => b.clone(),
                Content::Copy(from) => std::fs::read(from).expect("static file"),
            };
            (path.clone(), bytes)
        })
        .collect()
}

/// Applies `changed` (paths relative to `root`, already written or deleted) to `session`, then
/// compares every output with a clean build of `root`: where a clean build fails, the rebuild
/// must fail too.
pub fn equals_a_clean_build(
    session: &mut Session,
    root: &Path,
    changed: BTreeSet<PathBuf>,
) -> Result<Compared, String> {
    let update = session.apply(changed);
    match (breakeven::build(root, &Options::default()), update) {
        (Ok(_), Err(f)) => Err(format!("rebuild failed but a clean build works: {f:?}")),
        (Ok((_, clean)), Ok(_)) => {
            let (incremental, clean) = (bytes(session.outputs()), bytes(&clean));
            let differing: Vec<&String> = clean
                .keys()
                .chain(incremental.keys())
                .filter(|k| clean.get(*k) != incremental.get(*k))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            match differing.first() {
                None => Ok(Compared::Built),
                Some(first) => Err(format!(
                    "incremental differs from clean in {differing:?}; `{first}` is\n{}\ninstead of\n{}",
                    shown(incremental.get(*first)),
                    shown(clean.get(*first)),
                )),
            }
        }
        (Err(_), Ok(_)) => Err("a clean build fails but the rebuild succeeded".into()),
        (Err(_), Err(_)) => Ok(Compared::BothFailed),
    }
}

/// How a step that equals a clean build went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compared {
    Built,
    BothFailed,
}

fn shown(bytes: Option<&Vec<u8>>) -> String {
    bytes.map_or("(missing)".into(), |b| {
        String::from_utf8_lossy(b).into_owned()
    })
}
