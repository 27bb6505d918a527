//! WSDL 1.1 / XSD front end: lowers SOAP services into the IR.
//!
//! # What the IR looks like
//!
//! One SOAP binding is lowered: the binding of the first `service/port` with a SOAP 1.1 binding,
//! else the first port with a SOAP 1.2 binding, else (ports missing or dangling, with a warning)
//! the first SOAP 1.1 binding, else the first SOAP 1.2 binding. `servers` are the
//! `soap:address`/`soap12:address` locations of every port using that binding, document order.
//!
//! Each document/literal operation of the binding becomes one [`ir::Operation`]:
//!
//! - `name: Name::Given(<operation name>)`, `method: Post`, `path: ""`, no params, docs from
//!   `wsdl:documentation`;
//! - `body`: required, typed as the request element's type, encoded as
//!   `BodyEncoding::Soap { version, action: soapAction or "", element: <request element QName> }`;
//! - `responses`: `200` typed as the response element's type (encoding `Soap` with the response
//!   element; a one-way operation has a `200` with `ty: None`), and, when the portType declares
//!   faults, one `500` response with `ty: None` whose docs list the fault elements (the runtime
//!   turns every SOAP Fault into an error).
//!
//! RPC-style and `use="encoded"` operations, and messages that are not exactly one
//! `element=` part, are skipped with a warning. The types are described in [`xsd`].
//!
//! Files: `wsdl:import`, `xs:import` and `xs:include` locations relative to the importing file are
//! loaded (all listed in `files_read`) when the confinement accepts them ([`crate::load::confine`]:
//! inside the main document's folder or an `--allow-path` folder, regular files, under the size
//! cap); a refused or missing file is an error at the import. Nothing is fetched: an `http(s):`
//! location on `wsdl:import`/`xs:import` is a warning (an import names a namespace, and what is
//! then missing from it is reported where it is used and typed as any value), on
//! `xs:include`/`xs:redefine` (whose content would be part of the schema) an error; any other
//! URL scheme (`file:` included) is an error.
//!
//! Hostile XML: documents declaring entities (`<!ENTITY`, the XML "billion laughs") and documents
//! nested deeper than [`MAX_XML_DEPTH`] elements are refused with a located error before lowering.

mod xsd;

#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node, ParsingOptions};

use crate::diag::Diagnostic;
use crate::ir::{self, BodyEncoding, Method, Name, SoapVersion, StatusMatch, XmlName};
use crate::load::confine::{url_scheme, Confinement};
use crate::lowered::Lowered;

use self::xsd::{documentation, is_xs, position, resolve_qname, Index, Lowerer, QName};

const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
const WSDL20: &str = "http://www.w3.org/ns/wsdl";
const SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
const SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";

/// Loads and lowers the WSDL document at `path`; imports may name files in its folder.
#[cfg(test)]
pub(crate) fn lower(path: &Path) -> Lowered {
    lower_confined(path, &Confinement::default_for(path))
}

/// Loads and lowers the WSDL document at `path`; imports may name the files `confinement`
/// accepts.
///
/// Never panics and never fails: problems are diagnostics, and what can be lowered is.
pub(crate) fn lower_confined(path: &Path, confinement: &Confinement) -> Lowered {
    lower_main(path, None, confinement)
}

/// [`lower_confined`] with the main document's text given (the in-memory entry point of the fuzz
/// targets and property tests); imports are read from disk, relative to `path`.
pub(crate) fn lower_text(path: &Path, text: &str, confinement: &Confinement) -> Lowered {
    lower_main(path, Some(text), confinement)
}

