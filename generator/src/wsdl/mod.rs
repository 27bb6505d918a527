//! WSDL 1.1 / XSD front end: lowers SOAP services into the IR.
//!
//! # What the IR looks like
//!
//! Every portType with a SOAP binding is lowered once, through one of its bindings (see
//! [`lower_service`]: used by a port and SOAP 1.1 preferred); all operations go into one client.
//! `servers` are the `soap:address`/`soap12:address` locations of the ports of those bindings,
//! document order (a binding served elsewhere than the first address is a warning: the client has
//! one base URL). HTTP GET/POST and other non-SOAP bindings are warnings.
//!
//! Each literal operation becomes one [`ir::Operation`]:
//!
//! - `name: Name::Given(<operation name>)` (`Name::Derived([portType, operation])` when an
//!   earlier portType took the name), `method: Post`, `path: ""`, no params, docs from
//!   `wsdl:documentation`;
//! - `body`: required, encoded as `BodyEncoding::Soap { version, action: soapAction or "",
//!   element, headers }`: document style, typed as the request element's type, `element` its
//!   QName; rpc style, a wrapper struct named after the operation (one field per part, unqualified
//!   children), `element` the operation name in the `soap:body` `namespace`; `headers` the input's
//!   `soap:header` parts (element parts of a defined message; others are a warning);
//!   the output's `soap:header` parts go into the `200` response's encoding `headers` (the back
//!   end reads them from the response envelope's `Header` into the operation's typed headers);
//! - `responses`: `200` typed as the response element's type or the rpc `<op>Response` wrapper
//!   (`ty: None` for a one-way operation or an empty response message), and, when the portType
//!   declares faults, one `Default` response per fault element part, typed as the element's
//!   type, `encoding.element` the element's QName (the back end makes them the operation's
//!   typed fault detail; a fault without an element part is a `wsdl::fault_detail` warning and
//!   read as raw XML). The runtime turns every SOAP Fault into an error, whatever the status.
//!
//! A document-style input message without parts is an empty struct sent as an empty Body
//! (`element` with an empty local name). rpc/encoded operations are lowered as rpc/literal ones
//! (what zeep sends for them; one `wsdl::rpc_encoded` warning per binding says what is not
//! carried: `xsi:type`, `soap:encodingStyle`; the runtime resolves multi-reference values in
//! responses); SOAP-encoded arrays are
//! typed by [`xsd`]. document/encoded operations, and document-style messages
//! with several parts or a `type=` part, are skipped with a warning; when no operation is left the document is an
//! error (`wsdl::no_operations`). The types are described in [`xsd`].
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
    out.api.xsd = std::mem::take(&mut lw.api.xsd);
    http_auth(&mut out.api);
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

