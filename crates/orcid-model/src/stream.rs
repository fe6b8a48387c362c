//! Streaming over large documents: the items of a `<bulk:bulk>` one at a
//! time, in bounded memory.
//!
//! A `<bulk:bulk>` may hold hundreds of thousands of works (a gigabyte and
//! more). [`open_bulk`] reads the prologue of any input; when its root is a
//! `bulk:bulk`, a [`BulkReader`] then cuts the rest into [`Item`]s: each is a
//! small document of its own (the bulk's start tag, exactly as written, the
//! item with the text before it, and the bulk's end tag), so the ordinary
//! reader ([`Item::parse`]) and any validator can take it one by one. An item
//! knows where it came from: [`Item::locate`] turns a position in its text
//! into the byte offset, line and column of the whole input, and
//! [`Item::parse`] reports errors there.
//!
//! Only the splitting is done here, by a lexical scan that follows tags,
//! comments, CDATA sections and processing instructions; well-formedness
//! and the content model are checked when an item is read. Any other input
//! (another root, JSON, a document type declaration) comes back untouched
//! as [`Opened::Other`].
//!
//! ```
//! use orcid_model::stream::{open_bulk, Opened};
//!
//! let xml = r#"<bulk:bulk xmlns:bulk="http://www.orcid.org/ns/bulk"
//!     xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">
//!   <work:work><work:title><common:title>A</common:title></work:title><work:type>book</work:type></work:work>
//!   <work:work><work:title><common:title>B</common:title></work:title><work:type>book</work:type></work:work>
//! </bulk:bulk>"#;
//! let Opened::Bulk(items) = open_bulk(xml.as_bytes()).unwrap() else { panic!() };
//! let mut works = Vec::new();
//! for item in items {
//!     works.extend(item.unwrap().parse().unwrap());
//! }
//! assert_eq!(works.len(), 2);
//! ```

use std::io::{self, Read};

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

use crate::document::Error;
use crate::v2_1::bulk::BulkItem;
use crate::v2_1::{ns, Document};
use crate::xml::XmlError;

/// Bytes read from the input at a time.
const CHUNK: usize = 256 * 1024;
/// Longest start of a line kept for [`Item::source_line`].
const MAX_LINE_HEAD: usize = 64 * 1024;
/// The prologue and the root start tag must fit in this many bytes for the
/// input to be streamed.
const MAX_HEAD: usize = 1 << 20;

/// What [`open_bulk`] found.
#[allow(clippy::large_enum_variant)] // made once per input
pub enum Opened<R> {
    /// A `<bulk:bulk>`: its items, one by one.
    Bulk(BulkReader<R>),
    /// Anything else: the bytes read so far (`head`) and the rest of the
    /// input (`rest`), to be read whole.
    Other {
        /// The first bytes of the input, as read.
        head: Vec<u8>,
        /// The rest of the input.
        rest: R,
    },
}

impl<R: Read> Opened<R> {
    /// The whole input, for [`Opened::Other`] (`None` for a bulk).
    pub fn into_bytes(self) -> Option<io::Result<Vec<u8>>> {
        match self {
            Opened::Bulk(_) => None,
            Opened::Other { mut head, mut rest } => Some(rest.read_to_end(&mut head).map(|_| head)),
        }
    }
}

/// Why the next item could not be cut.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// The input could not be read.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The input is not UTF-8 at this position.
    #[error("{line}:{column}: input is not valid UTF-8 (byte offset {offset})")]
    NotUtf8 {
        /// Byte offset.
        offset: u64,
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
    },
}

/// Reads the prologue of `src`; a `<bulk:bulk>` root gives a [`BulkReader`]
/// over its items, anything else the bytes read so far and the rest.
pub fn open_bulk<R: Read>(mut src: R) -> io::Result<Opened<R>> {
    let mut head: Vec<u8> = Vec::new();
    let mut eof = false;
    // Small documents are read in one go; a bulk then in larger chunks.
    let mut want = 8 * 1024;
    loop {
        match find_root_tag(&head) {
            Found::Tag(start, end) => {
                return Ok(match BulkReader::setup(&head, start, end, eof) {
                    Some(mut reader) => {
                        reader.buf = head;
                        reader.src = Some(src);
                        Opened::Bulk(reader)
                    }
                    None => Opened::Other { head, rest: src },
                });
            }
            Found::NotStreamable => return Ok(Opened::Other { head, rest: src }),
            Found::NeedMore if eof || head.len() >= MAX_HEAD => {
                return Ok(Opened::Other { head, rest: src })
            }
            Found::NeedMore => {
                if fill(&mut src, &mut head, want)? < want {
                    eof = true;
                }
                want = CHUNK;
            }
        }
    }
}

