//! Documentation text from the API document, made safe for rustdoc.
//!
//! Docs are emitted as `#[doc = "…"]` string literals (one per line), so nothing in the text can
//! end the comment. The text is also adjusted so that `cargo doc` and `cargo clippy` stay quiet on
//! arbitrary CommonMark: fenced code blocks get the `text` info string (never run as doctests),
//! stray `[`, `]` and `<` are escaped (no broken intra-doc links or unclosed HTML tags), bare URLs
//! become autolinks, and lazy list continuation lines are indented.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::thread::LocalKey;

use super::toks::Toks;
use pulldown_cmark::{Alignment, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeStream};

/// A description that says something: `text` trimmed, `None` when empty or absent.
fn given(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// `#[doc]` attributes for `text`, or for `fallback` when `text` is empty or absent (shared:
/// cloning them is a count).
pub(crate) fn doc_toks(text: Option<&str>, fallback: &str) -> Rc<Toks> {
    text_toks(given(text).unwrap_or(fallback))
}

/// `#[doc]` attributes for `text`, none when there is no text: a doc that would only repeat
/// the item's name ("The `id` field.") is left out.
pub(crate) fn doc_toks_if(text: Option<&str>) -> Option<Rc<Toks>> {
    given(text).map(text_toks)
}

/// The `#[doc]` attributes of `sanitize(text)`, memoised per thread ([`Memo`]): the same
/// descriptions come back thousands of times (Stripe's 51,000 doc lines hold 14,000 distinct
/// ones), where building them again parses, escapes and writes every line's literal.
fn text_toks(text: &str) -> Rc<Toks> {
    thread_local! {
        static MEMO: RefCell<Memo<Rc<Toks>>> = RefCell::default();
    }
    memoised(&MEMO, text, || {
        let lines = sanitize_uncached(text);
        let size = lines.iter().map(|l| l.len() + 48).sum::<usize>();
        let mut out = Toks::new();
        for line in &lines {
            out.doc(line);
        }
        (Rc::new(out), size)
    })
}

/// A per-thread memo of what was computed from a text ([`text_toks`], and the
/// casings of `naming`): at most [`MEMO_BYTES`] of estimated size, emptied when full.
#[derive(Default)]
pub(super) struct Memo<V> {
    map: HashMap<String, V>,
    bytes: usize,
}

/// `compute()`'s value for `text`, from `memo` when it is there. `compute` returns the value
/// and an estimate of its size in bytes (the text's own size is added).
pub(super) fn memoised<V: Clone + 'static>(
    memo: &'static LocalKey<RefCell<Memo<V>>>,
    text: &str,
    compute: impl FnOnce() -> (V, usize),
) -> V {
    if let Some(v) = memo.with(|m| m.borrow().map.get(text).cloned()) {
        return v;
    }
    let (v, size) = compute();
    let size = size + text.len() + 64;
    memo.with(|m| {
        let mut m = m.borrow_mut();
        if m.bytes + size > MEMO_BYTES {
            m.map.clear();
            m.bytes = 0;
        }
        if size <= MEMO_BYTES {
            m.bytes += size;
            m.map.insert(text.to_owned(), v.clone());
        }
    });
    v
}

/// A generated example call, as a ```` ```text ```` block.
pub(crate) fn example_lines(code: &[String]) -> Vec<String> {
    let mut out = vec![
        String::new(),
        "# Example".to_string(),
        String::new(),
        "```text".to_string(),
    ];
    out.extend(code.iter().cloned());
    out.push("```".into());
    out
}

/// One-line, plain form of a text (for `Display` messages and Cargo descriptions).
pub(crate) fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control() && !is_hidden(*c))
        .collect()
}

/// Whether `c` is a bidirectional, zero-width or other invisible format character: rustc refuses
/// some of them in comments and literals (`text_direction_codepoint_in_comment`), and all of them
/// can make a reader see something other than what the text says.
pub(crate) fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Hidden characters shown as `\u{…}` escapes; other control characters (C0 and C1, except line
/// breaks and tabs) dropped; line breaks normalised to `\n`.
fn clean_source(text: &str) -> std::borrow::Cow<'_, str> {
    // Most texts have nothing to clean: ASCII with no control character but line breaks and
    // tabs (every hidden character is outside ASCII).
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t')
    {
        return std::borrow::Cow::Borrowed(text);
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        } else if c == '\n' || c == '\t' || !c.is_control() {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The Markdown extensions rustdoc enables (`main_body_opts` in rustdoc's `html/markdown.rs`).
/// Footnotes and smart punctuation are left out when reading a description: a footnote
/// reference becomes plain text, and quotes stay as written.
#[cfg(test)]
fn rustdoc_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

fn input_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS
}

/// Splits `text` into rustdoc-safe lines.
///
/// The text is parsed as CommonMark with pulldown-cmark (the parser rustdoc uses, so a code block
/// here is a code block there) and written back out: every code block as a ```` ```text ````
/// fence (never a doctest), raw HTML as escaped text, links and images to anything but `http`,
/// `https` and `mailto` URLs as their plain text (images become links), `[`, `]`, `<`, `>` and
/// other markup characters in text escaped, bare URLs as autolinks, and list items and block
/// quotes with their continuation lines aligned (no lazy continuation).
///
/// Not memoised: its one caller writes a client method's docs, a text per operation (GitHub:
/// 1,540 texts, none seen twice; Stripe: 906 of 936), where a memo only hashed, copied and
/// cloned them. The descriptions that repeat (Stripe's 51,000 doc lines hold 14,000 distinct
/// ones) go through [`text_toks`], memoised per thread.
pub(crate) fn sanitize(text: &str) -> Vec<String> {
    sanitize_uncached(text)
}

/// Most bytes each memo ([`Memo`]) holds per thread.
const MEMO_BYTES: usize = 32 << 20;

fn sanitize_uncached(text: &str) -> Vec<String> {
    match plain_lines(text) {
        Some(lines) => lines,
        None => sanitize_markdown(text),
    }
}

/// [`sanitize_uncached`]'s full path: the text read as CommonMark and written back.
fn sanitize_markdown(text: &str) -> Vec<String> {
    let source = clean_source(text);
    let mut w = Writer::default();
    for event in TextMergeStream::new(Parser::new_ext(&source, input_options())) {
        w.event(event);
    }
    w.finish()
}

/// [`sanitize_markdown`] of a text that it would give back unchanged, without reading it as
/// Markdown (two thirds of GitHub's descriptions, most of them short: pulldown-cmark's set-up
/// alone was a fifth of the cost): `None` unless every line is paragraph text that reads back
/// as itself. Such a text has no character that starts a block at a line's start (only a
/// letter, a non-ASCII character, `(`, `"`, `'`, `` ` ``, `[` or a `*` that starts no list item
/// or thematic break may start a line; no leading or
/// trailing space: no indented code, no hard break), nothing `escape_text` escapes or turns
/// into an autolink (`\`, `<`, `>`, `|`, `&`, `]` outside a link, `://`), no strikethrough
/// (`~`) and no `_` but inside a word (`_a_` would come back as `*a*`; a `*` comes back as it
/// was, emphasis or not), no control, hidden or non-ASCII space character (`clean_source` would
/// change them), and only these inline forms: code spans of one backtick on one line
/// whose text neither starts nor ends with a space (written back as they are by `code_span`),
/// and links `[text](http…)` whose text is plain (no `[`, `]`, `` ` ``) and whose URL
/// `encode_url` leaves as it is (no `&`: an entity would be decoded), not after a `!`. The
/// lines come back as they are, one empty line between paragraphs (however many there were),
/// none before the first or after the last. The unit tests compare both paths on every string
/// of corpus documents and on generated and hostile texts.
fn plain_lines(text: &str) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    let mut blank = false;
    for line in text.split('\n') {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !plain_line(line) {
            return None;
        }
        if blank {
            out.push(String::new());
            blank = false;
        }
        out.push(line.to_owned());
    }
    Some(out)
}

/// Plain text characters of [`plain_lines`] (ASCII): letters, digits, the space and punctuation
/// that Markdown and `escape_text` leave alone in the middle of a line.
fn plain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b" .,;:!?'\"()/-+=%@$^{}#*".contains(&b) || b >= 0x80
}

