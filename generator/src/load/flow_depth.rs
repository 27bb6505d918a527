//! A linear pre-check of YAML *flow* nesting (`[[[[…` / `{{{{…`).
//!
//! libyaml (under serde_norway) and saphyr-parser both keep one "possible simple key" per flow
//! level and walk all of them for every token, and both scan a whole flow collection before
//! emitting its first event: a document nested 100,000 `[` deep takes minutes before any depth
//! limit applies. This scanner finds the first flow collection opened deeper than a limit without
//! parsing YAML, in one pass.
//!
//! It must never *under*-count (that would let the slow case through), so it follows the YAML
//! rules that decide whether a `[`, `{`, `]`, `}` or quote is structure or text: comments,
//! single- and double-quoted scalars (which may span lines), block scalars (`|`, `>`: their
//! content lines are skipped by indentation, the parent indentation taken from the key or dash
//! that owns them), continuation lines of plain scalars, anchors, tags and aliases before a
//! value. Where it is unsure it counts (a false alarm needs more than the limit of unbalanced
//! brackets in text, which real documents do not have).

/// Byte offset of the first flow collection opened at a depth above `limit`.
pub(crate) fn first_too_deep(text: &str, limit: u32) -> Option<usize> {
    let b = text.as_bytes();
    let mut s = Scan {
        b,
        i: 0,
        ls: 0,
        depth: 0,
        limit,
    };
    s.run()
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
    /// Start of the line holding `i`.
    ls: usize,
    depth: u32,
    limit: u32,
}

/// What the block context expects at the start of the next line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    /// Anything: a key, a dash, a value.
    Node,
    /// The previous line ended inside a plain scalar value owned by a key at this column: a
    /// more indented line continues it (text).
    PlainContinues(Option<usize>),
    /// Inside a block scalar whose parent is at this column: more indented (and blank) lines
    /// are its text.
    BlockScalar(Option<usize>),
}

