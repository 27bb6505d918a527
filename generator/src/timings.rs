//! Phase timings for profiling generation: `SDKWRIGHT_TIMINGS=1 sdkwright generate …` prints,
//! after the run, the wall time spent in each phase (loading, lowering, analysis, token building,
//! printing, writing) to standard error. Off by default: when the variable is unset, a phase costs
//! one relaxed atomic load.
//!
//! Phases nest (a front end's time includes loading); the report lists them in the order they
//! first ran, indented by depth at that moment, with totals per name (a phase that runs once per
//! item, such as printing, adds up). Per-item phases are measured with [`Clock`], which costs
//! nothing when timings are off.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// 0: not read yet, 1: off, 2: on.
static STATE: AtomicU8 = AtomicU8::new(0);

/// (name, depth when first seen, total, count), in first-seen order.
static TOTALS: Mutex<Vec<(&'static str, usize, Duration, u64)>> = Mutex::new(Vec::new());

thread_local! {
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Whether `SDKWRIGHT_TIMINGS` is set to something other than `0` or empty.
pub(crate) fn enabled() -> bool {
    match STATE.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => {
            let on =
                std::env::var_os("SDKWRIGHT_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
            STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            on
        }
    }
}

/// Adds `elapsed` to the phase `name`.
pub(crate) fn add(name: &'static str, elapsed: Duration) {
    add_n(name, elapsed, 1);
}

fn add_n(name: &'static str, elapsed: Duration, n: u64) {
    let depth = DEPTH.with(|d| d.get());
    let Ok(mut totals) = TOTALS.lock() else {
        return;
    };
    match totals.iter_mut().find(|(n, ..)| *n == name) {
        Some(entry) => {
            entry.2 += elapsed;
            entry.3 += n;
        }
        None => totals.push((name, depth, elapsed, n)),
    }
}

/// Times `f` as the phase `name` (nothing but the call when timings are off).
pub(crate) fn phase<T>(name: &'static str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    // Registered before it runs, so the report lists phases in the order they started.
    add_n(name, Duration::ZERO, 0);
    DEPTH.with(|d| d.set(d.get() + 1));
    let start = Instant::now();
    let out = f();
    let elapsed = start.elapsed();
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    add(name, elapsed);
    out
}

/// A stopwatch for phases that interleave item by item (tokens, printing): [`Clock::lap`]
/// charges the time since the previous lap to a phase. Inert when timings are off.
pub(crate) struct Clock {
    last: Option<Instant>,
    /// Per phase name, accumulated locally and added once on drop (no lock per item).
    acc: Vec<(&'static str, Duration, u64)>,
}

impl Clock {
    pub(crate) fn start() -> Self {
        Clock {
            last: enabled().then(Instant::now),
            acc: Vec::new(),
        }
    }

    /// Charges the time since the last lap (or the start) to `name`.
    pub(crate) fn lap(&mut self, name: &'static str) {
        let Some(last) = self.last else { return };
        let now = Instant::now();
        let elapsed = now - last;
        self.last = Some(now);
        match self.acc.iter_mut().find(|(n, ..)| *n == name) {
            Some(e) => {
                e.1 += elapsed;
                e.2 += 1;
            }
            None => self.acc.push((name, elapsed, 1)),
        }
    }
}

impl Drop for Clock {
    fn drop(&mut self) {
        if self.last.is_none() {
            return;
        }
        DEPTH.with(|d| d.set(d.get() + 1));
        for (name, elapsed, n) in self.acc.drain(..) {
            add_n(name, elapsed, n);
        }
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// The report of every phase timed so far (empty when timings are off), and resets them.
pub(crate) fn take_report() -> String {
    let Ok(mut totals) = TOTALS.lock() else {
        return String::new();
    };
    let mut out = String::new();
    for (name, depth, elapsed, n) in totals.drain(..) {
        let indent = "  ".repeat(depth);
        let label = format!("{indent}{name}");
        let count = if n > 1 {
            format!(" ({n}×)")
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{label:<34} {:>9.3} ms{count}\n",
            elapsed.as_secs_f64() * 1000.0
        ));
    }
    out
}
