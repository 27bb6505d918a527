//! Lists every type of the generated example crates the tests depend on, for
//! `tests/type_sizes.rs`: `$OUT_DIR/type_sizes.rs` holds one `(crate, type, size_of)` row per
//! top-level `pub struct`, `pub enum` and `pub type` of each crate's `src/types.rs`, so a type
//! added to an example is measured without editing the test.
//!
//! Generates the code of every golden case (generator/tests/golden/<case>/) for
//! `tests/goldens_compile.rs`: `$OUT_DIR/goldens.rs` holds one module per case, so the golden
//! outputs are compiled (warnings denied, and clippy's lints when clippy runs), not only diffed.
//!
//! Generates the clients of `tests/wire.rs` from whole documents of the shared corpus, each
//! restricted to the operations under test (`--only`): `$OUT_DIR/wire_<api>.rs`. Without the
//! corpus (`../shared/specs-corpus` beside the repository, or `SDKWRIGHT_SPECS_CORPUS`), an empty
//! file is written and the tests that need it say so.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    type_sizes();
    wire_clients();
    goldens();
    tag_feature_clients();
    local_clients();
    xsd_clients();
}

/// `$OUT_DIR/xsd_ews.rs` for `tests/soap_xsd.rs`: Exchange Web Services (the corpus's
/// `wsdl/ms-exchange-ews`) restricted to `FindFolder`, whose answer holds a repeated choice of
/// folder kinds and whose request holds substitution groups; cfg `ews_corpus` when generated.
/// `$OUT_DIR/xsd_onvif.rs`: ONVIF device management, `GetDot11Capabilities` only (`xs:any`).
fn xsd_clients() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let corpus = corpus();
    println!("cargo:rustc-check-cfg=cfg(ews_corpus)");
    let path = corpus.join("wsdl/ms-exchange-ews/services.wsdl");
    watch(&path);
    let target = out.join("xsd_ews.rs");
    if !path.exists() {
        std::fs::write(&target, "").expect("write an empty client");
        return;
    }
    println!("cargo:rustc-cfg=ews_corpus");
    let generator = sdkwright::Generator::new(&path)
        .crate_name("xsd-ews")
        .allow_path(&corpus)
        .only_operation("FindFolder");
    write(&target, generator);

    // ONVIF's device management restricted to `GetDot11Capabilities`: `xs:any` in its request
    // and in its answer's `Capabilities` (raw XML both ways).
    let path = corpus.join("wsdl/onvif/ver10/device/wsdl/devicemgmt.wsdl");
    watch(&path);
    let target = out.join("xsd_onvif.rs");
    if !path.exists() {
        std::fs::write(&target, "").expect("write an empty client");
        return;
    }
    let generator = sdkwright::Generator::new(&path)
        .crate_name("xsd-onvif")
        .allow_path(&corpus)
        .only_operation("GetDot11Capabilities");
    write(&target, generator);
}

/// (file in OUT_DIR, document under the repository's `specs/`, crate name): clients of the
/// repository's own documents that no example crate holds (`tests/xml_wire.rs`,
/// `tests/soap.rs`, `tests/soap_xsd.rs`).
const LOCAL: &[(&str, &str, &str)] = &[
    ("xml_store", "xml-store.yaml", "xml-store"),
    ("xml_store_2", "xml-store-2.0.yaml", "xml-store-2"),
    ("soap_features", "soap-features.wsdl", "soap-features"),
    // tests/soap_xsd.rs: XSD constructs on the wire next to zeep.
    ("xsd_shapes", "xsd-shapes.wsdl", "xsd-shapes"),
    // tests/soap_xsd.rs: an Axis 1 style multi-reference answer, next to zeep.
    ("soap_multiref", "soap-multiref.wsdl", "soap-multiref"),
];

/// `$OUT_DIR/<file>.rs` for each of [`LOCAL`].
fn local_clients() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    for (file, doc, name) in LOCAL {
        let path = specs.join(doc);
        println!("cargo:rerun-if-changed={}", path.display());
        let generator = sdkwright::Generator::new(&path).crate_name(*name);
        write(&out.join(format!("{file}.rs")), generator);
    }
}

/// The example crates (folder under generated-examples/ = package name) e2e depends on.
const CRATES: &[&str] = &[
    "petstore",
    "openai-chat",
    "calculator",
    "countries",
    "adversarial-openapi",
    "adversarial-graphql",
    "adversarial-wsdl",
];

