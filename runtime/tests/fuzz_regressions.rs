//! Every input kept by the fuzz targets in `runtime/fuzz/` (their seeds and every crash found,
//! under `runtime/fuzz/seeds/<target>/` and `runtime/fuzz/regressions/<target>/`), replayed
//! through the same entry points on a 2 MiB thread, so plain `cargo test` keeps them fixed.

use std::fs;
use std::path::Path;

use sdkwright_runtime::fuzz;

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("decode_json", fuzz::decode_json),
    ("decode_soap", fuzz::decode_soap),
    ("decode_response", fuzz::decode_response),
    ("decode_redirect", fuzz::decode_redirect),
];

/// Runs `f` on a thread with a 2 MiB stack (a stack overflow aborts the test binary).
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("a fuzz input panicked");
}

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for kind in ["seeds", "regressions"] {
        let dir = root.join(kind).join(target);
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            out.push((path.display().to_string(), fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn kept_inputs_replay_cleanly() {
    let mut total = 0;
    for &(name, target) in TARGETS {
        let inputs = inputs(name);
        assert!(
            !inputs.is_empty() || name == "none",
            "no seeds for fuzz target `{name}`"
        );
        total += inputs.len();
        on_small_stack(move || {
            for (path, data) in inputs {
                eprintln!("{path}");
                target(&data);
            }
        });
    }
    assert!(total >= 20, "{total}");
}

/// Hostile inputs every decoding target must survive, built here rather than kept as files.
#[test]
fn built_hostile_inputs_replay_cleanly() {
    let deep_xml = format!(
        r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}{}</soap:Body></soap:Envelope>"#,
        "<a>".repeat(50_000),
        "</a>".repeat(50_000)
    );
    let deep_fault = deep_xml.replace(
        "<soap:Body>",
        "<soap:Body><soap:Fault><faultcode>c</faultcode><faultstring>s</faultstring><detail>",
    );
    let inputs: Vec<Vec<u8>> = vec![
        "[".repeat(100_000).into_bytes(),
        r#"{"children":["#.repeat(50_000).into_bytes(),
        r#"{"next":"#.repeat(50_000).into_bytes(),
        r#"{"extra":"#.repeat(50_000).into_bytes(),
        format!(r#"{{"data":{}}}"#, "[".repeat(100_000)).into_bytes(),
        deep_xml.into_bytes(),
        deep_fault.into_bytes(),
        "<a>".repeat(100_000).into_bytes(),
        vec![0xff; 5000],
        "é".repeat(3000).into_bytes(),
    ];
    on_small_stack(move || {
        for data in &inputs {
            for &(_, target) in TARGETS {
                target(data);
            }
        }
    });
}
