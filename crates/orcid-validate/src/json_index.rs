//! Positions of values in JSON text by JSON Pointer, for locating findings
//! (serde_json keeps none).

use std::collections::HashMap;

/// JSON Pointer -> byte offset of the value.
pub fn index(text: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.ws();
    s.value(String::new(), &mut out);
    out
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

    fn value(&mut self, pointer: String, out: &mut HashMap<String, usize>) {
        out.insert(pointer.clone(), self.i);
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b'"') => {
                            let key_at = self.i;
                            let key = self.string();
                            self.ws();
                            if self.b.get(self.i) == Some(&b':') {
                                self.i += 1;
                            }
                            self.ws();
                            let child =
                                format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                            // Point members at their key, which reads better.
                            let before = out.len();
                            self.value(child.clone(), out);
                            let _ = before;
                            out.insert(child, key_at);
                            self.ws();
                            if self.b.get(self.i) == Some(&b',') {
                                self.i += 1;
                            }
                        }
                        Some(b'}') => {
                            self.i += 1;
                            return;
                        }
                        None => return,
                        _ => self.i += 1,
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut n = 0;
                loop {
                    self.ws();
                    match self.b.get(self.i) {
                        Some(b']') => {
                            self.i += 1;
                            return;
                        }
                        None => return,
                        _ => {
                            self.value(format!("{pointer}/{n}"), out);
                            n += 1;
                            self.ws();
                            if self.b.get(self.i) == Some(&b',') {
                                self.i += 1;
                            }
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while self.i < self.b.len()
                    && !matches!(
                        self.b[self.i],
                        b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                    )
                {
                    self.i += 1;
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn pointers() {
        let text = "{\n  \"a\": {\"b\": [1, {\"c\": \"x\"}]},\n  \"d/e\": null\n}";
        let ix = super::index(text);
        assert_eq!(ix[""], 0);
        assert_eq!(&text[ix["/a"]..ix["/a"] + 3], "\"a\"");
        assert_eq!(&text[ix["/a/b/1/c"]..ix["/a/b/1/c"] + 3], "\"c\"");
        assert_eq!(&text[ix["/a/b/0"]..ix["/a/b/0"] + 1], "1");
        assert!(ix.contains_key("/d~1e"));
    }
}
