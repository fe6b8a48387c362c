//! `cargo xtask bench`: runs the `orcid` CLI (release build) on the corpus
//! of `cargo xtask bench-corpus` and, in the same run, the peers that are
//! installed: `xmllint --stream --schema` (libxml2) and the raw quick-xml
//! parse loop that is the ceiling (`crates/orcid-model/examples/ceiling.rs`).
//! Prints a markdown table of wall time, MB/s, documents/s and peak RSS with
//! ratios to the peers, the issue 6 targets met or not, and the machine and
//! its load during the run.
//!
//! Each command runs `--runs` times; the table shows the fastest run (the
//! least disturbed by other load) and the largest peak RSS. Peak RSS is the
//! child's `ru_maxrss` from `wait4`.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{bail, Context as _, Result};

use crate::bench_corpus::{self, CorpusArgs};

/// Options of `cargo xtask bench`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// The corpus [default: target/bench-corpus; written first if missing]
    #[arg(long, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    /// Runs of each command (the fastest counts)
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Runs of the one-payload latency commands (the median counts)
    #[arg(long, default_value_t = 21)]
    pub latency_runs: usize,
    /// Use the release binaries as they are (no `cargo build --release`)
    #[arg(long)]
    pub no_build: bool,
    /// Also write the report to this file
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// One run of a command.
struct Run {
    secs: f64,
    rss_kb: u64,
    code: i32,
    stdout: String,
    stderr: String,
}

/// GNU time, which measures the peak RSS of the command alone. A child of
/// this process starts with this process's peak RSS (Linux keeps the
/// high-water mark across `exec`), so `wait4` alone over-states it by the
/// harness's own size.
const GNU_TIME: &str = "/usr/bin/time";

/// Runs `cmd` and measures its wall time and peak RSS (with GNU time when
/// `rss` and it is installed, else `wait4`). Standard output is kept when
/// `keep` (else discarded).
fn run_once(cmd: &[OsString], keep: bool, rss: bool) -> Result<Run> {
    let time_out = std::env::temp_dir().join(format!("orcid-bench-rss-{}", std::process::id()));
    let gnu_time = rss && Path::new(GNU_TIME).is_file();
    let mut c = if gnu_time {
        let mut c = Command::new(GNU_TIME);
        c.args(["-f", "%M", "-o"]).arg(&time_out).args(cmd);
        c
    } else {
        let mut c = Command::new(&cmd[0]);
        c.args(&cmd[1..]);
        c
    };
    c.stdin(Stdio::null())
        .stdout(if keep { Stdio::piped() } else { Stdio::null() })
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = c
        .spawn()
        .with_context(|| format!("cannot run {:?}", cmd[0]))?;
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut s);
        }
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut s);
        }
        s
    });
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: a zeroed rusage is a valid value; wait4 fills it in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not waited for yet; the pointers are valid.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let secs = start.elapsed().as_secs_f64();
    if r != pid {
        bail!("wait4 failed for {:?}", cmd[0]);
    }
    let stdout = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let mut rss_kb = usage.ru_maxrss as u64;
    if gnu_time {
        // The last line (GNU time says "Command exited with non-zero
        // status" first when it did).
        let text = fs::read_to_string(&time_out).unwrap_or_default();
        if let Some(kb) = text.lines().last().and_then(|l| l.trim().parse().ok()) {
            rss_kb = kb;
        }
        let _ = fs::remove_file(&time_out);
    }
    Ok(Run {
        secs,
        rss_kb,
        code,
        stdout,
        stderr,
    })
}

/// A measured command.
struct Row {
    input: String,
    tool: String,
    threads: String,
    bytes: u64,
    docs: u64,
    secs: f64,
    rss_kb: u64,
    note: String,
}

impl Row {
    fn mb_s(&self) -> f64 {
        self.bytes as f64 / 1e6 / self.secs
    }
}

/// What a case measures.
struct Case {
    input: String,
    tool: String,
    threads: String,
    cmd: Vec<OsString>,
    bytes: u64,
    docs: u64,
    /// Keep standard output (for the verdicts).
    keep: bool,
}

