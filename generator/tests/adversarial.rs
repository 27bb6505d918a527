//! Hostile documents: every folder under `tests/adversarial/hostile/` is one attack, run through
//! the library (`check`, `write_crate`) and the CLI (`check`, `generate`). Each must give its
//! expected diagnostic code, located; fail (exit 1); write no output folder; never echo the
//! secret planted in files outside the document's folder; and finish in bounded time.
//!
//! Adding a case is dropping a folder with the documents and an `expect` file:
//!
//! ```text
//! # what the case attacks (comment lines start with #)
//! root: api.yaml                 # the document, relative to the case folder (or absolute)
//! code: load::outside_root       # the diagnostic code that must be reported
//! located: line                  # `line` (default: file:line:col) or `file` (file only)
//! args: --format wsdl            # extra command-line options (optional, split on spaces;
//!                                #   `{{CASE}}` is the case folder's copy)
//! setup: symlink models.yaml {{OUTSIDE}}/secret.yaml   # made at test time (repeatable):
//! setup: fifo pipe.yaml          #   symlink LINK TARGET, fifo PATH, sparse PATH BYTES, mkdir PATH
//! ```
//!
//! Before running, the case folder is copied into a temporary folder next to a folder
//! `outside/` holding `secret.yaml`, `secret.json`, `secret.xsd`, `secret.wsdl` and
//! `secret.graphql`, each containing [`SECRET`]; `{{OUTSIDE}}` in any file of the case (and in
//! `expect`) is replaced by that folder's absolute path. The CLI also runs with [`SECRET`] in its
//! environment, so `/proc/self/environ` would show it.
// The command line is the `cli` feature (on by default).
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::Parser;
use sdkwright::{Error, Generator, Options};

/// Planted in every file outside the documents' folder.
const SECRET: &str = "SDKWRIGHT-SECRET-7f3a9c1e";

/// The longest any one run may take (a hang is a failure, not a stuck test).
const TIME_LIMIT: Duration = Duration::from_secs(60);

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    options: Options,
}

#[derive(Debug, Default)]
struct Case {
    name: String,
    root: String,
    code: String,
    located_line: bool,
    args: Vec<String>,
    setup: Vec<Vec<String>>,
}

fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adversarial/hostile")
}

fn read_case(dir: &Path, copy: &Path, outside: &Path) -> Case {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let text = std::fs::read_to_string(dir.join("expect"))
        .unwrap_or_else(|e| panic!("{name}: no expect file: {e}"))
        .replace("{{OUTSIDE}}", &outside.display().to_string())
        .replace("{{CASE}}", &copy.display().to_string());
    let mut case = Case {
        name: name.clone(),
        located_line: true,
        ..Case::default()
    };
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("{name}: bad expect line {line:?}"));
        let value = value.trim();
        match key.trim() {
            "root" => case.root = value.to_owned(),
            "code" => case.code = value.to_owned(),
            "located" => case.located_line = value == "line",
            "args" => case.args = value.split_whitespace().map(str::to_owned).collect(),
            "setup" => case
                .setup
                .push(value.split_whitespace().map(str::to_owned).collect()),
            other => panic!("{name}: unknown expect key {other:?}"),
        }
    }
    assert!(!case.root.is_empty(), "{name}: expect needs `root:`");
    assert!(!case.code.is_empty(), "{name}: expect needs `code:`");
    case
}

/// Copies `from` into `to`, replacing `{{OUTSIDE}}` in text files.
fn copy_case(from: &Path, to: &Path, outside: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_case(&entry.path(), &dest, outside);
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        match String::from_utf8(bytes) {
            Ok(text) => std::fs::write(
                &dest,
                text.replace("{{OUTSIDE}}", &outside.display().to_string()),
            )
            .unwrap(),
            Err(e) => std::fs::write(&dest, e.into_bytes()).unwrap(),
        }
    }
}

fn make_outside(outside: &Path) {
    std::fs::create_dir_all(outside).unwrap();
    let yaml = format!(
        "Secret:\n  type: object\n  description: {SECRET}\n  properties:\n    {SECRET}: {{type: string}}\n"
    );
    std::fs::write(outside.join("secret.yaml"), &yaml).unwrap();
    std::fs::write(
        outside.join("secret.json"),
        format!("{{\"Secret\": {{\"type\": \"object\", \"description\": \"{SECRET}\"}}}}"),
    )
    .unwrap();
    let xsd = format!(
        "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:secret\">\n  <xs:element name=\"{SECRET}\" type=\"xs:string\"/>\n  <xs:complexType name=\"Secret\"><xs:annotation><xs:documentation>{SECRET}</xs:documentation></xs:annotation></xs:complexType>\n</xs:schema>\n"
    );
    std::fs::write(outside.join("secret.xsd"), &xsd).unwrap();
    std::fs::write(outside.join("secret.wsdl"), &xsd).unwrap();
    std::fs::write(
        outside.join("secret.graphql"),
        format!("query Secret {{ {SECRET} }}\n"),
    )
    .unwrap();
}

