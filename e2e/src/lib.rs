//! Support code for sdkwright's end-to-end tests (`tests/`): where the repository is, and a guard
//! that runs a [Prism](https://stoplight.io/prism) mock server for the length of a test.
//!
//! The tests themselves live in `tests/prism.rs` (every operation of the generated petstore client
//! against Prism, which validates each request against `specs/petstore.yaml`) and
//! `tests/loopback.rs` (an in-process axum server that records what the client sends).
#![warn(missing_docs)]

use std::fs::File;
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Environment variable naming the base URL of an already running Prism (started on
/// `specs/petstore.yaml`, e.g. by `scripts/prism.sh start specs/petstore.yaml 4010`); when it is
/// set the tests use that server instead of starting their own.
pub const PRISM_URL_ENV: &str = "SDKWRIGHT_PRISM_URL";

/// How long Prism may take to answer after it was started.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

/// The repository root (the parent of this crate's directory).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the e2e crate lives one level below the repository root")
        .to_path_buf()
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind an ephemeral port on 127.0.0.1")
        .port()
}

/// A Prism mock server for one test; the process is killed when the guard is dropped (also when
/// the test panics).
#[derive(Debug)]
pub struct Prism {
    child: Option<Child>,
    base_url: String,
    log: Option<PathBuf>,
}

impl Prism {
    /// Prism on `specs/petstore.yaml`: the one named by [`PRISM_URL_ENV`] if set, else a new one.
    pub fn petstore() -> Prism {
        if let Ok(url) = std::env::var(PRISM_URL_ENV) {
            if !url.trim().is_empty() {
                return Prism {
                    child: None,
                    base_url: url.trim_end_matches('/').to_owned(),
                    log: None,
                };
            }
        }
        Prism::start(&repo_root().join("specs/petstore.yaml"))
    }

    /// Starts `node_modules/.bin/prism mock SPEC --errors` on a free port and waits until it
    /// accepts connections. Panics with an actionable message if Prism is not installed, exits,
    /// or does not come up within 30 s.
    pub fn start(spec: &Path) -> Prism {
        let root = repo_root();
        let bin = root.join("node_modules/.bin/prism");
        assert!(
            bin.exists(),
            "Prism is not installed: {} is missing.\n\
             Run `npm ci` in {} (package.json pins @stoplight/prism-cli), or run `scripts/test.sh`, \
             which does it for you.",
            bin.display(),
            root.display()
        );
        let port = free_port();
        let log = std::env::temp_dir().join(format!("sdkwright-e2e-prism-{port}.log"));
        let log_file = File::create(&log).expect("create the Prism log file");
        let child = Command::new(&bin)
            .arg("mock")
            .arg(spec)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            // Also fail on responses that violate the spec: the examples must match the schemas.
            .arg("--errors")
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("clone the log file handle"))
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let mut prism = Prism {
            child: Some(child),
            base_url: format!("http://127.0.0.1:{port}"),
            log: Some(log),
        };
        prism.wait_ready(port);
        prism
    }

    fn wait_ready(&mut self, port: u16) {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "Prism exited ({status}) before it listened on port {port}:\n{}",
                    self.log_text()
                );
            }
            if Instant::now() > deadline {
                panic!(
                    "Prism did not listen on port {port} within {READY_TIMEOUT:?}:\n{}",
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// What Prism logged so far (its validation messages explain 4xx answers).
    pub fn log_text(&self) -> String {
        let Some(log) = &self.log else {
            return format!(
                "(Prism at {} was started outside the tests; see its own log)",
                self.base_url
            );
        };
        let mut text = String::new();
        if let Ok(mut f) = File::open(log) {
            let _ = f.read_to_string(&mut text);
        }
        format!("---- {}\n{text}", log.display())
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(log) = &self.log {
            if !std::thread::panicking() {
                let _ = std::fs::remove_file(log);
            }
        }
    }
}

/// Environment variable naming a file that [`record`] appends its rows to
/// (`scripts/prism-results.sh` sets it and turns the rows into `docs/prism-results.md`).
pub const PRISM_RESULTS_ENV: &str = "SDKWRIGHT_PRISM_RESULTS";

/// One row of the Prism results table: a call the test made and checked. `verdict` is what Prism
/// said about the request, `decoded` what the typed result held. Printed (visible with
/// `--nocapture`) and appended to the file [`PRISM_RESULTS_ENV`] names, as tab-separated fields.
pub fn record(document: &str, operation: &str, stresses: &str, verdict: &str, decoded: &str) {
    use std::io::Write as _;
    let clean = |s: &str| s.replace(['\t', '\n'], " ");
    let line = format!(
        "{}\t{}\t{}\t{}\t{}\n",
        clean(document),
        clean(operation),
        clean(stresses),
        clean(verdict),
        clean(decoded)
    );
    print!("prism-result\t{line}");
    if let Some(path) = std::env::var_os(PRISM_RESULTS_ENV) {
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = f.write_all(line.as_bytes());
        }
    }
}
