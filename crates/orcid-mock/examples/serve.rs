//! Runs the mock until interrupted: `cargo run -p orcid-mock --example serve -- [ADDR] [CONFIG.toml]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let addr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:8090".into())
        .parse()?;
    let config = match args.next() {
        Some(path) => orcid_mock::MockConfig::from_toml_file(std::path::Path::new(&path))?,
        None => orcid_mock::MockConfig::default(),
    };
    orcid_mock::serve_blocking(addr, config)?;
    Ok(())
}