fn os(items: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    items.iter().map(|s| s.as_ref().to_os_string()).collect()
}

/// The `.xml` files under `dir`, sorted.
fn xml_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "xml") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out
}

fn size_of(paths: &[PathBuf]) -> u64 {
    paths
        .iter()
        .map(|p| fs::metadata(p).map_or(0, |m| m.len()))
        .sum()
}

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn shell(cmd: &str) -> String {
    Command::new("sh")
        .args(["-c", cmd])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim_end().to_string())
        .unwrap_or_default()
}

/// CPU time of the whole machine so far (busy, total), in ticks.
fn cpu_ticks() -> (u64, u64) {
    let stat = fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = stat.lines().next() else {
        return (0, 0);
    };
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    let total: u64 = v.iter().sum();
    let idle = v.get(3).copied().unwrap_or(0) + v.get(4).copied().unwrap_or(0);
    (total - idle, total)
}

/// CPU time of this process's children so far, in seconds.
fn children_cpu() -> f64 {
    // SAFETY: a zeroed rusage is valid; getrusage fills it in.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointer.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

fn build() -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for args in [
        &["build", "--release", "-p", "orcid-cli", "--bin", "orcid"][..],
        &[
            "build",
            "--release",
            "-p",
            "orcid-model",
            "--example",
            "ceiling",
        ][..],
    ] {
        let status = Command::new(&cargo)
            .current_dir(bench_corpus::workspace())
            .args(args)
            .status()?;
        if !status.success() {
            bail!("cargo {} failed", args.join(" "));
        }
    }
    Ok(())
}

/// Counts in the human summary line of `orcid validate`.
fn summary(stdout: &str) -> Option<(u64, u64)> {
    let line = stdout.lines().rev().find(|l| l.contains(" valid, "))?;
    let nums: Vec<u64> = line
        .split(", ")
        .filter_map(|part| part.split_whitespace().next()?.parse().ok())
        .collect();
    Some((*nums.first()?, *nums.get(1)?))
}

/// The corpus, the binaries and the peers that a run measures.
struct Setup {
    dir: PathBuf,
    orcid: PathBuf,
    ceiling: PathBuf,
    xmllint: bool,
    wrapper: PathBuf,
    cores: usize,
    all: String,
    manifest: String,
}

impl Setup {
    /// The count of works the corpus MANIFEST gives for `name` (1 if none).
    fn works_in(&self, name: &str) -> u64 {
        self.manifest
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split('\t').nth(1))
            .and_then(|c| c.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(1)
    }
}

/// Writes the corpus if missing, builds the release binaries and finds the peers.
fn prepare(args: &BenchArgs) -> Result<Setup> {
    let dir = args
        .corpus
        .clone()
        .unwrap_or_else(bench_corpus::default_dir);
    if !dir.join("MANIFEST").is_file() {
        println!("no corpus in {}: writing it first", dir.display());
        bench_corpus::run(CorpusArgs {
            out: Some(dir.clone()),
            ..CorpusArgs::default()
        })?;
    }
    if !args.no_build {
        build()?;
    }
    let release = bench_corpus::workspace().join("target/release");
    let orcid = release.join("orcid");
    let ceiling = release.join("examples/ceiling");
    for p in [&orcid, &ceiling] {
        if !p.is_file() {
            bail!("{} is missing: run without --no-build", p.display());
        }
    }
    let xmllint = have("xmllint");
    let wrapper = bench_corpus::write_wrapper(&dir)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let all = cores.to_string();
    let manifest = fs::read_to_string(dir.join("MANIFEST"))?;
    Ok(Setup {
        dir,
        orcid,
        ceiling,
        xmllint,
        wrapper,
        cores,
        all,
        manifest,
    })
}

/// An input as its cases show it: the label, bytes and documents.
struct Input {
    input: String,
    bytes: u64,
    docs: u64,
}

impl Input {
    /// The case of `tool` on this input with `threads` threads, running `cmd`.
    fn case(&self, tool: &str, threads: &str, cmd: Vec<OsString>, keep: bool) -> Case {
        Case {
            input: self.input.clone(),
            tool: tool.into(),
            threads: threads.into(),
            cmd,
            bytes: self.bytes,
            docs: self.docs,
            keep,
        }
    }
}

