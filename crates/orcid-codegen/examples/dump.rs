//! Prints the IR (debugging aid):
//! `cargo run -p orcid-codegen --example dump -- schemas/cache [2.1|3.0]`.
fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "schemas/cache".into());
    let set = match args.next().as_deref() {
        Some("3.0") => orcid_codegen::SchemaSet::V3_0,
        _ => orcid_codegen::SchemaSet::V2_1,
    };
    match orcid_codegen::model(std::path::Path::new(&dir), set) {
        Ok(m) => println!("{m:#?}"),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(1)
        }
    }
}