fn run_setup(case: &Case, dir: &Path) {
    for step in &case.setup {
        let arg = |i: usize| {
            step.get(i)
                .unwrap_or_else(|| panic!("{}: bad setup {step:?}", case.name))
        };
        let path = dir.join(arg(1));
        match step[0].as_str() {
            "symlink" => {
                #[cfg(unix)]
                std::os::unix::fs::symlink(arg(2), &path).unwrap();
            }
            "fifo" => {
                let ok = Command::new("mkfifo").arg(&path).status().unwrap();
                assert!(ok.success(), "{}: mkfifo failed", case.name);
            }
            "sparse" => {
                let f = std::fs::File::create(&path).unwrap();
                f.set_len(arg(2).parse().unwrap()).unwrap();
            }
            "mkdir" => std::fs::create_dir_all(&path).unwrap(),
            other => panic!("{}: unknown setup {other:?}", case.name),
        }
    }
}

/// Runs `f` on another thread, failing if it takes longer than [`TIME_LIMIT`].
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(TIME_LIMIT)
        .unwrap_or_else(|_| panic!("{what}: no answer within {TIME_LIMIT:?} (a hang?)"))
}

fn assert_no_secret(case: &Case, what: &str, text: &str) {
    assert!(
        !text.contains(SECRET),
        "{}: {what} shows the secret planted outside:\n{text}",
        case.name
    );
    assert!(
        !text.contains("root:x:0:0"),
        "{}: {what} shows /etc/passwd:\n{text}",
        case.name
    );
}

fn library(case: &Case, root: &Path, work: &Path) {
    let mut argv = vec!["x".to_owned()];
    argv.extend(case.args.iter().cloned());
    let options = Cli::try_parse_from(argv)
        .unwrap_or_else(|e| panic!("{}: bad args: {e}", case.name))
        .options;
    let generator = Generator::new(root).with_options(options);

    let g = generator.clone();
    let checked = bounded(&format!("{}: library check", case.name), move || g.check());
    let diagnostics = match checked {
        Err(Error::Invalid { diagnostics }) => diagnostics,
        other => panic!("{}: library check should fail, got {other:?}", case.name),
    };
    let d = diagnostics
        .iter()
        .find(|d| d.code == case.code)
        .unwrap_or_else(|| {
            panic!(
                "{}: expected {} among {:#?}",
                case.name, case.code, diagnostics
            )
        });
    assert!(d.is_error(), "{}: {d}", case.name);
    let loc = d
        .location
        .as_ref()
        .unwrap_or_else(|| panic!("{}: not located: {d}", case.name));
    assert!(!loc.file.as_os_str().is_empty(), "{}: {d}", case.name);
    if case.located_line {
        assert!(
            loc.line.is_some() && loc.column.is_some(),
            "{}: no line:column: {d}",
            case.name
        );
    }
    assert!(d.help.is_some(), "{}: no hint: {d}", case.name);
    let mut shown = String::new();
    for d in &diagnostics {
        shown.push_str(&d.render_with_source());
        shown.push('\n');
    }
    assert_no_secret(case, "library diagnostics", &shown);

    let out_dir = work.join("lib-out");
    let g = generator.clone();
    let dir = out_dir.clone();
    let written = bounded(&format!("{}: library write_crate", case.name), move || {
        g.write_crate(&dir)
    });
    match written {
        Err(Error::Invalid { diagnostics }) => {
            assert!(diagnostics.iter().any(|d| d.code == case.code));
        }
        other => panic!(
            "{}: write_crate should fail with the diagnostics, got {other:?}",
            case.name
        ),
    }
    assert!(!out_dir.exists(), "{}: output folder written", case.name);
}