fn lower_main(path: &Path, main: Option<&str>, confinement: &Confinement) -> Lowered {
    let mut out = Lowered::default();
    let sources = load_all(path, main, confinement, &mut out);
    let docs: Vec<(PathBuf, Document<'_>)> = sources
        .iter()
        .filter_map(|(p, text)| {
            Some((
                p.clone(),
                Document::parse_with_options(text, options()).ok()?,
            ))
        })
        .collect();
    let Some((_, main)) = docs.first() else {
        return out;
    };
    let root = main.root_element();
    if root.tag_name().namespace() == Some(WSDL20) {
        out.diagnostics.push(
            Diagnostic::error("wsdl::version", "WSDL 2.0 documents are not supported")
                .at_line(path, "", 1, 1)
                .help("provide a WSDL 1.1 description of the service"),
        );
        return out;
    }
    if !is_wsdl(root, "definitions") {
        let (line, col) = position(root);
        out.diagnostics.push(
            Diagnostic::error(
                "wsdl::not_wsdl",
                "the root element is not `wsdl:definitions`",
            )
            .at_line(path, "", line, col),
        );
        return out;
    }

    let mut index = Index::default();
    for (_, doc) in &docs {
        index.add_document(doc);
    }
    let files = docs.iter().map(|(p, d)| (p.clone(), d)).collect();
    let mut lw = Lowerer::new(index, files);
    let defs = Defs::new(
        docs.iter()
            .map(|(_, d)| d.root_element())
            .filter(|r| is_wsdl(*r, "definitions"))
            .collect(),
    );
    let title = lower_service(&mut lw, &defs, path);
    out.api.title = title;
    out.api.docs = documentation(root);
    out.api.types = std::mem::take(&mut lw.api.types);
    out.api.operations = std::mem::take(&mut lw.api.operations);
    out.api.servers = std::mem::take(&mut lw.api.servers);
    out.diagnostics.append(&mut lw.diagnostics);
    out
}

fn options() -> ParsingOptions {
    ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    }
}

fn is_wsdl(node: Node<'_, '_>, local: &str) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(WSDL)
        && node.tag_name().name() == local
}

/// Most element nesting levels of a WSDL or XSD file (the XSD lowering recurses on nesting).
pub(crate) const MAX_XML_DEPTH: u32 = 256;

/// Reads the main file and, transitively, every file it imports (breadth first, each once).
/// `main` is the main file's text when the caller holds it (it is then not read).
fn load_all(
    path: &Path,
    main: Option<&str>,
    confinement: &Confinement,
    out: &mut Lowered,
) -> Vec<(PathBuf, String)> {
    let mut sources = Vec::new();
    let mut seen = BTreeSet::new();
    let mut queue: Vec<(PathBuf, PathBuf)> = Vec::new();
    let checked = match main {
        Some(_) => Ok(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())),
        None => confinement.check_trusted(path),
    };
    match checked {
        Ok(canonical) => {
            seen.insert(canonical.clone());
            queue.push((path.to_path_buf(), canonical));
        }
        Err(refusal) => {
            out.files_read.push(path.to_path_buf());
            out.diagnostics.push(refused(refusal, path));
            return sources;
        }
    }
    let mut i = 0;
    while i < queue.len() {
        let (file, canonical) = queue[i].clone();
        i += 1;
        out.files_read.push(file.clone());
        let read = match main.filter(|_| i == 1) {
            Some(text) => Ok(Ok(text.to_owned())),
            None => confinement.read(&canonical, &file).map(String::from_utf8),
        };
        let text = match read {
            Ok(Ok(t)) => t,
            Ok(Err(_)) => {
                out.diagnostics.push(
                    Diagnostic::error(
                        "wsdl::read",
                        format!("{} is not valid UTF-8", file.display()),
                    )
                    .at(&file, "")
                    .help("save the document as UTF-8"),
                );
                continue;
            }
            Err(refusal) => {
                out.diagnostics.push(refused(refusal, &file));
                continue;
            }
        };
        if let Some(d) = entity_declaration(&file, &text).or_else(|| too_deep(&file, &text)) {
            out.diagnostics.push(d);
            continue;
        }
        match Document::parse_with_options(&text, options()) {
            Ok(doc) => follow_imports(&file, &doc, confinement, out, &mut seen, &mut queue),
            Err(e) => {
                let pos = e.pos();
                out.diagnostics.push(
                    Diagnostic::error("wsdl::xml", format!("malformed XML: {e}"))
                        .at_line(&file, "", pos.row, pos.col)
                        .help("fix the XML syntax at the given position"),
                );
                continue;
            }
        }
        sources.push((file, text));
    }
    sources
}