/// Appends up to `max` bytes (fewer only at the end of the input); returns
/// how many were read.
fn fill<R: Read>(src: &mut R, buf: &mut Vec<u8>, max: usize) -> io::Result<usize> {
    src.take(max as u64).read_to_end(buf)
}

enum Found {
    /// The root start tag is `head[start..end]`.
    Tag(usize, usize),
    NeedMore,
    NotStreamable,
}

/// Finds the root start tag after the XML declaration, comments and
/// processing instructions (a document type declaration is not streamed).
fn find_root_tag(head: &[u8]) -> Found {
    let mut i = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    loop {
        while i < head.len() && matches!(head[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        let rest = &head[i..];
        if rest.len() < 4 {
            return Found::NeedMore;
        }
        if rest[0] != b'<' {
            return Found::NotStreamable;
        }
        let skip = if rest.starts_with(b"<?") {
            find(rest, 2, b"?>")
        } else if rest.starts_with(b"<!--") {
            find(rest, 4, b"-->")
        } else if rest[1] == b'!' {
            return Found::NotStreamable;
        } else {
            return match tag_end(rest, 1) {
                Some(end) => Found::Tag(i, i + end),
                None => Found::NeedMore,
            };
        };
        match skip {
            Some(n) => i += n,
            None => return Found::NeedMore,
        }
    }
}

/// The index just past the first `needle` at or after `from`.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay.get(from..)?, needle).map(|p| from + p + needle.len())
}

/// The index just past the `>` that ends the tag whose name starts at
/// `from` (quoted attribute values may hold `>`).
fn tag_end(hay: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let p = memchr::memchr3(b'>', b'"', b'\'', hay.get(i..)?)? + i;
        match hay[p] {
            b'>' => return Some(p + 1),
            q => i = memchr::memchr(q, &hay[p + 1..])? + p + 2,
        }
    }
}

/// Number of characters in UTF-8 `bytes` (continuation bytes do not count).
fn chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// Line and column after `bytes`, starting at line `line` with `col`
/// characters before on that line.
fn advance_pos(line: usize, col: usize, bytes: &[u8]) -> (usize, usize) {
    match memchr::memrchr(b'\n', bytes) {
        None => (line, col + chars(bytes)),
        Some(last) => (
            line + memchr::memchr_iter(b'\n', bytes).count(),
            chars(&bytes[last + 1..]),
        ),
    }
}

/// The items of a `<bulk:bulk>`, cut from a reader in bounded memory
/// (about one item plus 256 KB).
pub struct BulkReader<R> {
    src: Option<R>,
    buf: Vec<u8>,
    /// Start of the next chunk in `buf`.
    pos: usize,
    /// Byte offset (in the input, after a byte order mark) of `buf[0]`.
    base: u64,
    /// Line of `buf[pos]` and the characters before it on its line.
    line: usize,
    col: usize,
    eof: bool,
    done: bool,
    root: Anchor,
    /// The bulk's start tag, as written.
    root_tag: String,
    /// Its end tag (`</bulk:bulk>`, with the prefix as written).
    end_tag: String,
    /// Where the scan of the current chunk stopped (relative to `pos`).
    scan: Scan,
    /// The text of the current line before `buf[pos]` (`None`: too long).
    line_head: Option<String>,
    /// The text of the bulk's start tag's line before it.
    root_head: Option<String>,
    items: usize,
    names: Vec<(Vec<u8>, usize)>,
    /// Group children into items of about this many bytes (0: one each).
    group: usize,
}

/// A position in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Anchor {
    offset: u64,
    line: usize,
    /// Characters before it on its line.
    col: usize,
}

#[derive(Debug, Clone, Copy, Default)]
struct Scan {
    cur: usize,
    depth: usize,
    item_start: Option<usize>,
}

enum Step {
    /// The item ends at this index (relative to `pos`).
    Item(usize),
    /// The bulk's end tag starts here: what is left is the trailer.
    RootEnd,
    NeedMore,
}