fn cli(case: &Case, root: &Path, work: &Path) {
    let out_dir = work.join("cli-out");
    for sub in ["check", "generate"] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sdkwright"));
        cmd.arg(sub).arg(root);
        if sub == "generate" {
            cmd.arg("--out").arg(&out_dir);
        }
        cmd.args(&case.args)
            .env("SDKWRIGHT_TEST_SECRET", SECRET)
            .current_dir(work)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > TIME_LIMIT {
                let _ = child.kill();
                panic!("{}: `sdkwright {sub}` hangs", case.name);
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            status.code(),
            Some(1),
            "{}: `sdkwright {sub}` exit status\n{stderr}",
            case.name
        );
        assert!(
            stderr.contains(&format!("error[{}]", case.code)),
            "{}: `sdkwright {sub}` should report {}:\n{stderr}",
            case.name,
            case.code
        );
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.name);
        assert_no_secret(case, &format!("`sdkwright {sub}` stdout"), &stdout);
        assert_no_secret(case, &format!("`sdkwright {sub}` stderr"), &stderr);
    }
    assert!(!out_dir.exists(), "{}: output folder written", case.name);
}

#[test]
fn hostile_documents_are_refused_without_leaking() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(hostile_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let only = std::env::var("SDKWRIGHT_HOSTILE_ONLY").ok();
    let mut ran = 0;
    let mut failed = Vec::new();
    for case_dir in cases {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        make_outside(&outside);
        let dir = tmp.path().join("case");
        let case = read_case(&case_dir, &dir, &outside);
        if only.as_deref().is_some_and(|o| !case.name.contains(o)) {
            continue;
        }
        copy_case(&case_dir, &dir, &outside);
        run_setup(&case, &dir);
        let root = if Path::new(&case.root).is_absolute() {
            PathBuf::from(&case.root)
        } else {
            dir.join(&case.root)
        };
        let work = tmp.path().join("work");
        std::fs::create_dir_all(&work).unwrap();
        let started = Instant::now();
        let result = std::panic::catch_unwind(|| {
            library(&case, &root, &work);
            cli(&case, &root, &work);
        });
        match result {
            Ok(()) => eprintln!("{}: ok ({:.2?})", case.name, started.elapsed()),
            Err(_) => failed.push(case.name.clone()),
        }
        ran += 1;
    }
    assert!(ran > 0 || only.is_some(), "no hostile cases found");
    assert!(failed.is_empty(), "failed cases (see above): {failed:?}");
}

