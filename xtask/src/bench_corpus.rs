//! `cargo xtask bench-corpus`: the deterministic corpus of issue 6, written
//! outside the repository (default `target/bench-corpus/`).
//!
//! Everything is made from ORCID's upstream samples through the model
//! (`schemas/cache/record_2.1/samples/`), varied by a seeded generator, and
//! written by the model, so it is schema-valid; a sample of every kind is
//! checked with the XSD layer (and the works with ORCID's rules) before the
//! corpus is declared done.
//!
//! | file | what |
//! |---|---|
//! | `bulk-50mb.xml` | one `<bulk:bulk>` of ~20,000 varied works, ~50 MB |
//! | `bulk-1gb.xml` | the same, ~1 GB (only with `--huge`) |
//! | `records/ORCID_2023_10_summaries/XYZ/ID.xml` | 5,000 varied `record:record` files, laid out like ORCID's public data file (XYZ = the iD's last three characters) |
//! | `records.tar.gz` | the same files in one archive, at the same paths |
//! | `works/work-NNNNN.xml` | 10,000 small `work:work` payloads |
//! | `works-v3.0/work-NNNNN.xml` | the same works upgraded to API v3.0 (`orcid_model::convert::upgrade`) |
//! | `work.xml` | one payload (latency) |
//! | `orcid-wrapper.xsd` | a schema importing every v2.1 entry schema, for `xmllint --schema` |
//! | `MANIFEST` | counts and sizes |

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use orcid_model::v2_1::bulk::{Bulk, BulkItem};
use orcid_model::v2_1::common::{ExternalId, OrcidIdentifier, PublicationDate};
use orcid_model::v2_1::work::{Contributor, Work, WorkContributors};
use orcid_model::xml::XmlValue;
use orcid_model::{Document, Root};

/// Options of `cargo xtask bench-corpus`.
#[derive(Debug, Clone, clap::Args)]
pub struct CorpusArgs {
    /// Where to write the corpus [default: target/bench-corpus]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Size of the bulk file, in MB
    #[arg(long, default_value_t = 50)]
    pub bulk_mb: u64,
    /// Number of record files
    #[arg(long, default_value_t = 5_000)]
    pub records: usize,
    /// Number of small work payloads
    #[arg(long, default_value_t = 10_000)]
    pub works: usize,
    /// Also write a ~1 GB bulk (bulk-1gb.xml), for the memory target
    #[arg(long)]
    pub huge: bool,
}