/// `$OUT_DIR/type_sizes.rs` for `tests/type_sizes.rs`.
fn type_sizes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-examples");
    let mut out = String::from("&[\n");
    for krate in CRATES {
        let path = root.join(krate).join("src/types.rs");
        println!("cargo:rerun-if-changed={}", path.display());
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let lib = krate.replace('-', "_");
        for line in text.lines() {
            let Some(rest) = ["pub struct ", "pub enum ", "pub type "]
                .iter()
                .find_map(|p| line.strip_prefix(p))
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '#')
                .collect();
            if name.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "    ({krate:?}, {name:?}, ::std::mem::size_of::<{lib}::types::{name}>()),"
            );
        }
    }
    out.push_str("]\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("type_sizes.rs");
    std::fs::write(dest, out).expect("write type_sizes.rs");
}

/// (file in OUT_DIR, document under `openapi/`, operations).
const CLIENTS: &[(&str, &str, &[&str])] = &[
    (
        "wire_github",
        "github-api.github.com-3.0-progenitor-snapshot.json",
        &[
            "search/repos",
            "repos/get-content",
            "repos/upload-release-asset",
            "activity/mark-notifications-as-read",
        ],
    ),
    (
        "wire_openai",
        "openai-2.3.0-3.1.yaml",
        &["createFile", "createTranscription", "createSpeech"],
    ),
    (
        "wire_slack",
        "slack-web-api-2.0.json",
        &["admin_conversations_create"],
    ),
];

fn corpus() -> PathBuf {
    println!("cargo:rerun-if-env-changed=SDKWRIGHT_SPECS_CORPUS");
    match std::env::var_os("SDKWRIGHT_SPECS_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs-corpus"),
    }
}

/// Stripe's client is generated but not compiled (its error model reaches nearly every schema:
/// 67k lines of types for any subset); `tests/wire.rs` checks that the specs it sends through
/// the runtime are the ones generated.
const STRIPE: (&str, &[&str]) = (
    "stripe-spec3-2023-09-3.0.yaml",
    &["PostTaxRates", "GetTaxRates"],
);

/// `$OUT_DIR/wire_<api>.rs` for `tests/wire.rs`.
fn wire_clients() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let corpus = corpus();
    println!("cargo:rustc-check-cfg=cfg(wire_corpus)");
    if corpus.join("openapi").is_dir() {
        println!("cargo:rustc-cfg=wire_corpus");
    }
    for (name, doc, ops) in CLIENTS {
        let path = corpus.join("openapi").join(doc);
        watch(&path);
        let target = out.join(format!("{name}.rs"));
        if !path.exists() {
            std::fs::write(&target, "").expect("write an empty client");
            continue;
        }
        let mut generator = sdkwright::Generator::new(&path)
            .crate_name(name.replace('_', "-"))
            .allow_path(&corpus);
        for op in *ops {
            generator = generator.only_operation(*op);
        }
        write(&target, generator);
    }
    let path = corpus.join("openapi").join(STRIPE.0);
    watch(&path);
    let target = out.join("wire_stripe.rs.txt");
    if path.exists() {
        let mut generator = sdkwright::Generator::new(&path)
            .crate_name("wire-stripe")
            .allow_path(&corpus);
        for op in STRIPE.1 {
            generator = generator.only_operation(*op);
        }
        write(&target, generator);
    } else {
        std::fs::write(&target, "").expect("write an empty client");
    }
}

/// `rerun-if-changed` for a corpus document, or for its nearest existing folder when it is missing
/// (a checkout without the corpus): cargo re-runs a script whose watched path does not exist on
/// every build, and with it every e2e test.
fn watch(path: &Path) {
    let mut watched = path;
    while !watched.exists() {
        match watched.parent() {
            Some(parent) => watched = parent,
            None => return,
        }
    }
    println!("cargo:rerun-if-changed={}", watched.display());
}