impl<R> BulkReader<R> {
    /// Checks that `head[start..end]` is a `bulk:bulk` start tag (with a
    /// well-formed prologue before it) and sets up a reader after it.
    fn setup(head: &[u8], start: usize, end: usize, eof: bool) -> Option<BulkReader<R>> {
        let mut r = quick_xml::NsReader::from_reader(&head[..end]);
        loop {
            match r.read_resolved_event() {
                Ok((ResolveResult::Bound(n), Event::Start(e)))
                    if n.as_ref() == ns::BULK_NS.uri.as_bytes()
                        && e.local_name().as_ref() == b"bulk" =>
                {
                    let name = std::str::from_utf8(e.name().as_ref()).ok()?.to_string();
                    let bom = if head.starts_with(b"\xEF\xBB\xBF") {
                        3
                    } else {
                        0
                    };
                    let root_tag = std::str::from_utf8(&head[start..end]).ok()?.to_string();
                    // A byte order mark is not part of the document.
                    std::str::from_utf8(&head[bom..start]).ok()?;
                    let (line, col) = advance_pos(1, 0, &head[bom..start]);
                    let before = &head[bom..start];
                    let root_head = before
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(before, |p| &before[p + 1..]);
                    let root_head = std::str::from_utf8(root_head).ok().map(str::to_string);
                    let root = Anchor {
                        offset: (start - bom) as u64,
                        line,
                        col,
                    };
                    let (line, col) = advance_pos(line, col, root_tag.as_bytes());
                    let mut reader = BulkReader {
                        src: None,
                        buf: Vec::new(),
                        pos: end,
                        base: 0u64.wrapping_sub(bom as u64),
                        line,
                        col,
                        eof,
                        done: false,
                        root,
                        root_tag,
                        end_tag: format!("</{name}>"),
                        scan: Scan::default(),
                        line_head: None,
                        root_head,
                        items: 0,
                        names: Vec::new(),
                        group: 0,
                    };
                    reader.line_head = reader.root_head.clone().map(|mut h| {
                        match memchr::memrchr(b'\n', reader.root_tag.as_bytes()) {
                            Some(p) => h = reader.root_tag[p + 1..].to_string(),
                            None => h.push_str(&reader.root_tag),
                        }
                        h
                    });
                    return Some(reader);
                }
                Ok((_, Event::Start(_) | Event::Empty(_) | Event::Eof)) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }
}

impl<R: Read> Iterator for BulkReader<R> {
    type Item = Result<Item, StreamError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_item() {
            Ok(item) => Some(Ok(item)),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl<R: Read> BulkReader<R> {
    /// Hands out consecutive children together, as items of about `bytes`
    /// bytes ([`BulkPart::Group`]): fewer, larger documents to read, for a
    /// reader that does not need to place findings child by child.
    pub fn grouped(mut self, bytes: usize) -> Self {
        self.group = bytes;
        self
    }

    /// The bulk's start tag, exactly as written.
    pub fn root_tag(&self) -> &str {
        &self.root_tag
    }

    /// Line and column of the bulk's start tag.
    pub fn root_position(&self) -> (usize, usize) {
        (self.root.line, self.root.col + 1)
    }

    fn next_item(&mut self) -> Result<Item, StreamError> {
        loop {
            match self.step() {
                Step::Item(mut end) if self.group > 0 => {
                    let index = self.items;
                    let mut count = 1;
                    while end < self.group {
                        self.scan = Scan {
                            cur: end,
                            ..Scan::default()
                        };
                        match self.step() {
                            Step::Item(e) => {
                                end = e;
                                count += 1;
                            }
                            Step::RootEnd | Step::NeedMore => break,
                        }
                    }
                    self.items += count;
                    let item = self.cut(end, BulkPart::Group { index, count }, true)?;
                    self.scan = Scan::default();
                    return Ok(item);
                }
                Step::Item(end) => {
                    let item_start = self.scan.item_start.unwrap_or(0);
                    let name_bytes = name_at(&self.buf[self.pos + item_start..self.pos + end]);
                    let name_index = match self.names.iter_mut().find(|(n, _)| *n == name_bytes) {
                        Some((_, c)) => {
                            *c += 1;
                            *c - 1
                        }
                        None => {
                            self.names.push((name_bytes.to_vec(), 1));
                            0
                        }
                    };
                    let kind = BulkPart::Element {
                        name: String::from_utf8_lossy(name_bytes).into_owned(),
                        index: self.items,
                        name_index,
                    };
                    self.items += 1;
                    let item = self.cut(end, kind, true)?;
                    self.scan = Scan::default();
                    return Ok(item);
                }
                Step::RootEnd => {
                    // The trailer: the end tag and whatever follows it.
                    while !self.eof {
                        self.read_more()?;
                    }
                    self.done = true;
                    let end = self.buf.len() - self.pos;
                    return self.cut(end, BulkPart::Trailer, false);
                }
                Step::NeedMore if self.eof => {
                    // Unterminated: the rest is the trailer, and reading it
                    // reports where it ends.
                    self.done = true;
                    let end = self.buf.len() - self.pos;
                    return self.cut(end, BulkPart::Trailer, false);
                }
                Step::NeedMore => self.read_more()?,
            }
        }
    }

    /// Reads more input, first dropping what was handed out.
    fn read_more(&mut self) -> Result<(), StreamError> {
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.base = self.base.wrapping_add(self.pos as u64);
            self.pos = 0;
        }
        let Some(src) = self.src.as_mut() else {
            self.eof = true;
            return Ok(());
        };
        if fill(src, &mut self.buf, CHUNK)? < CHUNK {
            self.eof = true;
        }
        Ok(())
    }

    /// Hands out `buf[pos..pos + end]` as an item.
    fn cut(&mut self, end: usize, kind: BulkPart, close: bool) -> Result<Item, StreamError> {
        let bytes = &self.buf[self.pos..self.pos + end];
        let offset = self.base.wrapping_add(self.pos as u64);
        let at = Anchor {
            offset,
            line: self.line,
            col: self.col,
        };
        let chunk = match std::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => {
                let (line, col) = advance_pos(self.line, self.col, &bytes[..e.valid_up_to()]);
                return Err(StreamError::NotUtf8 {
                    offset: offset + e.valid_up_to() as u64,
                    line,
                    column: col + 1,
                });
            }
        };
        let mut text =
            String::with_capacity(self.root_tag.len() + chunk.len() + self.end_tag.len());
        text.push_str(&self.root_tag);
        text.push_str(chunk);
        if close {
            text.push_str(&self.end_tag);
        }
        let line_head = self.line_head.take();
        self.line_head = match chunk.rfind('\n') {
            Some(p) => Some(chunk[p + 1..].to_string()),
            None => line_head.clone().map(|h| h + chunk),
        }
        .filter(|h| h.len() <= MAX_LINE_HEAD);
        (self.line, self.col) = advance_pos(self.line, self.col, bytes);
        self.pos += end;
        Ok(Item {
            text,
            kind,
            root: self.root,
            chunk: at,
            tag_len: self.root_tag.len(),
            chunk_len: chunk.len(),
            line_head,
            root_head: self.root_head.clone(),
        })
    }

    /// Scans the current chunk for the end of its item.
    fn step(&mut self) -> Step {
        let hay = &self.buf[self.pos..];
        let s = &mut self.scan;
        loop {
            let Some(lt) = memchr::memchr(b'<', &hay[s.cur..]) else {
                s.cur = hay.len();
                return Step::NeedMore;
            };
            let i = s.cur + lt;
            let rest = &hay[i..];
            if rest.len() < 9 && !rest.starts_with(b"</") && !is_start(rest) {
                // Not enough to tell a comment from CDATA or a PI.
                s.cur = i;
                return Step::NeedMore;
            }
            let next = if rest.starts_with(b"<!--") {
                find(rest, 4, b"-->")
            } else if rest.starts_with(b"<![CDATA[") {
                find(rest, 9, b"]]>")
            } else if rest.starts_with(b"<?") {
                find(rest, 2, b"?>")
            } else if rest.starts_with(b"<!") {
                tag_end(rest, 2)
            } else if rest.starts_with(b"</") {
                if s.depth == 0 {
                    s.cur = i;
                    return Step::RootEnd;
                }
                match tag_end(rest, 2) {
                    Some(n) => {
                        s.depth -= 1;
                        if s.depth == 0 {
                            return Step::Item(i + n);
                        }
                        Some(n)
                    }
                    None => None,
                }
            } else {
                match tag_end(rest, 1) {
                    Some(n) => {
                        let empty = n >= 2 && rest[n - 2] == b'/';
                        if s.depth == 0 {
                            s.item_start = Some(i);
                            if empty {
                                return Step::Item(i + n);
                            }
                            if let Some(end) = item_end_fast(hay, i, n) {
                                return Step::Item(end);
                            }
                        }
                        if !empty {
                            s.depth += 1;
                        }
                        Some(n)
                    }
                    None => None,
                }
            };
            match next {
                Some(n) => s.cur = i + n,
                None => {
                    s.cur = i;
                    return Step::NeedMore;
                }
            }
        }
    }
}

/// The end of the item whose start tag is `hay[start..start + tag]`, found
/// by searching for its end tag, when that is certainly right: nothing
/// between the tags is a comment, CDATA section or processing instruction
/// (which could hold the end tag's text) or an element of the same name
/// (which would close first). Character data and attribute values cannot
/// hold `<`. `None`: not in `hay`, or not certain (the caller then follows
/// every tag).
fn item_end_fast(hay: &[u8], start: usize, tag: usize) -> Option<usize> {
    let name = name_at(&hay[start..start + tag]);
    if name.is_empty() {
        return None;
    }
    let body_start = start + tag;
    let needle = [b"</".as_slice(), name].concat();
    let mut from = body_start;
    let close = loop {
        let at = from + memchr::memmem::find(&hay[from..], &needle)?;
        match hay.get(at + needle.len())? {
            b'>' | b' ' | b'\t' | b'\r' | b'\n' => break at,
            // `</work:workx>`: another name.
            _ => from = at + needle.len(),
        }
    };
    let body = &hay[body_start..close];
    if memchr::memmem::find(body, b"<!").is_some() || memchr::memmem::find(body, b"<?").is_some() {
        return None;
    }
    let open = [b"<".as_slice(), name].concat();
    let mut k = 0;
    while let Some(p) = memchr::memmem::find(&body[k..], &open) {
        let after = k + p + open.len();
        match body.get(after) {
            Some(b'>' | b'/' | b' ' | b'\t' | b'\r' | b'\n') | None => return None,
            _ => k = after,
        }
    }
    let end = close + memchr::memchr(b'>', &hay[close..])? + 1;
    Some(end)
}

/// `<` followed by a name character (a start tag).
fn is_start(rest: &[u8]) -> bool {
    rest.len() >= 2 && !matches!(rest[1], b'!' | b'?' | b'/')
}

/// The qualified name of the start tag at the beginning of `item` (after
/// any text, comments or PIs before it).
fn name_at(item: &[u8]) -> &[u8] {
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &item[i..]) {
        let at = i + p;
        if is_start(&item[at..]) {
            let from = at + 1;
            let len = item[from..]
                .iter()
                .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'))
                .unwrap_or(item.len() - from);
            return &item[from..from + len];
        }
        i = at + 1;
    }
    b""
}

/// What an [`Item`] holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkPart {
    /// A child element of the bulk (normally `work:work` or `error:error`).
    Element {
        /// Its qualified name, as written.
        name: String,
        /// Its position among the bulk's children (0-based).
        index: usize,
        /// Its position among the children of the same name (0-based).
        name_index: usize,
    },
    /// Consecutive children (see [`BulkReader::grouped`]).
    Group {
        /// The position of the first among the bulk's children (0-based).
        index: usize,
        /// How many.
        count: usize,
    },
    /// What follows the last child: the bulk's end tag and the end of the
    /// input (also an unterminated rest).
    Trailer,
}

