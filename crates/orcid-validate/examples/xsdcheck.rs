//! Prints the XSD layer's findings for each file given: `cargo run --example xsdcheck FILE…`.

fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap();
        let r = orcid_validate::xsd::validate(&text);
        if r.errors.is_empty() {
            println!("{path} validates");
        } else {
            for e in &r.errors {
                let (l, c) = orcid_model::xml::line_col(text.as_bytes(), e.offset);
                println!("{path}:{l}:{c}: {} {} (at {})", e.code, e.message, e.xpath);
            }
            println!("{path} fails to validate");
        }
    }
}
