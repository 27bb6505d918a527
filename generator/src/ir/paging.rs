//! How an operation's responses page, and what a streaming response carries: kept beside the
//! operations (`Api::paging`, `Api::events`) so that front ends which know nothing of them need
//! no change.

/// How the next page is asked for (mirrors the runtime's `PageStyle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum PageStyle {
    /// A cursor in the body, sent back as the query parameter `param`.
    Cursor,
    /// The last item's id (at `source` within an item) sent back as `param` while `has_more`.
    LastItemId,
    /// A next-page URL in the body at `source`.
    NextUrl,
    /// The `Link: <…>; rel="next"` header.
    LinkHeader,
    /// An offset query parameter advanced by the items received.
    Offset,
    /// A page-number query parameter advanced by one.
    PageNumber,
}

/// An operation's pagination. Locations in the body are lists of property names (empty: the
/// body itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pagination {
    pub(crate) style: PageStyle,
    /// Where the items array is.
    pub(crate) items: Vec<String>,
    /// The query parameter carrying the cursor, id, offset or page (empty for URL styles).
    pub(crate) param: String,
    /// Where the next cursor or URL is, or the id within an item.
    pub(crate) source: Vec<String>,
    /// A "there is more" boolean, if any.
    pub(crate) has_more: Option<Vec<String>>,
    /// The page-size query parameter, if any.
    pub(crate) limit: Option<String>,
    /// What decided it (`x-ms-pageable`, "shape", "--paginate"), for docs and diagnostics.
    pub(crate) detected_by: String,
}

impl Pagination {
    /// A pagination of `style` with nothing else set.
    pub(crate) fn new(style: PageStyle, detected_by: impl Into<String>) -> Self {
        Pagination {
            style,
            items: Vec::new(),
            param: String::new(),
            source: Vec::new(),
            has_more: None,
            limit: None,
            detected_by: detected_by.into(),
        }
    }
}