/// Line and column, in the XML `text`, of each XPath-like pointer this front end writes into an
/// origin (`/complexType[@name='order']`, `/definitions/binding/operation[@name='Get']`): the first
/// element in document order that matches the pointer's last step and has the earlier steps among
/// its ancestors, in order. For the diagnostics made after lowering from an origin (the back end's
/// `rust::type_renamed`); `None` where the text does not parse or nothing matches.
pub(crate) fn locate_pointers(text: &str, pointers: &[&str]) -> Vec<Option<(u32, u32)>> {
    let Ok(doc) = Document::parse_with_options(text, options()) else {
        return vec![None; pointers.len()];
    };
    // One `(local name, @name)` step; `None` for a malformed step.
    fn step(s: &str) -> Option<(&str, Option<&str>)> {
        match s.split_once('[') {
            None => Some((s, None)),
            Some((tag, rest)) => {
                let value = rest.strip_prefix("@name='")?.strip_suffix("']")?;
                Some((tag, Some(value)))
            }
        }
    }
    fn matches(node: Node<'_, '_>, (tag, name): (&str, Option<&str>)) -> bool {
        node.is_element()
            && node.tag_name().name() == tag
            && name.is_none_or(|n| node.attribute("name") == Some(n))
    }
    pointers
        .iter()
        .map(|pointer| {
            let steps: Option<Vec<_>> = pointer.strip_prefix('/')?.split('/').map(step).collect();
            let steps = steps?;
            let (last, outer) = steps.split_last()?;
            let node = doc.descendants().find(|n| {
                if !matches(*n, *last) {
                    return false;
                }
                let mut wanted = outer.iter().rev().peekable();
                for a in n.ancestors().skip(1) {
                    if wanted.peek().is_some_and(|w| matches(a, **w)) {
                        wanted.next();
                    }
                }
                wanted.peek().is_none()
            })?;
            Some(xsd::position(node))
        })
        .collect()
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

/// HTTP authentication for SOAP clients, which WSDL 1.1 does not describe: two optional
/// schemes, `basic` (`Authorization: Basic`) and `bearer` (`Authorization: Bearer`, or a token
/// provider), applied when their credential is set on the client builder; without either the
/// request goes out without credentials.
fn http_auth(api: &mut ir::Api) {
    if api.operations.is_empty() {
        return;
    }
    let first = api.security_schemes.len() as u32;
    api.security_schemes.push(ir::SecurityScheme {
        name: "basic".to_owned(),
        docs: Some(
            "HTTP basic authentication (`Authorization: Basic`), if the service asks for it."
                .to_owned(),
        ),
        kind: ir::SecurityKind::Basic,
    });
    api.security_schemes.push(ir::SecurityScheme {
        name: "bearer".to_owned(),
        docs: Some(
            "A bearer token (`Authorization: Bearer`), if the service asks for it.".to_owned(),
        ),
        kind: ir::SecurityKind::Bearer,
    });
    api.default_security = [
        vec![ir::SchemeId(first)],
        vec![ir::SchemeId(first + 1)],
        vec![],
    ]
    .into_iter()
    .map(|schemes| ir::SecurityRequirement {
        schemes,
        scopes: Vec::new(),
    })
    .collect();
}

/// WS-Addressing 1.0 Metadata (`wsam:Addressing`, `wsam:Action`).
const WSAM: &str = "http://www.w3.org/2007/05/addressing/metadata";
/// WS-Addressing 1.0 WSDL Binding (`wsaw:UsingAddressing`, `wsaw:Action`).
const WSAW: &str = "http://www.w3.org/2006/05/addressing/wsdl";
/// WS-MTOMPolicy (`wsoma:OptimizedMimeSerialization`).
const WSOMA: &str = "http://schemas.xmlsoap.org/ws/2004/09/policy/optimizedmimeserialization";

/// What a binding's WS-Policy (inline, or referenced with `wsp:PolicyReference URI="#id"`)
/// and its extension elements ask for.
#[derive(Default, Clone, Copy)]
struct Policies {
    /// `wsaw:UsingAddressing` or `wsam:Addressing`.
    addressing: bool,
    /// `wsoma:OptimizedMimeSerialization` (MTOM).
    mtom: bool,
}

/// The policy assertions a binding is subject to: its own children and those of the policies it
/// contains or references by fragment (`#id`, matching a `wsp:Policy`'s `wsu:Id` or `Id`).
fn binding_policies(defs: &Defs<'_, '_>, binding: Node<'_, '_>) -> Policies {
    let mut p = Policies::default();
    let mut look = |n: Node<'_, '_>| {
        for d in n.descendants().filter(Node::is_element) {
            match (d.tag_name().namespace(), d.tag_name().name()) {
                (Some(WSAW), "UsingAddressing") | (Some(WSAM), "Addressing") => p.addressing = true,
                (Some(WSOMA), "OptimizedMimeSerialization") => p.mtom = true,
                _ => {}
            }
        }
    };
    // The binding's own extension elements and inline policies (not its operations': those
    // are per-message policies, also searched, as WCF puts MTOM on the binding).
    look(binding);
    let refs: Vec<&str> = binding
        .descendants()
        .filter(|d| d.tag_name().name() == "PolicyReference")
        .filter_map(|d| d.attribute("URI"))
        .filter_map(|u| u.strip_prefix('#'))
        .collect();
    if refs.is_empty() {
        return p;
    }
    for d in defs.iter() {
        for policy in d
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "Policy")
        {
            let id = policy
                .attributes()
                .find(|a| a.name() == "Id")
                .map(|a| a.value());
            if id.is_some_and(|id| refs.contains(&id)) {
                look(policy);
            }
        }
    }
    p
}

/// The base64Binary fields reachable from `ty`, as `` `Type.field` `` (each type visited once).
fn base64_fields(api: &ir::Api, ty: &ir::TypeRef, out: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![ty];
    while let Some(t) = stack.pop() {
        match t {
            ir::TypeRef::Named(id) if seen.insert(*id) => match &api.ty(*id).kind {
                ir::TypeKind::Struct(s) => {
                    for f in &s.fields {
                        let mut inner = &f.ty;
                        while let ir::TypeRef::List(i) | ir::TypeRef::Nullable(i) = inner {
                            inner = i;
                        }
                        if *inner == ir::TypeRef::Primitive(ir::Primitive::Base64) {
                            let entry = format!("`{}.{}`", api.ty(*id).name.display(), f.name);
                            if !out.contains(&entry) {
                                out.push(entry);
                            }
                        }
                        stack.push(&f.ty);
                    }
                }
                ir::TypeKind::Union(u) => stack.extend(u.variants.iter().map(|v| &v.ty)),
                ir::TypeKind::Alias(inner) => stack.push(inner),
                ir::TypeKind::Enum(_) => {}
            },
            ir::TypeRef::List(i) | ir::TypeRef::Map(i) | ir::TypeRef::Nullable(i) => stack.push(i),
            _ => {}
        }
    }
}

