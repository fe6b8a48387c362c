//! Prints the IR (debugging aid): `cargo run -p orcid-codegen --example dump -- schemas/cache`.
fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "schemas/cache".into());
    match orcid_codegen::model(std::path::Path::new(&dir)) {
        Ok(m) => println!("{m:#?}"),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(1)
        }
    }
}
