//! Splitting a `bulk:bulk` body into its items, so that each item is read
//! and validated on its own as ORCID does (`docs/orcid-api.md` §4.3: an
//! invalid work becomes an error in place, the others are still created).

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// One child of the bulk root, as a standalone document.
#[derive(Debug, Clone, PartialEq)]
pub struct XmlItem {
    /// Local name (`work`, `error`, …).
    pub local: String,
    /// The element's text with the root's namespace declarations added.
    pub text: String,
}

/// Splits XML bulk text into its children. `Err`: the text is not
/// well-formed or its root is not `bulk`.
pub fn split_xml(text: &str) -> Result<Vec<XmlItem>, String> {
    let mut reader = Reader::from_str(text);
    let mut depth = 0usize;
    let mut root_ns: Vec<(String, String)> = Vec::new();
    let mut items = Vec::new();
    let mut current: Option<(usize, String, Vec<String>)> = None;
    let mut saw_root = false;
    loop {
        let before = reader.buffer_position() as usize;
        let ev = reader
            .read_event()
            .map_err(|e| format!("at byte {before}: {e}"))?;
        match ev {
            Event::Start(s) if depth == 0 => {
                root_namespaces(&s, &mut root_ns)?;
                saw_root = true;
                depth = 1;
            }
            Event::Empty(s) if depth == 0 => {
                root_namespaces(&s, &mut root_ns)?;
                saw_root = true;
                break;
            }
            Event::Start(s) => {
                if depth == 1 {
                    let (local, own) = name_and_attributes(&s);
                    current = Some((before, local, own));
                }
                depth += 1;
            }
            Event::Empty(s) if depth == 1 => {
                let (local, own) = name_and_attributes(&s);
                let end = reader.buffer_position() as usize;
                items.push(standalone(&text[before..end], local, &own, &root_ns));
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    if let Some((start, local, own)) = current.take() {
                        let end = reader.buffer_position() as usize;
                        items.push(standalone(&text[start..end], local, &own, &root_ns));
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err("no root element".into());
    }
    Ok(items)
}

fn root_namespaces(
    s: &quick_xml::events::BytesStart<'_>,
    out: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let local = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
    if local != "bulk" {
        return Err(format!("the root element is `{local}`, not `bulk:bulk`"));
    }
    for a in s.attributes().flatten() {
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        if key == "xmlns" || key.starts_with("xmlns:") {
            out.push((key, String::from_utf8_lossy(&a.value).into_owned()));
        }
    }
    Ok(())
}

fn standalone(elem: &str, local: String, own: &[String], root_ns: &[(String, String)]) -> XmlItem {
    let name_end = elem[1..]
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .map(|i| i + 1)
        .unwrap_or(elem.len());
    let mut decl = String::new();
    for (k, v) in root_ns {
        if !own.contains(k) {
            decl.push_str(&format!(" {k}=\"{v}\""));
        }
    }
    let text = format!("{}{}{}", &elem[..name_end], decl, &elem[name_end..]);
    XmlItem { local, text }
}

/// An element's local name and the names of its own attributes.
fn name_and_attributes(s: &BytesStart<'_>) -> (String, Vec<String>) {
    let own = s
        .attributes()
        .flatten()
        .map(|a| String::from_utf8_lossy(a.key.as_ref()).into_owned())
        .collect();
    let local = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
    (local, own)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_namespaces() {
        let xml = r#"<?xml version="1.0"?>
<bulk:bulk xmlns:bulk="http://www.orcid.org/ns/bulk" xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">
  <work:work><work:title><common:title>A</common:title></work:title></work:work>
  <work:work xmlns:work="http://www.orcid.org/ns/work"/>
</bulk:bulk>"#;
        let items = split_xml(xml).unwrap();
        assert_eq!(items.len(), 2);
        assert!(items[0].text.starts_with("<work:work xmlns:bulk="));
        assert!(items[0].text.ends_with("</work:work>"));
        assert_eq!(items[1].text.matches("xmlns:work").count(), 1);
        assert!(split_xml("<work:work xmlns:work=\"x\"/>").is_err());
        assert!(split_xml("<bulk:bulk xmlns:bulk=\"x\"><a></bulk:bulk>").is_err());
    }
}