/// The WS-Addressing default action of an operation's input (WS-Addressing 1.0 Metadata,
/// 4.4.4): `{targetNamespace}{/}{portType}{/}{input name}`, the delimiter `:` for a `urn:`
/// namespace, the input name defaulting to the operation's name + `Request`.
fn default_action(port_type: Node<'_, '_>, pop: Node<'_, '_>, op: &str) -> String {
    let tns = port_type
        .ancestors()
        .find(|a| is_wsdl(*a, "definitions"))
        .and_then(|d| d.attribute("targetNamespace"))
        .unwrap_or_default();
    let delim = if tns.starts_with("urn:") { ':' } else { '/' };
    let tns = tns.strip_suffix(delim).unwrap_or(tns);
    let input = pop
        .children()
        .find(|c| is_wsdl(*c, "input"))
        .and_then(|i| i.attribute("name"))
        .map_or_else(|| format!("{op}Request"), str::to_owned);
    format!(
        "{tns}{delim}{}{delim}{input}",
        port_type.attribute("name").unwrap_or_default()
    )
}

/// The namespace of WSDL's HTTP GET/POST binding (`http:binding`).
const HTTP: &str = "http://schemas.xmlsoap.org/wsdl/http/";

/// Chooses the bindings, fills `servers` and lowers their operations. Returns the API title.
///
/// Every portType bound by a SOAP binding is lowered once, through one of its bindings: the
/// best of (used by a port, SOAP 1.1) > (used by a port, SOAP 1.2) > SOAP 1.1 > SOAP 1.2, the
/// first in document order on ties. Other bindings are reported: HTTP GET/POST bindings and
/// other non-SOAP bindings with a warning each; further SOAP bindings of a portType already
/// lowered (typically its SOAP 1.2 twin) carry the same operations and are silent.
fn lower_service(lw: &mut Lowerer<'_, '_>, defs: &Defs<'_, '_>, path: &Path) -> String {
    let root = defs[0];
    let mut title = root
        .attribute("name")
        .map(str::to_owned)
        .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "service".to_owned());

    // (service, port, binding) for ports whose binding is a SOAP binding.
    let mut ports = Vec::new();
    let mut any_service = false;
    for d in defs.iter() {
        for service in d.children().filter(|c| is_wsdl(*c, "service")) {
            any_service = true;
            for port in service.children().filter(|c| is_wsdl(*c, "port")) {
                let Some(b) = port.attribute("binding") else {
                    continue;
                };
                let qn = resolve_qname(port, b);
                match find(defs, "binding", &qn) {
                    Some(binding) if binding_version(binding).is_some() => {
                        ports.push((service, port, binding))
                    }
                    Some(_) => {} // reported with the binding below
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
    let all: Vec<Node<'_, '_>> = defs
        .iter()
        .flat_map(|d| d.children().filter(|c| is_wsdl(*c, "binding")))
        .collect();
    let rank = |b: Node<'_, '_>| -> u8 {
        let used = ports.iter().any(|(_, _, pb)| *pb == b);
        match (used, binding_version(b)) {
            (true, Some(SoapVersion::V11)) => 0,
            (true, _) => 1,
            (false, Some(SoapVersion::V11)) => 2,
            (false, _) => 3,
        }
    };
    // The portType a binding binds, or (when it names none) the binding itself.
    let port_type_key = |b: Node<'_, '_>| match b.attribute("type") {
        Some(t) => ("portType", resolve_qname(b, t)),
        None => (
            "binding",
            (
                String::new(),
                b.attribute("name").unwrap_or_default().to_owned(),
            ),
        ),
    };
    let mut chosen: indexmap::IndexMap<_, Node<'_, '_>> = indexmap::IndexMap::new();
    for b in all
        .iter()
        .copied()
        .filter(|b| binding_version(*b).is_some())
    {
        let slot = chosen.entry(port_type_key(b)).or_insert(b);
        if rank(b) < rank(*slot) {
            *slot = b;
        }
    }
    let mut chosen: Vec<Node<'_, '_>> = chosen.into_values().collect();
    // Stable: the best-ranked bindings first, document order among equals.
    chosen.sort_by_key(|b| rank(*b));

    for b in all
        .iter()
        .copied()
        .filter(|b| binding_version(*b).is_none())
    {
        let name = b.attribute("name").unwrap_or_default();
        let twin = chosen
            .iter()
            .find(|c| port_type_key(**c) == port_type_key(b))
            .and_then(|c| c.attribute("name"));
        let also = match twin {
            Some(t) => format!("; its portType's operations are generated from SOAP binding `{t}`"),
            None => "; its operations are not generated".to_owned(),
        };
        let http = b
            .children()
            .any(|c| c.tag_name().namespace() == Some(HTTP) && c.tag_name().name() == "binding");
        let (code, message) = if http {
            (
                "wsdl::http_binding",
                format!(
                    "binding `{name}` is an HTTP GET/POST binding, which is not supported{also}"
                ),
            )
        } else {
            (
                "wsdl::unsupported_binding",
                format!("binding `{name}` is not a SOAP 1.1 or 1.2 binding{also}"),
            )
        };
        lw.warn(b, code, name, message);
    }

    let Some(&first) = chosen.first() else {
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
    if let Some(n) = ports
        .iter()
        .find(|(_, _, b)| *b == first)
        .and_then(|(s, _, _)| s.attribute("name"))
    {
        title = n.to_owned();
    }
    if ports.is_empty() && any_service {
        lw.warn(
            first,
            "wsdl::no_port",
            "",
            "no service port uses a SOAP binding; the client has no default server URL".to_owned(),
        );
    }
    for binding in &chosen {
        for (_, port, _) in ports.iter().filter(|(_, _, b)| b == binding) {
            let address = port.children().find(|c| {
                c.tag_name().name() == "address"
                    && matches!(c.tag_name().namespace(), Some(SOAP11 | SOAP12))
            });
            let Some(url) = address.and_then(|a| a.attribute("location")) else {
                continue;
            };
            if let Some(default) = lw.api.servers.first().map(|s| s.url.clone()) {
                let binding_at_default = ports.iter().any(|(_, p, b)| {
                    b == binding
                        && p.children().any(|a| {
                            a.tag_name().name() == "address"
                                && a.attribute("location") == Some(default.as_str())
                        })
                });
                if *binding != first && !binding_at_default {
                    let bname = binding.attribute("name").unwrap_or_default();
                    lw.warn(
                        *port,
                        "wsdl::port_address",
                        bname,
                        format!(
                            "the operations of binding `{bname}` are served at `{url}`, but the client sends every operation to its one base URL (by default `{default}`)"
                        ),
                    );
                }
            }
            if !lw.api.servers.iter().any(|s| s.url == url) {
                lw.api.servers.push(ir::Server {
                    url: url.to_owned(),
                    docs: documentation(*port),
                });
            }
        }
    }
    let mut names = std::collections::HashSet::new();
    for binding in &chosen {
        lower_binding(lw, defs, *binding, &mut names);
    }
    if lw.api.operations.is_empty() {
        let (line, col) = position(root);
        lw.diagnostics.push(
            Diagnostic::error(
                "wsdl::no_operations",
                "no operation of the document can be generated (each one skipped is reported above)",
            )
            .at_line(path, "", line, col)
            .help("the client would be empty; see the `wsdl::skipped_operation` warnings for why each operation was left out"),
        );
    }
    title
}

/// What a binding operation's `input` or `output` carries in the Body.
enum BodyParts<'a, 'i> {
    /// The portType operation has no such message (one-way).
    Absent,
    /// The message has no body part: an empty Body (document style) or an empty wrapper (rpc).
    Empty,
    /// document style: the part's element.
    Element(QName),
    /// rpc style: the parts, children of the wrapper element.
    Parts(Vec<Node<'a, 'i>>),
}

/// Lowers the operations of one SOAP binding. `names` holds the operation names taken so far
/// (a second portType's operation of the same name is named `<portType>_<operation>`).
fn lower_binding(
    lw: &mut Lowerer<'_, '_>,
    defs: &Defs<'_, '_>,
    binding: Node<'_, '_>,
    names: &mut std::collections::HashSet<String>,
) {
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
        let count = binding
            .children()
            .filter(|c| is_wsdl(*c, "operation"))
            .count();
        let d = Diagnostic::warning(
            "wsdl::dangling_port_type",
            format!(
                "binding `{}` refers to undefined portType `{}`; its {count} operation(s) are not generated",
                binding.attribute("name").unwrap_or_default(),
                binding.attribute("type").unwrap_or_default()
            ),
        )
        .help("the portType may be in a remote import: download it next to the WSDL and import it by a relative location");
        let d = lw.at_node(d, binding);
        lw.diagnostics.push(d);
        return;
    };
    let port_type_name = port_type.attribute("name").unwrap_or_default();
    // The portType's operations by name (first one wins), looked up once per binding operation.
    let mut port_ops = HashMap::new();
    for pop in port_type.children().filter(|c| is_wsdl(*c, "operation")) {
        if let Some(name) = pop.attribute("name") {
            port_ops.entry(name).or_insert(pop);
        }
    }
    let policies = binding_policies(defs, binding);
    // (name, input name, output name) of the binding operations lowered: a repeated one (a
    // copy-paste in the document) is lowered once.
    let mut bound = std::collections::HashSet::new();
    for bop in binding.children().filter(|c| is_wsdl(*c, "operation")) {
        let Some(name) = bop.attribute("name") else {
            continue;
        };
        let io_name = |io: &str| {
            bop.children()
                .find(|c| is_wsdl(*c, io))
                .and_then(|c| c.attribute("name"))
        };
        if !bound.insert((name, io_name("input"), io_name("output"))) {
            let bname = binding.attribute("name").unwrap_or_default();
            let d = Diagnostic::warning(
                "wsdl::duplicate_operation",
                format!(
                    "binding `{bname}` binds operation `{name}` a second time (same input and output names); it is generated once"
                ),
            )
            .help("remove the repeated `wsdl:operation` from the binding");
            let d = lw.at_node(d, bop);
            lw.diagnostics.push(d);
            continue;
        }
        let file = lw.file_of(bop);
        let pointer = format!(
            "/definitions/binding[@name='{}']/operation[@name='{name}']",
            binding.attribute("name").unwrap_or_default()
        );
        let located = |code: &'static str, message: String| {
            // Located only when reported: finding a position scans the text from its start,
            // so doing it for every operation was quadratic in the document's size.
            let (line, col) = position(bop);
            Diagnostic::warning(code, message).at_line(file.clone(), pointer.clone(), line, col)
        };
        let skip = |lw: &mut Lowerer<'_, '_>, why: String| {
            lw.diagnostics.push(located(
                "wsdl::skipped_operation",
                format!("operation `{name}` skipped: {why}"),
            ));
        };
        let soap_op = soap_child(bop, version, "operation");
        let style = soap_op
            .and_then(|o| o.attribute("style"))
            .unwrap_or(default_style);
        let rpc = style == "rpc";
        let encoded = ["input", "output"].iter().any(|io| {
            bop.children()
                .find(|c| is_wsdl(*c, io))
                .and_then(|c| soap_child(c, version, "body"))
                .and_then(|b| b.attribute("use"))
                == Some("encoded")
        });
        if encoded && !rpc {
            skip(
                lw,
                "document/encoded (SOAP section 5 encoding in a document-style operation) is not supported".to_owned(),
            );
            continue;
        }
        if encoded {
            // Sent as rpc/literal is (zeep does the same): one warning per binding.
            let bname = binding.attribute("name").unwrap_or_default();
            let message = format!(
                "binding `{bname}` is rpc/encoded (SOAP section 5): its operations are sent as rpc/literal ones are, as zeep sends them (part accessors unqualified, no `xsi:type` or `soap:encodingStyle`; SOAP-encoded arrays as `<item>` children); multi-reference values (`href=\"#id\"`) in responses are resolved"
            );
            lw.warn(binding, "wsdl::rpc_encoded", bname, message);
        }
        let Some(pop) = port_ops.get(name).copied() else {
            skip(lw, "the portType has no such operation".to_owned());
            continue;
        };
        let (headers, out_headers, dropped) = soap_headers(lw, defs, bop, version);
        if !dropped.is_empty() {
            lw.diagnostics.push(located(
                "wsdl::soap_header",
                format!(
                    "operation `{name}`: SOAP header part(s) left out: {}",
                    dropped.join(", ")
                ),
            ));
        }
        let action = soap_op
            .and_then(|o| o.attribute("soapAction"))
            .unwrap_or_default()
            .to_owned();
        // WS-Addressing (as zeep): the portType input's `wsam:Action`/`wsaw:Action`, or when
        // the binding uses addressing, the soapAction or the default action pattern.
        let wsa_action = pop
            .children()
            .find(|c| is_wsdl(*c, "input"))
            .and_then(|i| {
                i.attribute((WSAM, "Action"))
                    .or_else(|| i.attribute((WSAW, "Action")))
            })
            .map(str::to_owned)
            .or_else(|| {
                policies.addressing.then(|| {
                    if action.is_empty() {
                        default_action(port_type, pop, name)
                    } else {
                        action.clone()
                    }
                })
            });
        let encoding = |namespace: &str, local: &str| BodyEncoding::Soap {
            version,
            action: action.clone(),
            element: XmlName {
                namespace: (!namespace.is_empty()).then(|| namespace.to_owned()),
                local: local.to_owned(),
            },
            headers: Vec::new(),
            addressing: None,
        };
        let input = match message_parts(defs, pop, bop, version, "input", rpc) {
            Ok(BodyParts::Absent) => {
                skip(lw, "it has no input message".to_owned());
                continue;
            }
            Ok(p) => p,
            Err(why) => {
                skip(lw, why);
                continue;
            }
        };
        let output = match message_parts(defs, pop, bop, version, "output", rpc) {
            Ok(o) => o,
            Err(why) => {
                skip(lw, why);
                continue;
            }
        };
        for io in ["input", "output"] {
            let unbound = unbound_parts(defs, pop, bop, version, io);
            if !unbound.is_empty() {
                lw.diagnostics.push(located(
                    "wsdl::unbound_part",
                    format!(
                        "operation `{name}`: {io} part(s) {} are neither in soap:body nor a soap:header (attachments?) and are not generated",
                        unbound.join(", ")
                    ),
                ));
            }
        }
        let rpc_ns = |io: &str| {
            bop.children()
                .find(|c| is_wsdl(*c, io))
                .and_then(|c| soap_child(c, version, "body"))
                .and_then(|b| b.attribute("namespace"))
                .unwrap_or_default()
                .to_owned()
        };
        let (in_ty, in_enc) = match &input {
            BodyParts::Element(el) => {
                let Some(ty) = lw.global_element(el) else {
                    skip(
                        lw,
                        format!(
                            "request element `{}` is not defined in any loaded schema",
                            el.1
                        ),
                    );
                    continue;
                };
                (ty, encoding(&el.0, &el.1))
            }
            BodyParts::Parts(parts) => {
                let ty = rpc_wrapper(lw, name, &[name], parts, bop);
                (ty, encoding(&rpc_ns("input"), name))
            }
            BodyParts::Empty if rpc => {
                let ty = rpc_wrapper(lw, name, &[name], &[], bop);
                (ty, encoding(&rpc_ns("input"), name))
            }
            // document style, no part: an empty Body (no body element).
            BodyParts::Empty => {
                let ty = rpc_wrapper(lw, name, &[name, "Request"], &[], bop);
                (ty, encoding("", ""))
            }
            BodyParts::Absent => continue,
        };
        let mut responses = Vec::new();
        let response_name = format!("{name}Response");
        match &output {
            BodyParts::Element(out_el) => {
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
                    encoding: encoding(&out_el.0, &out_el.1),
                    docs: None,
                });
            }
            BodyParts::Parts(parts) => {
                let ty = rpc_wrapper(lw, name, &[name, "Response"], parts, bop);
                responses.push(ir::Response {
                    status: StatusMatch::Code(200),
                    ty: Some(ty),
                    encoding: encoding(&rpc_ns("output"), &response_name),
                    docs: None,
                });
            }
            BodyParts::Empty => responses.push(ir::Response {
                status: StatusMatch::Code(200),
                ty: None,
                encoding: in_enc.clone(),
                docs: Some("The response message has no part: no response value.".to_owned()),
            }),
            BodyParts::Absent => responses.push(ir::Response {
                status: StatusMatch::Code(200),
                ty: None,
                encoding: in_enc.clone(),
                docs: Some("One-way operation: no response body.".to_owned()),
            }),
        }
        // The output's `soap:header` parts: typed response headers of the success response.
        if let Some(BodyEncoding::Soap { headers, .. }) =
            responses.first_mut().map(|r| &mut r.encoding)
        {
            *headers = out_headers;
        }
        // Declared faults: one `Default` response per fault element, typed as the element's
        // type; the back end turns them into the operation's typed fault detail.
        for f in pop.children().filter(|c| is_wsdl(*c, "fault")) {
            let fault_name = f.attribute("name").unwrap_or_default();
            let message = f.attribute("message").map(|m| resolve_qname(f, m));
            let parts: Vec<Node<'_, '_>> = message
                .as_ref()
                .and_then(|m| find(defs, "message", m))
                .map(|m| m.children().filter(|c| is_wsdl(*c, "part")).collect())
                .unwrap_or_default();
            let mut typed = false;
            for p in &parts {
                let Some(el) = p.attribute("element").map(|e| resolve_qname(*p, e)) else {
                    continue;
                };
                let Some(ty) = lw.global_element(&el) else {
                    continue;
                };
                if responses.iter().any(|r: &ir::Response| {
                    !r.is_success()
                        && matches!(&r.encoding, BodyEncoding::Soap { element, .. } if element.local == el.1)
                }) {
                    typed = true;
                    continue;
                }
                typed = true;
                responses.push(ir::Response {
                    status: StatusMatch::Default,
                    ty: Some(ty),
                    encoding: encoding(&el.0, &el.1),
                    docs: Some(format!(
                        "SOAP fault `{fault_name}`: detail element `{}`.",
                        el.1
                    )),
                });
            }
            if !typed {
                lw.diagnostics.push(located(
                    "wsdl::fault_detail",
                    format!(
                        "operation `{name}`: fault `{fault_name}` has no element part defined in a loaded schema; its detail is kept as raw XML (`SoapFault::detail`)"
                    ),
                ));
            }
        }
        if policies.mtom {
            let mut found = Vec::new();
            let tys = std::iter::once(&in_ty).chain(responses.iter().filter_map(|r| r.ty.as_ref()));
            for ty in tys {
                base64_fields(&lw.api, ty, &mut found);
            }
            if !found.is_empty() {
                let bname = binding.attribute("name").unwrap_or_default();
                lw.diagnostics.push(located(
                    "wsdl::mtom",
                    format!(
                        "binding `{bname}` asks for MTOM/XOP (`wsoma:OptimizedMimeSerialization`), which is not supported: the base64Binary value(s) {} of operation `{name}` are sent inline as base64 text, and a response carrying them as XOP attachments (multipart/related) does not decode",
                        found.join(", ")
                    ),
                ));
            }
        }
        let op_name = if names.insert(name.to_owned()) {
            Name::Given(name.to_owned())
        } else {
            Name::Derived(vec![port_type_name.to_owned(), name.to_owned()])
        };
        lw.api.operations.push(ir::Operation {
            server: None,
            name: op_name,
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
                encoding: match in_enc {
                    BodyEncoding::Soap {
                        version,
                        action,
                        element,
                        ..
                    } => BodyEncoding::Soap {
                        version,
                        action,
                        element,
                        headers,
                        addressing: wsa_action,
                    },
                    other => other,
                },
                docs: None,
            }),
            responses,
            security: None,
        });
    }
}