impl Default for CorpusArgs {
    fn default() -> Self {
        CorpusArgs {
            out: None,
            bulk_mb: 50,
            records: 5_000,
            works: 10_000,
            huge: false,
        }
    }
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The default corpus directory.
pub fn default_dir() -> PathBuf {
    workspace().join("target").join("bench-corpus")
}

/// The seed: the corpus is the same on every machine.
const SEED: u64 = 0x0002_C1D2_0231_0001;

/// SplitMix64: small, fast, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo).max(1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick(&mut self, items: &[&'static str]) -> &'static str {
        items[self.range(0, items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "analysis",
    "of",
    "the",
    "protein",
    "folding",
    "in",
    "quantum",
    "systems",
    "a",
    "study",
    "on",
    "climate",
    "variability",
    "across",
    "northern",
    "europe",
    "towards",
    "robust",
    "machine",
    "learning",
    "for",
    "genomic",
    "data",
    "evidence",
    "from",
    "randomised",
    "trials",
    "neural",
    "networks",
    "and",
    "their",
    "applications",
    "to",
    "medical",
    "imaging",
    "open",
    "science",
    "persistent",
    "identifiers",
    "scholarly",
    "communication",
    "soil",
    "microbiome",
    "dynamics",
    "under",
    "drought",
    "stress",
    "graph",
    "theory",
    "linear",
    "algebra",
    "renaissance",
    "poetry",
    "urban",
    "mobility",
    "policy",
    "ethics",
    "catalysis",
    "perovskite",
    "solar",
    "cells",
    "ocean",
    "acidification",
    "coral",
    "reefs",
    "bayesian",
    "inference",
    "with",
    "sparse",
    "priors",
    "économie",
    "société",
    "Größe",
    "Übersicht",
    "naïve",
    "café",
    "données",
    "研究",
    "データ",
    "физика",
    "R&D",
    "<i>",
    "\"quoted\"",
    "it's",
    "O(n log n)",
    "CO₂",
    "α-helix",
    "β-sheet",
];

const GIVEN: &[&str] = &[
    "Ana", "Wei", "Fatima", "John", "María", "Olufemi", "Sven", "Yuki", "Priya", "Léa", "Mohammed",
    "Chloé", "Jörg", "Aiko", "Carlos", "Ngozi", "Ivan", "Siobhán", "Dmitri", "Zhang", "Laure",
    "Tomás", "Ingrid", "Kwame",
];

const FAMILY: &[&str] = &[
    "Haak",
    "Silva",
    "Nguyen",
    "Müller",
    "García",
    "Okafor",
    "Johansson",
    "Tanaka",
    "Patel",
    "Dubois",
    "Al-Farsi",
    "Kowalski",
    "O'Brien",
    "Rossi",
    "Smith",
    "Ivanova",
    "Chen",
    "Mensah",
    "Fernández",
    "Schmidt",
    "Yamamoto",
    "Novak",
];

const TYPES: &[&str] = &[
    "journal-article",
    "journal-article",
    "journal-article",
    "journal-article",
    "book",
    "book-chapter",
    "conference-paper",
    "conference-abstract",
    "data-set",
    "dissertation",
    "report",
    "working-paper",
    "other",
    "patent",
    "online-resource",
    "edited-book",
    "lecture-speech",
    "translation",
    "website",
];

const LANGS: &[&str] = &["en", "en", "en", "fr", "de", "es", "pt", "ja", "it", "ru"];
const COUNTRIES: &[&str] = &[
    "US", "GB", "DE", "FR", "JP", "BR", "IN", "NG", "ZA", "AU", "NZ",
];

fn px<T: XmlValue>(text: &str) -> T {
    match T::parse_xml(text) {
        Ok(v) => v,
        Err(e) => panic!("`{text}`: {e}"),
    }
}

fn words(rng: &mut Rng, lo: u64, hi: u64) -> String {
    let n = rng.range(lo, hi);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => s,
    }
}

/// A random ORCID iD with a valid check character (ISO 7064 11,2).
pub fn orcid_id(rng: &mut Rng) -> String {
    let digits: Vec<u32> = (0..15)
        .map(|i| {
            if i < 7 {
                if i == 6 {
                    rng.range(0, 4) as u32
                } else {
                    0
                }
            } else {
                rng.range(0, 10) as u32
            }
        })
        .collect();
    let mut total = 0u32;
    for d in &digits {
        total = (total + d) * 2;
    }
    let check = (12 - total % 11) % 11;
    let c = if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10).unwrap_or('0')
    };
    let s: String = digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .chain(std::iter::once(c))
        .collect();
    format!("{}-{}-{}-{}", &s[0..4], &s[4..8], &s[8..12], &s[12..16])
}

/// The upstream samples the corpus is made from.
struct Templates {
    full: Work,
    simple: Work,
    record: String,
}

fn sample(rel: &str) -> Result<String> {
    let p = workspace()
        .join("schemas/cache/record_2.1/samples")
        .join(rel);
    fs::read_to_string(&p)
        .with_context(|| format!("{}: run `cargo xtask sync-schemas` first", p.display()))
}

fn read_work(rel: &str) -> Result<Work> {
    match Document::from_xml(&sample(rel)?)? {
        Document::WorkWork(w) => Ok(*w),
        _ => bail!("{rel} is not a work"),
    }
}

impl Templates {
    fn load() -> Result<Templates> {
        let record = Document::from_xml(&sample("read_samples/record-2.1.xml")?)?;
        Ok(Templates {
            full: read_work("write_sample/work-full-2.1.xml")?,
            simple: read_work("write_sample/work-simple-2.1.xml")?,
            record: record.to_json(false)?,
        })
    }
}

