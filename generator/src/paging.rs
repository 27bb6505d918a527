//! Which operations page, and how: the pass after lowering that completes `Api::paging`.
//!
//! Order of precedence: a `--paginate OPERATION=…` option, then a vendor extension (recorded by
//! the front end), then a well-known shape of a GET operation (documented in
//! docs/generated-code.md, "Pagination"):
//!
//! 1. `has_more` boolean + `data` list in the response, `starting_after` query parameter
//!    (Stripe): the last item's `id`.
//! 2. A list in the response plus a cursor field (`next_cursor`, `nextCursor`, `next_page_token`,
//!    `nextPageToken`, `next_token`, `nextToken`, `next_page`, `cursor`, `next`, `nextLink`,
//!    also inside `meta`, `pagination`, `page_info`, `response_metadata`), and a cursor query
//!    parameter (`cursor`, `page_token`, `pageToken`, `next_token`, `nextToken`, `after`,
//!    `starting_after`, `continuation_token`, `next_cursor`, else `page`): a cursor.
//! 3. The same cursor field named `next`/`nextLink`/`next_url`/`nextUrl` without a cursor query
//!    parameter: a next-page URL.
//! 4. `page` and `per_page` query parameters (GitHub, GitLab): the `Link` header.
//! 5. `offset` and `limit` query parameters and a list: offset/limit.
//! 6. `page` and `page_size`/`pageSize`/`size`/`limit` query parameters and a list: page
//!    numbers.

use crate::diag::Diagnostic;
use crate::ir::{self, PageStyle, Pagination, ParamLocation, TypeKind, TypeRef};

/// Names of the list field holding the items, by preference.
const ITEM_FIELDS: &[&str] = &[
    "data", "items", "results", "values", "value", "entries", "records", "list", "nodes",
];
/// Response fields holding the next cursor.
const CURSOR_FIELDS: &[&str] = &[
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "next_page",
    "cursor",
];
/// Response fields holding a next-page URL (or a cursor, when a cursor parameter exists).
const NEXT_URL_FIELDS: &[&str] = &["next", "nextLink", "next_url", "nextUrl", "@odata.nextLink"];
/// Objects the cursor field may sit in.
const CURSOR_PARENTS: &[&str] = &["meta", "pagination", "page_info", "response_metadata"];
/// Query parameters carrying a cursor.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "after",
    "starting_after",
    "continuation_token",
    "next_cursor",
];
const PAGE_SIZE_PARAMS: &[&str] = &["page_size", "pageSize", "size", "limit", "per_page"];

/// Completes `api.paging` from the options and the well-known shapes.
pub(crate) fn run(api: &mut ir::Api, overrides: &[String]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut all_off = false;
    let mut by_op = Vec::new();
    for o in overrides {
        match parse_override(o) {
            Ok((op, None)) if op == "*" => all_off = true,
            Ok(x) => by_op.push(x),
            // Checked when the option was read; kept for library callers.
            Err(e) => diags.push(Diagnostic::error("options::paginate", e).help(PAGINATE_HELP)),
        }
    }
    if all_off {
        api.paging.clear();
    }
    for i in 0..api.operations.len() {
        if all_off || api.paging.contains_key(&i) {
            continue;
        }
        if let Some(p) = detect_shape(api, &api.operations[i]) {
            api.paging.insert(i, p);
        }
    }
    for (name, p) in by_op {
        let Some(i) = api
            .operations
            .iter()
            .position(|op| op.name.display() == name)
        else {
            diags.push(
                Diagnostic::error(
                    "options::paginate",
                    format!("`--paginate {name}=…`: the document has no operation `{name}`"),
                )
                .help("name the operation by its operationId (or the name derived for it)"),
            );
            continue;
        };
        match p {
            Some(p) => api.paging.insert(i, p),
            None => api.paging.remove(&i),
        };
    }
    // Each pagination must find its items in a JSON response; otherwise it is dropped (no JSON
    // body) or its items are decoded as JSON values (no list where it says).
    let mut drop = Vec::new();
    for (&i, p) in &api.paging {
        let op = &api.operations[i];
        let name = op.name.display();
        match json_response(op) {
            None => {
                drop.push(i);
                diags.push(
                    Diagnostic::warning(
                        "paging::no_json_response",
                        format!(
                            "`{name}` is paginated ({}) but has no JSON success response; it gets no `items()`/`pages()`",
                            p.detected_by
                        ),
                    )
                    .at_origin(&op.origin)
                    .help("paginated responses must be JSON; `--paginate OPERATION=off` silences this"),
                );
            }
            Some(ty) if items_type(api, ty, &p.items).is_none() => diags.push(
                Diagnostic::warning(
                    "paging::items_not_a_list",
                    format!(
                        "`{name}` is paginated ({}) but its response has no list at `{}`; items are decoded as JSON values",
                        p.detected_by,
                        if p.items.is_empty() { "(the body)".to_owned() } else { p.items.join(".") }
                    ),
                )
                .at_origin(&op.origin)
                .help("name the items with `--paginate OPERATION=STYLE,items=FIELD`"),
            ),
            Some(_) => {}
        }
    }
    for i in drop {
        api.paging.remove(&i);
    }
    diags
}

