//! Renders into a folder (debugging aid).
fn main() {
    let mut a = std::env::args().skip(1);
    let dir = a.next().unwrap();
    let out = a.next().unwrap();
    let files = orcid_codegen::generate(std::path::Path::new(&dir), "dev").unwrap_or_else(|e| {
        eprintln!("{e:#}");
        std::process::exit(1)
    });
    std::fs::create_dir_all(&out).unwrap();
    for (n, t) in files {
        std::fs::write(format!("{out}/{n}"), t).unwrap();
    }
}