/// Work number `n`: varied title, type, ids, dates, contributors, text.
fn work(t: &Templates, rng: &mut Rng, n: u64) -> Work {
    let mut w = if rng.chance(0.6) {
        t.full.clone()
    } else {
        t.simple.clone()
    };
    // The templates have a title.
    if let Some(title) = &mut w.title {
        title.title = Some(words(rng, 3, 16));
        title.subtitle = rng.chance(0.3).then(|| words(rng, 2, 8));
        if let Some(tt) = &mut title.translated_title {
            tt.value = words(rng, 3, 10);
            tt.language_code = Some(px(rng.pick(LANGS)));
        }
    }
    w.r#type = Some(px(rng.pick(TYPES)));
    if w.journal_title.is_some() || rng.chance(0.3) {
        w.journal_title = Some(format!("Journal of {}", words(rng, 1, 4)));
    }
    if rng.chance(0.4) {
        w.short_description = Some(words(rng, 10, 120));
    }
    if let Some(c) = &mut w.citation {
        c.citation_value = Some(format!(
            "@article{{bench{n}, title = {{{}}}, year = {{{}}}}}",
            words(rng, 3, 10),
            rng.range(1950, 2025)
        ));
    }
    let year = rng.range(1950, 2025);
    let month = rng.chance(0.8).then(|| rng.range(1, 13));
    let day = month.and_then(|_| rng.chance(0.6).then(|| rng.range(1, 29)));
    w.publication_date = Some(PublicationDate {
        year: Some(px(&year.to_string())),
        month: month.map(|m| px(&format!("{m:02}"))),
        day: day.map(|d| px(&format!("{d:02}"))),
    });
    if let Some(ids) = &mut w.external_ids {
        let template: ExternalId = ids.external_id[0].clone();
        let mut list = Vec::new();
        let doi = format!("10.{}/bench.{n}", rng.range(1000, 99999));
        list.push(ExternalId {
            external_id_type: Some("doi".into()),
            external_id_value: Some(doi.clone()),
            external_id_url: Some(px(&format!("https://doi.org/{doi}"))),
            external_id_relationship: Some(px("self")),
            ..template.clone()
        });
        for k in 0..rng.range(0, 3) {
            let (ty, value) = match rng.range(0, 4) {
                0 => ("pmid", format!("{}", 10_000_000 + n * 7 + k)),
                1 => ("source-work-id", format!("bench-{n}-{k}")),
                2 => {
                    let serial = n * 3 + k;
                    (
                        "arxiv",
                        format!("{}.{:05}", 1000 + serial / 100_000, serial % 100_000),
                    )
                }
                _ => ("handle", format!("20.500.{}/{n}", 10_000 + k)),
            };
            list.push(ExternalId {
                external_id_type: Some(ty.into()),
                external_id_value: Some(value),
                external_id_url: None,
                external_id_relationship: Some(px("self")),
                ..template.clone()
            });
        }
        if rng.chance(0.2) {
            list.push(ExternalId {
                external_id_type: Some("issn".into()),
                external_id_value: Some(format!(
                    "{:04}-{:04}",
                    rng.range(1000, 9999),
                    rng.range(1000, 9999)
                )),
                external_id_url: None,
                external_id_relationship: Some(px("part-of")),
                ..template
            });
        }
        ids.external_id = list;
    }
    if w.url.is_some() || rng.chance(0.2) {
        w.url = Some(px(&format!("https://example.org/works/{n}")));
    }
    let template = t
        .full
        .contributors
        .as_ref()
        .map(|c| c.contributor[0].clone());
    if let Some(template) = template {
        let count = rng.range(0, 7);
        let contributor: Vec<Contributor> = (0..count)
            .map(|i| {
                let mut c = template.clone();
                c.credit_name = Some(format!("{} {}", rng.pick(GIVEN), rng.pick(FAMILY)));
                c.contributor_orcid = rng.chance(0.5).then(|| {
                    let id = orcid_id(rng);
                    OrcidIdentifier {
                        uri: Some(format!("https://orcid.org/{id}")),
                        path: Some(px(&id)),
                        host: Some("orcid.org".into()),
                    }
                });
                if let Some(a) = &mut c.contributor_attributes {
                    a.contributor_sequence = Some(px(if i == 0 { "first" } else { "additional" }));
                    a.contributor_role =
                        Some(px(if rng.chance(0.8) { "author" } else { "editor" }));
                }
                c
            })
            .collect();
        w.contributors = (!contributor.is_empty()).then_some(WorkContributors { contributor });
    }
    w.language_code = rng.chance(0.7).then(|| px(rng.pick(LANGS)));
    if let Some(c) = &mut w.country {
        c.value = px(rng.pick(COUNTRIES));
    }
    w
}