/// One child of a bulk as a document of its own: the bulk's start tag, the
/// text before the child and the child, and the bulk's end tag.
#[derive(Debug, Clone)]
pub struct Item {
    /// The item's document.
    pub text: String,
    /// What it is.
    pub kind: BulkPart,
    root: Anchor,
    chunk: Anchor,
    tag_len: usize,
    chunk_len: usize,
    line_head: Option<String>,
    root_head: Option<String>,
}

impl Item {
    /// Byte offset, 1-based line and 1-based column in the whole input of
    /// byte `offset` of [`Item::text`].
    pub fn locate(&self, offset: usize) -> (u64, usize, usize) {
        let text = self.text.as_bytes();
        let offset = offset.min(text.len());
        let (anchor, bytes) = if offset < self.tag_len {
            (self.root, &text[..offset])
        } else {
            let end = offset.min(self.tag_len + self.chunk_len);
            (self.chunk, &text[self.tag_len..end])
        };
        let (line, col) = advance_pos(anchor.line, anchor.col, bytes);
        (anchor.offset + bytes.len() as u64, line, col + 1)
    }

    /// Byte offset in [`Item::text`] of a 1-based line and column in it.
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let text = self.text.as_bytes();
        let mut start = 0;
        for _ in 1..line {
            match memchr::memchr(b'\n', &text[start..]) {
                Some(p) => start += p + 1,
                None => return text.len(),
            }
        }
        let line_text = &self.text[start..];
        start
            + line_text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(line_text.len(), |(i, _)| i)
    }

    /// Line and column in the whole input of a line and column in
    /// [`Item::text`].
    pub fn map_line_col(&self, line: usize, column: usize) -> (usize, usize) {
        let (_, l, c) = self.locate(self.offset_of(line, column));
        (l, c)
    }

    /// The text of line `line` of the whole input, as far as this item
    /// holds it (a line that goes on past the item is cut there); `None`
    /// when the item holds none of it.
    pub fn source_line(&self, line: usize) -> Option<String> {
        let tag = &self.text[..self.tag_len];
        let chunk = &self.text[self.tag_len..self.tag_len + self.chunk_len];
        for (anchor, part, head) in [
            (self.chunk, chunk, &self.line_head),
            (self.root, tag, &self.root_head),
        ] {
            if line < anchor.line {
                continue;
            }
            let Some(text) = part.split('\n').nth(line - anchor.line) else {
                continue;
            };
            return if line == anchor.line {
                head.as_ref().map(|h| format!("{h}{text}"))
            } else {
                Some(text.to_string())
            };
        }
        None
    }

    /// Reads the item with the model: its child (none for the trailer);
    /// errors are located in the whole input.
    pub fn parse(&self) -> Result<Vec<BulkItem>, Error> {
        match Document::from_xml(&self.text) {
            Ok(Document::BulkBulk(bulk)) => Ok(bulk.bulk),
            Ok(_) => Ok(Vec::new()),
            Err(Error::Xml(e)) => Err(Error::Xml(self.relocate(e))),
            Err(e) => Err(e),
        }
    }

    fn relocate(&self, mut e: XmlError) -> XmlError {
        let (offset, line, column) = self.locate(e.offset);
        e.offset = offset as usize;
        e.line = line;
        e.column = column;
        e
    }
}