/// One non-empty line of [`plain_lines`].
fn plain_line(line: &str) -> bool {
    let b = line.as_bytes();
    let starts = match b[0] {
        b'a'..=b'z' | b'A'..=b'Z' | b'(' | b'"' | b'\'' | b'`' | b'[' => true,
        // Not a list item (`* `) nor a thematic break (`***`, `* * *`): `**Note:**`.
        b'*' => b.get(1).is_some_and(|&c| c != b' ') && b.iter().any(|&c| c != b'*' && c != b' '),
        c => c >= 0x80,
    };
    if !starts || b[b.len() - 1] == b' ' {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'`' => {
                // A code span: one backtick, text, one backtick (not two: a run of two would
                // be neither an opener nor a closer of a one-backtick span).
                let Some(len) = b[i + 1..].iter().position(|&c| c == b'`') else {
                    return false;
                };
                let end = i + 1 + len;
                if len == 0
                    || b[i + 1] == b' '
                    || b[end - 1] == b' '
                    || b.get(end + 1) == Some(&b'`')
                    || !b[i + 1..end]
                        .iter()
                        .all(|&c| (0x20..0x7f).contains(&c) || c >= 0x80)
                {
                    return false;
                }
                i = end + 1;
            }
            b'[' => {
                if i > 0 && b[i - 1] == b'!' {
                    return false;
                }
                let len = b[i + 1..].iter().take_while(|&&c| plain_byte(c)).count();
                let close = i + 1 + len;
                if len == 0 || !b[close..].starts_with(b"](") {
                    return false;
                }
                let url = &b[close + 2..];
                let url_len = url.iter().take_while(|&&c| url_byte(c)).count();
                let scheme = if url.starts_with(b"https://") {
                    8
                } else if url.starts_with(b"http://") {
                    7
                } else {
                    return false;
                };
                if url_len <= scheme || url.get(url_len) != Some(&b')') {
                    return false;
                }
                i = close + 2 + url_len + 1;
            }
            b':' if b[i + 1..].starts_with(b"//") => return false,
            // `_` inside a word (`per_page`) is neither an opener nor a closer.
            b'_' if i > 0
                && b[i - 1].is_ascii_alphanumeric()
                && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) =>
            {
                i += 1;
            }
            c if plain_byte(c) => i += 1,
            _ => return false,
        }
    }
    line.is_ascii()
        || line
            .chars()
            .all(|c| c.is_ascii() || !(c.is_whitespace() || c.is_control() || is_hidden(c)))
}

/// A URL character of a plain link ([`plain_lines`]): one `encode_url` keeps, but not `&`
/// (entities), `[`, `]` (link text), `(`, `)` (the destination's end) or `\\`.
fn url_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?#@!$'*+,;=%".contains(&b)
}

/// Containers deeper than this are written without their markers (the text is kept); it bounds
/// the output to a constant times the input.
const MAX_DEPTH: usize = 12;

/// A container whose prefix starts each of its lines.
#[derive(Debug)]
enum Frame {
    /// `> `.
    Quote,
    /// A list item: the marker (`- `, `12. `) on its first line, as many spaces on the others.
    Item {
        width: usize,
        marker: Option<String>,
        /// Whether the item holds paragraphs (a loose list: blank lines between items).
        loose: bool,
    },
}

/// One open link or image.
#[derive(Debug)]
struct OpenLink {
    /// The URL to write after the text, when the link is kept.
    url: Option<String>,
    /// An autolink (`<https://…>`) that is kept: its text is the URL, already written.
    autolink: bool,
}

#[derive(Debug, Default)]
struct Writer {
    /// Finished lines.
    out: Vec<String>,
    /// The line being written (its prefix included), if any.
    line: Option<String>,
    /// Whether the line has content after its prefix.
    line_content: bool,
    /// The length of the line's prefix.
    prefix_len: usize,
    /// The line holds inline text: what would start a block at its start is escaped when it ends.
    guard: bool,
    /// A blank line is due before the next line.
    need_blank: bool,
    frames: Vec<Frame>,
    /// Containers open beyond [`MAX_DEPTH`] (no prefix; they nest inside the last frame).
    flat: usize,
    /// Per open list, the next number of an ordered list.
    lists: Vec<Option<u64>>,
    /// The text of the code block being read.
    code: Option<String>,
    links: Vec<OpenLink>,
    /// Inside a heading (`#` escaped, breaks as spaces).
    heading: bool,
    /// Inside a table: the column alignments (`|` escaped, breaks as spaces).
    table: Option<Vec<Alignment>>,
}

