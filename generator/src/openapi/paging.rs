//! Pagination vendor extensions and the event type of `text/event-stream` responses, recorded
//! beside the operation (`Api::paging`, `Api::events`). Well-known shapes and the `--paginate`
//! overrides are applied later, on the IR (`crate::paging`).

use crate::load::Members;
use serde_json::{Map, Value};

use super::schema::extend;
use super::{ptr, Cx};
use crate::ir::{PageStyle, Pagination, TypeRef};
use crate::load::refs::FileId;

impl Cx {
    /// Reads the pagination extensions of the operation just pushed, and the schema of its
    /// `text/event-stream` success response.
    pub(crate) fn paging_and_events(
        &mut self,
        file: FileId,
        optr: &str,
        op: &Map<String, Value>,
        parts: &[String],
    ) {
        let Some(index) = self.api.operations.len().checked_sub(1) else {
            return;
        };
        for key in [
            "x-ms-pageable",
            "x-speakeasy-pagination",
            "x-fern-pagination",
            "x-dropshot-pagination",
        ] {
            let Some(ext) = op.field(key) else {
                continue;
            };
            let at = ptr(optr, key);
            match read_extension(key, ext) {
                Ok(Some(p)) => {
                    self.api.paging.insert(index, p);
                    break;
                }
                Ok(None) => break,
                Err(why) => self.warn(
                    file,
                    &at,
                    "openapi::pagination_extension",
                    format!("`{key}` is not understood ({why}); the operation is not paginated from it"),
                    "see docs/generated-code.md, \"Pagination\", for the forms read, or use `--paginate OPERATION=STYLE,…`",
                ),
            }
        }
        self.event_type(file, optr, op, parts, index);
    }

    /// The schema (`itemSchema`, else `schema`) of the first 2xx response's `text/event-stream`
    /// content, lowered as the operation's event type.
    fn event_type(
        &mut self,
        file: FileId,
        optr: &str,
        op: &Map<String, Value>,
        parts: &[String],
        index: usize,
    ) {
        let Some(Value::Object(responses)) = op.field("responses") else {
            return;
        };
        let Some((code, response)) = responses
            .iter()
            .find(|(c, _)| c.starts_with('2') && c.len() == 3)
        else {
            return;
        };
        let Some((t, held)) =
            self.deref_value(file, &ptr(&ptr(optr, "responses"), code), Some(response))
        else {
            return;
        };
        let Some(Value::Object(content)) = held.get(&t.pointer).and_then(|r| r.field("content"))
        else {
            return;
        };
        let Some(mt) = content
            .keys()
            .find(|k| crate::ir::media_essence(k) == "text/event-stream")
            .cloned()
        else {
            return;
        };
        let mptr = ptr(&ptr(&t.pointer, "content"), &mt);
        let media = content.field(&mt);
        let ty = match ["itemSchema", "schema"]
            .into_iter()
            .find_map(|k| Some((k, media?.field(k)?)))
        {
            Some((k, schema)) => {
                self.schema_read(
                    t.file,
                    &ptr(&mptr, k),
                    Some(schema),
                    &extend(parts, "event"),
                )
                .ty
            }
            None => TypeRef::Any,
        };
        self.api.events.insert(index, ty);
    }
}