/// Writes a `bulk:bulk` as vnd.orcid+json item by item, byte for byte as
/// [`Document::to_json`] writes the whole bulk.
#[derive(Debug, Clone)]
pub struct BulkJsonWriter {
    pretty: bool,
    items: usize,
}

impl BulkJsonWriter {
    /// A writer; `pretty` as in [`Document::to_json`].
    pub fn new(pretty: bool) -> Self {
        Self { pretty, items: 0 }
    }

    /// What comes before the first item.
    pub fn begin(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(if self.pretty {
            b"{\n  \"bulk\": ["
        } else {
            b"{\"bulk\":["
        });
    }

    /// Appends an item (or several) written by [`bulk_item_json`] or
    /// [`bulk_items_json`] with the same `pretty`.
    pub fn item(&mut self, json: &[u8], out: &mut Vec<u8>) {
        if self.items > 0 {
            out.push(b',');
        }
        if self.pretty {
            out.extend_from_slice(b"\n    ");
        }
        out.extend_from_slice(json);
        self.items += 1;
    }

    /// What comes after the last item (no final newline).
    pub fn end(&self, out: &mut Vec<u8>) {
        if self.pretty && self.items > 0 {
            out.extend_from_slice(b"\n  ]\n}");
        } else if self.pretty {
            out.extend_from_slice(b"]\n}");
        } else {
            out.extend_from_slice(b"]}");
        }
    }
}