/// The cases of the bulk file `name` (when `huge`: no ceiling, no 1-thread runs).
fn bulk_cases(setup: &Setup, name: &str, huge: bool, cases: &mut Vec<Case>) {
    let file = setup.dir.join(name);
    if !file.is_file() {
        return;
    }
    let bytes = fs::metadata(&file).map_or(0, |m| m.len());
    let docs = setup.works_in(name);
    let input = Input {
        input: format!("{name} ({} works)", docs),
        bytes,
        docs,
    };
    let (orcid, all) = (&setup.orcid, setup.all.as_str());
    if !huge {
        cases.push(input.case(
            "ceiling: quick-xml NsReader loop",
            "1",
            os(&[&setup.ceiling, &file]),
            false,
        ));
    }
    for (j, label) in [("1", "1"), (all, all)] {
        if huge && j == "1" {
            continue;
        }
        cases.push(input.case(
            "orcid convert (to JSON)",
            label,
            os(&[orcid, &"convert", &"--api", &"2.1", &"-j", &j, &file]),
            false,
        ));
    }
    for (j, label) in [("1", "1"), (all, all)] {
        if huge && j == "1" {
            continue;
        }
        cases.push(input.case(
            "orcid validate",
            label,
            os(&[orcid, &"validate", &"-q", &"-j", &j, &file]),
            true,
        ));
    }
    if setup.xmllint {
        cases.push(input.case(
            "xmllint --stream --schema",
            "1",
            os(&[
                &"xmllint",
                &"--stream",
                &"--noout",
                &"--schema",
                &setup.wrapper,
                &file,
            ]),
            true,
        ));
    }
}

/// The unhappy path: `bulk-50mb.xml` with a bad type in every work (a
/// finding per work, 14,500), written next to it once, in the human
/// format: the first 20 findings drawn and the rest counted, and every one
/// drawn. Both are linear in the findings (it took 28 s for 2,049 findings
/// when every finding re-read the source).
fn findings_cases(setup: &Setup, cases: &mut Vec<Case>) -> Result<()> {
    let source = setup.dir.join("bulk-50mb.xml");
    let file = setup.dir.join("bulk-50mb-findings.xml");
    if !source.is_file() {
        return Ok(());
    }
    if !file.is_file() {
        let text = fs::read_to_string(&source)?;
        fs::write(&file, text.replace("<work:type>", "<work:type>not-a-"))
            .with_context(|| format!("writing {}", file.display()))?;
    }
    let docs = setup.works_in("bulk-50mb.xml");
    let input = Input {
        input: format!("bulk-50mb-findings.xml ({docs} findings)"),
        bytes: fs::metadata(&file).map_or(0, |m| m.len()),
        docs,
    };
    let (orcid, all) = (&setup.orcid, setup.all.as_str());
    for (tool, max) in [
        ("orcid validate (20 drawn)", "20"),
        ("orcid validate (all drawn)", "0"),
    ] {
        cases.push(input.case(
            tool,
            all,
            os(&[
                orcid,
                &"validate",
                &"--max-findings",
                &max,
                &"-j",
                &all,
                &file,
            ]),
            true,
        ));
    }
    Ok(())
}

/// The cases of the directory `name` of single files of API version `api`,
/// shown as `label`.
fn dir_cases(setup: &Setup, name: &str, label: &str, api: &str, cases: &mut Vec<Case>) {
    let d = setup.dir.join(name);
    let files = xml_files(&d);
    let bytes = size_of(&files);
    let docs = files.len() as u64;
    let input = Input {
        input: label
            .replace("5,000", &docs.to_string())
            .replace("10,000", &docs.to_string()),
        bytes,
        docs,
    };
    cases.push(input.case(
        "ceiling: quick-xml NsReader loop",
        "1",
        os(&[&setup.ceiling, &d]),
        false,
    ));
    convert_and_validate_cases(setup, &input, d.as_os_str(), api, cases);
    if setup.xmllint && api == "2.1" {
        let mut cmd = os(&[
            &"xmllint",
            &"--stream",
            &"--noout",
            &"--schema",
            &setup.wrapper,
        ]);
        cmd.extend(files.iter().map(|f| f.as_os_str().to_os_string()));
        cases.push(input.case("xmllint --stream --schema", "1", cmd, true));
    }
}