impl Writer {
    fn event(&mut self, event: Event<'_>) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.code_block(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if self.links.last().is_some_and(|l| l.autolink) {
                    return;
                }
                self.text(&t);
            }
            Event::Code(c) => self.code_span(&c),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            Event::Html(t) => self.html_line(&t),
            Event::InlineHtml(t) => self.text(&t),
            Event::FootnoteReference(t) => self.text(&format!("[^{t}]")),
            Event::SoftBreak => self.soft_break(),
            Event::HardBreak => {
                if self.heading || self.table.is_some() {
                    self.write(" ");
                } else {
                    self.write("\\");
                    self.end_line();
                }
            }
            Event::Rule => {
                self.end_line();
                self.write("***");
                self.guard = false;
                self.block_end();
            }
            Event::TaskListMarker(done) => self.write(if done { "\\[x\\] " } else { "\\[ \\] " }),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.end_line();
                if self.flat == 0 {
                    if let Some(Frame::Item { loose, .. }) = self.frames.last_mut() {
                        *loose = true;
                    }
                }
            }
            Tag::Heading { level, .. } => {
                self.end_line();
                self.write(&"#".repeat(level as usize));
                self.write(" ");
                self.line_content = false;
                self.guard = false;
                self.heading = true;
            }
            Tag::BlockQuote(_) => {
                self.end_line();
                self.push_frame(Frame::Quote);
            }
            Tag::CodeBlock(_) => {
                self.end_line();
                self.code = Some(String::new());
            }
            Tag::HtmlBlock => self.end_line(),
            Tag::List(start) => {
                self.end_line();
                self.lists.push(start.map(|n| n.min(999_999_999)));
            }
            Tag::Item => {
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n = (*n + 1).min(999_999_999);
                        m
                    }
                    _ => "- ".to_string(),
                };
                self.end_line();
                self.push_frame(Frame::Item {
                    width: marker.len(),
                    marker: Some(marker),
                    loose: false,
                });
            }
            Tag::Table(alignments) => {
                self.end_line();
                self.table = Some(alignments);
            }
            Tag::TableHead | Tag::TableRow => {
                self.end_line();
                self.write("|");
                self.guard = false;
            }
            Tag::TableCell => self.write(" "),
            Tag::Emphasis => self.write("*"),
            Tag::Strong => self.write("**"),
            Tag::Strikethrough => self.write("~~"),
            Tag::Link {
                link_type,
                dest_url,
                ..
            }
            | Tag::Image {
                link_type,
                dest_url,
                ..
            } => {
                let keep = self.links.iter().all(|l| l.url.is_none()) && allowed_url(&dest_url);
                let url = keep.then(|| encode_url(&dest_url));
                let autolink = keep && matches!(link_type, LinkType::Autolink | LinkType::Email);
                if autolink {
                    self.write("<");
                    self.write(url.as_deref().unwrap_or(""));
                    self.write(">");
                } else if keep {
                    self.escape_trailing_bang();
                    self.write("[");
                }
                self.links.push(OpenLink { url, autolink });
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => self.end_line(),
            Tag::Superscript | Tag::Subscript => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => self.block_end(),
            TagEnd::Heading(_) => {
                self.heading = false;
                self.block_end();
            }
            TagEnd::HtmlBlock => self.block_end(),
            TagEnd::BlockQuote(_) => {
                self.end_line();
                if self.flat > 0 {
                    self.flat -= 1;
                } else {
                    self.frames.pop();
                }
                self.need_blank = true;
            }
            TagEnd::CodeBlock => self.code_block(),
            TagEnd::List(_) => {
                self.end_line();
                self.lists.pop();
                self.need_blank = true;
            }
            TagEnd::Item if self.flat > 0 => {
                self.end_line();
                self.flat -= 1;
                self.need_blank = true;
            }
            TagEnd::Item => {
                self.end_line();
                let frame = self.frames.last();
                if let Some(Frame::Item {
                    marker: Some(_), ..
                }) = frame
                {
                    // An empty item: its marker alone.
                    self.write("");
                    self.end_line();
                }
                let loose = match self.frames.pop() {
                    Some(Frame::Item { loose, .. }) => loose,
                    _ => true,
                };
                self.need_blank = loose;
            }
            TagEnd::Table => {
                self.table = None;
                self.block_end();
            }
            TagEnd::TableHead => {
                self.end_line();
                let aligns = self.table.clone().unwrap_or_default();
                let mut row = String::from("|");
                for a in aligns {
                    row.push_str(match a {
                        Alignment::None => " --- |",
                        Alignment::Left => " :-- |",
                        Alignment::Center => " :-: |",
                        Alignment::Right => " --: |",
                    });
                }
                self.write(&row);
                self.guard = false;
                self.end_line();
            }
            TagEnd::TableRow => self.end_line(),
            TagEnd::TableCell => self.write(" |"),
            TagEnd::Emphasis => self.write("*"),
            TagEnd::Strong => self.write("**"),
            TagEnd::Strikethrough => self.write("~~"),
            TagEnd::Link | TagEnd::Image => {
                if let Some(link) = self.links.pop() {
                    if let (Some(url), false) = (link.url, link.autolink) {
                        self.write("](");
                        self.write(&url);
                        self.write(")");
                    }
                }
            }
            TagEnd::Superscript | TagEnd::Subscript => {}
        }
    }

    /// A `!` just before a link's `[` would make it an image: escape it.
    fn escape_trailing_bang(&mut self) {
        if let Some(line) = &mut self.line {
            if let Some(before) = line.strip_suffix('!') {
                let slashes = before.chars().rev().take_while(|c| *c == '\\').count();
                if slashes % 2 == 0 {
                    line.insert(line.len() - 1, '\\');
                }
            }
        }
    }

    fn push_frame(&mut self, frame: Frame) {
        if self.need_blank {
            self.blank();
        }
        if self.frames.len() >= MAX_DEPTH {
            // Too deep: the content is kept as paragraphs of the enclosing container.
            self.need_blank = true;
            self.flat += 1;
        } else {
            self.need_blank = false;
            self.frames.push(frame);
        }
    }

    /// The prefix of a new line; list markers are used up unless `blank`.
    fn prefix(&mut self, blank: bool) -> String {
        let mut p = String::new();
        for f in &mut self.frames {
            match f {
                Frame::Quote => p.push_str("> "),
                Frame::Item { width, marker, .. } => match marker {
                    Some(m) if !blank => {
                        p.push_str(m);
                        *marker = None;
                    }
                    _ => p.push_str(&" ".repeat(*width)),
                },
            }
        }
        p
    }

    fn blank(&mut self) {
        let p = self.prefix(true);
        self.out.push(p.trim_end_matches(' ').to_string());
        self.need_blank = false;
    }

    /// Appends `s` to the current line, starting one (blank line and prefix first) if needed.
    fn write(&mut self, s: &str) {
        if self.line.is_none() {
            if self.need_blank {
                self.blank();
            }
            let prefix = self.prefix(false);
            self.prefix_len = prefix.len();
            self.line = Some(prefix);
            self.line_content = false;
            self.guard = true;
        }
        if let Some(line) = &mut self.line {
            line.push_str(s);
        }
        if !s.is_empty() {
            self.line_content = true;
        }
    }

    fn end_line(&mut self) {
        if let Some(mut line) = self.line.take() {
            if self.guard {
                guard_line_start(&mut line, self.prefix_len);
            }
            // ASCII spaces only (as prettyplease does): a trailing non-ASCII space is text.
            self.out.push(line.trim_end_matches(' ').to_string());
        }
    }

    fn block_end(&mut self) {
        self.end_line();
        self.need_blank = true;
    }

    fn soft_break(&mut self) {
        if self.heading || self.table.is_some() {
            self.write(" ");
        } else {
            self.end_line();
        }
    }

    /// Text, escaped; bare URLs become autolinks (outside link text); a line break inside (raw
    /// HTML) is a soft break.
    fn text(&mut self, t: &str) {
        for (i, piece) in t.split('\n').enumerate() {
            if i > 0 {
                self.soft_break();
            }
            self.text_piece(piece);
        }
    }

    fn text_piece(&mut self, t: &str) {
        let t = if t.contains('\t') {
            std::borrow::Cow::Owned(t.replace('\t', " "))
        } else {
            std::borrow::Cow::Borrowed(t)
        };
        let mut rest = &*t;
        if self.line.is_none() || !self.line_content {
            rest = rest.trim_start_matches(' ');
        }
        if rest.is_empty() {
            return;
        }
        let ctx = Escape {
            heading: self.heading,
            autolink: self.links.is_empty(),
        };
        let escaped = escape_text(rest, ctx);
        self.write(&escaped);
    }

    /// One line of an HTML block, as escaped text; a blank line ends the paragraph.
    fn html_line(&mut self, t: &str) {
        let line = t.strip_suffix('\n').unwrap_or(t);
        self.end_line();
        if line.trim().is_empty() {
            self.need_blank = true;
        } else {
            self.text(line);
        }
    }

    fn code_span(&mut self, c: &str) {
        if c.is_empty() {
            return;
        }
        if self.table.is_some() {
            self.write(&code_span(&c.replace('|', "\\|")));
        } else {
            self.write(&code_span(c));
        }
    }

    /// Writes the collected code block as a `text` fence.
    fn code_block(&mut self) {
        let code = self.code.take().unwrap_or_default().replace('\t', "    ");
        let fence = "`".repeat(longest_run(&code, '`').max(2) + 1);
        self.end_line();
        self.write(&format!("{fence}text"));
        self.guard = false;
        self.end_line();
        let body = code.strip_suffix('\n').unwrap_or(&code);
        if !code.is_empty() {
            for line in body.split('\n') {
                if line.trim().is_empty() {
                    self.blank();
                } else {
                    self.write(line);
                    self.guard = false;
                    self.end_line();
                }
            }
        }
        self.write(&fence);
        self.guard = false;
        self.block_end();
    }

    fn finish(mut self) -> Vec<String> {
        self.end_line();
        while self.out.last().is_some_and(String::is_empty) {
            self.out.pop();
        }
        while self.out.first().is_some_and(String::is_empty) {
            self.out.remove(0);
        }
        self.out
    }
}

