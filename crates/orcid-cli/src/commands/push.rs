//! `orcid push`: keeps folders of items in step with researchers' records
//! (`orcid_push` plans and applies; this module finds the settings, tokens
//! and inputs, and prints).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use orcid_model::scalar::OrcidId;
use orcid_model::Format;
use orcid_push::{
    load_as, local_key, plan, read_manifest, Action, Checkpoint, ItemOutcome, KeyMode, Observer,
    Outcome, Plan, PushOptions, PushReport, Pusher,
};

use orcid_store::{LockHolder, Store};
use serde_json::{json, Value};

use crate::cli::{PushArgs, PushCommand, PushKey, PushOutput, PushStatusArgs};
use crate::config::{parse_orcid, select_token, Settings};
use crate::error::{CliError, EXIT_INVALID};
use crate::io;

/// A testing hook: abort the process at this checkpoint (0-based count of
/// the points before and after each write), as a crash or `kill -9` would.
const CRASH_AT_ENV: &str = "ORCID_PUSH_CRASH_AT";

/// Runs `orcid push`.
pub fn run(args: PushArgs) -> Result<(), CliError> {
    let settings = Settings::load(args.file.config.as_deref())?;
    if let Some(PushCommand::Status(s)) = args.command {
        return status(&settings, s);
    }
    let client_id = settings.client_id()?.to_string();
    let store = settings.open_store()?;
    let jobs = researchers(&store, &client_id, &args)?;
    let options = PushOptions {
        set: args.set.clone(),
        prune: args.prune,
        validate: !args.no_validate,
        wait: Duration::from_secs(args.wait),
        api: settings.api(args.api.api).value,
    };
    let mode = match args.key {
        PushKey::File => KeyMode::File,
        PushKey::ExternalId => KeyMode::ExternalId,
    };
    let client = if args.plan {
        None
    } else {
        Some(settings.client(args.format.map(Format::from), args.no_validate)?)
    };
    let human = args.output == PushOutput::Human;
    let mut failed = false;
    let mut out_json = Vec::new();
    for (orcid, paths) in jobs {
        let items = match load_as(&paths, mode, options.api) {
            Ok(items) => items,
            Err(errors) => {
                let list = errors
                    .iter()
                    .map(|e| format!("  {e}"))
                    .collect::<Vec<_>>()
                    .join("\n");
                return Err(CliError::Invalid(format!(
                    "orcid: nothing was pushed for {}: {} of its files cannot be used (a file left \
                     out would look deleted to --prune):\n{list}",
                    orcid.0,
                    errors.len()
                )));
            }
        };
        if args.plan {
            let p = plan(&store, &orcid.0, &items, &options).map_err(store_error)?;
            if human {
                print_plan(&p)?;
            }
            failed |= p.counts().invalid > 0;
            out_json.push(json!({"orcid": orcid.0, "plan": p}));
            continue;
        }
        let Some(client) = client.as_ref() else {
            continue;
        };
        let token = match select_token(&store, &client_id, Some(&orcid.0)) {
            Ok(t) => t,
            Err(e) => {
                failed = true;
                eprintln!("{}", e.message().unwrap_or("orcid: no token"));
                out_json.push(json!({"orcid": orcid.0, "error": e.message()}));
                continue;
            }
        };
        let pusher = Pusher::new(
            client.member(&token.access_token),
            &store,
            client_id.clone(),
            options.clone(),
        )
        .with_bulk_size(usize::from(args.bulk_size));
        let mut progress = Progress::new(&orcid.0, human);
        progress.wait = args.wait;
        let report = pusher
            .push(&orcid, &items, &mut progress)
            .map_err(|e| push_error(&orcid, &e))?;
        progress.done();
        if human {
            print_report(&report)?;
        }
        failed |= !report.is_success();
        out_json.push(json!({
            "orcid": orcid.0,
            "report": report,
            "counts": report.counts(),
            "success": report.is_success(),
        }));
    }
    if !human {
        let doc = json!({ "researchers": out_json });
        io::write_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        ))?;
    }
    if failed {
        Err(CliError::Reported(EXIT_INVALID))
    } else {
        Ok(())
    }
}

/// The message of a push that could not run: for [`orcid_push::Error::Busy`],
/// also what to do.
fn push_error(orcid: &OrcidId, e: &orcid_push::Error) -> CliError {
    match e {
        orcid_push::Error::Busy { .. } => CliError::Io(format!(
            "orcid: push to {}: {e}: push again when it has ended, or wait longer with \
             --wait SECONDS",
            orcid.0
        )),
        e => CliError::Io(format!("orcid: push to {}: {e}", orcid.0)),
    }
}

