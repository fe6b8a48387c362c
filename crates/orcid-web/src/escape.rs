//! Escaping text for HTML.

/// Escapes text for HTML element content and quoted attribute values
/// (single or double quotes): `&`, `<`, `>`, `"` and `'` become entities,
/// everything else is kept as it is.
///
/// ```
/// assert_eq!(
///     orcid_web::escape_html(r#"<a href='x'>"Tom" & Jerry</a>"#),
///     "&lt;a href=&#39;x&#39;&gt;&quot;Tom&quot; &amp; Jerry&lt;/a&gt;"
/// );
/// ```
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(escape_html("&"), "&amp;");
        assert_eq!(escape_html("<"), "&lt;");
        assert_eq!(escape_html(">"), "&gt;");
        assert_eq!(escape_html("\""), "&quot;");
        assert_eq!(escape_html("'"), "&#39;");
        assert_eq!(
            escape_html("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }

    #[test]
    fn other_text_is_kept() {
        assert_eq!(escape_html(""), "");
        assert_eq!(
            escape_html("Jürgen Müller · 0000-0002-1825-0097 ✓"),
            "Jürgen Müller · 0000-0002-1825-0097 ✓"
        );
        // Already escaped text is escaped again: the function is not idempotent.
        assert_eq!(escape_html("&amp;"), "&amp;amp;");
    }
}