/// The error for a document file that could not be read: the confinement's own code, or
/// `wsdl::read` for a plain I/O failure.
fn refused(refusal: crate::load::confine::Refusal, file: &Path) -> Diagnostic {
    let code = if refusal.code == "load::io" {
        "wsdl::read"
    } else {
        refusal.code
    };
    Diagnostic::error(code, refusal.message)
        .at(file, "")
        .help(refusal.help)
}

/// An error at the first `<!ENTITY` declaration: entities let a small file expand into
/// gigabytes ("billion laughs"), and WSDL documents have no use for them.
fn entity_declaration(file: &Path, text: &str) -> Option<Diagnostic> {
    let at = text.find("<!ENTITY")?;
    let (line, col) = crate::load::position::line_col_of_offset(text, at);
    Some(
        Diagnostic::error(
            "wsdl::entity_declaration",
            "XML entity declarations are not supported (they can expand a small file into gigabytes)",
        )
        .at_line(file, "", line, col)
        .help("remove the DOCTYPE's entity declarations and write the text out"),
    )
}

/// An error at the first element nested deeper than [`MAX_XML_DEPTH`], found before parsing:
/// roxmltree's parser recurses per level (a few thousand levels overflow a thread's stack).
fn too_deep(file: &Path, text: &str) -> Option<Diagnostic> {
    let at = xml_too_deep(text, MAX_XML_DEPTH)?;
    let (line, col) = crate::load::position::line_col_of_offset(text, at);
    Some(
        Diagnostic::error(
            "load::too_deep",
            format!("the document nests deeper than {MAX_XML_DEPTH} elements here"),
        )
        .at_line(file, "", line, col)
        .help("flatten the schema: move nested anonymous types to named types"),
    )
}

/// Byte offset of the first start tag nested deeper than `limit`, by a linear scan that skips
/// comments, CDATA sections, processing instructions, declarations (`<!DOCTYPE …[…]>`) and
/// quoted attribute values.
pub(super) fn xml_too_deep(text: &str, limit: u32) -> Option<usize> {
    let b = text.as_bytes();
    let find = |from: usize, pat: &[u8]| {
        b.get(from..)
            .and_then(|rest| rest.windows(pat.len()).position(|w| w == pat))
            .map_or(b.len(), |p| from + p + pat.len())
    };
    let mut depth = 0u32;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find(i + 4, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = find(i + 9, b"]]>");
        } else if rest.starts_with(b"<?") {
            i = find(i + 2, b"?>");
        } else if rest.starts_with(b"<!") {
            // A declaration, with an internal subset in brackets and quoted literals.
            let mut j = i + 2;
            let mut brackets = 0u32;
            while j < b.len() {
                match b[j] {
                    q @ (b'"' | b'\'') => {
                        j = b[j + 1..]
                            .iter()
                            .position(|&c| c == q)
                            .map_or(b.len(), |p| j + 1 + p);
                    }
                    b'[' => brackets += 1,
                    b']' => brackets = brackets.saturating_sub(1),
                    b'>' if brackets == 0 => break,
                    _ => {}
                }
                j += 1;
            }
            i = j + 1;
        } else {
            let closing = rest.get(1) == Some(&b'/');
            let start = i;
            // To the end of the tag, skipping quoted attribute values.
            let mut j = i + 1;
            while j < b.len() && b[j] != b'>' {
                if let q @ (b'"' | b'\'') = b[j] {
                    j = b[j + 1..]
                        .iter()
                        .position(|&c| c == q)
                        .map_or(b.len(), |p| j + 1 + p);
                }
                j += 1;
            }
            let self_closing = j > 0 && b.get(j - 1) == Some(&b'/');
            if closing {
                depth = depth.saturating_sub(1);
            } else if !self_closing {
                depth += 1;
                if depth > limit {
                    return Some(start);
                }
            }
            i = j + 1;
        }
    }
    None
}