/// The `soap:header` parts of a binding operation: those of the input become typed headers of
/// the request, those of the output typed headers of the response; the others (parts that are
/// not `element=` parts of a defined message) are returned as `` `part` (message `m`): why ``
/// for a warning.
fn soap_headers(
    lw: &mut Lowerer<'_, '_>,
    defs: &Defs<'_, '_>,
    bop: Node<'_, '_>,
    version: SoapVersion,
) -> (Vec<ir::SoapHeader>, Vec<ir::SoapHeader>, Vec<String>) {
    let (ns, other) = match version {
        SoapVersion::V11 => (SOAP11, SOAP12),
        SoapVersion::V12 => (SOAP12, SOAP11),
    };
    let mut headers = Vec::new();
    let mut out_headers = Vec::new();
    let mut dropped = Vec::new();
    for io in bop
        .children()
        .filter(|c| is_wsdl(*c, "input") || is_wsdl(*c, "output"))
    {
        for h in io.children().filter(|h| {
            h.tag_name().name() == "header"
                && matches!(h.tag_name().namespace(), Some(n) if n == ns || n == other)
        }) {
            let part_name = h.attribute("part").unwrap_or_default();
            let message = h.attribute("message").unwrap_or_default();
            let mut drop =
                |why: &str| dropped.push(format!("`{part_name}` (message `{message}`): {why}"));
            if h.attribute("use") == Some("encoded") {
                drop("use=\"encoded\" is not supported");
                continue;
            }
            let part = find(defs, "message", &resolve_qname(h, message)).and_then(|m| {
                m.children()
                    .find(|p| is_wsdl(*p, "part") && p.attribute("name") == Some(part_name))
            });
            let Some(part) = part else {
                drop("no such message part");
                continue;
            };
            let Some(element) = part.attribute("element").map(|e| resolve_qname(part, e)) else {
                drop("the part has no element=");
                continue;
            };
            let Some(ty) = lw.global_element(&element) else {
                drop("its element is not defined in any loaded schema");
                continue;
            };
            let headers = if io.tag_name().name() == "output" {
                &mut out_headers
            } else {
                &mut headers
            };
            if headers.iter().any(|x: &ir::SoapHeader| x.name == part_name) {
                continue;
            }
            headers.push(ir::SoapHeader {
                name: part_name.to_owned(),
                element: XmlName {
                    namespace: (!element.0.is_empty()).then(|| element.0.clone()),
                    local: element.1,
                },
                ty,
                docs: documentation(part),
            });
        }
    }
    (headers, out_headers, dropped)
}