/// The item type of a paginated response: the list at `items` below `ty`.
pub(crate) fn items_type<'a>(
    api: &'a ir::Api,
    ty: &'a TypeRef,
    items: &[String],
) -> Option<&'a TypeRef> {
    list_item(api, type_at(api, ty, items)?)
}

/// The JSON success response type of an operation (any method).
pub(crate) fn json_response(op: &ir::Operation) -> Option<&TypeRef> {
    op.responses
        .iter()
        .filter(|r| r.is_success())
        .find_map(|r| match (&r.ty, &r.encoding) {
            (Some(ty), ir::BodyEncoding::Json { .. }) => Some(ty),
            _ => None,
        })
}

const PAGINATE_HELP: &str =
    "write `--paginate OPERATION=off` or `--paginate OPERATION=STYLE[,KEY=VALUE…]` \
     with STYLE one of cursor, last-id, next-url, link, offset, page and KEYs param, next, id, \
     items, has-more, limit (body locations as dotted property names: `meta.next_cursor`); \
     `--paginate '*=off'` turns detection off";

/// Checks a `--paginate` value (clap value parser).
#[cfg_attr(not(feature = "cli"), allow(dead_code))]
pub(crate) fn check_override(value: &str) -> Result<String, String> {
    parse_override(value).map(|_| value.to_owned())
}

/// `OPERATION=off`, `*=off` or `OPERATION=STYLE[,KEY=VALUE…]`.
pub(crate) fn parse_override(value: &str) -> Result<(String, Option<Pagination>), String> {
    let Some((op, spec)) = value.split_once('=') else {
        return Err(format!("`{value}` is not OPERATION=STYLE; {PAGINATE_HELP}"));
    };
    let op = op.trim();
    if op.is_empty() {
        return Err(format!("`{value}` names no operation; {PAGINATE_HELP}"));
    }
    let mut parts = spec.split(',');
    let style = parts.next().unwrap_or("").trim();
    if style == "off" {
        return Ok((op.to_owned(), None));
    }
    if op == "*" {
        return Err(format!("`*` only takes `off`; {PAGINATE_HELP}"));
    }
    let (style, param) = match style {
        "cursor" => (PageStyle::Cursor, "cursor"),
        "last-id" => (PageStyle::LastItemId, "starting_after"),
        "next-url" => (PageStyle::NextUrl, ""),
        "link" => (PageStyle::LinkHeader, ""),
        "offset" => (PageStyle::Offset, "offset"),
        "page" => (PageStyle::PageNumber, "page"),
        other => {
            return Err(format!(
                "unknown pagination style `{other}`; {PAGINATE_HELP}"
            ))
        }
    };
    let mut p = Pagination::new(style, "--paginate");
    p.param = param.to_owned();
    p.source = match style {
        PageStyle::Cursor => dotted("next_cursor"),
        PageStyle::LastItemId => dotted("id"),
        PageStyle::NextUrl => dotted("next"),
        _ => Vec::new(),
    };
    if style == PageStyle::LastItemId {
        p.has_more = Some(dotted("has_more"));
    }
    for kv in parts {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(format!("`{kv}` is not KEY=VALUE; {PAGINATE_HELP}"));
        };
        let v = v.trim();
        match k.trim() {
            "param" => p.param = v.to_owned(),
            "next" | "id" => p.source = dotted(v),
            "items" => p.items = dotted(v),
            "has-more" => p.has_more = Some(dotted(v)),
            "limit" => p.limit = Some(v.to_owned()),
            other => return Err(format!("unknown key `{other}`; {PAGINATE_HELP}")),
        }
    }
    Ok((op.to_owned(), Some(p)))
}

