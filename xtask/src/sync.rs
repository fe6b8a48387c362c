//! `cargo xtask sync-schemas`: fill the schema cache from the lock, or move the pin.

use std::env;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use orcid_schemas::{
    sync, update, Lock, Source, UpdateOptions, DEFAULT_API_URL, DEFAULT_BASE_URL,
    DEFAULT_CACHE_DIR, LOCK_PATH,
};

/// Environment variable naming a local mirror of `src/main/resources`.
const ENV_MIRROR: &str = "ORCID_MODEL_MIRROR";
/// Environment variable overriding the raw-file base URL.
const ENV_BASE_URL: &str = "ORCID_MODEL_BASE_URL";
/// Environment variable overriding the GitHub API base URL.
const ENV_API_URL: &str = "ORCID_MODEL_API_URL";
/// Default local mirror, relative to the workspace root.
const DEFAULT_MIRROR: &str = "../shared/orcid-model";

/// Options of `cargo xtask sync-schemas`.
///
/// Source of the files, first match wins: --from DIR, $ORCID_MODEL_MIRROR,
/// ../shared/orcid-model (next to the workspace), then HTTPS from GitHub.
#[derive(Debug, Default, Args)]
pub struct SyncArgs {
    /// Local mirror of the upstream src/main/resources folder to read from
    /// (with --update: a mirror of the NEW commit).
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
    /// Cache directory to fill [default: <workspace>/schemas/cache].
    #[arg(long, value_name = "DIR")]
    dest: Option<PathBuf>,
    /// Lock file [default: <workspace>/schemas/orcid-model.lock].
    #[arg(long, value_name = "FILE")]
    lock: Option<PathBuf>,
    /// Raw-file base URL, files at {URL}/{commit}/src/main/resources/{path}
    /// [env: ORCID_MODEL_BASE_URL] [default: https://raw.githubusercontent.com/ORCID/orcid-model].
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// GitHub API base URL for --update without --from, trees at
    /// {URL}/git/trees/{SHA}?recursive=1
    /// [env: ORCID_MODEL_API_URL] [default: https://api.github.com/repos/ORCID/orcid-model].
    #[arg(long, value_name = "URL")]
    api_url: Option<String>,
    /// Move the pin to --commit: rewrite the lock, print what changed, sync the cache.
    #[arg(long, requires = "commit")]
    update: bool,
    /// The new commit (full 40-digit SHA), with --update.
    #[arg(long, value_name = "SHA", requires = "update")]
    commit: Option<String>,
}

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

fn env_nonempty(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn pretty(path: PathBuf) -> PathBuf {
    path.canonicalize().unwrap_or(path)
}

/// Runs the sub-command.
pub fn run(args: SyncArgs) -> Result<()> {
    let root = workspace_root();
    let lock_path = args.lock.clone().unwrap_or_else(|| root.join(LOCK_PATH));
    let dest = args
        .dest
        .clone()
        .unwrap_or_else(|| root.join(DEFAULT_CACHE_DIR));
    let base_url = args
        .base_url
        .clone()
        .or_else(|| env_nonempty(ENV_BASE_URL))
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let https = Source::Https { base_url };

    // Offline first: the pinned commit's mirror if there is one.
    let pinned_mirror = env_nonempty(ENV_MIRROR)
        .map(PathBuf::from)
        .or_else(|| Some(root.join(DEFAULT_MIRROR)).filter(|d| d.is_dir()))
        .map(|d| Source::Dir(pretty(d)));

    if args.update {
        let commit = args.commit.clone().unwrap_or_default();
        let old = if lock_path.exists() {
            Some(Lock::load(&lock_path)?)
        } else {
            println!(
                "no lock at {}: creating it from scratch",
                lock_path.display()
            );
            None
        };
        let source = match &args.from {
            Some(dir) => Source::Dir(pretty(dir.clone())),
            None => https.clone(),
        };
        let api_url = args
            .api_url
            .clone()
            .or_else(|| env_nonempty(ENV_API_URL))
            .unwrap_or_else(|| DEFAULT_API_URL.to_owned());
        println!("reading commit {commit} from {source}");
        let options = UpdateOptions {
            commit,
            source,
            api_url,
            previous: Some(pinned_mirror.unwrap_or(https)),
            dest,
        };
        let outcome = update(old.as_ref(), &options).context("updating the schema pin")?;
        outcome.lock.save(&lock_path)?;
        print!("{}", outcome.diff);
        println!("wrote {} ({})", lock_path.display(), outcome.lock);
        println!("{}", outcome.sync);
        return Ok(());
    }

    if !lock_path.exists() {
        bail!(
            "no lock file at {}; create it with `cargo xtask sync-schemas --update --commit <SHA> --from <DIR>`",
            lock_path.display()
        );
    }
    let lock = Lock::load(&lock_path)?;
    let source = match &args.from {
        Some(dir) => Source::Dir(pretty(dir.clone())),
        None => pinned_mirror.unwrap_or(https),
    };
    let report = sync(&lock, &source, &dest)
        .with_context(|| format!("syncing {lock} into {}", dest.display()))?;
    println!("{report}");
    Ok(())
}
