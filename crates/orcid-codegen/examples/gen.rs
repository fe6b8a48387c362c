//! Writes the generated code in place without building the model crate
//! (the xtask builds it, so a generator change that breaks the checked-in
//! code needs this way out): `cargo run -p orcid-codegen --example gen`.
fn main() {
    if let Err(e) = orcid_codegen::run_cli(false) {
        eprintln!("{e:#}");
        std::process::exit(1)
    }
}