fn store_error(e: orcid_push::Error) -> CliError {
    CliError::Io(format!("orcid: {e}"))
}

/// The researchers to push and their inputs.
fn researchers(
    store: &Store,
    client_id: &str,
    args: &PushArgs,
) -> Result<Vec<(OrcidId, Vec<PathBuf>)>, CliError> {
    if let Some(m) = &args.manifest {
        let entries = read_manifest(m).map_err(|e| match e {
            orcid_push::ManifestError::Read { .. } => CliError::Io(format!("orcid: {e}")),
            orcid_push::ManifestError::Invalid { .. } => CliError::Usage(e.to_string()),
        })?;
        return Ok(entries.into_iter().map(|e| (e.orcid, e.items)).collect());
    }
    if args.paths.is_empty() {
        return Err(CliError::Usage(
            "say what to push: folders or files of items (PATH), or --manifest FILE".into(),
        ));
    }
    let orcid = match &args.orcid {
        Some(o) => parse_orcid(o)?,
        None => parse_orcid(&select_token(store, client_id, None)?.orcid)?,
    };
    Ok(vec![(orcid, args.paths.clone())])
}

fn action_detail(a: &Action) -> String {
    match a {
        Action::Create => String::new(),
        Action::Update { put_code }
        | Action::Unchanged { put_code }
        | Action::Delete { put_code } => {
            format!("put-code {put_code}")
        }
        Action::Invalid { reason } => reason.clone(),
    }
}

fn print_plan(p: &Plan) -> Result<(), CliError> {
    let mut out = format!("Plan for {}:\n", p.orcid);
    for s in &p.steps {
        if matches!(s.action, Action::Unchanged { .. }) {
            continue;
        }
        out.push_str(&format!(
            "  {:<10} {:<22} {:<32} {}\n",
            s.action.name(),
            s.kind.name(),
            s.key,
            action_detail(&s.action)
        ));
    }
    if !p.unresolved.is_empty() {
        out.push_str(&format!(
            "  {} write(s) of an interrupted push will be checked against the record first\n",
            p.unresolved.len()
        ));
    }
    let c = p.counts();
    out.push_str(&format!(
        "  {} to create, {} to update, {} unchanged, {} to delete, {} invalid ({} write calls at most)\n",
        c.create,
        c.update,
        c.unchanged,
        c.delete,
        c.invalid,
        p.writes()
    ));
    io::write_stdout(&out)
}

fn outcome_line(o: &ItemOutcome) -> String {
    let pc = o
        .put_code
        .map(|p| format!("put-code {p}"))
        .unwrap_or_default();
    let detail = match &o.outcome {
        Outcome::Recreated { previous } => {
            format!("{pc} (was {previous}: deleted on the record, created again)")
        }
        Outcome::Adopted => format!("{pc} (already on the record from this client: taken over)"),
        Outcome::Invalid { reason } => reason.clone(),
        Outcome::Failed { message, .. } => message.clone(),
        Outcome::Skipped { .. } => "not tried".into(),
        _ => pc,
    };
    format!(
        "  {:<12} {:<22} {:<32} {}\n",
        o.outcome.name(),
        o.kind.name(),
        o.key,
        detail
    )
}

fn print_report(r: &PushReport) -> Result<(), CliError> {
    let mut out = format!("Pushed to {}:\n", r.orcid);
    for rec in &r.recovered {
        out.push_str(&format!(
            "  recovered  {:<22} {:<32} {}\n",
            rec.section,
            rec.key,
            match (rec.op, rec.found) {
                ("create", Some(pc)) => format!("interrupted create: found on the record as {pc}"),
                ("create", None)
                    if r.items
                        .iter()
                        .any(|o| o.kind == rec.section && o.key == rec.key) =>
                {
                    "interrupted create: not on the record, sent again".into()
                }
                ("create", None) => {
                    "interrupted create: not on the record, and no longer local".into()
                }
                (op, _) => format!("interrupted {op}: checked again"),
            }
        ));
    }
    for o in &r.items {
        if o.outcome != Outcome::Unchanged {
            out.push_str(&outcome_line(o));
        }
    }
    let c = r.counts();
    out.push_str(&format!(
        "  {} created, {} updated, {} unchanged, {} deleted, {} adopted, {} recreated, {} failed ({} write calls)\n",
        c.created, c.updated, c.unchanged, c.deleted, c.adopted, c.recreated, c.failed, r.writes
    ));
    io::write_stdout(&out)?;
    if let Some(why) = &r.stopped {
        eprintln!("orcid: the push to {} stopped: {why}", r.orcid);
    }
    Ok(())
}