/// Escapes what would start a block (list item, thematic break, setext underline, heading,
/// tilde fence) at the start of a line of inline text, whether it comes from the text or from
/// markup written around it (`~~` of a strikethrough before a `~`). A backtick fence cannot
/// start there: a code span closes on its line, and a fence's info string has no backtick.
fn guard_line_start(line: &mut String, at: usize) {
    let Some(content) = line.get(at..) else {
        return;
    };
    let mut chars = content.chars();
    let Some(first) = chars.next() else {
        return;
    };
    let rest = chars.as_str();
    let next_space = rest.chars().next().is_none_or(char::is_whitespace);
    let only = |c: char| content.chars().all(|x| x == c || x.is_whitespace());
    let hazard = match first {
        '~' => rest.starts_with("~~"),
        '-' | '*' => next_space || only(first),
        '+' => next_space,
        '_' | '=' => only(first),
        '#' => {
            let run = content.chars().take_while(|c| *c == '#').count();
            run <= 6
                && content[run..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        }
        _ => false,
    };
    if hazard {
        line.insert(at, '\\');
        return;
    }
    let digits = content.chars().take_while(char::is_ascii_digit).count();
    if digits > 0
        && content[digits..].starts_with(['.', ')'])
        && content[digits + 1..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace)
    {
        line.insert(at + digits, '\\');
    }
}

/// The longest run of `c` in `s`.
/// `c` as a Markdown code span: tabs and line breaks as spaces, fenced with one backtick more
/// than its longest run of backticks, padded with a space when it is empty or starts or ends with
/// a backtick or a space (so that the fence and the text stay apart).
pub(crate) fn code_span(c: &str) -> String {
    let c = if c.contains(['\t', '\n']) {
        std::borrow::Cow::Owned(c.replace(['\t', '\n'], " "))
    } else {
        std::borrow::Cow::Borrowed(c)
    };
    let ticks = longest_run(&c, '`') + 1;
    let pad = if c.is_empty() || c.starts_with(['`', ' ']) || c.ends_with(['`', ' ']) {
        " "
    } else {
        ""
    };
    let mut out = String::with_capacity(c.len() + 2 * (ticks + pad.len()));
    out.extend(std::iter::repeat_n('`', ticks));
    out.push_str(pad);
    out.push_str(&c);
    out.push_str(pad);
    out.extend(std::iter::repeat_n('`', ticks));
    out
}

/// The longest run of the ASCII character `c` in `s` (compared byte by byte).
fn longest_run(s: &str, c: char) -> usize {
    let c = u8::try_from(c).expect("an ASCII character");
    let (mut best, mut cur) = (0, 0);
    for x in s.bytes() {
        if x == c {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Links are kept only to the web and to mail; anything else (`javascript:`, `data:`,
/// `vbscript:`, `file:`, relative paths that rustdoc would read as intra-doc links) is dropped,
/// keeping the link's text.
fn allowed_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s) && lower.len() > s.len())
}

/// A URL safe in `(…)` and `<…>`: whitespace, parentheses, angle brackets, backslashes, backticks
/// and non-ASCII characters percent-encoded.
fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        if c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'*+,;=%".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy)]
struct Escape {
    heading: bool,
    /// Bare URLs become autolinks (not inside link text).
    autolink: bool,
}

/// Escapes text so that it reads back as the same text: no HTML, no link brackets, no code span
/// or block markers. Every character escaped is ASCII, so the text is scanned by byte and
/// copied in runs.
fn escape_text(t: &str, ctx: Escape) -> String {
    let bytes = t.as_bytes();
    let mut out = String::with_capacity(t.len() + 8);
    // The start of the text not yet copied to `out`.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if ctx.autolink && b == b'h' {
            if let Some(url) = url_at(&t[i..]) {
                out.push_str(&t[run..i]);
                out.push('<');
                out.push_str(&encode_url(url));
                out.push('>');
                i += url.len();
                run = i;
                continue;
            }
        }
        let escape = match b {
            b'\\' | b'`' | b'[' | b']' | b'<' | b'>' => true,
            b'#' => ctx.heading,
            // Always: a `|` could make a paragraph into a table, whose cells split code spans.
            b'|' => true,
            b'&' => is_entity(&t[i + 1..]),
            _ => false,
        };
        if escape {
            out.push_str(&t[run..i]);
            out.push('\\');
            out.push(char::from(b));
            run = i + 1;
        }
        i += 1;
    }
    out.push_str(&t[run..]);
    out
}