/// `orcid convert --jsonl` and `orcid validate` of `target` (API version
/// `api`), on one thread and on every core.
fn convert_and_validate_cases(
    setup: &Setup,
    input: &Input,
    target: &std::ffi::OsStr,
    api: &str,
    cases: &mut Vec<Case>,
) {
    let orcid = &setup.orcid;
    for j in ["1", setup.all.as_str()] {
        cases.push(input.case(
            "orcid convert --jsonl",
            j,
            os(&[
                orcid, &"convert", &"--api", &api, &"--jsonl", &"-j", &j, &target,
            ]),
            false,
        ));
    }
    for j in ["1", setup.all.as_str()] {
        cases.push(input.case(
            "orcid validate",
            j,
            os(&[
                orcid,
                &"validate",
                &"--api",
                &api,
                &"-q",
                &"-j",
                &j,
                &target,
            ]),
            true,
        ));
    }
}

/// The cases of `records.tar.gz`, if the corpus has it.
fn archive_cases(setup: &Setup, cases: &mut Vec<Case>) {
    let tgz = setup.dir.join("records.tar.gz");
    if !tgz.is_file() {
        return;
    }
    let bytes = size_of(&xml_files(&setup.dir.join("records")));
    let docs = setup.works_in("records.tar.gz");
    let input = Input {
        input: format!(
            "records.tar.gz ({docs} records, {:.1} MB compressed)",
            fs::metadata(&tgz).map_or(0, |m| m.len()) as f64 / 1e6
        ),
        bytes,
        docs,
    };
    cases.push(input.case(
        "ceiling: gunzip + tar + NsReader loop",
        "1",
        os(&[&setup.ceiling, &tgz]),
        false,
    ));
    convert_and_validate_cases(setup, &input, tgz.as_os_str(), "2.1", cases);
}

/// Every measured command, in the order of the table.
fn cases(setup: &Setup) -> Result<Vec<Case>> {
    let mut cases: Vec<Case> = Vec::new();
    bulk_cases(setup, "bulk-50mb.xml", false, &mut cases);
    findings_cases(setup, &mut cases)?;
    bulk_cases(setup, "bulk-1gb.xml", true, &mut cases);
    for (name, label, api) in [
        ("records", "records/ (5,000 record files)", "2.1"),
        ("works", "works/ (10,000 work payloads)", "2.1"),
        (
            "works-v3.0",
            "works-v3.0/ (the 10,000 works in API v3.0)",
            "3.0",
        ),
    ] {
        if setup.dir.join(name).is_dir() {
            dir_cases(setup, name, label, api, &mut cases);
        }
    }
    archive_cases(setup, &mut cases);
    Ok(cases)
}

/// The verdicts column of a case from its fastest run.
fn verdicts(case: &Case, best: &Run) -> String {
    let mut note = String::new();
    if case.tool.starts_with("orcid validate") {
        match summary(&best.stdout) {
            Some((files, valid)) => {
                let _ = write!(note, "{valid}/{files} valid");
                let xsd_errors = best
                    .stdout
                    .lines()
                    .filter(|l| l.contains("error[xsd.") || l.contains("error[syntax]"))
                    .count();
                if valid < files && xsd_errors == 0 {
                    let _ = write!(note, " (XSD: all valid; ORCID rules: ");
                    let codes: Vec<&str> = best
                        .stdout
                        .lines()
                        .filter_map(|l| l.split("error[").nth(1)?.split(']').next())
                        .collect();
                    let mut uniq = codes.clone();
                    uniq.sort();
                    uniq.dedup();
                    let _ = write!(note, "{})", uniq.join(", "));
                }
            }
            None => {
                let _ = write!(
                    note,
                    "exit {}: {}",
                    best.code,
                    best.stderr.lines().next().unwrap_or("")
                );
            }
        }
    } else if case.tool.starts_with("xmllint") {
        let ok = best
            .stderr
            .lines()
            .filter(|l| l.ends_with(" validates"))
            .count();
        let bad = best
            .stderr
            .lines()
            .filter(|l| l.ends_with(" fails to validate"))
            .count();
        let _ = write!(note, "{ok}/{} valid", ok + bad);
    } else if best.code != 0 {
        let _ = write!(
            note,
            "exit {}: {}",
            best.code,
            best.stderr.lines().next().unwrap_or("")
        );
    }
    note
}

