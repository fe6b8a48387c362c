//! Positions of values in JSON text by JSON Pointer, for locating findings
//! (serde_json keeps none).

use std::collections::HashMap;

/// Where the values of one JSON text are, by JSON Pointer.
///
/// Built in one pass without recursion, in space linear in the text (each
/// value is stored once under its parent, never with its whole pointer), so
/// that any text, however deep or wide, can be indexed.
#[derive(Debug, Default)]
pub struct JsonIndex {
    /// The root value's offset, if there is a value.
    root: Option<usize>,
    /// (parent node, member name or array index) -> (node, offset).
    /// Node 0 is the root.
    children: HashMap<(u32, Box<str>), (u32, usize)>,
    /// Nodes made so far.
    nodes: u32,
}

impl JsonIndex {
    /// The byte offset of the value at `pointer` (RFC 6901; `""` is the
    /// whole document). An object member is found at its key.
    pub fn get(&self, pointer: &str) -> Option<usize> {
        let mut at = self.root?;
        let mut node = 0u32;
        if pointer.is_empty() {
            return Some(at);
        }
        for seg in pointer.strip_prefix('/')?.split('/') {
            let seg = seg.replace("~1", "/").replace("~0", "~");
            (node, at) = *self.children.get(&(node, seg.into_boxed_str()))?;
        }
        Some(at)
    }

    /// Records a value under `parent`; returns its node.
    fn add(&mut self, parent: u32, seg: Box<str>, offset: usize) -> u32 {
        self.nodes = self.nodes.saturating_add(1);
        let node = self.nodes;
        self.children.insert((parent, seg), (node, offset));
        node
    }
}

/// Indexes the values of `text` by JSON Pointer. Malformed text is indexed
/// as far as it can be read.
pub fn index(text: &str) -> JsonIndex {
    let mut ix = JsonIndex::default();
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.ws();
    if s.i >= s.b.len() {
        return ix;
    }
    ix.root = Some(s.i);
    // The open objects and arrays: (node, next array index, is an array).
    let mut open: Vec<(u32, usize, bool)> = Vec::new();
    s.enter(0, &mut open);
    while let Some(&(node, next, array)) = open.last() {
        s.ws();
        match (s.b.get(s.i), array) {
            (None, _) => break,
            (Some(b'}'), false) | (Some(b']'), true) => {
                s.i += 1;
                open.pop();
                s.comma();
            }
            (Some(b'"'), false) => {
                let key_at = s.i;
                let key = s.string();
                s.ws();
                if s.b.get(s.i) == Some(&b':') {
                    s.i += 1;
                }
                s.ws();
                // Members are found at their key, which reads better.
                let child = ix.add(node, key.into_boxed_str(), key_at);
                s.enter(child, &mut open);
            }
            (Some(_), false) => s.i += 1,
            (Some(_), true) => {
                if let Some(top) = open.last_mut() {
                    top.1 += 1;
                }
                let child = ix.add(node, next.to_string().into_boxed_str(), s.i);
                s.enter(child, &mut open);
            }
        }
    }
    ix
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    /// After a value: skips a following comma.
    fn comma(&mut self) {
        self.ws();
        if self.b.get(self.i) == Some(&b',') {
            self.i += 1;
        }
    }

    fn string(&mut self) -> String {
        // at '"'
        let start = self.i + 1;
        self.i += 1;
        while self.i < self.b.len() {
            match self.b[self.i] {
                b'\\' => self.i += 2,
                b'"' => break,
                _ => self.i += 1,
            }
        }
        let raw = &self.b[start.min(self.b.len())..self.i.min(self.b.len())];
        self.i += 1;
        let quoted = format!("\"{}\"", String::from_utf8_lossy(raw));
        serde_json::from_str::<String>(&quoted)
            .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned())
    }

    /// At the value of `node`: opens it if it is an object or array, else
    /// skips it (always moving on by at least one byte).
    fn enter(&mut self, node: u32, open: &mut Vec<(u32, usize, bool)>) {
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                open.push((node, 0, false));
                return;
            }
            Some(b'[') => {
                self.i += 1;
                open.push((node, 0, true));
                return;
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                let from = self.i;
                while self.i < self.b.len()
                    && !matches!(
                        self.b[self.i],
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                    )
                {
                    self.i += 1;
                }
                if self.i == from {
                    self.i += 1;
                }
            }
            None => return,
        }
        self.comma();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pointers() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c\": \"x\"}]},\n  \"d/e\": null\n}";
        let ix = super::index(text);
        let at = |p: &str| ix.get(p).unwrap();
        assert_eq!(at(""), 0);
        assert_eq!(&text[at("/a")..at("/a") + 3], "\"a\"");
        assert_eq!(&text[at("/a/b/1/c")..at("/a/b/1/c") + 3], "\"c\"");
        assert_eq!(&text[at("/a/b/0")..at("/a/b/0") + 1], "1");
        assert!(ix.get("/d~1e").is_some());
        assert!(ix.get("/a/x").is_none());
    }

    #[test]
    fn deep_wide_and_broken_text() {
        // No recursion: 100,000 levels index like one.
        let deep = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
        let ix = super::index(&deep);
        assert_eq!(ix.get(&"/a".repeat(100_000)), Some(5 * 99_999 + 1));
        // Malformed text ends, whatever it holds.
        for text in [
            "{\"a\":[}",
            "[}]",
            "{\"a\"",
            "[1,",
            "}",
            "{\"a\":{\"b\":]]]}",
        ] {
            super::index(text);
        }
        let ix = super::index("[}, 7]");
        assert!(ix.get("/0").is_some());
    }
}