fn dotted(s: &str) -> Vec<String> {
    s.split('.')
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The fields of the struct `ty` names (through aliases and nullability), if it is one.
fn struct_fields<'a>(api: &'a ir::Api, ty: &TypeRef) -> Option<&'a [ir::Field]> {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            TypeRef::Nullable(inner) => ty = inner,
            TypeRef::Named(id) => match &api.ty(*id).kind {
                TypeKind::Struct(s) => return Some(&s.fields),
                TypeKind::Alias(t) => ty = t,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// True when `ty` is a list (through aliases and nullability).
pub(crate) fn list_item<'a>(api: &'a ir::Api, ty: &'a TypeRef) -> Option<&'a TypeRef> {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            TypeRef::Nullable(inner) => ty = inner,
            TypeRef::List(item) => return Some(item),
            TypeRef::Named(id) => match &api.ty(*id).kind {
                TypeKind::Alias(t) => ty = t,
                _ => return None,
            },
            _ => return None,
        }
    }
    None
}

/// The type at `path` below `ty` (property names through structs).
pub(crate) fn type_at<'a>(
    api: &'a ir::Api,
    ty: &'a TypeRef,
    path: &[String],
) -> Option<&'a TypeRef> {
    let mut ty = ty;
    for name in path {
        ty = &struct_fields(api, ty)?.iter().find(|f| &f.name == name)?.ty;
    }
    Some(ty)
}

/// The JSON success response type of a GET operation.
fn json_success(op: &ir::Operation) -> Option<&TypeRef> {
    if op.method != ir::Method::Get {
        return None;
    }
    json_response(op)
}

fn detect_shape(api: &ir::Api, op: &ir::Operation) -> Option<Pagination> {
    let ty = json_success(op)?;
    let query: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| p.name.as_str())
        .collect();
    let has = |n: &str| query.contains(&n);
    let size_param = || {
        PAGE_SIZE_PARAMS
            .iter()
            .find(|n| has(n))
            .map(|n| (*n).to_owned())
    };
    // Where the items are: the body itself, or its preferred list field.
    let items: Option<Vec<String>> = if list_item(api, ty).is_some() {
        Some(Vec::new())
    } else {
        struct_fields(api, ty).and_then(|fields| {
            let lists: Vec<&ir::Field> = fields
                .iter()
                .filter(|f| list_item(api, &f.ty).is_some())
                .collect();
            ITEM_FIELDS
                .iter()
                .find_map(|n| lists.iter().find(|f| f.name == *n))
                .or_else(|| (lists.len() == 1).then(|| &lists[0]))
                .map(|f| vec![f.name.clone()])
        })
    };
    let items = items?;
    let field = |path: &[String]| type_at(api, ty, path);

    // 1. Stripe.
    if has("starting_after") && items == ["data"] && field(&dotted("has_more")).is_some() {
        let mut p = Pagination::new(PageStyle::LastItemId, "shape: has_more + starting_after");
        p.param = "starting_after".into();
        p.source = dotted("id");
        p.has_more = Some(dotted("has_more"));
        p.items = items;
        return Some(p);
    }
    // 2, 3. A cursor or next URL in the body.
    if !items.is_empty() {
        // A `page` parameter next to a cursor field takes the cursor (Stripe's search:
        // `next_page` sent back as `page`).
        let cursor_param = CURSOR_PARAMS.iter().chain(&["page"]).find(|n| has(n));
        let paths = std::iter::once(None)
            .chain(CURSOR_PARENTS.iter().map(Some))
            .flat_map(|parent| {
                CURSOR_FIELDS
                    .iter()
                    .chain(NEXT_URL_FIELDS)
                    .map(move |f| match parent {
                        Some(p) => vec![(*p).to_owned(), (*f).to_owned()],
                        None => vec![(*f).to_owned()],
                    })
            });
        for path in paths {
            if !matches!(field(&path), Some(t) if is_scalar(api, t)) {
                continue;
            }
            let url_field = NEXT_URL_FIELDS.contains(&path[path.len() - 1].as_str());
            match cursor_param {
                Some(param) => {
                    let mut p = Pagination::new(
                        PageStyle::Cursor,
                        format!("shape: `{}` + `{param}`", path.join(".")),
                    );
                    p.param = (*param).to_owned();
                    p.source = path;
                    p.items = items;
                    p.limit = size_param();
                    return Some(p);
                }
                None if url_field => {
                    let mut p =
                        Pagination::new(PageStyle::NextUrl, format!("shape: `{}`", path.join(".")));
                    p.source = path;
                    p.items = items;
                    return Some(p);
                }
                None => {}
            }
        }
    }
    // 4. GitHub.
    if has("page") && has("per_page") {
        let mut p = Pagination::new(PageStyle::LinkHeader, "shape: page + per_page (Link)");
        p.items = items;
        return Some(p);
    }
    // 5. Offset/limit.
    if has("offset") && has("limit") {
        let mut p = Pagination::new(PageStyle::Offset, "shape: offset + limit");
        p.param = "offset".into();
        p.limit = Some("limit".into());
        p.items = items;
        return Some(p);
    }
    // 6. Page numbers.
    if has("page") {
        if let Some(size) = size_param() {
            let mut p = Pagination::new(PageStyle::PageNumber, format!("shape: page + {size}"));
            p.param = "page".into();
            p.limit = Some(size);
            p.items = items;
            return Some(p);
        }
    }
    None
}