/// Queues the files `doc` imports that were not seen yet; reports refused, remote and missing
/// ones at the import.
fn follow_imports(
    file: &Path,
    doc: &Document<'_>,
    confinement: &Confinement,
    out: &mut Lowered,
    seen: &mut BTreeSet<PathBuf>,
    queue: &mut Vec<(PathBuf, PathBuf)>,
) {
    for (node, location) in imports(doc) {
        let (line, col) = position(node);
        let path = xpath(node);
        let is_import = is_wsdl(node, "import") || is_xs(node, "import");
        let http = url_scheme(location)
            .is_some_and(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"));
        if http && is_import {
            let message = format!("remote import `{location}` is not fetched");
            out.diagnostics.push(
                Diagnostic::warning("wsdl::remote_import", message)
                    .at_line(file, path, line, col)
                    .help("download the file next to the WSDL and use a relative location; types missing from that namespace are typed as any value"),
            );
            continue;
        }
        let accepted = match confinement.check_reference(file, location) {
            Ok(a) => a,
            Err(refusal) if refusal.code == "load::not_found" => {
                let target = file.parent().unwrap_or(Path::new("")).join(location);
                let message = format!(
                    "imported file `{location}` not found ({})",
                    target.display()
                );
                out.diagnostics.push(
                    Diagnostic::error("wsdl::missing_import", message)
                        .at_line(file, path, line, col)
                        .help(
                            "place the imported file at that path relative to the importing document",
                        ),
                );
                continue;
            }
            Err(refusal) => {
                out.diagnostics
                    .push(refusal.diagnostic().at_line(file, path, line, col));
                continue;
            }
        };
        if seen.insert(accepted.canonical.clone()) {
            queue.push((accepted.display, accepted.canonical));
        }
    }
}

/// An XPath-like path of an element (`/definitions/types/schema/import`), for diagnostics.
fn xpath(node: Node<'_, '_>) -> String {
    let mut names: Vec<&str> = node
        .ancestors()
        .filter(Node::is_element)
        .map(|n| n.tag_name().name())
        .collect();
    names.reverse();
    let mut s = String::new();
    for n in names {
        s.push('/');
        s.push_str(n);
    }
    s
}

/// `wsdl:import@location`, `xs:import@schemaLocation`, `xs:include@schemaLocation` and
/// `xs:redefine@schemaLocation` of a document, in document order.
fn imports<'a, 'i>(doc: &'a Document<'i>) -> Vec<(Node<'a, 'i>, &'a str)> {
    doc.descendants()
        .filter_map(|n| {
            if is_wsdl(n, "import") {
                n.attribute("location").map(|l| (n, l))
            } else if is_xs(n, "import") || is_xs(n, "include") || is_xs(n, "redefine") {
                n.attribute("schemaLocation").map(|l| (n, l))
            } else {
                None
            }
        })
        .collect()
}

/// A WSDL top-level definition keyed by (definitions targetNamespace, name).
fn find<'a, 'i>(defs: &Defs<'a, 'i>, local: &str, name: &QName) -> Option<Node<'a, 'i>> {
    defs.by_name
        .get(&(local.to_owned(), name.0.clone(), name.1.clone()))
        .copied()
}

/// The `wsdl:definitions` of every document read, with their named children indexed: looking
/// one up by scanning every child made a WSDL of n operations cost n² (each operation looks
/// up its messages).
pub(super) struct Defs<'a, 'i> {
    nodes: Vec<Node<'a, 'i>>,
    /// (element local name, target namespace, `name`) → the first such child, in document order.
    by_name: HashMap<(String, String, String), Node<'a, 'i>>,
}

impl<'a, 'i> Defs<'a, 'i> {
    fn new(nodes: Vec<Node<'a, 'i>>) -> Self {
        let mut by_name = HashMap::new();
        for d in &nodes {
            let tns = d.attribute("targetNamespace").unwrap_or_default();
            for c in d
                .children()
                .filter(|c| c.is_element() && c.tag_name().namespace() == Some(WSDL))
            {
                if let Some(name) = c.attribute("name") {
                    let key = (
                        c.tag_name().name().to_owned(),
                        tns.to_owned(),
                        name.to_owned(),
                    );
                    by_name.entry(key).or_insert(c);
                }
            }
        }
        Defs { nodes, by_name }
    }
}

impl<'a, 'i> std::ops::Deref for Defs<'a, 'i> {
    type Target = [Node<'a, 'i>];
    fn deref(&self) -> &Self::Target {
        &self.nodes
    }
}

/// The SOAP version of a binding (`None` for non-SOAP bindings such as HTTP).
fn binding_version(binding: Node<'_, '_>) -> Option<SoapVersion> {
    binding
        .children()
        .find_map(|c| match (c.tag_name().namespace(), c.tag_name().name()) {
            (Some(SOAP11), "binding") => Some(SoapVersion::V11),
            (Some(SOAP12), "binding") => Some(SoapVersion::V12),
            _ => None,
        })
}

/// A child in the SOAP namespace of the given version (else of the other version).
fn soap_child<'a, 'i>(
    node: Node<'a, 'i>,
    version: SoapVersion,
    local: &str,
) -> Option<Node<'a, 'i>> {
    let (ns, other) = match version {
        SoapVersion::V11 => (SOAP11, SOAP12),
        SoapVersion::V12 => (SOAP12, SOAP11),
    };
    let find = |ns| {
        node.children()
            .find(|c| c.tag_name().namespace() == Some(ns) && c.tag_name().name() == local)
    };
    // Some real documents mix `soap12:binding` with `soap:operation`: accept the other version.
    find(ns).or_else(|| find(other))
}

/// Chooses the binding, fills `servers` and lowers its operations. Returns the API title.
fn lower_service(lw: &mut Lowerer<'_, '_>, defs: &Defs<'_, '_>, path: &Path) -> String {
    let root = defs[0];
    let mut title = root
        .attribute("name")
        .map(str::to_owned)
        .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "service".to_owned());

    // (service, port, binding) for ports whose binding is a SOAP binding.
    let mut ports = Vec::new();
    for d in defs.iter() {
        for service in d.children().filter(|c| is_wsdl(*c, "service")) {
            for port in service.children().filter(|c| is_wsdl(*c, "port")) {
                let Some(b) = port.attribute("binding") else {
                    continue;
                };
                let qn = resolve_qname(port, b);
                match find(defs, "binding", &qn) {
                    Some(binding) if binding_version(binding).is_some() => {
                        ports.push((service, port, binding))
                    }
                    Some(_) => {}
                    None => {
                        let d = Diagnostic::warning(
                            "wsdl::dangling_binding",
                            format!(
                                "port `{}` refers to undefined binding `{b}`",
                                port.attribute("name").unwrap_or_default()
                            ),
                        );
                        let d = lw.at_node(d, port);
                        lw.diagnostics.push(d);
                    }
                }
            }
        }
    }
    let by_version = |v| {
        ports
            .iter()
            .find(|(_, _, b)| binding_version(*b) == Some(v))
            .copied()
    };
    let chosen = by_version(SoapVersion::V11).or_else(|| by_version(SoapVersion::V12));
    let binding = match chosen {
        Some((service, _, binding)) => {
            if let Some(n) = service.attribute("name") {
                title = n.to_owned();
            }
            binding
        }
        None => {
            let all: Vec<_> = defs
                .iter()
                .flat_map(|d| d.children().filter(|c| is_wsdl(*c, "binding")))
                .collect();
            let pick = |v| all.iter().copied().find(|b| binding_version(*b) == Some(v));
            let Some(b) = pick(SoapVersion::V11).or_else(|| pick(SoapVersion::V12)) else {
                let (line, col) = position(root);
                lw.diagnostics.push(
                    Diagnostic::error(
                        "wsdl::no_soap_binding",
                        "the document has no SOAP 1.1 or 1.2 binding",
                    )
                    .at_line(path, "", line, col)
                    .help("only SOAP bindings (soap:binding / soap12:binding) can be generated"),
                );
                return title;
            };
            if !ports.is_empty()
                || defs
                    .iter()
                    .any(|d| d.children().any(|c| is_wsdl(c, "service")))
            {
                lw.warn(
                    b,
                    "wsdl::no_port",
                    "",
                    "no service port uses a SOAP binding; the client has no default server URL"
                        .to_owned(),
                );
            }
            b
        }
    };
    for (_, port, b) in &ports {
        if *b != binding {
            continue;
        }
        let address = port.children().find(|c| {
            c.tag_name().name() == "address"
                && matches!(c.tag_name().namespace(), Some(SOAP11 | SOAP12))
        });
        if let Some(url) = address.and_then(|a| a.attribute("location")) {
            if !lw.api.servers.iter().any(|s| s.url == url) {
                lw.api.servers.push(ir::Server {
                    url: url.to_owned(),
                    docs: documentation(*port),
                });
            }
        }
    }
    lower_binding(lw, defs, binding);
    title
}