/// The XML of `works` as the items of a bulk (without the bulk's tags).
fn bulk_items_xml(works: Vec<Work>) -> String {
    let doc = Document::BulkBulk(Box::new(Bulk {
        bulk: works
            .into_iter()
            .map(|w| BulkItem::Work(Box::new(w)))
            .collect(),
    }));
    let xml = doc.to_xml(true);
    let start = xml.find("\n    <").map_or(0, |i| i + 1);
    let end = xml.rfind("</bulk:bulk>").unwrap_or(xml.len());
    xml[start..end].to_string()
}

/// The bulk's start tag and its namespace declarations, as the model writes
/// them.
fn bulk_head() -> String {
    let xml = Document::BulkBulk(Box::new(Bulk { bulk: Vec::new() })).to_xml(true);
    let end = xml.find("</bulk:bulk>").unwrap_or(xml.len());
    let mut head = xml[..end].replace("/>", ">");
    if !head.ends_with('\n') {
        head.push('\n');
    }
    head
}

/// Writes a bulk of about `bytes` bytes; returns the number of works.
fn write_bulk(t: &Templates, path: &Path, bytes: u64, seed: u64) -> Result<u64> {
    let mut rng = Rng::new(seed);
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let head = bulk_head();
    out.write_all(head.as_bytes())?;
    let mut written = head.len() as u64;
    let mut n = 0u64;
    while written < bytes {
        let works: Vec<Work> = (0..500).map(|i| work(t, &mut rng, n + i)).collect();
        n += works.len() as u64;
        let xml = bulk_items_xml(works);
        written += xml.len() as u64;
        out.write_all(xml.as_bytes())?;
    }
    out.write_all(b"</bulk:bulk>\n")?;
    out.flush()?;
    Ok(n)
}

/// Record number `n`: the sample record with its iDs, names, texts,
/// put-codes, ids and dates varied and 0 to 3 more work groups.
fn record(t: &Templates, rng: &mut Rng, id: &str) -> Result<String> {
    use serde_json::Value;
    let mut v: Value = serde_json::from_str(&t.record)?;
    // More works: copies of the sample's groups.
    if let Some(groups) = v
        .pointer_mut("/activities-summary/works/group")
        .and_then(Value::as_array_mut)
    {
        if !groups.is_empty() {
            for _ in 0..rng.range(0, 4) {
                let g = groups[rng.range(0, groups.len() as u64) as usize].clone();
                groups.push(g);
            }
        }
    }
    vary(&mut v, "", rng);
    let mut text = serde_json::to_string(&v)?;
    // Every iD of the sample becomes another; the record's own becomes `id`.
    let own = v
        .pointer("/orcid-identifier/path")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut ids: Vec<String> = Vec::new();
    let b = text.as_bytes();
    for i in 0..b.len().saturating_sub(18) {
        if let Ok(c) = std::str::from_utf8(&b[i..i + 19]) {
            if is_orcid_id(c) && !ids.iter().any(|x| x == c) {
                ids.push(c.to_string());
            }
        }
    }
    for old in ids {
        let new = if old == own {
            id.to_string()
        } else {
            orcid_id(rng)
        };
        text = text.replace(&old, &new);
    }
    let doc = Document::from_json(&text, Some(Root::RecordRecord))?;
    Ok(doc.to_xml(true))
}

fn is_orcid_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 9 | 14 => *c == b'-',
            18 => c.is_ascii_digit() || *c == b'X',
            _ => c.is_ascii_digit(),
        })
}