/// Runs a case `runs` times (the 1 GB file once), logs it and makes its row.
fn measure(case: &Case, runs: usize) -> Result<Option<Row>> {
    let huge = case.input.starts_with("bulk-1gb");
    let runs = if huge { 1 } else { runs.max(1) };
    let mut best: Option<Run> = None;
    let mut rss = 0;
    for _ in 0..runs {
        let r = run_once(&case.cmd, case.keep, true)?;
        rss = rss.max(r.rss_kb);
        if best.as_ref().is_none_or(|b| r.secs < b.secs) {
            best = Some(r);
        }
    }
    let Some(best) = best else { return Ok(None) };
    let note = verdicts(case, &best);
    eprintln!(
        "{:<44} {:<36} j{:<2} {:>8.3} s {:>8.1} MB/s {:>7} MB RSS  {note}",
        case.input,
        case.tool,
        case.threads,
        best.secs,
        case.bytes as f64 / 1e6 / best.secs,
        rss / 1024
    );
    Ok(Some(Row {
        input: case.input.clone(),
        tool: case.tool.clone(),
        threads: case.threads.clone(),
        bytes: case.bytes,
        docs: case.docs,
        secs: best.secs,
        rss_kb: rss,
        note,
    }))
}

/// Latency of one payload: (label, median s, fastest s, peak RSS KB) per command.
fn measure_latency(setup: &Setup, latency_runs: usize) -> Result<Vec<(String, f64, f64, u64)>> {
    let one = setup.dir.join("work.xml");
    let mut latency: Vec<(String, f64, f64, u64)> = Vec::new();
    let mut lat_cmds = vec![(
        "orcid validate work.xml",
        os(&[&setup.orcid, &"validate", &one]),
    )];
    if setup.xmllint {
        lat_cmds.push((
            "xmllint --stream --schema work.xml",
            os(&[
                &"xmllint",
                &"--stream",
                &"--noout",
                &"--schema",
                &setup.wrapper,
                &one,
            ]),
        ));
    }
    for (label, cmd) in lat_cmds {
        let mut times = Vec::new();
        let mut rss = 0;
        for _ in 0..latency_runs.max(1) {
            let r = run_once(&cmd, false, false)?;
            times.push(r.secs);
            rss = rss.max(r.rss_kb);
        }
        times.sort_by(f64::total_cmp);
        latency.push((label.into(), times[times.len() / 2], times[0], rss));
    }
    Ok(latency)
}

/// Runs `cargo xtask bench`.
pub fn run(args: BenchArgs) -> Result<()> {
    let setup = prepare(&args)?;
    let cases = cases(&setup)?;

    let start = LoadStart::now();
    let mut rows: Vec<Row> = Vec::new();
    for case in &cases {
        if let Some(row) = measure(case, args.runs)? {
            rows.push(row);
        }
    }
    let latency = measure_latency(&setup, args.latency_runs)?;
    let load = start.finish(setup.cores);

    let report = render(&rows, &latency, &load, args.runs, args.latency_runs);
    println!("{report}");
    if let Some(p) = &args.output {
        fs::write(p, &report)?;
    }
    Ok(())
}

/// The load average and CPU counters when the measuring starts.
struct LoadStart {
    before: String,
    busy: u64,
    total: u64,
    cpu: f64,
    started: Instant,
}