/// Lowers the operations of one SOAP binding.
fn lower_binding(lw: &mut Lowerer<'_, '_>, defs: &Defs<'_, '_>, binding: Node<'_, '_>) {
    let Some(version) = binding_version(binding) else {
        return;
    };
    let default_style = soap_child(binding, version, "binding")
        .and_then(|b| b.attribute("style"))
        .unwrap_or("document");
    let port_type = binding
        .attribute("type")
        .map(|t| resolve_qname(binding, t))
        .and_then(|qn| find(defs, "portType", &qn));
    let Some(port_type) = port_type else {
        let d = Diagnostic::error(
            "wsdl::dangling_port_type",
            format!(
                "binding `{}` refers to an undefined portType",
                binding.attribute("name").unwrap_or_default()
            ),
        );
        let d = lw.at_node(d, binding);
        lw.diagnostics.push(d);
        return;
    };
    // The portType's operations by name (first one wins), looked up once per binding operation.
    let mut port_ops = HashMap::new();
    for pop in port_type.children().filter(|c| is_wsdl(*c, "operation")) {
        if let Some(name) = pop.attribute("name") {
            port_ops.entry(name).or_insert(pop);
        }
    }
    for bop in binding.children().filter(|c| is_wsdl(*c, "operation")) {
        let Some(name) = bop.attribute("name") else {
            continue;
        };
        let file = lw.file_of(bop);
        let pointer = format!(
            "/definitions/binding[@name='{}']/operation[@name='{name}']",
            binding.attribute("name").unwrap_or_default()
        );
        let skip = |lw: &mut Lowerer<'_, '_>, why: String| {
            // Located only when reported: finding a position scans the text from its start,
            // so doing it for every operation was quadratic in the document's size.
            let (line, col) = position(bop);
            lw.diagnostics.push(
                Diagnostic::warning(
                    "wsdl::skipped_operation",
                    format!("operation `{name}` skipped: {why}"),
                )
                .at_line(file.clone(), pointer.clone(), line, col),
            );
        };
        let soap_op = soap_child(bop, version, "operation");
        let style = soap_op
            .and_then(|o| o.attribute("style"))
            .unwrap_or(default_style);
        if style == "rpc" {
            skip(lw, "rpc style is not supported yet".to_owned());
            continue;
        }
        let encoded = ["input", "output"].iter().any(|io| {
            bop.children()
                .find(|c| is_wsdl(*c, io))
                .and_then(|c| soap_child(c, version, "body"))
                .and_then(|b| b.attribute("use"))
                == Some("encoded")
        });
        if encoded {
            skip(lw, "use=\"encoded\" is not supported".to_owned());
            continue;
        }
        let Some(pop) = port_ops.get(name).copied() else {
            skip(lw, "the portType has no such operation".to_owned());
            continue;
        };
        let action = soap_op
            .and_then(|o| o.attribute("soapAction"))
            .unwrap_or_default()
            .to_owned();
        let encoding = |element: &QName| BodyEncoding::Soap {
            version,
            action: action.clone(),
            element: XmlName {
                namespace: (!element.0.is_empty()).then(|| element.0.clone()),
                local: element.1.clone(),
            },
        };
        let input = match message_element(defs, pop, bop, version, "input") {
            Ok(Some(e)) => e,
            Ok(None) => {
                skip(lw, "it has no input message".to_owned());
                continue;
            }
            Err(why) => {
                skip(lw, why);
                continue;
            }
        };
        let output = match message_element(defs, pop, bop, version, "output") {
            Ok(o) => o,
            Err(why) => {
                skip(lw, why);
                continue;
            }
        };
        let Some(in_ty) = lw.global_element(&input) else {
            skip(
                lw,
                format!(
                    "request element `{}` is not defined in any loaded schema",
                    input.1
                ),
            );
            continue;
        };
        let mut responses = Vec::new();
        match &output {
            Some(out_el) => {
                let Some(out_ty) = lw.global_element(out_el) else {
                    skip(
                        lw,
                        format!(
                            "response element `{}` is not defined in any loaded schema",
                            out_el.1
                        ),
                    );
                    continue;
                };
                responses.push(ir::Response {
                    status: StatusMatch::Code(200),
                    ty: Some(out_ty),
                    encoding: encoding(out_el),
                    docs: None,
                });
            }
            None => responses.push(ir::Response {
                status: StatusMatch::Code(200),
                ty: None,
                encoding: encoding(&input),
                docs: Some("One-way operation: no response body.".to_owned()),
            }),
        }
        let faults: Vec<String> = pop
            .children()
            .filter(|c| is_wsdl(*c, "fault"))
            .filter_map(|f| f.attribute("message").map(|m| resolve_qname(f, m)))
            .filter_map(|m| find(defs, "message", &m))
            .flat_map(|m| {
                m.children()
                    .filter(|c| is_wsdl(*c, "part"))
                    .collect::<Vec<_>>()
            })
            .filter_map(|p| p.attribute("element").map(|e| resolve_qname(p, e).1))
            .collect();
        if !faults.is_empty() {
            responses.push(ir::Response {
                status: StatusMatch::Code(500),
                ty: None,
                encoding: encoding(&input),
                docs: Some(format!(
                    "SOAP Fault; declared fault details: {}.",
                    faults.join(", ")
                )),
            });
        }
        lw.api.operations.push(ir::Operation {
            server: None,
            name: Name::Given(name.to_owned()),
            summary: None,
            docs: documentation(pop),
            deprecated: false,
            tags: Vec::new(),
            origin: format!("{}#{pointer}", file.display()),
            method: Method::Post,
            path: String::new(),
            params: Vec::new(),
            body: Some(ir::RequestBody {
                ty: in_ty,
                required: true,
                encoding: encoding(&input),
                docs: None,
            }),
            responses,
            security: None,
        });
    }
}

