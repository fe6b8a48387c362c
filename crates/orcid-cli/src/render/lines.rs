//! The source lines the human format draws, indexed once per input: a
//! finding's line is found in constant time and only a bounded window of it
//! around the column is looked at, so drawing F findings of an input of N
//! bytes costs O(N + F), not O(N × F).

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// Lines longer than this (in bytes) get an index of their characters on
/// first use, so that a column far into a long line (a minified JSON
/// document is one line) is found without walking the line each time.
const LONG_LINE: usize = 1024;
/// Characters between two entries of a long line's index.
const STEP: usize = 256;

/// Where the lines of an input are.
enum Ranges {
    /// Every line of the text: where each starts, found on first use.
    Whole(OnceCell<Vec<usize>>),
    /// Some lines (of a streamed bulk), by line number.
    Picked(BTreeMap<usize, Range<usize>>),
}

/// The character index of a long line.
struct Long {
    /// Characters in the line.
    chars: usize,
    /// Byte offset (in the line) of every [`STEP`]-th character; `None`
    /// when the line is ASCII (a character is a byte).
    marks: Option<Vec<usize>>,
}

/// The part of a line shown around a column.
#[derive(Debug, PartialEq, Eq)]
pub struct Window<'a> {
    /// The characters shown.
    pub text: &'a str,
    /// The line goes on before `text`.
    pub cut_before: bool,
    /// The line goes on after `text`.
    pub cut_after: bool,
    /// The column, as a character offset in `text` (at most its length).
    pub col: usize,
}

/// The lines of one input that its findings point at.
pub struct SourceLines {
    text: String,
    ranges: Ranges,
    long: RefCell<HashMap<usize, Long>>,
    work: Cell<usize>,
}

impl SourceLines {
    /// No lines (an input that was not read, or the JSON and SARIF formats).
    pub fn none() -> SourceLines {
        SourceLines::picked(BTreeMap::new())
    }

    /// Every line of `text` (a document read whole).
    pub fn whole(text: String) -> SourceLines {
        SourceLines {
            text,
            ranges: Ranges::Whole(OnceCell::new()),
            long: RefCell::default(),
            work: Cell::new(0),
        }
    }

    /// Only the lines given, by number (the lines a bulk's findings point
    /// at, collected as its works stream by).
    pub fn picked(lines: BTreeMap<usize, String>) -> SourceLines {
        let mut text = String::new();
        let mut ranges = BTreeMap::new();
        for (n, l) in lines {
            let start = text.len();
            text.push_str(&l);
            ranges.insert(n, start..text.len());
        }
        SourceLines {
            text,
            ranges: Ranges::Picked(ranges),
            long: RefCell::default(),
            work: Cell::new(0),
        }
    }

    /// Bytes looked at so far: indexing, and the windows drawn.
    #[cfg(test)]
    pub fn work(&self) -> usize {
        self.work.get()
    }

    fn add_work(&self, bytes: usize) {
        self.work.set(self.work.get() + bytes);
    }

    /// Line `n` (1-based), without its line break.
    fn line(&self, n: usize) -> Option<&str> {
        let range = match &self.ranges {
            Ranges::Picked(map) => map.get(&n)?.clone(),
            Ranges::Whole(starts) => {
                let starts = starts.get_or_init(|| {
                    self.add_work(self.text.len());
                    std::iter::once(0)
                        .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                        .collect()
                });
                let start = *starts.get(n.checked_sub(1)?)?;
                let end = starts.get(n).map_or(self.text.len(), |next| next - 1);
                start..end
            }
        };
        let line = &self.text[range];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// The part of line `n` shown for a finding at `column` (1-based, in
    /// characters): the whole line when it has at most `max` characters,
    /// else `max` characters starting `before` characters ahead of the
    /// column. `None` when the line is not here.
    pub fn window(&self, n: usize, column: usize, max: usize, before: usize) -> Option<Window<'_>> {
        let line = self.line(n)?;
        let (chars, at): (usize, Box<dyn Fn(usize) -> usize + '_>) = if line.len() <= LONG_LINE {
            self.add_work(line.len());
            let offsets: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
            let chars = offsets.len();
            let at = move |c: usize| offsets.get(c).copied().unwrap_or(line.len());
            (chars, Box::new(at))
        } else {
            let chars = self.long_index(n, line);
            (chars, Box::new(move |c| self.byte_of(n, line, c)))
        };
        let col = column.saturating_sub(1).min(chars);
        let (start, end) = if chars > max {
            let start = col.saturating_sub(before);
            (start, (start + max).min(chars))
        } else {
            (0, chars)
        };
        let text = &line[at(start)..at(end)];
        self.add_work(text.len());
        Some(Window {
            text,
            cut_before: start > 0,
            cut_after: end < chars,
            col: col - start,
        })
    }

