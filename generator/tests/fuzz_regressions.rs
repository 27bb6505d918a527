//! Every input a fuzz target (`fuzz/`, `scripts/fuzz.sh`) crashed on, replayed through the same
//! checks: `tests/fuzz_regressions/<target>/<file>` is run as the target `<target>` runs it.
//!
//! To keep a new crash: copy the artifact into the folder of its target under a name that says
//! what it exercises, fix the bug, and check that this test failed before the fix.

#[path = "../../fuzz/src/lib.rs"]
#[allow(unreachable_pub, dead_code)]
mod harness;

use std::path::Path;

use harness::Documents;
use sdkwright::InputFormat;

/// The generator runs on the main thread of a CLI or a build script: 8 MiB of stack, not the
/// 2 MiB of a test thread.
const STACK: usize = 8 << 20;

/// Runs one input as the fuzz target `target` does; `Err` with the panic message on failure.
fn replay(target: &str, data: Vec<u8>) -> Result<(), String> {
    let target = target.to_owned();
    let run = move || match target.as_str() {
        "load_openapi" => Documents::new(InputFormat::Openapi, &data).check(),
        "load_graphql" => Documents::new(InputFormat::Graphql, &data).check(),
        "load_wsdl" => Documents::new(InputFormat::Wsdl, &data).check(),
        "pipeline" => {
            let _ = Documents::detect(&data).generate();
        }
        other => panic!("unknown fuzz target `{other}`"),
    };
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(run)
        .map_err(|e| e.to_string())?
        .join()
        .map_err(|e| {
            e.downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "panic".into())
        })
}

#[test]
fn fuzz_crash_inputs_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut targets: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    targets.sort();
    let (mut ran, mut failures) = (0, Vec::new());
    for dir in targets {
        let target = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            ran += 1;
            if let Err(message) = replay(&target, std::fs::read(&file).unwrap()) {
                failures.push(format!("{}: {message}", file.display()));
            }
        }
    }
    assert!(ran > 0, "no regression inputs found in {}", root.display());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