impl Scan<'_> {
    fn peek(&self, at: usize) -> Option<u8> {
        self.b.get(at).copied()
    }

    fn is_blank(c: Option<u8>) -> bool {
        matches!(c, None | Some(b' ' | b'\t' | b'\n' | b'\r'))
    }

    fn run(&mut self) -> Option<usize> {
        let mut next = Next::Node;
        // Column of the last key (or dash) on a line that left its value for the next lines
        // (`None`: the top level).
        let mut pending_parent: Option<usize> = None;
        while self.i < self.b.len() {
            if self.depth > 0 {
                // Flow context: line structure does not matter.
                if let Some(at) = self.flow_step() {
                    return Some(at);
                }
                continue;
            }
            // Block context, at the start of a line (or after a flow collection closed on it).
            let at_line_start = self.ls == self.i;
            let indent = if at_line_start {
                self.indent_at(self.i)
            } else {
                0
            };
            let blank_line = at_line_start && {
                let j = self.i + indent;
                matches!(self.peek(j), None | Some(b'\n' | b'\r' | b'#'))
            };
            if at_line_start {
                match next {
                    Next::BlockScalar(parent)
                        if blank_line || parent.is_none_or(|p| indent > p) =>
                    {
                        self.skip_line();
                        continue;
                    }
                    Next::PlainContinues(parent)
                        if !blank_line && parent.is_none_or(|p| indent > p) =>
                    {
                        self.skip_line();
                        continue;
                    }
                    _ => {}
                }
                if blank_line {
                    self.skip_line();
                    continue;
                }
                self.i += indent;
                // Document markers are separators; what follows starts a node.
                if indent == 0
                    && (self.b[self.i..].starts_with(b"---")
                        || self.b[self.i..].starts_with(b"..."))
                    && Self::is_blank(self.peek(self.i + 3))
                {
                    self.i += 3;
                    pending_parent = None;
                }
            }
            match self.block_line(&mut pending_parent) {
                Ok(n) => next = n,
                Err(at) => return Some(at),
            }
        }
        None
    }

    fn indent_at(&self, at: usize) -> usize {
        self.b[at..].iter().take_while(|&&c| c == b' ').count()
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.peek(self.i) {
            self.i += 1;
            if c == b'\n' {
                self.ls = self.i;
                break;
            }
        }
    }

    fn column(&self, at: usize) -> usize {
        at - self.ls
    }

    /// Scans the rest of a block-context line from a token start. Returns what the next line
    /// expects, or the offset of a too deep flow collection. Leaves `self.i` after the line, or
    /// inside it when a flow collection opened (flow scanning then continues).
    fn block_line(&mut self, pending_parent: &mut Option<usize>) -> Result<Next, usize> {
        // Column of the key or dash that owns a value started on this line; `None` while the
        // line has none (a value at the line start belongs to `pending_parent`).
        let mut owner: Option<usize> = None;
        loop {
            // At a token start.
            self.skip_spaces();
            let Some(c) = self.peek(self.i) else {
                return Ok(Next::Node);
            };
            match c {
                b'\n' | b'\r' => {
                    // The line ended expecting a value on the next lines.
                    if owner.is_some() {
                        *pending_parent = owner;
                    }
                    self.skip_line();
                    return Ok(Next::Node);
                }
                b'#' => {
                    self.skip_line();
                    return Ok(Next::Node);
                }
                b'-' | b'?' | b':' if Self::is_blank(self.peek(self.i + 1)) => {
                    if c != b':' {
                        owner = Some(self.column(self.i));
                    }
                    self.i += 1;
                }
                b'&' | b'!' | b'*' => {
                    // Anchor, tag or alias: a word, then still a token start.
                    while !Self::is_blank(self.peek(self.i)) {
                        self.i += 1;
                    }
                }
                b'[' | b'{' => {
                    self.depth = 1;
                    if self.depth > self.limit {
                        return Err(self.i);
                    }
                    self.i += 1;
                    return Ok(Next::Node);
                }
                b'|' | b'>' => {
                    // A block scalar: its parent is the key or dash owning it, or the one that
                    // left its value for this line.
                    let parent = owner.or(*pending_parent);
                    self.skip_line();
                    return Ok(Next::BlockScalar(parent));
                }
                b'"' | b'\'' => {
                    self.skip_quoted(c);
                    // After a quoted key, `:` may follow; after a value, a comment.
                    if self.depth > 0 {
                        return Ok(Next::Node);
                    }
                }
                _ => {
                    // A plain scalar: up to `: `, ` #` or the end of the line. A value continues
                    // on the lines indented more than its owner.
                    let start_col = self.column(self.i);
                    let value_owner = owner.or(*pending_parent);
                    loop {
                        match self.peek(self.i) {
                            None | Some(b'\n') => {
                                self.skip_line();
                                return Ok(Next::PlainContinues(value_owner));
                            }
                            Some(b':') if Self::is_blank(self.peek(self.i + 1)) => {
                                // It was a key: the value follows on this line or later ones.
                                owner = Some(start_col);
                                self.i += 1;
                                break;
                            }
                            Some(b' ' | b'\t') if self.peek(self.i + 1) == Some(b'#') => {
                                self.skip_line();
                                return Ok(Next::PlainContinues(value_owner));
                            }
                            Some(_) => self.i += 1,
                        }
                    }
                }
            }
        }
    }

    fn skip_spaces(&mut self) {
        while matches!(self.peek(self.i), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// Skips a quoted scalar starting at `self.i` (the quote), across lines.
    fn skip_quoted(&mut self, q: u8) {
        self.i += 1;
        while let Some(c) = self.peek(self.i) {
            self.i += 1;
            if c == b'\n' {
                self.ls = self.i;
            }
            if q == b'"' && c == b'\\' {
                if self.peek(self.i) == Some(b'\n') {
                    self.ls = self.i + 1;
                }
                self.i += 1;
            } else if c == q {
                if q == b'\'' && self.peek(self.i) == Some(b'\'') {
                    self.i += 1;
                } else {
                    return;
                }
            }
        }
    }

    /// One token of flow context. Returns the offset of a too deep flow collection.
    fn flow_step(&mut self) -> Option<usize> {
        let c = self.peek(self.i)?;
        match c {
            b'[' | b'{' => {
                self.depth += 1;
                if self.depth > self.limit {
                    return Some(self.i);
                }
                self.i += 1;
            }
            b']' | b'}' => {
                self.depth -= 1;
                self.i += 1;
                if self.depth == 0 {
                    // Back in block context, in the middle of a line: the rest is a comment or
                    // `: value`.
                    self.skip_spaces();
                    if self.peek(self.i) == Some(b':') {
                        self.i += 1;
                    }
                }
            }
            b'#' if self.i == 0 || Self::is_blank(self.b.get(self.i - 1).copied()) => {
                self.skip_line();
            }
            b'"' | b'\'' if self.at_flow_token_start() => self.skip_quoted(c),
            b'\n' => {
                self.i += 1;
                self.ls = self.i;
            }
            _ => self.i += 1,
        }
        None
    }

    /// True when a scalar may start at `self.i` in flow context: the previous token (anchors and
    /// tags skipped) is `[`, `{`, `,`, `?`, or a `:` that is not inside a plain scalar (`a:"x"`
    /// is one plain scalar; `"a":"x"`, `]:"x"` and `a: "x"` start a new one).
    fn at_flow_token_start(&self) -> bool {
        let blank = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
        let mut end = self.i;
        loop {
            let Some(p) = self.b[..end].iter().rposition(|c| !blank(c)) else {
                return true;
            };
            match self.b[p] {
                b'[' | b'{' | b',' | b'?' => return true,
                b':' => {
                    return p + 1 < end
                        || p == 0
                        || matches!(self.b[p - 1], b'"' | b'\'' | b']' | b'}' | b' ' | b'\t')
                }
                _ => {
                    // A word: an anchor or tag before the scalar, or plain text.
                    let start = self.b[..p].iter().rposition(blank).map_or(0, |q| q + 1);
                    if !matches!(self.b[start], b'&' | b'!') {
                        return false;
                    }
                    end = start;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::first_too_deep;

    fn deep(prefix: &str, n: usize) -> String {
        format!("{prefix}{}{}\n", "[".repeat(n), "]".repeat(n))
    }

    #[test]
    fn finds_deep_flow_collections() {
        assert_eq!(first_too_deep(&deep("a: ", 200), 128), Some(3 + 128));
        assert_eq!(first_too_deep(&deep("a: ", 100), 128), None);
        assert!(first_too_deep(&deep("- ", 100_000), 128).is_some());
        assert!(first_too_deep(&deep("a: &x !!seq ", 200), 128).is_some());
        let mut quoted = String::from("a: ");
        for _ in 0..200 {
            quoted.push_str("[ \"]]\" , ']]' , ");
        }
        assert!(first_too_deep(&quoted, 128).is_some(), "quoted closers");
        let mut multi = String::from("a: ");
        for _ in 0..200 {
            multi.push_str("[ \"x\n]]]]\" ,");
        }
        assert!(first_too_deep(&multi, 128).is_some(), "multi-line quotes");
    }

    #[test]
    fn text_cannot_hide_a_deep_collection() {
        let bomb = deep("", 300);
        for prefix in [
            // A quote inside a plain scalar is text.
            "a: b \"x\nc: ",
            "a: b, \"x\nc: ",
            "a: x[\nb: |\n  , \"\nc: ",
            // Plain scalar continuation lines are text.
            "a: b\n  \"x\nc: ",
            // Block scalar content, with the indicator alone on its line.
            "a:\n  |\n [\n , \"\nc: ",
            "- a: |\n    , \"\n  c: ",
            "a: >-\n  '\nc: ",
            // Comments.
            "# \"\nc: ",
            "a: b # \"\nc: ",
            // A quoted value with a bracket.
            "a: \"[\"\nb: '['\nc: ",
        ] {
            let text = format!("{prefix}{bomb}");
            assert!(
                first_too_deep(&text, 128).is_some(),
                "missed behind {prefix:?}"
            );
        }
    }

    #[test]
    fn ordinary_documents_pass() {
        let doc = "openapi: 3.0.0\ninfo: {title: \"a [b\", version: '1'}\npaths:\n  /a:\n    get:\n      description: |\n        [[[[[ not flow\n        \"quoted\n      parameters: [{name: x, in: query}]\n      x: \"a\n        [[[ multi-line\"\n      y: plain [[[ text\n";
        let mut big = String::new();
        for _ in 0..200 {
            big.push_str(doc);
        }
        assert_eq!(first_too_deep(&big, 128), None);
        // JSON-style YAML.
        let json = "{\"a\":\"[[[\",\"b\":[1,{\"c\":\"]\"}]}";
        assert_eq!(first_too_deep(json, 128), None);
    }
}
