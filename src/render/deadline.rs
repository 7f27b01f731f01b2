//! A time limit for rendering one page: Tera has none, so the rendering thread carries a
//! deadline that the output writer and the `range` function check, and stop the page at.

use std::cell::Cell;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use tera::{Kwargs, State, Tera, TeraResult};

/// The default limit for one page (`site.yaml`: `template_time_limit_s`).
pub const DEFAULT_LIMIT: Duration = Duration::from_secs(30);

thread_local! {
    /// When the page being rendered on this thread must be done.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// A render stopped at its deadline.
#[derive(Debug)]
pub struct TimedOut;

/// Runs `render` with a deadline `limit` from now; `Err(TimedOut)` when it was stopped by it.
pub fn within<T, E>(
    limit: Duration,
    render: impl FnOnce() -> Result<T, E>,
) -> Result<Result<T, E>, TimedOut> {
    let previous = DEADLINE.with(|d| d.replace(Instant::now().checked_add(limit)));
    let result = render();
    let expired = passed();
    DEADLINE.with(|d| d.set(previous));
    match result {
        Err(_) if expired => Err(TimedOut),
        result => Ok(result),
    }
}

/// Whether this thread's deadline has passed.
fn passed() -> bool {
    DEADLINE.with(|d| d.get().is_some_and(|t| Instant::now() >= t))
}

fn too_long() -> io::Error {
    io::Error::other("the page took longer than its time limit to render")
}

/// Collects the rendered page, failing once the deadline has passed, which stops Tera at the
/// next text it writes.
#[derive(Default)]
pub struct Output {
    /// The page as rendered so far.
    pub bytes: Vec<u8>,
    writes: u32,
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // Reading the clock on every small write would cost more than the writes.
        self.writes = self.writes.wrapping_add(1);
        if self.writes.is_multiple_of(64) && passed() {
            return Err(too_long());
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Replaces Tera's `range` with one that checks the deadline: loops that write nothing, one
/// inside another, still call it on every turn of the outer one.
pub fn register(tera: &mut Tera) {
    tera.register_function("range", range);
}

/// Most numbers one `range` may give (Tera's own limit).
const MAX_RANGE_LEN: i128 = 100_000;

fn range(kwargs: Kwargs, _: &State) -> TeraResult<Vec<i128>> {
    if passed() {
        return Err(tera::Error::message(too_long()));
    }
    let start = kwargs.get::<i128>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i128>("end")?;
    let step = kwargs.get::<i128>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message(
            "`range` was called with a `step_by` of 0",
        ));
    }
    let span = if step > 0 {
        end.checked_sub(start)
    } else {
        start.checked_sub(end)
    };
    let len = span
        .filter(|s| *s > 0)
        .map_or(0, |s| (s - 1) / step.saturating_abs() + 1);
    if len > MAX_RANGE_LEN {
        return Err(tera::Error::message(format!(
            "`range` would give {len} numbers; the limit is {MAX_RANGE_LEN}"
        )));
    }
    Ok((0..len).map(|i| start + i * step).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(template: &str) -> String {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.render_str(template, &tera::Context::new(), false)
            .unwrap()
    }

    #[test]
    fn range_counts_as_teras_does() {
        let list = |args: &str| numbers(&format!("{{{{ range({args}) | join(sep=\",\") }}}}"));
        assert_eq!(list("end=3"), "0,1,2");
        assert_eq!(list("start=1, end=6, step_by=2"), "1,3,5");
        assert_eq!(list("start=5, end=0, step_by=-2"), "5,3,1");
        assert_eq!(list("start=3, end=3"), "");
        assert_eq!(list("start=4, end=3"), "");
    }

    #[test]
    fn an_expired_deadline_stops_rendering() {
        let mut tera = Tera::new();
        register(&mut tera);
        tera.add_raw_template("t", "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}")
            .unwrap();
        let stopped = within(Duration::ZERO, || {
            let mut out = Output::default();
            tera.render_to("t", &tera::Context::new(), &mut out)
        });
        assert!(stopped.is_err());
    }
}