/// Generates one file into `target`; exits with the diagnostics on errors.
fn write(target: &std::path::Path, generator: sdkwright::Generator) {
    {
        match generator.generate_single_file() {
            Ok(output) => {
                let file = output.files.first().expect("one file");
                std::fs::write(target, &file.contents).expect("write the client");
            }
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
    }
}

// `golden_case_generator`: how a golden case folder becomes a `Generator`.
include!("../generator/tests/support/golden_case.rs");

/// Declares every `feature = "…"` the generated file at `path` is gated on as an expected cfg
/// (the e2e crate has no such features: its build script turns some on).
fn declare_features(path: &Path) {
    let text = std::fs::read_to_string(path).expect("a generated file");
    let mut names: Vec<&str> = text
        .split("feature = \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    names.sort_unstable();
    names.dedup();
    let values: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    println!(
        "cargo:rustc-check-cfg=cfg(feature, values({}))",
        values.join(", ")
    );
}

/// `$OUT_DIR/tagged_{none,one,all}.rs` for `tests/tag_features.rs`: the golden case
/// `tag-features` generated three times, its tags (and the path its untagged operation is grouped
/// by) prefixed with the copy's name so that each copy has features of its own, compiled with
/// none of them on, with `one_pets` only, and with all of them.
fn tag_feature_clients() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let input = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../generator/tests/golden/tag-features/input.yaml");
    println!("cargo:rerun-if-changed={}", input.display());
    let text = std::fs::read_to_string(&input).expect("the tag-features golden input");
    for copy in ["none", "one", "all"] {
        let mut doc = text.clone();
        for (from, to) in [
            ("tags: [pets]", format!("tags: [{copy}_pets]")),
            ("tags: [Store Front]", format!("tags: [{copy} Store Front]")),
            (
                "tags: [full, pets]",
                format!("tags: [{copy}_full, {copy}_pets]"),
            ),
            ("/v1/health:", format!("/v1/{copy}_health:")),
        ] {
            assert!(
                doc.contains(from),
                "tag-features/input.yaml no longer has `{from}`"
            );
            doc = doc.replace(from, &to);
        }
        let path = out.join(format!("tagged_{copy}.yaml"));
        std::fs::write(&path, doc).expect("write the document");
        let file = out.join(format!("tagged_{copy}.rs"));
        write(
            &file,
            sdkwright::Generator::new(&path)
                .crate_name(format!("tagged-{copy}"))
                .tag_features(true),
        );
        declare_features(&file);
    }
    for f in [
        "one_pets",
        "all_pets",
        "all-Store-Front",
        "all_full",
        "all_health",
    ] {
        println!("cargo:rustc-cfg=feature=\"{f}\"");
    }
}

/// `$OUT_DIR/golden_<case>.rs` for every golden case, and `$OUT_DIR/goldens.rs` with one module
/// per case and `CASES`, the case names, for `tests/goldens_compile.rs`. Generated as one file
/// each (the form `Generator::build_rs` writes), from the same inputs `generator/tests/golden.rs`
/// diffs against the checked-in expected files.
fn goldens() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set by cargo"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/tests/golden");
    println!("cargo:rerun-if-changed={}", root.display());
    println!(
        "cargo:rerun-if-changed={}",
        root.join("../support/golden_case.rs").display()
    );
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("generator/tests/golden")
        .map(|e| e.expect("a golden case").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let mut index = String::new();
    let mut names = Vec::new();
    for dir in &cases {
        let case = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 case name");
        // The same inputs and options as generator/tests/golden.rs (one shared function).
        let generator = golden_case_generator(dir);
        for entry in std::fs::read_dir(dir)
            .expect("a golden case folder")
            .flatten()
        {
            println!("cargo:rerun-if-changed={}", entry.path().display());
        }
        let module = case.replace('-', "_");
        let file = format!("golden_{module}.rs");
        write(
            &out.join(&file),
            generator.crate_name(format!("golden-{case}")),
        );
        // A case generated with `--tag-features` is compiled with the features its
        // `features.txt` lists (one a line) on, and the others off.
        if let Ok(list) = std::fs::read_to_string(dir.join("features.txt")) {
            declare_features(&out.join(&file));
            for f in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
                println!("cargo:rustc-cfg=feature=\"{f}\"");
            }
        }
        let _ = writeln!(
            index,
            "/// The golden case `{case}`.\n\
             #[allow(dead_code)]\n\
             pub mod {module} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{file}\"));\n}}"
        );
        names.push(case.to_string());
    }
    let _ = writeln!(index, "/// The golden cases compiled above, in order.");
    let _ = writeln!(index, "pub const CASES: &[&str] = &{names:?};");
    std::fs::write(out.join("goldens.rs"), index).expect("write goldens.rs");
}