/// Parts of the `io` message that the binding's `soap:body parts="…"` leaves out and no
/// `soap:header` of the same message names (MIME attachments, typically), as `` `name` ``.
fn unbound_parts(
    defs: &Defs<'_, '_>,
    pop: Node<'_, '_>,
    bop: Node<'_, '_>,
    version: SoapVersion,
    io: &str,
) -> Vec<String> {
    let Some(bio) = bop.children().find(|c| is_wsdl(*c, io)) else {
        return Vec::new();
    };
    let Some(wanted) = soap_child(bio, version, "body").and_then(|b| b.attribute("parts")) else {
        return Vec::new();
    };
    let Some((msg, msg_qn)) = pop
        .children()
        .find(|c| is_wsdl(*c, io))
        .and_then(|m| m.attribute("message").map(|n| resolve_qname(m, n)))
        .and_then(|qn| find(defs, "message", &qn).map(|m| (m, qn)))
    else {
        return Vec::new();
    };
    let in_header = |part: &str| {
        bio.children().any(|h| {
            h.tag_name().name() == "header"
                && matches!(h.tag_name().namespace(), Some(SOAP11 | SOAP12))
                && h.attribute("part") == Some(part)
                && h.attribute("message").map(|m| resolve_qname(h, m)).as_ref() == Some(&msg_qn)
        })
    };
    msg.children()
        .filter(|c| is_wsdl(*c, "part"))
        .filter_map(|p| p.attribute("name"))
        .filter(|n| !wanted.split_whitespace().any(|w| w == *n) && !in_header(n))
        .map(|n| format!("`{n}`"))
        .collect()
}