/// `--allow-path` (and `Generator::allow_path`) widens the folders references may name; the
/// refusal's hint names the flag.
#[test]
fn allow_path_widens_confinement() {
    let tmp = tempfile::tempdir().unwrap();
    let api = tmp.path().join("api");
    let shared = tmp.path().join("shared");
    std::fs::create_dir_all(&api).unwrap();
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::write(
        shared.join("models.yaml"),
        "Pet:\n  type: object\n  properties:\n    name: {type: string}\n",
    )
    .unwrap();
    let root = api.join("api.yaml");
    std::fs::write(
        &root,
        "openapi: 3.0.0\ninfo: {title: widened, version: 1.0.0}\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '../shared/models.yaml#/Pet'\n",
    )
    .unwrap();

    let refused = Generator::new(&root).check().unwrap_err();
    let Error::Invalid { diagnostics } = refused else {
        panic!("{refused:?}")
    };
    let d = &diagnostics[0];
    assert_eq!(d.code, "load::outside_root", "{d}");
    let loc = d.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (Some(12), Some(17)), "{d}");
    assert!(loc.pointer.ends_with("/schema/$ref"), "{d}");
    assert!(d.help.as_deref().unwrap().contains("--allow-path"), "{d}");

    let output = Generator::new(&root)
        .crate_name("widened_adv")
        .allow_path(&shared)
        .generate()
        .unwrap();
    assert_eq!(output.files_read.len(), 2);
    assert!(output.files_read[1].ends_with("shared/models.yaml"));

    let cli = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_sdkwright"))
            .arg("check")
            .arg(&root)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = cli(&[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error[load::outside_root]"), "{stderr}");
    // The source line shown is the reference in the accepted document.
    assert!(
        stderr.contains("$ref: '../shared/models.yaml#/Pet'"),
        "{stderr}"
    );
    let out = cli(&["--allow-path", shared.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A folder that does not exist is a usage mistake, reported.
    let out = cli(&["--allow-path", tmp.path().join("nope").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("error[load::allow_path]"));
}

/// The source-line display reads only files a generator accepted.
#[test]
fn source_lines_come_only_from_accepted_files() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.yaml");
    std::fs::write(&secret, format!("a: {SECRET}\n")).unwrap();
    let d = sdkwright::Diagnostic::error("test::x", "x").at_line(&secret, "", 1, 4);
    let shown = d.render_with_source();
    assert!(!shown.contains(SECRET), "{shown}");

    // Once a generator has read the file (as a document), its lines are shown.
    let _ = Generator::new(&secret).check();
    let shown = d.render_with_source();
    assert!(shown.contains(SECRET), "{shown}");

    // The text is kept for the next diagnostic of the file, and read again once it changed.
    std::fs::write(&secret, "a: changed-value\n").unwrap();
    let shown = d.render_with_source();
    assert!(
        shown.contains("changed-value") && !shown.contains(SECRET),
        "{shown}"
    );
    // Still only while it is a regular file.
    std::fs::remove_file(&secret).unwrap();
    std::fs::create_dir(&secret).unwrap();
    let shown = d.render_with_source();
    assert!(!shown.contains("changed-value"), "{shown}");
}

/// A lower `--max-file-size` applies to every file read.
#[test]
fn max_file_size_is_configurable() {
    let petstore = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/petstore.yaml");
    let err = Generator::new(&petstore)
        .max_file_size(100)
        .check()
        .unwrap_err();
    let Error::Invalid { diagnostics } = err else {
        panic!("{err:?}")
    };
    assert_eq!(diagnostics[0].code, "load::too_large");
    assert!(diagnostics[0]
        .help
        .as_deref()
        .unwrap()
        .contains("--max-file-size"));
    assert!(Generator::new(&petstore).check().is_ok());
}

/// Documents nested just under each limit still go through on a 2 MiB thread stack (the
/// default for spawned threads and tests), in a debug build.
#[test]
fn nesting_just_under_the_limits_does_not_overflow() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let run = move || {
        // OpenAPI: schemas nested through `properties` up to the 128-level JSON limit.
        let mut schema = String::from("{\"type\": \"string\"}");
        for _ in 0..60 {
            schema = format!("{{\"type\": \"object\", \"properties\": {{\"a\": {schema}}}}}");
        }
        let api = format!(
            "{{\"openapi\": \"3.0.0\", \"info\": {{\"title\": \"deep\", \"version\": \"1.0.0\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"Deep\": {schema}}}}}}}"
        );
        let path = dir.join("deep.json");
        std::fs::write(&path, api).unwrap();
        let r = Generator::new(&path).crate_name("deep_adv").generate();
        assert!(r.is_ok(), "{r:?}");

        // GraphQL: a selection set 45 deep (graphql-parser stops at 50).
        let schema = dir.join("schema.graphql");
        std::fs::write(&schema, "type Query {\n  a: String\n  b: Query\n}\n").unwrap();
        let ops = dir.join("ops.graphql");
        std::fs::write(
            &ops,
            format!(
                "query Deep {}{{ a }}{}\n",
                "{ b ".repeat(45),
                " }".repeat(45)
            ),
        )
        .unwrap();
        let r = Generator::new(&schema)
            .crate_name("deep_gql_adv")
            .graphql_operations(&ops)
            .generate();
        assert!(r.is_ok(), "{r:?}");

        // WSDL/XSD: anonymous types nested to 250 XML levels.
        let levels = 80;
        let inner = format!(
            "{}<xs:element name=\"leaf\" type=\"xs:string\"/>{}",
            "<xs:element name=\"e\"><xs:complexType><xs:sequence>".repeat(levels),
            "</xs:sequence></xs:complexType></xs:element>".repeat(levels)
        );
        let wsdl = format!(
            r#"<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:deep" targetNamespace="urn:deep">
  <wsdl:types><xs:schema targetNamespace="urn:deep" elementFormDefault="qualified">
    <xs:element name="Req"><xs:complexType><xs:sequence>{inner}</xs:sequence></xs:complexType></xs:element>
    <xs:element name="Resp" type="xs:string"/>
  </xs:schema></wsdl:types>
  <wsdl:message name="In"><wsdl:part name="p" element="tns:Req"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="p" element="tns:Resp"/></wsdl:message>
  <wsdl:portType name="P"><wsdl:operation name="Op"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="B" type="tns:P"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Op"><soap:operation soapAction="op"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="Port" binding="tns:B"><soap:address location="http://localhost/"/></wsdl:port></wsdl:service>
</wsdl:definitions>
"#
        );
        let path = dir.join("deep.wsdl");
        std::fs::write(&path, wsdl).unwrap();
        let r = Generator::new(&path).crate_name("deep_wsdl_adv").generate();
        assert!(r.is_ok(), "{r:?}");
    };
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(run)
        .unwrap()
        .join()
        .unwrap();
}