/// A string or number (a cursor or URL), through aliases and nullability.
fn is_scalar(api: &ir::Api, ty: &TypeRef) -> bool {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            TypeRef::Nullable(inner) => ty = inner,
            TypeRef::Primitive(p) => {
                return matches!(
                    p,
                    ir::Primitive::String | ir::Primitive::I32 | ir::Primitive::I64
                )
            }
            TypeRef::Named(id) => match &api.ty(*id).kind {
                TypeKind::Alias(t) => ty = t,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_parse() {
        let (op, p) =
            parse_override("listPets=cursor,param=after,next=meta.next,items=data").unwrap();
        let p = p.unwrap();
        assert_eq!(op, "listPets");
        assert_eq!((p.style, p.param.as_str()), (PageStyle::Cursor, "after"));
        assert_eq!((p.source, p.items), (dotted("meta.next"), dotted("data")));
        assert_eq!(parse_override("x=off").unwrap(), ("x".into(), None));
        assert_eq!(parse_override("*=off").unwrap(), ("*".into(), None));
        let (_, p) = parse_override("list=link").unwrap();
        assert_eq!(p.unwrap().style, PageStyle::LinkHeader);
        for bad in [
            "x",
            "=cursor",
            "x=sideways",
            "x=cursor,param",
            "x=cursor,colour=red",
            "*=link",
        ] {
            assert!(parse_override(bad).is_err(), "{bad}");
        }
    }
}

#[cfg(test)]
mod shape_tests {
    use super::*;

    const DOC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /charges:
    get:
      operationId: stripe
      parameters:
        - {name: starting_after, in: query, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: object, properties: {id: {type: string}}}}
                  has_more: {type: boolean}
  /charges/search:
    get:
      operationId: stripeSearch
      parameters:
        - {name: page, in: query, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: string}}
                  has_more: {type: boolean}
                  next_page: {type: string, nullable: true}
  /things:
    get:
      operationId: cursor
      parameters:
        - {name: page_token, in: query, schema: {type: string}}
        - {name: page_size, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  results: {type: array, items: {type: string}}
                  meta: {type: object, properties: {next_cursor: {type: string, nullable: true}}}
  /links:
    get:
      operationId: nextUrl
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: {type: integer}}
                  next: {type: string}
  /repos:
    get:
      operationId: github
      parameters:
        - {name: per_page, in: query, schema: {type: integer}}
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /offset:
    get:
      operationId: offset
      parameters:
        - {name: offset, in: query, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
  /pages:
    get:
      operationId: pages
      parameters:
        - {name: page, in: query, schema: {type: integer}}
        - {name: pageSize, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {values: {type: array, items: {type: string}}}}
  /azure:
    get:
      operationId: azure
      x-ms-pageable: {nextLinkName: odata.nextLink}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {value: {type: array, items: {type: string}}}}
  /plain:
    get:
      operationId: plain
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
    post:
      operationId: notGet
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: string}}
                  next_cursor: {type: string}