/// The body element of an operation's `input` or `output` message (`Ok(None)` when the
/// operation has no such message). Errors say why the operation cannot be lowered.
fn message_element(
    defs: &Defs<'_, '_>,
    pop: Node<'_, '_>,
    bop: Node<'_, '_>,
    version: SoapVersion,
    io: &str,
) -> Result<Option<QName>, String> {
    let Some(m) = pop.children().find(|c| is_wsdl(*c, io)) else {
        return Ok(None);
    };
    let Some(msg_name) = m.attribute("message") else {
        return Err(format!("its {io} names no message"));
    };
    let qn = resolve_qname(m, msg_name);
    let Some(msg) = find(defs, "message", &qn) else {
        return Err(format!("{io} message `{msg_name}` is not defined"));
    };
    let wanted: Option<Vec<&str>> = bop
        .children()
        .find(|c| is_wsdl(*c, io))
        .and_then(|c| soap_child(c, version, "body"))
        .and_then(|b| b.attribute("parts"))
        .map(|p| p.split_whitespace().collect());
    let parts: Vec<Node<'_, '_>> = msg
        .children()
        .filter(|c| is_wsdl(*c, "part"))
        .filter(|p| {
            wanted
                .as_ref()
                .is_none_or(|w| w.contains(&p.attribute("name").unwrap_or_default()))
        })
        .collect();
    match parts.as_slice() {
        [part] => match part.attribute("element") {
            Some(e) => Ok(Some(resolve_qname(*part, e))),
            None => Err(format!(
                "{io} part `{}` uses type= instead of element= (rpc-like)",
                part.attribute("name").unwrap_or_default()
            )),
        },
        [] => Err(format!("{io} message `{msg_name}` has no body part")),
        _ => Err(format!("{io} message `{msg_name}` has several body parts")),
    }
}