impl LoadStart {
    /// Reads the load average and the CPU counters now.
    fn now() -> Self {
        let before = shell("cat /proc/loadavg");
        let (busy, total) = cpu_ticks();
        let cpu = children_cpu();
        let started = Instant::now();
        Self {
            before,
            busy,
            total,
            cpu,
            started,
        }
    }

    /// The load of the machine (of `cores` cores) from `self` until now.
    fn finish(self, cores: usize) -> Load {
        let elapsed = self.started.elapsed().as_secs_f64();
        let (busy1, total1) = cpu_ticks();
        let ours = children_cpu() - self.cpu;
        let after = shell("cat /proc/loadavg");
        let ticks_per_sec = 100.0;
        let machine_busy = (busy1 - self.busy) as f64 / ticks_per_sec;
        let capacity = (total1 - self.total) as f64 / ticks_per_sec;
        let others = (machine_busy - ours).max(0.0);
        Load {
            before: self.before,
            after,
            elapsed,
            capacity,
            ours,
            others,
            cores,
        }
    }
}

struct Load {
    before: String,
    after: String,
    elapsed: f64,
    capacity: f64,
    ours: f64,
    others: f64,
    cores: usize,
}

fn find<'a>(rows: &'a [Row], input: &str, tool: &str, threads: &str) -> Option<&'a Row> {
    rows.iter()
        .find(|r| r.input.starts_with(input) && r.tool.starts_with(tool) && r.threads == threads)
}

/// The markdown report: machine, throughput, one payload and the targets.
fn render(
    rows: &[Row],
    latency: &[(String, f64, f64, u64)],
    load: &Load,
    runs: usize,
    latency_runs: usize,
) -> String {
    let mut s = String::new();
    render_machine(&mut s, load);
    render_throughput(&mut s, rows, runs);
    render_latency(&mut s, latency, latency_runs);
    render_targets(&mut s, rows, latency, load);
    s
}

/// The "Machine" section: CPUs, memory and the load during the run.
fn render_machine(s: &mut String, load: &Load) {
    let _ = writeln!(s, "## Machine\n");
    let _ = writeln!(s, "```\n$ nproc\n{}", shell("nproc"));
    let _ = writeln!(s, "$ lscpu | head -n 20\n{}", shell("lscpu | head -n 20"));
    let _ = writeln!(s, "$ free -h\n{}\n```\n", shell("free -h"));
    let _ = writeln!(
        s,
        "Load during the run: /proc/loadavg {} before and {} after; over the {:.0} s \
         run the machine's {} cores had {:.0} CPU-seconds, of which these benchmarks used \
         {:.0} and other processes {:.0} ({:.0}% of the machine).\n",
        load.before,
        load.after,
        load.elapsed,
        load.cores,
        load.capacity,
        load.ours,
        load.others,
        100.0 * load.others / load.capacity.max(1e-9)
    );
}

/// The "Throughput" section: one table row per measured command.
fn render_throughput(s: &mut String, rows: &[Row], runs: usize) {
    let _ = writeln!(
        s,
        "## Throughput\n\nFastest of {runs} runs; peak RSS is the largest of the runs. 1 MB = \
         10^6 bytes of XML input (for the archive: uncompressed). `vs ceiling` is MB/s over \
         the ceiling's MB/s on the same input; `vs xmllint` is xmllint's time over ours.\n"
    );
    let _ = writeln!(
        s,
        "| input | tool | threads | wall s | MB/s | docs/s | peak RSS MB | vs ceiling | vs xmllint | verdicts |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for r in rows {
        let key = r.input.split(' ').next().unwrap_or("");
        let ceiling = rows
            .iter()
            .find(|c| c.input.split(' ').next() == Some(key) && c.tool.starts_with("ceiling"));
        let lint = rows
            .iter()
            .find(|c| c.input.split(' ').next() == Some(key) && c.tool.starts_with("xmllint"));
        let vs_ceiling = match ceiling {
            Some(c) if !r.tool.starts_with("ceiling") => format!("{:.2}", r.mb_s() / c.mb_s()),
            _ => String::new(),
        };
        let vs_lint = match lint {
            Some(l) if r.tool.starts_with("orcid validate") => format!("{:.2}", l.secs / r.secs),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.3} | {:.1} | {:.0} | {:.1} | {} | {} | {} |",
            r.input,
            r.tool,
            r.threads,
            r.secs,
            r.mb_s(),
            r.docs as f64 / r.secs,
            r.rss_kb as f64 / 1024.0,
            vs_ceiling,
            vs_lint,
            r.note
        );
    }
}