/// One bulk item as vnd.orcid+json (`{"work": …}`), indented for its place
/// in the bulk when `pretty`; for [`BulkJsonWriter::item`].
pub fn bulk_item_json(item: &BulkItem, pretty: bool) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(8192);
    let res = if pretty {
        // Two levels deep: in the bulk object, in its list.
        let mut s = serde_json::Serializer::with_formatter(&mut out, Pretty::at(2));
        serde::Serialize::serialize(item, &mut s)
    } else {
        let mut s = serde_json::Serializer::new(&mut out);
        serde::Serialize::serialize(item, &mut s)
    };
    res.map_err(|e| Error::Write(e.to_string()))?;
    Ok(out)
}

/// Several bulk items as vnd.orcid+json, as [`bulk_item_json`] writes each,
/// with the separators between them; for [`BulkJsonWriter::item`].
pub fn bulk_items_json(items: &[BulkItem], pretty: bool) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(8192 * items.len().max(1));
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(if pretty { b",\n    " } else { b"," });
        }
        let res = if pretty {
            let mut s = serde_json::Serializer::with_formatter(&mut out, Pretty::at(2));
            serde::Serialize::serialize(item, &mut s)
        } else {
            let mut s = serde_json::Serializer::new(&mut out);
            serde::Serialize::serialize(item, &mut s)
        };
        res.map_err(|e| Error::Write(e.to_string()))?;
    }
    Ok(out)
}