/// Varies the leaves that are free text, numbers or dates.
fn vary(v: &mut serde_json::Value, key: &str, rng: &mut Rng) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match (k.as_str(), &mut *child) {
                    ("given-names", Value::Object(o)) => {
                        o.insert("value".into(), Value::String(rng.pick(GIVEN).to_string()));
                    }
                    ("family-name", Value::Object(o)) => {
                        o.insert("value".into(), Value::String(rng.pick(FAMILY).to_string()));
                    }
                    ("credit-name", Value::Object(o)) if o.get("value").is_some() => {
                        let name = format!("{} {}", rng.pick(GIVEN), rng.pick(FAMILY));
                        o.insert("value".into(), Value::String(name));
                    }
                    ("title", Value::Object(o)) if o.get("value").is_some_and(Value::is_string) => {
                        o.insert("value".into(), Value::String(words(rng, 3, 14)));
                    }
                    ("content", Value::String(_)) => {
                        // Keywords hold at most 100 characters.
                        let text: String = words(rng, 1, 12).chars().take(90).collect();
                        *child = Value::String(text.trim_end().to_string());
                    }
                    ("put-code", Value::Number(_)) => {
                        *child = Value::from(rng.range(1, 9_999_999));
                    }
                    ("external-id-value", Value::String(_)) => {
                        *child = Value::String(format!(
                            "10.{}/{}",
                            rng.range(1000, 9999),
                            rng.next() % 1_000_000
                        ));
                    }
                    ("year", Value::Object(o)) => {
                        o.insert(
                            "value".into(),
                            Value::String(rng.range(1960, 2024).to_string()),
                        );
                    }
                    ("last-modified-date" | "created-date", Value::Object(o))
                        if o.get("value").is_some_and(Value::is_number) =>
                    {
                        let ms = 1_350_000_000_000 + rng.range(0, 350_000_000_000);
                        o.insert("value".into(), Value::from(ms));
                    }
                    _ => vary(child, k, rng),
                }
            }
        }
        Value::Array(items) => {
            // Researchers fill in more or less of their record.
            let person_item = orcid_model::ItemSection::ALL
                .iter()
                .any(|s| !s.is_activity() && s.name() == key);
            if (person_item
                || matches!(
                    key,
                    "group" | "education-summary" | "employment-summary" | "email"
                ))
                && items.len() > 1
            {
                let keep = rng.range(1, items.len() as u64 + 1) as usize;
                items.truncate(keep);
            }
            for item in items {
                vary(item, key, rng);
            }
        }
        _ => {}
    }
}

/// The wrapper schema for xmllint: every v2.1 entry schema.
pub fn write_wrapper(dir: &Path) -> Result<PathBuf> {
    let xsd = orcid_schemas::wrapper_xsd(&workspace().join("schemas/cache"))
        .context("schemas/cache: run `cargo xtask sync-schemas` first")?;
    let p = dir.join("orcid-wrapper.xsd");
    fs::write(&p, xsd)?;
    Ok(p)
}

/// The path of a record in ORCID's public data file layout.
pub fn record_path(id: &str) -> String {
    format!("ORCID_2023_10_summaries/{}/{id}.xml", &id[id.len() - 3..])
}

/// Checks a document with the XSD layer; with `rules`, ORCID's rules too.
fn check(what: &str, xml: &str, rules: bool) -> Result<()> {
    let report = orcid_validate::xsd::validate(xml);
    if let Some(e) = report.errors.first() {
        bail!("{what} is not schema-valid: {} at {}", e.message, e.xpath);
    }
    if rules {
        let r = orcid_validate::validate_xml(xml, &orcid_validate::Context::default());
        if let Some(d) = r.diagnostics.first() {
            bail!("{what} breaks ORCID's rules: {} {}", d.code, d.message);
        }
    }
    Ok(())
}

