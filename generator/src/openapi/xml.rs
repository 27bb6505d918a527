//! XML bodies: the names of the root element and of every field of the types an XML body
//! holds, from the schemas' `xml` objects (`name`, `namespace`, `prefix`, `attribute`,
//! `wrapped`).
//!
//! Rules (OpenAPI 3.0 §XML Object): the root element is named by the body schema's `xml.name`,
//! else the name of the component it references; a property is an element (or, with
//! `attribute`, an attribute) named by its own `xml.name`, else its property name; a list
//! property repeats its item elements in the parent, or inside one element named after the
//! property when `wrapped`; items are named by the items schema's `xml.name` (its own or that
//! of the component it references), else the property name.

use crate::load::AtPointer;
use std::collections::{BTreeSet, HashMap, VecDeque};

use serde_json::Value;

use super::{ptr, Cx};
use crate::ir::{BodyEncoding, TypeId, TypeKind, TypeRef, XmlNode};
use crate::load::refs::{FileId, Target};

/// How deep `allOf` members are searched for a property.
const MAX_ALL_OF: usize = 8;

impl Cx {
    /// The root element of an XML body whose schema is at `mptr/schema` and whose type is `ty`,
    /// when the type is a struct or a list (`None`: the body is sent and read as text).
    pub(crate) fn xml_root(&mut self, file: FileId, mptr: &str, ty: &TypeRef) -> Option<XmlNode> {
        let resolved = self.resolve_alias(ty);
        let is_struct = |cx: &Cx, t: &TypeRef| match t {
            TypeRef::Named(id) => matches!(cx.api.ty(*id).kind, TypeKind::Struct(_)),
            _ => false,
        };
        let list = matches!(resolved, TypeRef::List(_));
        if !list && !is_struct(self, &resolved) {
            return None;
        }
        let sptr = ptr(mptr, "schema");
        let raw = self.xml_at(file, &sptr);
        let target = self.quiet_deref(file, &sptr);
        let fallback = match &resolved {
            TypeRef::Named(id) => self.api.ty(*id).name.display(),
            _ => "items".to_owned(),
        };
        let mut node = self.node_of(raw.as_ref(), target.as_ref(), &fallback);
        if list {
            let item = target.as_ref().map(|t| {
                let iptr = ptr(&t.pointer, "items");
                self.item_names(t.file, &iptr, "item")
            });
            node.wrapped = true;
            node.item = Some(item.unwrap_or_else(|| ("item".to_owned(), None, None)));
        }
        Some(node)
    }