    /// Indexes the characters of long line `n` once; its character count.
    fn long_index(&self, n: usize, line: &str) -> usize {
        if let Some(long) = self.long.borrow().get(&n) {
            return long.chars;
        }
        self.add_work(line.len());
        let long = if line.is_ascii() {
            Long {
                chars: line.len(),
                marks: None,
            }
        } else {
            let mut marks = Vec::new();
            let mut chars = 0;
            for (k, (i, _)) in line.char_indices().enumerate() {
                if k % STEP == 0 {
                    marks.push(i);
                }
                chars = k + 1;
            }
            Long {
                chars,
                marks: Some(marks),
            }
        };
        let chars = long.chars;
        self.long.borrow_mut().insert(n, long);
        chars
    }

    /// Byte offset of character `c` of long line `n` (indexed).
    fn byte_of(&self, n: usize, line: &str, c: usize) -> usize {
        let long = self.long.borrow();
        let Some(Some(marks)) = long.get(&n).map(|l| l.marks.as_ref()) else {
            return c.min(line.len());
        };
        let Some(&mark) = marks.get(c / STEP) else {
            return line.len();
        };
        self.add_work(STEP * 4);
        line[mark..]
            .char_indices()
            .nth(c % STEP)
            .map_or(line.len(), |(i, _)| mark + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(w: &Window<'_>) -> (String, bool, bool, usize) {
        (w.text.to_string(), w.cut_before, w.cut_after, w.col)
    }

    #[test]
    fn lines_of_a_whole_text() {
        let s = SourceLines::whole("a\r\nbb\n\nccc\n".into());
        let w = |n| s.window(n, 1, 120, 40).map(|w| w.text.to_string());
        assert_eq!(w(1).as_deref(), Some("a"));
        assert_eq!(w(2).as_deref(), Some("bb"));
        assert_eq!(w(3).as_deref(), Some(""));
        assert_eq!(w(4).as_deref(), Some("ccc"));
        assert_eq!(w(5).as_deref(), Some(""));
        assert_eq!(w(6), None);
        assert_eq!(w(0), None);
    }

    #[test]
    fn picked_lines_only() {
        let s = SourceLines::picked(BTreeMap::from([(3, "x".to_string()), (7, "yz".into())]));
        assert_eq!(s.window(3, 1, 120, 40).unwrap().text, "x");
        assert_eq!(s.window(7, 2, 120, 40).unwrap().col, 1);
        assert!(s.window(4, 1, 120, 40).is_none());
    }

    #[test]
    fn windows_of_long_lines_in_any_script() {
        for c in ['x', 'é', '文'] {
            for len in [100, 5000] {
                let line: String = std::iter::repeat_n(c, len).collect();
                let s = SourceLines::whole(format!("{line}\n"));
                for column in [1, 30, 41, 42, 2999, len, len + 1, len + 50] {
                    let w = s.window(1, column, 120, 40).unwrap();
                    // What the characters of the whole line give.
                    let chars: Vec<char> = line.chars().collect();
                    let col = (column - 1).min(chars.len());
                    let (start, end) = if chars.len() > 120 {
                        let start = col.saturating_sub(40);
                        (start, (start + 120).min(chars.len()))
                    } else {
                        (0, chars.len())
                    };
                    let expected: String = chars[start..end].iter().collect();
                    assert_eq!(
                        shown(&w),
                        (expected, start > 0, end < chars.len(), col - start),
                        "{c} × {len}, column {column}"
                    );
                }
            }
        }
    }

    #[test]
    fn looking_up_lines_is_linear() {
        // 3000 lines; every one looked up, three times: the text is indexed
        // once, each look-up reads a bounded window.
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(&format!("<work:type>{}</work:type>\n", "é".repeat(i % 7)));
        }
        let long: String = "文".repeat(100_000);
        text.push_str(&long);
        let n = text.len();
        let s = SourceLines::whole(text);
        for _ in 0..3 {
            for line in 1..=3000 {
                s.window(line, 5, 120, 40).unwrap();
            }
            for column in (1..100_000).step_by(50) {
                s.window(3001, column, 120, 40).unwrap();
            }
        }
        let lookups = 3 * (3000 + 2000);
        let bound = 2 * n + lookups * (4 * STEP + 4 * 120 + 64);
        assert!(s.work() <= bound, "{} > {bound}", s.work());
    }
}
