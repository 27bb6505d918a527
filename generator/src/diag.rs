//! Diagnostics: what every layer reports instead of panicking.
//!
//! A [`Diagnostic`] names the file and a JSON pointer into the document; the line and column are
//! filled in by `load` when the pointer can be found in the source text.

use std::fmt;
use std::path::PathBuf;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Generation can proceed; a documented fallback was used.
    Warning,
    /// The document cannot be turned into a client.
    Error,
}

/// Where in which document a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The document file.
    pub file: PathBuf,
    /// JSON pointer into the document (`/paths/~1pets/get`), empty for the whole document.
    pub pointer: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
}

/// A problem found in an input document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code in path form, e.g. `openapi::dangling_ref`.
    pub code: &'static str,
    /// What is wrong, lower-case, no trailing period.
    pub message: String,
    /// Where.
    pub location: Option<Location>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            location: None,
            help: None,
        }
    }

    /// A warning.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            location: None,
            help: None,
        }
    }

    /// Sets the location (line and column unknown yet).
    pub fn at(mut self, file: impl Into<PathBuf>, pointer: impl Into<String>) -> Self {
        self.location = Some(Location {
            file: file.into(),
            pointer: pointer.into(),
            line: None,
            column: None,
        });
        self
    }

    /// Sets the location from an IR item's origin, `file#pointer` (the whole file when it has
    /// no `#`).
    pub fn at_origin(self, origin: &str) -> Self {
        let (file, pointer) = origin.split_once('#').unwrap_or((origin, ""));
        self.at(file, pointer)
    }

    /// Sets the location with a known line and column.
    pub fn at_line(
        mut self,
        file: impl Into<PathBuf>,
        pointer: impl Into<String>,
        line: u32,
        column: u32,
    ) -> Self {
        self.location = Some(Location {
            file: file.into(),
            pointer: pointer.into(),
            line: Some(line),
            column: Some(column),
        });
        self
    }

    /// Sets the help text.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The diagnostic as [`Display`](fmt::Display) renders it, plus the source line it points at
    /// with a caret under the column (as rustc shows them), read from the file only when a
    /// generator in this process accepted and read that file (never a file that was refused,
    /// nor one that is no longer a regular file).
    pub fn render_with_source(&self) -> String {
        let mut out = self.to_string();
        let Some(loc) = &self.location else {
            return out;
        };
        let (Some(line), Some(col)) = (loc.line, loc.column) else {
            return out;
        };
        let Some(text) = crate::load::confine::display_text(&loc.file) else {
            return out;
        };
        // Keep very long lines (minified JSON) readable: show a window around the column. Only
        // the window is read, not the line up to it (a minified document is one line, and may
        // have thousands of diagnostics).
        let col = col.saturating_sub(1) as usize;
        let Some((_, len)) = text.window(line as usize, 0, 0) else {
            return out;
        };
        let col = col.min(len);
        let start = col.saturating_sub(60);
        let Some((shown, _)) = text.window(line as usize, start, col + 60) else {
            return out;
        };
        let shown: String = shown
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let gutter = line.to_string();
        let pad = " ".repeat(gutter.len());
        let ellipsis = if start > 0 { "…" } else { "" };
        let caret_at = col - start + usize::from(start > 0);
        out = match out.split_once('\n') {
            Some((head, tail)) => {
                let (loc_line, rest) = tail
                    .split_once('\n')
                    .map_or((tail, None), |(a, b)| (a, Some(b)));
                let mut s = format!(
                    "{head}\n{loc_line}\n{pad} |\n{gutter} | {ellipsis}{shown}\n{pad} | {}^",
                    " ".repeat(caret_at)
                );
                if let Some(rest) = rest {
                    s.push('\n');
                    s.push_str(rest);
                }
                s
            }
            None => out,
        };
        out
    }
}

impl fmt::Display for Diagnostic {
    /// `error[code]: message` / `  --> file:line:col (#/pointer)` / `  = help: …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}[{}]: {}", self.code, self.message)?;
        if let Some(loc) = &self.location {
            write!(f, "\n  --> {}", loc.file.display())?;
            if let (Some(l), Some(c)) = (loc.line, loc.column) {
                write!(f, ":{l}:{c}")?;
            }
            if !loc.pointer.is_empty() {
                write!(f, " (#{})", loc.pointer)?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}