/// serde_json's `PrettyFormatter` with two spaces per level, starting at a
/// given depth.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Pretty {
        Pretty {
            depth,
            has_value: false,
        }
    }

    fn indent<W: ?Sized + io::Write>(&self, w: &mut W) -> io::Result<()> {
        const SPACES: &[u8] = b"                                                                ";
        let mut n = self.depth * 2;
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(&SPACES[..k])?;
            n -= k;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> String {
        let p = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schemas/cache/record_2.1/samples/write_sample/"
        );
        std::fs::read_to_string(format!("{p}{name}")).expect("cargo xtask sync-schemas")
    }

    fn body(xml: &str) -> &str {
        xml.split_once("?>").map_or(xml, |(_, b)| b).trim()
    }

    fn bulk_of(works: &[&str]) -> String {
        let mut s = String::from(
            "\u{feff}<?xml version=\"1.0\"?>\n<!-- c -->\n<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation='a > b'>\n",
        );
        for (i, w) in works.iter().enumerate() {
            if i == 1 {
                s.push_str("  <!-- a <comment> --> <?pi x?>\n");
            }
            s.push_str(w);
            s.push('\n');
        }
        s.push_str("</bulk:bulk>\n<!-- after -->\n");
        s
    }

    /// A reader that hands out a few bytes at a time.
    struct Trickle<'a>(&'a [u8], usize);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn items<R: Read>(src: R) -> Vec<Item> {
        match open_bulk(src).unwrap() {
            Opened::Bulk(r) => r.map(Result::unwrap).collect(),
            Opened::Other { .. } => panic!("not a bulk"),
        }
    }

    #[test]
    fn items_equal_the_whole_bulk() {
        let full = sample("work-full-2.1.xml");
        let simple = sample("work-simple-2.1.xml");
        let xml = bulk_of(&[body(&full), body(&simple), body(&full)]);
        let whole = Document::from_xml(xml.trim_start_matches('\u{feff}')).unwrap();
        for step in [usize::MAX, 7, 1] {
            let grouped: Vec<BulkItem> = match open_bulk(Trickle(xml.as_bytes(), step)).unwrap() {
                Opened::Bulk(r) => r
                    .grouped(5000)
                    .flat_map(|i| i.unwrap().parse().unwrap())
                    .collect(),
                Opened::Other { .. } => panic!("not a bulk"),
            };
            let got = items(Trickle(xml.as_bytes(), step));
            assert_eq!(got.len(), 4);
            assert_eq!(got[3].kind, BulkPart::Trailer);
            let parsed: Vec<BulkItem> = got.iter().flat_map(|i| i.parse().unwrap()).collect();
            let Document::BulkBulk(b) = &whole else {
                panic!()
            };
            assert_eq!(parsed, b.bulk);
            assert_eq!(grouped, b.bulk);
            for pretty in [true, false] {
                let mut w = BulkJsonWriter::new(pretty);
                let mut out = Vec::new();
                w.begin(&mut out);
                w.item(&bulk_items_json(&grouped[..2], pretty).unwrap(), &mut out);
                w.item(&bulk_items_json(&grouped[2..], pretty).unwrap(), &mut out);
                w.end(&mut out);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    whole.to_json(pretty).unwrap()
                );
            }
            for pretty in [true, false] {
                let mut w = BulkJsonWriter::new(pretty);
                let mut out = Vec::new();
                w.begin(&mut out);
                for it in &parsed {
                    w.item(&bulk_item_json(it, pretty).unwrap(), &mut out);
                }
                w.end(&mut out);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    whole.to_json(pretty).unwrap()
                );
            }
        }
    }

    #[test]
    fn end_tags_in_comments_and_cdata_do_not_end_an_item() {
        let simple = sample("work-simple-2.1.xml");
        let tricky = body(&simple)
            .replace(
                "<work:type>",
                "<!-- </work:work> --><?pi </work:work>?><work:type>",
            )
            .replace("Work Title", "<![CDATA[x </work:work> y]]>");
        let xml = bulk_of(&[body(&simple), &tricky, body(&simple)]);
        let text = xml.trim_start_matches('\u{feff}');
        let Document::BulkBulk(whole) = Document::from_xml(text).unwrap() else {
            panic!()
        };
        let got = items(xml.as_bytes());
        assert_eq!(got.len(), 4);
        let parsed: Vec<BulkItem> = got.iter().flat_map(|i| i.parse().unwrap()).collect();
        assert_eq!(parsed, whole.bulk);
    }

    #[test]
    fn empty_bulk_json() {
        let xml = "<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\"></bulk:bulk>";
        let got = items(xml.as_bytes());
        assert_eq!(got.len(), 1);
        let whole = Document::from_xml(xml).unwrap();
        for pretty in [true, false] {
            let w = BulkJsonWriter::new(pretty);
            let mut out = Vec::new();
            w.begin(&mut out);
            w.end(&mut out);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                whole.to_json(pretty).unwrap()
            );
        }
    }

    #[test]
    fn errors_are_located_in_the_whole_input() {
        let simple = sample("work-simple-2.1.xml");
        let bad = body(&simple).replace("<work:type>", "<work:bogus/><work:type>");
        let xml = bulk_of(&[body(&simple), &bad]);
        let text = xml.trim_start_matches('\u{feff}');
        let Err(Error::Xml(whole)) = Document::from_xml(text) else {
            panic!()
        };
        let got = items(Trickle(xml.as_bytes(), 100));
        let Err(Error::Xml(e)) = got[1].parse() else {
            panic!()
        };
        assert_eq!(e, whole);
        // Locations inside the bulk's start tag map there too.
        assert_eq!(
            got[1].locate(1),
            (text.find("<bulk:").unwrap() as u64 + 1, 3, 2)
        );
        assert_eq!(got[1].map_line_col(1, 2), (3, 2));
        let lines: Vec<&str> = text.split('\n').collect();
        for item in &got {
            for (i, l) in lines.iter().enumerate() {
                if let Some(found) = item.source_line(i + 1) {
                    assert!(l.starts_with(&found), "line {}: {found:?} vs {l:?}", i + 1);
                }
            }
        }
        assert_eq!(got[1].source_line(3).as_deref(), Some(lines[2]));
        let (_, l, _) = got[1].locate(got[1].text.find("<work:bogus").unwrap());
        assert_eq!(got[1].source_line(l).as_deref(), Some(lines[l - 1]));
    }

    #[test]
    fn other_inputs_come_back_whole() {
        for text in [
            "{\"bulk\": []}",
            "<work:work xmlns:work=\"http://www.orcid.org/ns/work\"/>",
            "<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\"/>",
            "<!DOCTYPE x><bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\"></bulk:bulk>",
            "<bulk xmlns=\"urn:other\"></bulk>",
            "",
        ] {
            match open_bulk(Trickle(text.as_bytes(), 3)).unwrap() {
                o @ Opened::Other { .. } => {
                    assert_eq!(o.into_bytes().unwrap().unwrap(), text.as_bytes())
                }
                Opened::Bulk(_) => panic!("{text}"),
            }
        }
    }

    #[test]
    fn unterminated_and_trailing_content_are_reported() {
        let simple = sample("work-simple-2.1.xml");
        for tail in ["", "</bulk:bulk><x/>", "<work:work>"] {
            let xml = format!(
                "<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\">{}{tail}",
                body(&simple)
            );
            let whole = Document::from_xml(&xml).unwrap_err();
            let got = items(xml.as_bytes());
            let err = got.iter().find_map(|i| i.parse().err()).unwrap();
            assert_eq!(err, whole, "{tail}");
        }
    }

    #[test]
    fn not_utf8_is_located() {
        let mut xml = b"<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\">\n <x>".to_vec();
        xml.extend_from_slice(b"\xff</x></bulk:bulk>");
        let Opened::Bulk(mut r) = open_bulk(xml.as_slice()).unwrap() else {
            panic!()
        };
        match r.next().unwrap() {
            Err(StreamError::NotUtf8 {
                offset,
                line,
                column,
            }) => assert_eq!((offset, line, column), (58, 2, 5)),
            other => panic!("{other:?}"),
        }
        assert!(r.next().is_none());
    }
}