"##;

    fn lowered() -> ir::Api {
        let (doc, diags) = crate::load::parse(std::path::Path::new("t.yaml"), DOC.to_owned());
        let lowered = crate::openapi::lower_document(doc.expect("parses"), diags);
        assert!(
            !lowered.diagnostics.iter().any(Diagnostic::is_error),
            "{:?}",
            lowered.diagnostics
        );
        lowered.api
    }

    fn styles(api: &ir::Api) -> Vec<(String, Option<PageStyle>)> {
        api.operations
            .iter()
            .enumerate()
            .map(|(i, op)| (op.name.display(), api.paging.get(&i).map(|p| p.style)))
            .collect()
    }

    fn of<'a>(api: &'a ir::Api, name: &str) -> &'a Pagination {
        let i = api
            .operations
            .iter()
            .position(|o| o.name.display() == name)
            .unwrap();
        &api.paging[&i]
    }

    #[test]
    fn well_known_shapes_and_extensions_are_detected() {
        let mut api = lowered();
        let diags = run(&mut api, &[]);
        assert!(diags.is_empty(), "{diags:?}");
        use PageStyle::*;
        let want = [
            ("stripe", Some(LastItemId)),
            ("stripeSearch", Some(Cursor)),
            ("cursor", Some(Cursor)),
            ("nextUrl", Some(NextUrl)),
            ("github", Some(LinkHeader)),
            ("offset", Some(Offset)),
            ("pages", Some(PageNumber)),
            ("azure", Some(NextUrl)),
            ("plain", None),
            ("notGet", None),
        ];
        let got = styles(&api);
        assert_eq!(
            got,
            want.map(|(n, s)| (n.to_owned(), s)).to_vec(),
            "{got:?}"
        );
        let c = of(&api, "cursor");
        assert_eq!(
            (
                c.param.as_str(),
                c.source.clone(),
                c.items.clone(),
                c.limit.as_deref()
            ),
            (
                "page_token",
                dotted("meta.next_cursor"),
                dotted("results"),
                Some("page_size")
            )
        );
        let a = of(&api, "azure");
        assert_eq!(
            (a.source.clone(), a.items.clone()),
            (vec!["odata.nextLink".to_owned()], dotted("value"))
        );
        assert_eq!(of(&api, "pages").items, dotted("values"));
        let s = of(&api, "stripeSearch");
        assert_eq!(
            (s.param.as_str(), s.source.clone()),
            ("page", dotted("next_page"))
        );
    }

    #[test]
    fn overrides_win_and_are_checked() {
        let mut api = lowered();
        let diags = run(
            &mut api,
            &[
                "stripe=off".into(),
                "plain=offset,param=from,limit=limit".into(),
                "nosuch=link".into(),
            ],
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].is_error());
        let got = styles(&api);
        assert_eq!(got[0], ("stripe".to_owned(), None));
        let p = of(&api, "plain");
        assert_eq!((p.style, p.param.as_str()), (PageStyle::Offset, "from"));
        let mut api = lowered();
        assert!(run(&mut api, &["*=off".into()]).is_empty());
        assert!(api.paging.is_empty());
    }

    #[test]
    fn a_pagination_without_a_list_warns() {
        let mut api = lowered();
        let diags = run(&mut api, &["nextUrl=cursor,items=nowhere".into()]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, "paging::items_not_a_list");
        assert!(api.paging.contains_key(&3));
    }
}