/// A progress bar on a terminal, and the crash hook for tests.
struct Progress {
    bar: Option<ProgressBar>,
    crash_at: Option<usize>,
    seen: usize,
    /// The researcher.
    orcid: String,
    /// `--wait`, for the message while waiting for another push.
    wait: u64,
}

impl Progress {
    fn new(orcid: &str, human: bool) -> Progress {
        let bar = (human && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_prefix(orcid.to_string());
            bar
        });
        Progress {
            bar,
            crash_at: std::env::var(CRASH_AT_ENV)
                .ok()
                .and_then(|v| v.parse().ok()),
            seen: 0,
            orcid: orcid.to_string(),
            wait: 0,
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Progress {
    fn planned(&mut self, plan: &Plan) {
        if let Some(bar) = &self.bar {
            bar.set_length(plan.steps.len() as u64);
        }
    }

    fn finished(&mut self, outcome: &ItemOutcome) {
        if let Some(bar) = &self.bar {
            bar.set_message(outcome.key.clone());
            bar.inc(1);
        }
    }

    fn waiting(&mut self, holder: Option<&LockHolder>) {
        let who = holder.map_or_else(|| "process unknown".to_string(), |h| h.to_string());
        let line = format!(
            "orcid: another push to {} of this set is running ({who}); waiting up to {} s for it \
             to end",
            self.orcid, self.wait
        );
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn checkpoint(&mut self, _point: Checkpoint) {
        if self.crash_at == Some(self.seen) {
            std::process::abort();
        }
        self.seen += 1;
    }
}

/// `orcid push status`.
fn status(settings: &Settings, a: PushStatusArgs) -> Result<(), CliError> {
    let client_id = settings.client_id()?.to_string();
    let store = settings.open_store()?;
    let io_err = |e: orcid_store::Error| CliError::Io(format!("orcid: store: {e}"));
    let orcids: Vec<String> = match &a.orcid {
        Some(o) => vec![parse_orcid(o)?.0],
        None => store
            .tokens(&client_id)
            .map_err(io_err)?
            .into_iter()
            .map(|t| t.orcid)
            .collect(),
    };
    let pending = store.pending_intents().map_err(io_err)?;
    let mut docs = Vec::new();
    let mut text = String::new();
    for orcid in &orcids {
        let entries: Vec<_> = store
            .entries(orcid)
            .map_err(io_err)?
            .into_iter()
            .filter_map(|e| {
                let key = local_key(&a.set, &e.local_key)?.to_string();
                Some((key, e))
            })
            .collect();
        let unknown: Vec<_> = pending
            .iter()
            .filter(|i| &i.orcid == orcid)
            .filter_map(|i| local_key(&a.set, &i.local_key).map(|k| (k.to_string(), i)))
            .collect();
        text.push_str(&format!("{orcid} (push set `{}`):\n", a.set));
        if entries.is_empty() && unknown.is_empty() {
            text.push_str("  nothing pushed yet\n");
        }
        for (key, e) in &entries {
            text.push_str(&format!(
                "  {:<22} {:<32} put-code {:<10} {:<20} {}\n",
                e.section, key, e.put_code, e.last_result, e.updated_at
            ));
        }
        for (key, i) in &unknown {
            text.push_str(&format!(
                "  {:<22} {:<32} {} started {}: outcome unknown, resolved by the next push\n",
                i.section, key, i.op, i.started_at
            ));
        }
        docs.push(json!({
            "orcid": orcid,
            "set": a.set,
            "items": entries.iter().map(|(key, e)| json!({
                "section": e.section.name(),
                "key": key,
                "put_code": e.put_code,
                "last_result": e.last_result,
                "content_hash": e.content_hash,
                "updated_at": e.updated_at.to_string(),
            })).collect::<Vec<Value>>(),
            "unknown_outcome": unknown.iter().map(|(key, i)| json!({
                "section": i.section.name(),
                "key": key,
                "op": i.op.as_str(),
                "started_at": i.started_at.to_string(),
            })).collect::<Vec<Value>>(),
        }));
    }
    match a.output {
        PushOutput::Human => {
            if orcids.is_empty() {
                text.push_str(&format!(
                    "No researcher is connected to client {client_id} (`orcid auth login`).\n"
                ));
            }
            io::write_stdout(&text)
        }
        PushOutput::Json => io::write_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({ "researchers": docs })).unwrap_or_default()
        )),
    }
}