/// The wrapper struct of an rpc/literal message: one field per part, unqualified children
/// (WS-I Basic Profile: rpc part accessors have no namespace), named after the operation
/// (`name`) or its response (`name` + `Response`).
fn rpc_wrapper(
    lw: &mut Lowerer<'_, '_>,
    op: &str,
    name: &[&str],
    parts: &[Node<'_, '_>],
    bop: Node<'_, '_>,
) -> ir::TypeRef {
    let mut fields = Vec::new();
    for part in parts {
        let pname = part.attribute("name").unwrap_or_default();
        let (wire, ty) = if let Some(t) = part.attribute("type") {
            (pname.to_owned(), lw.type_ref(*part, t))
        } else if let Some(e) = part.attribute("element") {
            let qn = resolve_qname(*part, e);
            if !qn.0.is_empty() {
                let message = format!(
                    "rpc part `{pname}` of `{op}` names element `{e}`: it is sent unqualified, not in `{}`",
                    qn.0
                );
                lw.warn(
                    *part,
                    "wsdl::rpc_element_part",
                    &format!("{op} {pname}"),
                    message,
                );
            }
            let ty = lw.global_element(&qn).unwrap_or(ir::TypeRef::Any);
            (qn.1, ty)
        } else {
            (pname.to_owned(), ir::TypeRef::Any)
        };
        fields.push(ir::Field {
            name: wire,
            docs: documentation(*part),
            ty,
            required: true,
            nullable: false,
            deprecated: false,
            boxed: false,
            xml_attribute: false,
            xml_namespace: None,
            default: None,
            default_applied: false,
        });
    }
    let id = lw.api.add_type(ir::TypeDef {
        name: Name::Derived(name.iter().map(|s| (*s).to_owned()).collect()),
        docs: Some(format!(
            "The rpc/literal wrapper element of `{}`.",
            name.concat()
        )),
        origin: format!(
            "{}#/definitions/binding/operation[@name='{op}']",
            lw.file_of(bop).display()
        ),
        kind: ir::TypeKind::Struct(ir::StructDef {
            fields,
            additional: None,
            xml_namespace: None,
            flatten: Vec::new(),
        }),
    });
    ir::TypeRef::Named(id)
}

