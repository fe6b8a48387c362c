//! Converts one file between XML and vnd.orcid+json: `cargo run --example conv FILE [json|xml]`.

fn main() {
    let path = std::env::args().nth(1).unwrap();
    let to = std::env::args().nth(2).unwrap_or_else(|| "json".into());
    let text = std::fs::read_to_string(&path).unwrap();
    match orcid_model::Document::from_any(&text, None) {
        Ok((doc, _)) => {
            if to == "json" {
                println!("{}", doc.to_json(true).unwrap())
            } else {
                println!("{}", doc.to_xml(true))
            }
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1)
        }
    }
}