/// `&` followed by this would read as an HTML entity or character reference (`amp;`, `#60;`).
fn is_entity(rest: &str) -> bool {
    let name = rest
        .bytes()
        .take(33)
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'#')
        .count();
    name > 0 && rest.as_bytes().get(name) == Some(&b';')
}

/// The bare `http://…` or `https://…` URL that starts `text`, without trailing punctuation.
fn url_at(text: &str) -> Option<&str> {
    if !text.starts_with("http://") && !text.starts_with("https://") {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    let url = text[..end]
        .trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '\'', '*', '_', '~', '\\']);
    allowed_url(url).then_some(url)
}

/// Random hostile Markdown and the check of what rustdoc would make of it, shared by the property
/// tests here and in `emit`.
#[cfg(test)]
pub(crate) mod gen {
    use super::*;

    /// A small deterministic generator (xorshift), so the property test needs no dependency and
    /// every failure is reproducible from its case number.
    pub(crate) struct Rng(pub(crate) u64);

    impl Rng {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        pub(crate) fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    pub(crate) const FRAGMENTS: &[&str] = &[
        "```",
        "```rust",
        "``` ignore",
        "~~~",
        "````",
        "~~~~ rust",
        "    ",
        "     ",
        "\t",
        "  ",
        "   ",
        " ",
        "- ",
        "* ",
        "+ ",
        "1. ",
        "2) ",
        "12345678. ",
        "> ",
        ">",
        ">>",
        "# ",
        "## ",
        "###### ",
        "---",
        "***",
        "___",
        "===",
        "- - -",
        "<div>",
        "</div>",
        "<pre>",
        "</pre>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<b>",
        "<a href=\"javascript:x\">",
        "<?php",
        "?>",
        "<![CDATA[",
        "]]>",
        "<!X",
        "[a](javascript:alert(1))",
        "[a](  JAVASCRIPT:x )",
        "<javascript:alert(1)>",
        "![i](data:x)",
        "![i](https://e.com/x.png)",
        "[r][ref]",
        "[ref]",
        "[ref]: vbscript:x",
        "[ref]: https://e.com",
        "[^1]",
        "[^1]: note",
        "https://example.com/x_y",
        "http://",
        "<https://e.com>",
        "<a@b.co>",
        "`",
        "``",
        "\\",
        "\\\n",
        "fn main() { std::fs::write(\"/tmp/pwned\", \"\").unwrap() }",
        "assert!(false);",
        "\n",
        "\n",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "\u{3000}",
        "\u{a0}",
        "\u{2003}",
        "\u{202E}",
        "\u{2066}",
        "\u{200B}",
        "\u{feff}",
        "\u{85}",
        "\u{1}",
        "\u{0}",
        "\u{1b}[31m",
        "|",
        "| a | b |\n|---|:-:|\n| c | d |",
        "|---|",
        "&amp;",
        "&#60;",
        "&lt;script&gt;",
        "*",
        "**",
        "_",
        "~~",
        "[",
        "]",
        "(",
        ")",
        "!",
        "text",
        "word ",
        "ü",
        "日本語",
        "- [ ] ",
        "- [x] ",
        "<pre>\n\n    indented\n</pre>",
        "1.",
        "0)",
        "#",
        "- \n",
        "*\t",
        "\t- ",
    ];

    pub(crate) fn random_doc(rng: &mut Rng) -> String {
        let n = 1 + rng.below(40);
        (0..n)
            .map(|_| FRAGMENTS[rng.below(FRAGMENTS.len())])
            .collect()
    }