    /// Fills [`crate::ir::Api::xml_fields`] for every struct reachable from an XML body. Runs
    /// after every schema is lowered.
    pub(crate) fn fill_xml_names(&mut self) {
        let mut roots = Vec::new();
        for op in &self.api.operations {
            let bodies = op
                .body
                .iter()
                .map(|b| (&b.encoding, Some(&b.ty)))
                .chain(op.responses.iter().map(|r| (&r.encoding, r.ty.as_ref())));
            for (enc, ty) in bodies {
                if let (BodyEncoding::Xml { .. }, Some(ty)) = (enc, ty) {
                    roots.push(ty.clone());
                }
            }
        }
        // Request bodies and responses the caller may choose or negotiate in XML.
        for a in self.api.body_alternatives.values().flatten() {
            if matches!(a.encoding, BodyEncoding::Xml { .. }) {
                roots.push(a.ty.clone());
            }
        }
        for (i, encs) in &self.api.response_alternatives {
            let success = self.api.operations.get(*i).and_then(|op| {
                op.responses
                    .iter()
                    .filter(|r| r.is_success())
                    .find_map(|r| r.ty.clone())
            });
            if let Some(ty) = success {
                if encs.iter().any(|e| matches!(e, BodyEncoding::Xml { .. })) {
                    roots.push(ty);
                }
            }
        }
        for ((i, status), encs) in &self.api.error_alternatives {
            if !encs.iter().any(|e| matches!(e, BodyEncoding::Xml { .. })) {
                continue;
            }
            let error = self.api.operations.get(*i).and_then(|op| {
                op.responses
                    .iter()
                    .find(|r| r.status == *status)
                    .and_then(|r| r.ty.clone())
            });
            roots.extend(error);
        }
        if roots.is_empty() {
            return;
        }
        // Where each type is defined: of the places a type was registered at, the first in
        // sorted order (not the first the maps' iteration meets, which depends on their seeds);
        // an inline place only for a type with no named one.
        let mut origin: HashMap<TypeId, &Target> = HashMap::new();
        for (t, id) in &self.named {
            let at = origin.entry(*id).or_insert(t);
            if t < *at {
                *at = t;
            }
        }
        let mut inline_origin: HashMap<TypeId, &Target> = HashMap::new();
        for (t, out) in &self.inline {
            if let TypeRef::Named(id) = out.ty {
                let at = inline_origin.entry(id).or_insert(t);
                if t < *at {
                    *at = t;
                }
            }
        }
        for (id, t) in inline_origin {
            origin.entry(id).or_insert(t);
        }
        let origin: HashMap<TypeId, Target> =
            origin.into_iter().map(|(id, t)| (id, t.clone())).collect();
        let mut seen = BTreeSet::new();
        let mut queue: VecDeque<TypeRef> = roots.into();
        while let Some(ty) = queue.pop_front() {
            let id = match ty {
                TypeRef::Named(id) => id,
                TypeRef::List(inner) | TypeRef::Nullable(inner) | TypeRef::Map(inner) => {
                    queue.push_back(*inner);
                    continue;
                }
                _ => continue,
            };
            if !seen.insert(id) {
                continue;
            }
            let fields = match &self.api.ty(id).kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .map(|f| (f.name.clone(), f.ty.clone()))
                    .collect::<Vec<_>>(),
                TypeKind::Alias(t) => {
                    queue.push_back(t.clone());
                    continue;
                }
                TypeKind::Union(u) => {
                    queue.extend(u.variants.iter().map(|v| v.ty.clone()));
                    continue;
                }
                TypeKind::Enum(_) => continue,
            };
            let at = origin.get(&id).cloned();
            for (i, (name, fty)) in fields.into_iter().enumerate() {
                let list = matches!(self.resolve_alias(&fty), TypeRef::List(_));
                queue.push_back(fty);
                let Some(prop) = at.as_ref().and_then(|t| self.property(t, &name, 0)) else {
                    continue;
                };
                let raw = self.xml_at(prop.file, &prop.pointer);
                let own = raw.is_some();
                let mut node = self.node_of(raw.as_ref(), None, &name);
                if list {
                    let list_at = self.quiet_deref(prop.file, &prop.pointer);
                    node.item = list_at.map(|t| {
                        let iptr = ptr(&t.pointer, "items");
                        self.item_names(t.file, &iptr, &name)
                    });
                }
                if own || list {
                    self.api.xml_fields.insert((id, i), node);
                }
            }
        }
    }

    /// `ty` with aliases followed (at most as many steps as there are types).
    fn resolve_alias(&self, ty: &TypeRef) -> TypeRef {
        let mut t = ty.clone();
        for _ in 0..=self.api.types.len() {
            match &t {
                TypeRef::Named(id) => match &self.api.ty(*id).kind {
                    TypeKind::Alias(inner) => t = inner.clone(),
                    _ => break,
                },
                TypeRef::Nullable(inner) => t = (**inner).clone(),
                _ => break,
            }
        }
        t
    }

    /// The `xml` object of the schema at `pointer` (a copy: it is small).
    fn xml_at(&self, file: FileId, pointer: &str) -> Option<Value> {
        let doc = self.docs.doc(file);
        doc.value
            .at_pointer(pointer)
            .and_then(|v| v.get("xml"))
            .filter(|x| x.is_object())
            .cloned()
    }

    /// Follows `$ref`s without reporting (lowering reported dangling ones already).
    fn quiet_deref(&mut self, file: FileId, pointer: &str) -> Option<Target> {
        self.docs
            .follow(Target {
                file,
                pointer: pointer.to_owned(),
            })
            .ok()
    }

    /// The property `name` of the object schema at `at` (or of one of its `allOf` members).
    fn property(&mut self, at: &Target, name: &str, depth: usize) -> Option<Target> {
        let doc = self.docs.doc(at.file);
        let schema = doc.value.at_pointer(&at.pointer)?;
        let pptr = ptr(&ptr(&at.pointer, "properties"), name);
        if schema.get("properties").and_then(|p| p.get(name)).is_some() {
            return Some(Target {
                file: at.file,
                pointer: pptr,
            });
        }
        if depth >= MAX_ALL_OF {
            return None;
        }
        let members = schema.get("allOf").and_then(Value::as_array)?.len();
        for i in 0..members {
            let mptr = ptr(&ptr(&at.pointer, "allOf"), &i.to_string());
            if let Some(m) = self.quiet_deref(at.file, &mptr) {
                if let Some(found) = self.property(&m, name, depth + 1) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// Name, namespace, prefix and attribute flag from the `xml` object `raw` (of the schema
    /// itself), else that of the schema it references (`target`), else the component name of
    /// `target`, else `fallback`.
    fn node_of(&self, raw: Option<&Value>, target: Option<&Target>, fallback: &str) -> XmlNode {
        let resolved = match raw {
            Some(_) => None,
            None => target.and_then(|t| self.xml_at(t.file, &t.pointer)),
        };
        let xml = raw.or(resolved.as_ref()).and_then(Value::as_object);
        let text = |k: &str| {
            xml.and_then(|x| x.get(k))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let flag = |k: &str| {
            xml.and_then(|x| x.get(k))
                .and_then(Value::as_bool)
                .unwrap_or(false)
        };
        let name = text("name")
            .or_else(|| target.and_then(|t| component_schema(&t.pointer)))
            .unwrap_or_else(|| fallback.to_owned());
        XmlNode {
            name,
            namespace: text("namespace"),
            prefix: text("prefix"),
            attribute: flag("attribute"),
            wrapped: flag("wrapped"),
            item: None,
        }
    }

    /// Name, namespace and prefix of the items of the list schema whose `items` is at `iptr`.
    fn item_names(
        &mut self,
        file: FileId,
        iptr: &str,
        fallback: &str,
    ) -> (String, Option<String>, Option<String>) {
        let raw = self.xml_at(file, iptr);
        let target = self.quiet_deref(file, iptr);
        let node = self.node_of(raw.as_ref(), target.as_ref(), fallback);
        (node.name, node.namespace, node.prefix)
    }
}

/// `Pet` for `/components/schemas/Pet`.
fn component_schema(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    (!rest.contains('/')).then(|| crate::load::unescape_token(rest))
}
