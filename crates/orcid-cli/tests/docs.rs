//! `orcid completions` and `orcid man` cover every command: the commands
//! are read from `--help` (recursively), so a new one is checked too.

use std::process::Command;

fn orcid(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_orcid"))
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The subcommands `orcid PATH --help` lists (without `help`).
fn subcommands(path: &[String]) -> Vec<String> {
    let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
    args.push("--help");
    let help = orcid(&args);
    let Some(list) = help.split("Commands:\n").nth(1) else {
        return Vec::new();
    };
    list.lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Every command path below `orcid`: `["auth"]`, `["auth", "login"]`, …
fn all_commands() -> Vec<Vec<String>> {
    let mut todo = vec![Vec::new()];
    let mut all = Vec::new();
    while let Some(path) = todo.pop() {
        for sub in subcommands(&path) {
            let mut p = path.clone();
            p.push(sub);
            todo.push(p.clone());
            all.push(p);
        }
    }
    all
}

#[test]
fn completions_mention_every_subcommand() {
    let commands = all_commands();
    assert!(commands.len() > 20, "{commands:?}");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = orcid(&["completions", shell]);
        for path in &commands {
            let name = path.last().unwrap();
            assert!(
                script.contains(name.as_str()),
                "{shell}: no `{name}` ({path:?})"
            );
        }
    }
    // Top-level commands appear where the shell offers them.
    let bash = orcid(&["completions", "bash"]);
    assert!(
        bash.contains("orcid,validate)"),
        "bash script lacks validate's case"
    );
}

#[test]
fn a_man_page_for_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    orcid(&["man", "-o", dir.path().to_str().unwrap()]);
    let top = std::fs::read_to_string(dir.path().join("orcid.1")).unwrap();
    assert!(top.contains(".TH orcid 1"), "{top}");
    for path in all_commands() {
        let page = dir.path().join(format!("orcid-{}.1", path.join("-")));
        let text =
            std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        assert!(text.contains(".SH NAME"), "{}", page.display());
    }
    // Without -o: orcid.1 on standard output.
    assert!(orcid(&["man"]).contains(".SH SYNOPSIS"));
}

/// The Containerfile at the repository's root builds this package's binary
/// and runs `orcid connect serve` as CI cannot build images: its build
/// command names this package, the binary it copies is this one, the port
/// it exposes is the one it listens on and checks, and the arguments of its
/// entry point parse.
#[test]
fn the_containerfile_builds_and_runs_this_binary() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let file = std::fs::read_to_string(root.join("Containerfile")).unwrap();
    let build = file
        .lines()
        .find_map(|l| l.split("cargo build ").nth(1))
        .expect("a cargo build line");
    assert!(build.contains("--release --locked"), "{build}");
    let package = build
        .split_whitespace()
        .skip_while(|w| *w != "-p")
        .nth(1)
        .expect("-p PACKAGE");
    assert_eq!(package, env!("CARGO_PKG_NAME"));
    let manifest =
        std::fs::read_to_string(root.join("crates").join(package).join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("name = \"orcid\""),
        "the binary is `orcid`"
    );
    assert!(
        file.contains("target/release/orcid "),
        "copies the release binary"
    );
    assert!(file.contains("USER orcid"), "runs as a non-root user");
    assert!(
        file.contains("VOLUME [\"/var/lib/orcid\"]"),
        "the store on a volume"
    );
    assert!(
        file.contains("ENV ORCID_STORE=/var/lib/orcid/"),
        "the store is on the volume"
    );

    let entry = file
        .lines()
        .find_map(|l| l.strip_prefix("ENTRYPOINT "))
        .expect("an ENTRYPOINT");
    let args: Vec<String> = serde_json::from_str(entry).unwrap();
    assert_eq!(args[..3], ["orcid", "connect", "serve"]);
    let addr = args.iter().skip_while(|a| *a != "--addr").nth(1).unwrap();
    let port = addr.rsplit(':').next().unwrap();
    assert!(file.contains(&format!("EXPOSE {port}")), "EXPOSE {port}");
    assert!(
        file.contains(&format!("http://127.0.0.1:{port}/healthz")),
        "the health check asks /healthz on {port}"
    );
    // The entry point's arguments (and a public URL, as the usage shows)
    // are accepted: `--help` after them parses them first.
    let mut help: Vec<&str> = args[1..].iter().map(String::as_str).collect();
    help.extend(["--public-url", "https://orcid.example.edu", "--help"]);
    assert!(orcid(&help).contains("--public-url"));
}