/// The "One payload" section: median and fastest latency per command.
fn render_latency(s: &mut String, latency: &[(String, f64, f64, u64)], latency_runs: usize) {
    let _ = writeln!(
        s,
        "\n## One payload\n\nMedian (and fastest) wall time of {latency_runs} runs, process \
         start to exit.\n"
    );
    let _ = writeln!(s, "| command | median ms | fastest ms |");
    let _ = writeln!(s, "|---|---:|---:|");
    for (label, median, fastest, _) in latency {
        let _ = writeln!(
            s,
            "| {label} | {:.2} | {:.2} |",
            median * 1e3,
            fastest * 1e3
        );
    }
}

/// The "Targets of issue 6" section: each target, what was measured and whether it is met.
fn render_targets(s: &mut String, rows: &[Row], latency: &[(String, f64, f64, u64)], load: &Load) {
    let all = load.cores.to_string();
    let _ = writeln!(s, "\n## Targets of issue 6\n");
    let _ = writeln!(s, "| target | measured | met |");
    let _ = writeln!(s, "|---|---|---|");
    let mut target = |what: &str, measured: String, met: Option<bool>| {
        let m = match met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "n/a",
        };
        let _ = writeln!(s, "| {what} | {measured} | {m} |");
    };
    let conv = find(rows, "bulk-50mb", "orcid convert", "1");
    let ceil = find(rows, "bulk-50mb", "ceiling", "1");
    match (conv, ceil) {
        (Some(c), Some(k)) => target(
            "convert XML -> JSON >= 0.5x the raw quick-xml parse, 1 thread (bulk)",
            format!(
                "{:.1} vs {:.1} MB/s = {:.2}x",
                c.mb_s(),
                k.mb_s(),
                c.mb_s() / k.mb_s()
            ),
            Some(c.mb_s() / k.mb_s() >= 0.5),
        ),
        _ => target("convert vs ceiling", "not measured".into(), None),
    }
    for input in ["bulk-50mb", "records/", "works/"] {
        let lint = find(rows, input, "xmllint", "1");
        for threads in ["1", all.as_str()] {
            if let (Some(v), Some(l)) = (find(rows, input, "orcid validate", threads), lint) {
                target(
                    &format!("validate >= 2x xmllint --stream, {input}, {threads} thread(s)"),
                    format!("{:.2}x", l.secs / v.secs),
                    Some(l.secs / v.secs >= 2.0),
                );
            }
        }
    }
    if load.cores >= 2 {
        for input in ["records/", "works/", "records.tar.gz", "bulk-50mb"] {
            for tool in ["orcid validate", "orcid convert"] {
                if let (Some(one), Some(two)) =
                    (find(rows, input, tool, "1"), find(rows, input, tool, &all))
                {
                    target(
                        &format!("{tool} {input}: >= 1.8x from 1 to {all} threads"),
                        format!("{:.2}x", one.secs / two.secs),
                        Some(one.secs / two.secs >= 1.8),
                    );
                }
            }
        }
    }
    let worst = rows
        .iter()
        .filter(|r| r.tool.starts_with("orcid"))
        .max_by_key(|r| r.rss_kb);
    if let Some(w) = worst {
        target(
            "peak RSS < 100 MB for every corpus input",
            format!(
                "largest {:.1} MB ({} {}, {} threads)",
                w.rss_kb as f64 / 1024.0,
                w.tool,
                w.input,
                w.threads
            ),
            Some(w.rss_kb < 100 * 1024),
        );
    }
    if let Some((_, median, _, _)) = latency.first() {
        target(
            "`orcid validate work.xml` < 10 ms",
            format!("median {:.2} ms", median * 1e3),
            Some(*median < 0.010),
        );
    }
}