/// Runs `cargo xtask bench-corpus`.
pub fn run(args: CorpusArgs) -> Result<()> {
    let dir = args.out.clone().unwrap_or_else(default_dir);
    fs::create_dir_all(&dir)?;
    let t = Templates::load()?;
    let started = std::time::Instant::now();
    let mut manifest = String::new();

    // The bulk.
    let bulk = dir.join("bulk-50mb.xml");
    let n = write_bulk(&t, &bulk, args.bulk_mb * 1_000_000, SEED)?;
    let size = fs::metadata(&bulk)?.len();
    manifest.push_str(&format!("bulk-50mb.xml\t{n} works\t{size} bytes\n"));
    println!("bulk-50mb.xml: {n} works, {:.1} MB", size as f64 / 1e6);
    // A sample of it, as a bulk of its own: the XSD (ORCID's rules allow
    // only 100 works per bulk, so they are checked on the payloads below).
    let mut rng = Rng::new(SEED);
    let works: Vec<Work> = (0..300).map(|i| work(&t, &mut rng, i)).collect();
    let sample = format!("{}{}</bulk:bulk>\n", bulk_head(), bulk_items_xml(works));
    check("a sample of the bulk", &sample, false)?;
    if args.huge {
        let huge = dir.join("bulk-1gb.xml");
        let n = write_bulk(&t, &huge, 1_000_000_000, SEED ^ 1)?;
        let size = fs::metadata(&huge)?.len();
        manifest.push_str(&format!("bulk-1gb.xml\t{n} works\t{size} bytes\n"));
        println!("bulk-1gb.xml: {n} works, {:.1} MB", size as f64 / 1e6);
    }

    // Small payloads.
    let works_dir = dir.join("works");
    if works_dir.exists() {
        fs::remove_dir_all(&works_dir)?;
    }
    fs::create_dir_all(&works_dir)?;
    let works_v3_dir = dir.join("works-v3.0");
    if works_v3_dir.exists() {
        fs::remove_dir_all(&works_v3_dir)?;
    }
    fs::create_dir_all(&works_v3_dir)?;
    let mut rng = Rng::new(SEED ^ 2);
    let mut bytes = 0u64;
    let mut bytes_v3 = 0u64;
    for i in 0..args.works {
        let w = Document::WorkWork(Box::new(work(&t, &mut rng, 1_000_000 + i as u64)));
        let xml = w.to_xml(true);
        if i % 97 == 0 {
            check(&format!("works/work-{i:05}.xml"), &xml, true)?;
        }
        if i == 0 {
            fs::write(dir.join("work.xml"), &xml)?;
        }
        bytes += xml.len() as u64;
        fs::write(works_dir.join(format!("work-{i:05}.xml")), xml)?;
        // The same work in v3.0, as `orcid convert --to-api 3.0` writes it.
        let v3 = orcid_model::convert::upgrade(&w)
            .with_context(|| format!("upgrading works/work-{i:05}.xml"))?
            .to_xml(true);
        bytes_v3 += v3.len() as u64;
        fs::write(works_v3_dir.join(format!("work-{i:05}.xml")), v3)?;
    }
    manifest.push_str(&format!("works/\t{} files\t{bytes} bytes\n", args.works));
    manifest.push_str(&format!(
        "works-v3.0/\t{} files\t{bytes_v3} bytes\n",
        args.works
    ));
    println!("works/: {} files, {:.1} MB", args.works, bytes as f64 / 1e6);
    println!(
        "works-v3.0/: {} files, {:.1} MB",
        args.works,
        bytes_v3 as f64 / 1e6
    );

    // Records, as files and as a tar.gz at the same paths.
    let records_dir = dir.join("records");
    if records_dir.exists() {
        fs::remove_dir_all(&records_dir)?;
    }
    let mut rng = Rng::new(SEED ^ 3);
    let mut ids: Vec<String> = Vec::with_capacity(args.records);
    while ids.len() < args.records {
        let id = orcid_id(&mut rng);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids.sort_by_key(|id| record_path(id));
    let tar_path = dir.join("records.tar.gz");
    let gz = flate2::write::GzEncoder::new(
        BufWriter::new(File::create(&tar_path)?),
        flate2::Compression::default(),
    );
    let mut tar = tar::Builder::new(gz);
    let mut bytes = 0u64;
    for (i, id) in ids.iter().enumerate() {
        let xml = record(&t, &mut rng, id)?;
        let rel = record_path(id);
        if i % 97 == 0 {
            check(&rel, &xml, false)?;
        }
        let path = records_dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &xml)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(xml.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(1_696_118_400);
        header.set_entry_type(tar::EntryType::Regular);
        tar.append_data(&mut header, &rel, xml.as_bytes())?;
        bytes += xml.len() as u64;
    }
    tar.into_inner()?.finish()?.flush()?;
    let tar_size = fs::metadata(&tar_path)?.len();
    manifest.push_str(&format!(
        "records/\t{} files\t{bytes} bytes\nrecords.tar.gz\t{} members\t{tar_size} bytes\n",
        args.records, args.records
    ));
    println!(
        "records/: {} files, {:.1} MB; records.tar.gz: {:.1} MB",
        args.records,
        bytes as f64 / 1e6,
        tar_size as f64 / 1e6
    );

    write_wrapper(&dir)?;
    fs::write(dir.join("MANIFEST"), manifest)?;
    println!(
        "corpus written to {} in {:.1} s (a sample of every kind is schema-valid)",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orcid_ids_have_valid_check_characters() {
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            let id = orcid_id(&mut rng);
            assert!(is_orcid_id(&id), "{id}");
        }
        // ORCID's documented example.
        let digits = "000000021825009";
        let mut total = 0u32;
        for d in digits.chars() {
            total = (total + d.to_digit(10).unwrap()) * 2;
        }
        assert_eq!((12 - total % 11) % 11, 7);
        assert_eq!(
            record_path("0000-0002-1825-0097"),
            "ORCID_2023_10_summaries/097/0000-0002-1825-0097.xml"
        );
    }
}