/// A JSON path as the extensions write it (`$.data.items`, `$response.next.cursor`,
/// `$request.cursor`, `data.items`) as property names.
fn path_of(expr: &str) -> Vec<String> {
    let e = expr.trim();
    let e = ["$response.", "$request.", "$.", "$"]
        .into_iter()
        .find_map(|p| e.strip_prefix(p))
        .unwrap_or(e);
    e.split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The request parameter an extension names (`$request.cursor`, `cursor`).
fn param_of(expr: &str) -> Option<String> {
    let p = path_of(expr);
    // `$request.query.cursor` / `$request.params.cursor`: the last name is the parameter.
    p.last().cloned()
}

fn str_field<'a>(m: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    m.field(k)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// The pagination an extension describes; `Ok(None)`: it says the operation does not page.
fn read_extension(key: &str, ext: &Value) -> Result<Option<Pagination>, String> {
    match key {
        // Azure (AutoRest): `nextLinkName` (null: one page), `itemName` (default `value`).
        "x-ms-pageable" => {
            let Value::Object(m) = ext else {
                return Err("expected a mapping".into());
            };
            let Some(next) = str_field(m, "nextLinkName") else {
                return Ok(None);
            };
            let mut p = Pagination::new(PageStyle::NextUrl, key);
            p.source = vec![next.to_owned()];
            p.items = vec![str_field(m, "itemName").unwrap_or("value").to_owned()];
            Ok(Some(p))
        }
        // Speakeasy: `type` cursor | offsetLimit | url, `inputs` [{name, in, type}],
        // `outputs` {results, nextCursor, nextUrl} as JSON paths.
        "x-speakeasy-pagination" => {
            let Value::Object(m) = ext else {
                return Err("expected a mapping".into());
            };
            let outputs = m.get("outputs").and_then(Value::as_object);
            let output = |k: &str| outputs.and_then(|o| str_field(o, k)).map(path_of);
            let input = |t: &str| {
                m.get("inputs")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_object)
                    .find(|i| str_field(i, "type") == Some(t))
                    .and_then(|i| str_field(i, "name"))
                    .map(str::to_owned)
            };
            let mut p = match str_field(m, "type") {
                Some("cursor") => {
                    let mut p = Pagination::new(PageStyle::Cursor, key);
                    p.param = input("cursor").ok_or("no input of type `cursor`")?;
                    p.source = output("nextCursor").ok_or("no `outputs.nextCursor`")?;
                    p
                }
                Some("url") => {
                    let mut p = Pagination::new(PageStyle::NextUrl, key);
                    p.source = output("nextUrl").ok_or("no `outputs.nextUrl`")?;
                    p
                }
                Some("offsetLimit") => match (input("offset"), input("page")) {
                    (Some(o), _) => {
                        let mut p = Pagination::new(PageStyle::Offset, key);
                        p.param = o;
                        p
                    }
                    (None, Some(pg)) => {
                        let mut p = Pagination::new(PageStyle::PageNumber, key);
                        p.param = pg;
                        p
                    }
                    _ => return Err("no input of type `offset` or `page`".into()),
                },
                Some(other) => return Err(format!("unknown `type: {other}`")),
                None => return Err("no `type`".into()),
            };
            p.items = output("results").unwrap_or_default();
            p.limit = input("limit");
            Ok(Some(p))
        }
        // Fern: `cursor: $request.x`, `next_cursor: $response.y`, `results: $response.z`; or
        // `offset: $request.page` (pages by one) with `step: $request.limit` (by the size).
        "x-fern-pagination" => {
            let Value::Object(m) = ext else {
                return Err("expected a mapping".into());
            };
            let results = str_field(m, "results").map(path_of).ok_or("no `results`")?;
            let mut p = if let Some(c) = str_field(m, "cursor") {
                let mut p = Pagination::new(PageStyle::Cursor, key);
                p.param = param_of(c).ok_or("`cursor` names no parameter")?;
                p.source = str_field(m, "next_cursor")
                    .map(path_of)
                    .ok_or("no `next_cursor`")?;
                p
            } else if let Some(o) = str_field(m, "offset") {
                let step = str_field(m, "step").and_then(param_of);
                let style = if step.is_some() {
                    PageStyle::Offset
                } else {
                    PageStyle::PageNumber
                };
                let mut p = Pagination::new(style, key);
                p.param = param_of(o).ok_or("`offset` names no parameter")?;
                p.limit = step;
                p
            } else {
                return Err("neither `cursor` nor `offset`".into());
            };
            p.items = results;
            if let Some(h) = str_field(m, "has_next_page") {
                p.has_more = Some(path_of(h));
            }
            Ok(Some(p))
        }
        // Dropshot (Oxide): `page_token` in, `items` and `next_page` out, `limit` the size.
        "x-dropshot-pagination" => {
            if matches!(ext, Value::Bool(false) | Value::Null) {
                return Ok(None);
            }
            let mut p = Pagination::new(PageStyle::Cursor, key);
            p.param = "page_token".into();
            p.source = vec!["next_page".into()];
            p.items = vec!["items".into()];
            p.limit = Some("limit".into());
            Ok(Some(p))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn extensions_are_read() {
        let p = read_extension(
            "x-ms-pageable",
            &json!({"nextLinkName": "nextLink", "itemName": "items"}),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            (p.style, p.source, p.items),
            (
                PageStyle::NextUrl,
                vec!["nextLink".into()],
                vec!["items".into()]
            )
        );
        assert_eq!(
            read_extension("x-ms-pageable", &json!({"nextLinkName": null})).unwrap(),
            None
        );
        let p = read_extension(
            "x-speakeasy-pagination",
            &json!({"type": "cursor",
                "inputs": [{"name": "after", "in": "parameters", "type": "cursor"},
                           {"name": "size", "in": "parameters", "type": "limit"}],
                "outputs": {"nextCursor": "$.meta.next", "results": "$.data"}}),
        )
        .unwrap()
        .unwrap();
        assert_eq!(p.param, "after");
        assert_eq!(p.source, ["meta", "next"]);
        assert_eq!(p.items, ["data"]);
        assert_eq!(p.limit.as_deref(), Some("size"));
        let p = read_extension(
            "x-fern-pagination",
            &json!({"offset": "$request.page", "results": "$response.data"}),
        )
        .unwrap()
        .unwrap();
        assert_eq!((p.style, p.param.as_str()), (PageStyle::PageNumber, "page"));
        let p = read_extension("x-dropshot-pagination", &json!({"required": []}))
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.style, p.param.as_str()),
            (PageStyle::Cursor, "page_token")
        );
        assert!(read_extension("x-speakeasy-pagination", &json!({"type": "weird"})).is_err());
        assert!(read_extension("x-fern-pagination", &json!([1])).is_err());
    }
}