/// The Body content of an operation's `input` or `output` message. Errors say why the
/// operation cannot be lowered.
fn message_parts<'a, 'i>(
    defs: &Defs<'a, 'i>,
    pop: Node<'_, '_>,
    bop: Node<'_, '_>,
    version: SoapVersion,
    io: &str,
    rpc: bool,
) -> Result<BodyParts<'a, 'i>, String> {
    let Some(m) = pop.children().find(|c| is_wsdl(*c, io)) else {
        return Ok(BodyParts::Absent);
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
    let parts: Vec<Node<'a, 'i>> = msg
        .children()
        .filter(|c| is_wsdl(*c, "part"))
        .filter(|p| {
            wanted
                .as_ref()
                .is_none_or(|w| w.contains(&p.attribute("name").unwrap_or_default()))
        })
        .collect();
    if rpc {
        return Ok(if parts.is_empty() {
            BodyParts::Empty
        } else {
            BodyParts::Parts(parts)
        });
    }
    match parts.as_slice() {
        [part] => match part.attribute("element") {
            Some(e) => Ok(BodyParts::Element(resolve_qname(*part, e))),
            None => Err(format!(
                "{io} part `{}` uses type= instead of element= in a document-style operation",
                part.attribute("name").unwrap_or_default()
            )),
        },
        [] => Ok(BodyParts::Empty),
        _ => Err(format!("{io} message `{msg_name}` has several body parts")),
    }
}