    /// What rustdoc reads from the `#[doc]` lines: the lines joined, common indentation removed.
    fn as_rustdoc_reads(lines: &[String]) -> String {
        let with_space: Vec<String> = lines
            .iter()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!(" {l}")
                }
            })
            .collect();
        let indent = with_space
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .min()
            .unwrap_or(0);
        with_space
            .iter()
            .map(|l| l.get(indent..).unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The problems rustdoc would have with `lines`.
    pub(crate) fn hazards(lines: &[String]) -> Vec<String> {
        let mut found = Vec::new();
        for l in lines {
            if l.contains(|c: char| c.is_control() || is_hidden(c)) {
                found.push(format!("control or hidden character in {l:?}"));
            }
        }
        let doc = as_rustdoc_reads(lines);
        for event in Parser::new_ext(&doc, rustdoc_options()) {
            match event {
                Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info)))
                    if &*info == "text" => {}
                Event::Start(Tag::CodeBlock(kind)) => found.push(format!("code block {kind:?}")),
                Event::Html(h) | Event::InlineHtml(h) => found.push(format!("HTML {h:?}")),
                Event::Start(Tag::Image { dest_url, .. }) => {
                    found.push(format!("image {dest_url}"))
                }
                Event::Start(Tag::Link { dest_url, .. }) if !allowed_url(&dest_url) => {
                    found.push(format!("link {dest_url}"))
                }
                _ => {}
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::gen::*;
    use super::*;

    fn s(text: &str) -> Vec<String> {
        sanitize(text)
    }

    #[test]
    fn fences_become_text() {
        assert_eq!(
            s("Example:\n```json\n{\"a\": [1]}\n```\nafter"),
            [
                "Example:",
                "",
                "```text",
                "{\"a\": [1]}",
                "```",
                "",
                "after"
            ]
        );
        assert_eq!(s("```\nfn main() {}"), ["```text", "fn main() {}", "```"]);
        // A fence holding a ``` line gets a longer fence.
        assert_eq!(
            s("    code\n    ```\n    x\n    ```"),
            ["````text", "code", "```", "x", "```", "````"]
        );
    }

    #[test]
    fn rustdoc_hazards_are_escaped() {
        assert_eq!(s("see [Pet] and <b>"), ["see \\[Pet\\] and \\<b\\>"]);
        assert_eq!(
            s("a [link](http://x.y/z) ok"),
            ["a [link](http://x.y/z) ok"]
        );
        assert_eq!(
            s("go to https://example.com."),
            ["go to <https://example.com>."]
        );
        assert_eq!(
            s("auto <https://example.com>"),
            ["auto <https://example.com>"]
        );
        assert_eq!(s("code `[x] <y>` kept"), ["code `[x] <y>` kept"]);
        assert_eq!(s("- item\ncontinued"), ["- item", "  continued"]);
        assert_eq!(s("bad \r cr */ end"), ["bad", "cr */ end"]);
        assert_eq!(s("# Title #"), ["# Title"]);
        assert_eq!(s("a\\\nb"), ["a\\", "b"]);
        assert_eq!(s("C:\\dir"), ["C:\\\\dir"]);
    }

    #[test]
    fn lazy_continuations_are_indented_to_the_item_text() {
        assert_eq!(
            s("- item\n  two\n one\nzero"),
            ["- item", "  two", "  one", "  zero"]
        );
        assert_eq!(s("10. item\n next"), ["10. item", "    next"]);
        assert_eq!(s("- a\n  - b\n  c"), ["- a", "  - b", "    c"]);
        assert_eq!(s("1. a\n    b"), ["1. a", "   b"]);
        assert_eq!(s("- a\n        b\n\nc"), ["- a", "  b", "", "c"]);
        assert_eq!(s("*   a\n  b"), ["- a", "  b"]);
        assert_eq!(s("> quoted\nlazy"), ["> quoted", "> lazy"]);
    }

    #[test]
    fn indented_code_blocks_become_text_in_every_position() {
        assert_eq!(
            s("Upload:\n\n    $ curl -F x=@a [b]\n\n      more\n\nafter"),
            [
                "Upload:",
                "",
                "```text",
                "$ curl -F x=@a [b]",
                "",
                "  more",
                "```",
                "",
                "after"
            ]
        );
        // Not after a paragraph line (no blank line).
        assert_eq!(s("a\n    b"), ["a", "b"]);
        // Inside a list item, after a fence, a heading, a rule, in a block quote.
        assert_eq!(
            s("- a\n\n      run()"),
            ["- a", "", "  ```text", "  run()", "  ```"]
        );
        assert_eq!(
            s("```\nx\n```\n    run()"),
            ["```text", "x", "```", "", "```text", "run()", "```"]
        );
        assert_eq!(s("# H\n    run()"), ["# H", "", "```text", "run()", "```"]);
        assert_eq!(s("---\n    run()"), ["***", "", "```text", "run()", "```"]);
        assert_eq!(s(">     run()"), ["> ```text", "> run()", "> ```"]);
    }

    #[test]
    fn html_is_text_and_bad_links_are_plain() {
        assert_eq!(
            s("<script>alert(1)</script>\n\nok"),
            ["\\<script\\>alert(1)\\</script\\>", "", "ok"]
        );
        assert_eq!(
            s("a <img src=x onerror=y> b"),
            ["a \\<img src=x onerror=y\\> b"]
        );
        assert_eq!(s("[click](javascript:alert(1))"), ["click"]);
        assert_eq!(s("[x](JavaScript:alert(1)) [y](data:text/html,z)"), ["x y"]);
        assert_eq!(s("<vbscript:msgbox>"), ["vbscript:msgbox"]);
        assert_eq!(
            s("![pic](https://e.com/a.png)"),
            ["[pic](https://e.com/a.png)"]
        );
        assert_eq!(s("![pic](data:image/png;base64,AAA)"), ["pic"]);
        assert_eq!(s("[rel](Pet)"), ["rel"]);
        assert_eq!(s("[r]\n\n[r]: javascript:x"), ["r"]);
        assert_eq!(
            s("[a b](https://e.com/a b)"),
            ["\\[a b\\](<https://e.com/a> b)"]
        );
        assert_eq!(s("[a](<https://e.com/a b>)"), ["[a](https://e.com/a%20b)"]);
    }

    #[test]
    fn hidden_and_control_characters_are_shown_or_dropped() {
        assert_eq!(s("a\u{202E}b\u{2066}c"), ["a\\\\u{202E}b\\\\u{2066}c"]);
        assert_eq!(s("x\u{1}\u{85}y\u{feff}"), ["xy\\\\u{FEFF}"]);
        assert_eq!(first_line("a\u{202E}b"), "ab");
    }

    #[test]
    fn non_ascii_whitespace_does_not_panic() {
        assert_eq!(s("\u{3000}full width"), ["\u{3000}full width"]);
        assert_eq!(s("- \u{3000}a\n\u{3000}b"), ["- \u{3000}a", "  \u{3000}b"]);
        assert_eq!(
            s("\u{a0}\u{a0}\u{a0}\u{a0}x"),
            ["\u{a0}\u{a0}\u{a0}\u{a0}x"]
        );
    }

    #[test]
    fn attrs_are_string_literals() {
        let ts = doc_toks(Some("*/ evil \" quote"), "x")
            .to_stream()
            .to_string();
        assert!(ts.contains(r#"" */ evil \" quote""#), "{ts}");
        assert!(doc_toks(None, "Fallback.")
            .to_stream()
            .to_string()
            .contains("Fallback."));
    }

    // The char-by-char `escape_text` this module had before it scanned bytes: the reference
    // the byte scan is checked against.
    /// Escapes text so that it reads back as the same text: no HTML, no link brackets, no code span
    /// or block markers.
    fn escape_text_by_char(t: &str, ctx: Escape) -> String {
        let chars: Vec<char> = t.chars().collect();
        let mut out = String::with_capacity(t.len() + 8);
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if ctx.autolink && c == 'h' {
                if let Some(url) = url_at_by_char(&chars[i..]) {
                    out.push('<');
                    out.push_str(&encode_url(&url));
                    out.push('>');
                    i += url.chars().count();
                    continue;
                }
            }
            match c {
                '\\' | '`' | '[' | ']' | '<' | '>' => {
                    out.push('\\');
                    out.push(c);
                }
                '#' if ctx.heading => out.push_str("\\#"),
                // Always: a `|` could make a paragraph into a table, whose cells split code spans.
                '|' => out.push_str("\\|"),
                '&' if is_entity_by_char(&chars[i + 1..]) => {
                    out.push_str("\\&");
                }
                _ => out.push(c),
            }
            i += 1;
        }
        out
    }

    /// `&` followed by this would read as an HTML entity or character reference (`amp;`, `#60;`).
    fn is_entity_by_char(rest: &[char]) -> bool {
        let name = rest
            .iter()
            .take(33)
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
            .count();
        name > 0 && rest.get(name) == Some(&';')
    }

    /// The bare `http://…` or `https://…` URL that starts here, without trailing punctuation.
    fn url_at_by_char(chars: &[char]) -> Option<String> {
        // Only then scan on (a long word of `h`s stays linear).
        let head: String = chars.iter().take(8).collect();
        if !head.starts_with("http://") && !head.starts_with("https://") {
            return None;
        }
        let len = chars
            .iter()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`'))
            .count();
        let mut url: String = chars[..len].iter().collect();
        if !url.starts_with("http://") && !url.starts_with("https://") {
            return None;
        }
        while url.ends_with(['.', ',', ';', ':', ')', '!', '?', '\'', '*', '_', '~', '\\']) {
            url.pop();
        }
        allowed_url(&url).then_some(url)
    }

    #[test]
    fn escape_text_scans_bytes_as_it_did_chars() {
        let mut texts: Vec<String> = [
            "",
            "plain text",
            "a [link](x) <b> `code` \\ | &amp; &#60; & ;",
            "# heading #",
            "see https://example.com/a_b. and http://x.org/(y)), https:// http://",
            "héhé https://é.example/ü?q=1; hhttp://a.b h",
            "&abcdefghijklmnopqrstuvwxyz0123456789; &#x; &; &é;",
            "javascript:alert(1) https://example.com/<script>",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        texts.extend((0..2_000).map(|_| random_doc(&mut rng)));
        for t in &texts {
            for (heading, autolink) in [(false, false), (false, true), (true, false), (true, true)]
            {
                let ctx = || Escape { heading, autolink };
                assert_eq!(
                    escape_text(t, ctx()),
                    escape_text_by_char(t, ctx()),
                    "{t:?} heading {heading} autolink {autolink}"
                );
            }
        }
    }

    #[test]
    fn no_code_html_or_bad_link_survives_random_markdown() {
        // SDKWRIGHT_DOCS_CASES=1000000 for a longer run.
        let cases = std::env::var("SDKWRIGHT_DOCS_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(20_000);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..cases {
            let doc = random_doc(&mut rng);
            let lines = sanitize(&doc);
            let found = hazards(&lines);
            assert!(
                found.is_empty(),
                "case {case}: {found:?}\ninput: {doc:?}\noutput: {lines:#?}"
            );
            // The output is stable: sanitizing it again finds nothing new to fix.
            assert!(
                hazards(&sanitize(&lines.join("\n"))).is_empty(),
                "case {case}"
            );
        }
    }

    /// [`plain_lines`] of `text`, checked against the full path; whether it applied.
    fn fast_path_agrees(text: &str) -> bool {
        match plain_lines(text) {
            Some(fast) => {
                assert_eq!(
                    fast,
                    sanitize_markdown(text),
                    "fast path differs on {text:?}"
                );
                true
            }
            None => false,
        }
    }

    /// Texts near the fast path's edge: plain words and punctuation mixed with each thing that
    /// makes Markdown differ (block starts, inline markup, links, spaces, line breaks, hidden,
    /// control and non-ASCII space characters).
    const NEAR_PLAIN: &[&str] = &[
        "word",
        "Word",
        "a",
        " ",
        "  ",
        "\n",
        "\n",
        "\n\n",
        "\n  \n",
        " \n",
        "  \n",
        "\t",
        "\r",
        "\r\n",
        ".",
        ",",
        ";",
        ":",
        "!",
        "?",
        "'",
        "\"",
        "(",
        ")",
        "/",
        "-",
        "+",
        "=",
        "%",
        "@",
        "$",
        "^",
        "{",
        "}",
        "#",
        "# ",
        "1",
        "1.",
        "1. ",
        "2)",
        "- ",
        "+ ",
        "* ",
        "> ",
        "=",
        "===",
        "---",
        "`",
        "``",
        "` ",
        " `",
        "`a`",
        "`a b`",
        "` a`",
        "`a `",
        "`<b>`",
        "`[x](y)`",
        "`&amp;`",
        "`\\`",
        "`|`",
        "`*a*`",
        "[",
        "]",
        "](",
        "[a]",
        "[a](",
        "[a](b)",
        "[a](https://x.y/z)",
        "[a b](http://e.com/?q=1#f)",
        "[](https://e.com)",
        "(https://e.com)",
        "[a](https://e.com",
        "[a](https://)",
        "[a](HTTPS://e.com)",
        "[a](https://e.com/a(b))",
        "[a](https://e.com/&amp;)",
        "[a](https://e.com \"t\")",
        "[a](<https://e.com>)",
        "[`a`](https://e.com)",
        "![a](https://e.com)",
        "!",
        "[a][b]",
        "[b]: https://e.com",
        "https://e.com",
        "http://e.com",
        "ftp://e.com",
        "://",
        "h",
        "http",
        "*",
        "**",
        "_",
        "__",
        "~",
        "~~",
        "|",
        "&",
        "&amp;",
        "&#60;",
        "<",
        ">",
        "<b>",
        "\\",
        "\\\n",
        "\u{a0}",
        "\u{3000}",
        "\u{200b}",
        "\u{202e}",
        "\u{85}",
        "\u{1}",
        "\u{0}",
        "é",
        "日本",
        "•",
        "\u{2028}",
        "    code",
        "\tcode",
        "Note:",
        "e.g.",
        "a = b",
        "x - y",
    ];

    #[test]
    fn fast_path_gives_what_markdown_gives_on_generated_texts() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut fast = 0;
        // SDKWRIGHT_DOCS_CASES=2000000 for a longer run.
        let cases = std::env::var("SDKWRIGHT_DOCS_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(200_000);
        for _ in 0..cases {
            let n = 1 + rng.below(12);
            let text: String = (0..n)
                .map(|_| NEAR_PLAIN[rng.below(NEAR_PLAIN.len())])
                .collect();
            fast += usize::from(fast_path_agrees(&text));
        }
        // The generator reaches the fast path often, not only its refusals.
        assert!(fast > cases / 50, "{fast} of {cases}");
        // Short texts over a small alphabet: every mix of a few of these, densely.
        const SMALL: &[&str] = &[
            "a",
            "a",
            "a",
            "b",
            "b",
            " ",
            " ",
            " ",
            "\n",
            "\n",
            "`",
            "`",
            "[",
            "]",
            "(",
            ")",
            "](https://e.c/",
            "https://",
            ":",
            "/",
            "!",
            "*",
            "_",
            "~",
            "-",
            "+",
            "=",
            "1",
            ".",
            "#",
            "&",
            ";",
            "<",
            ">",
            "|",
            "\\",
            "é",
            "\u{a0}",
            "\t",
            "\r",
            "'",
            "\"",
        ];
        let mut fast = 0;
        for _ in 0..cases {
            let n = 1 + rng.below(16);
            let text: String = (0..n).map(|_| SMALL[rng.below(SMALL.len())]).collect();
            fast += usize::from(fast_path_agrees(&text));
        }
        assert!(fast > cases / 50, "{fast} of {cases}");
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            fast_path_agrees(&random_doc(&mut rng));
        }
        for fragment in FRAGMENTS.iter().chain(NEAR_PLAIN) {
            for text in [
                fragment.to_string(),
                format!("Plain text {fragment} and more"),
                format!("{fragment} first"),
                format!("last {fragment}"),
                format!("One line.\n{fragment}\nAnother `code` and [a link](https://e.com/x)."),
            ] {
                fast_path_agrees(&text);
            }
        }
    }

    #[test]
    fn fast_path_keeps_hostile_texts_safe() {
        for text in [
            "Run `rm -rf /` now",
            "See [docs](https://e.com/a?b=c#d) and `x`.",
            "Plain line\n\n\nAfter blank lines",
            "\n\nLeading and trailing blank lines\n\n",
            "[a](javascript:alert(1))",
            "text\n    fn main() {}",
            "text\n```\nfn main() {}\n```",
            "a <script>x</script>",
            "#[doc = \"x\"] \"quoted\"",
            "ends with a backslash \\",
        ] {
            fast_path_agrees(text);
            let lines = sanitize(text);
            assert!(hazards(&lines).is_empty(), "{text:?}: {lines:?}");
        }
        // What the fast path takes comes back as it was written.
        assert_eq!(
            s("See [docs](https://e.com/a?b=c#d) and `x`.\n\n\nNext"),
            ["See [docs](https://e.com/a?b=c#d) and `x`.", "", "Next"]
        );
        assert!(plain_lines("Run `rm -rf /` now").is_some());
        for refused in [
            "a\n    code",
            "a  \nb",
            "- item",
            "1. item",
            "<b>x</b>",
            "[a](javascript:x)",
            "![i](https://e.com/i.png)",
            "https://e.com",
            "a\tb",
            "a\rb",
            "a\u{200b}b",
            "``a``",
            "`a``b`",
        ] {
            assert!(plain_lines(refused).is_none(), "{refused:?}");
        }
    }

    /// Every string of a few corpus documents (descriptions, summaries, and the rest) through
    /// both paths, when `SDKWRIGHT_SPECS_CORPUS` names the corpus.
    #[test]
    fn fast_path_gives_what_markdown_gives_on_corpus_documents() {
        let Ok(dir) = std::env::var("SDKWRIGHT_SPECS_CORPUS") else {
            eprintln!("note: SDKWRIGHT_SPECS_CORPUS is not set; corpus documents skipped");
            return;
        };
        fn strings<'v>(v: &'v serde_json::Value, out: &mut Vec<&'v str>) {
            match v {
                serde_json::Value::String(s) => out.push(s),
                serde_json::Value::Array(items) => items.iter().for_each(|x| strings(x, out)),
                serde_json::Value::Object(map) => {
                    for (k, x) in map {
                        out.push(k);
                        strings(x, out);
                    }
                }
                _ => {}
            }
        }
        for name in [
            "github-api.github.com-3.0-progenitor-snapshot.json",
            "stripe-spec3-2023-09-3.0.yaml",
            "discord-v10-3.1.json",
            "twilio-api-v2010-3.0.yaml",
            "slack-web-api-2.0.json",
        ] {
            let path = std::path::Path::new(&dir).join("openapi").join(name);
            let text = std::fs::read_to_string(&path).unwrap();
            let doc: serde_json::Value = if name.ends_with(".json") {
                serde_json::from_str(&text).unwrap()
            } else {
                serde_norway::from_str(&text).unwrap()
            };
            let mut all = Vec::new();
            strings(&doc, &mut all);
            all.sort_unstable();
            all.dedup();
            let fast = all.iter().filter(|t| fast_path_agrees(t.trim())).count();
            eprintln!("{name}: {fast} of {} strings on the fast path", all.len());
            assert!(fast > 0, "{name}");
        }
    }

    #[test]
    fn large_inputs_stay_linear() {
        let start = std::time::Instant::now();
        for doc in [
            "h".repeat(300_000),
            "http://x".repeat(40_000),
            "[a](b) ".repeat(40_000),
            "`".repeat(100_000),
            "\\".repeat(100_000) + "!",
            "- ".repeat(50_000),
            "> a\n".repeat(50_000),
            "*a ".repeat(50_000),
            "[".repeat(50_000) + &"](x)".repeat(50_000),
            "![".repeat(30_000),
            "> - ".repeat(40_000) + "x",
            "<".repeat(100_000),
            "**".repeat(50_000) + "a",
            "`a".repeat(50_000),
            "    x\n".repeat(50_000),
            "| a ".repeat(10_000) + "|\n" + &"|---".repeat(10_000) + "|\n",
        ] {
            let one = std::time::Instant::now();
            assert!(!sanitize(&doc).is_empty());
            // Generous for a debug build on a loaded machine: each takes well under a second;
            // quadratic behaviour took 10 s at half this nesting.
            let took = one.elapsed();
            assert!(
                took < std::time::Duration::from_secs(8),
                "{took:?}: {:?}",
                doc.get(..16)
            );
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(40));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let doc = format!("{}x\n{}", "> ".repeat(5000), "y\n".repeat(5000));
        let lines = sanitize(&doc);
        let total: usize = lines.iter().map(String::len).sum();
        assert!(total < 30 * doc.len(), "{total}");
        assert!(hazards(&lines).is_empty());
        let list = format!("{}x", "- ".repeat(3000));
        assert!(hazards(&sanitize(&list)).is_empty());
    }
}
