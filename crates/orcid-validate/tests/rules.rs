//! Layer 2 (ORCID's server rules): one or more hand-written negative
//! fixtures per rule (`fixtures/invalid/rules/<rule-id>[.<case>].xml`) with
//! the exact rule id, ORCID code and node path; the valid fixtures
//! (`fixtures/valid/`) and the upstream write samples with exactly the
//! findings they get; the consistency of the rule table; and the freshness
//! of the generated `docs/rules.md`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use orcid_model::scalar::PutCode;
use orcid_model::v2_1::common::Visibility;
use orcid_model::{Document, Root};
use orcid_test_kit::paths::workspace_root as root;
use orcid_validate::orcid_codes;
use orcid_validate::rules::{
    check, rule_by_id, rules_markdown, Context, Finding, Operation, WRITE_ROOTS,
};
use orcid_validate::{NodePath, Severity, Step, RULES};

fn load(path: &Path) -> Result<Document, orcid_model::Error> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    if path.extension().is_some_and(|x| x == "json") {
        let name = path.file_name().unwrap().to_string_lossy();
        // JSON does not carry its root (R1): the fixtures say it in their name
        // (`….bulk.json`) or are works.
        let root = if name.contains(".bulk.") || name == "bulk-work-2.1.json" {
            Root::BulkBulk
        } else {
            Root::WorkWork
        };
        Document::from_json(&text, Some(root))
    } else {
        Document::from_xml(&text)
    }
}

fn doc(path: &Path) -> Document {
    load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `external-ids/external-id/1/external-id-type` → a [`NodePath`]
/// (numbers are indices; the empty string is the root).
fn node(s: &str) -> NodePath {
    NodePath(
        s.split('/')
            .filter(|p| !p.is_empty())
            .map(|p| match p.parse::<usize>() {
                Ok(i) => Step::Index(i),
                Err(_) => Step::Key(p.to_string()),
            })
            .collect(),
    )
}

fn show(f: &[Finding]) -> Vec<(String, u16, String, String)> {
    f.iter()
        .map(|f| {
            (
                f.rule.id.to_string(),
                f.rule.orcid_code,
                f.node.to_json_pointer(),
                f.message.clone(),
            )
        })
        .collect()
}

const CREATE: Context = Context {
    operation: Operation::Create,
    url_put_code: None,
    stored_visibility: None,
};

const fn update(url: i64) -> Context {
    Context {
        operation: Operation::Update,
        url_put_code: Some(PutCode(url)),
        stored_visibility: None,
    }
}

const fn update_stored(url: i64, stored: Visibility) -> Context {
    Context {
        operation: Operation::Update,
        url_put_code: Some(PutCode(url)),
        stored_visibility: Some(stored),
    }
}

/// Fixture (under `fixtures/invalid/rules/`), context, and every finding
/// it must give: (rule id, ORCID code, node path).
/// Expected findings: (rule id, ORCID code, node path).
type Expected = &'static [(&'static str, u16, &'static str)];

type Case = (&'static str, Context, Expected);

const CASES: &[Case] = &[
    (
        // Since ORCID-Source 279b19dc9f fundings need the relationship too.
        "orcid.external-id.relationship-missing.funding.xml",
        CREATE,
        &[(
            "orcid.external-id.relationship-missing",
            9023,
            "external-ids/external-id/0",
        )],
    ),
    (
        // ORCID pads a missing month with 00: 2017 ends before 2017-05.
        "orcid.affiliation.end-before-start.padded.xml",
        CREATE,
        &[("orcid.affiliation.end-before-start", 9055, "end-date")],
    ),
    (
        "orcid.item.put-code-on-create.work.xml",
        CREATE,
        &[("orcid.item.put-code-on-create", 9024, "put-code")],
    ),
    (
        "orcid.item.put-code-on-create.keyword.xml",
        CREATE,
        &[("orcid.item.put-code-on-create", 9024, "put-code")],
    ),
    (
        "orcid.item.put-code-on-create.bulk.xml",
        CREATE,
        &[(
            "orcid.item.put-code-on-create",
            9024,
            "bulk/1/work/put-code",
        )],
    ),
    (
        "orcid.item.put-code-mismatch.xml",
        update(222),
        &[("orcid.item.put-code-mismatch", 9019, "put-code")],
    ),
    (
        "orcid.item.put-code-mismatch.no-body-put-code.xml",
        update(7),
        &[("orcid.item.put-code-mismatch", 9019, "")],
    ),
    (
        "orcid.item.visibility-changed.xml",
        update_stored(5, Visibility::Private),
        &[("orcid.item.visibility-changed", 9035, "visibility")],
    ),
    (
        "orcid.work.title-required.xml",
        CREATE,
        &[("orcid.work.title-required", 9022, "title/title")],
    ),
    (
        "orcid.work.translated-title-empty.xml",
        CREATE,
        &[(
            "orcid.work.translated-title-empty",
            9020,
            "title/translated-title",
        )],
    ),
    (
        "orcid.work.citation-empty.xml",
        CREATE,
        &[("orcid.work.citation-empty", 9020, "citation/citation-value")],
    ),
    (
        "orcid.work.contributor-orcid-path.xml",
        CREATE,
        &[(
            "orcid.work.contributor-orcid-path",
            9020,
            "contributors/contributor/1/contributor-orcid/path",
        )],
    ),
    (
        // ORCID v2.1 ignores the uri sent and validates http://orcid.org/ +
        // path: without a path that is http://orcid.org/null.
        "orcid.work.contributor-orcid-uri.xml",
        CREATE,
        &[(
            "orcid.work.contributor-orcid-uri",
            9020,
            "contributors/contributor/1/contributor-orcid",
        )],
    ),
    (
        "orcid.work.contributor-credit-name-empty.xml",
        CREATE,
        &[(
            "orcid.work.contributor-credit-name-empty",
            9020,
            "contributors/contributor/1/credit-name",
        )],
    ),
    (
        "orcid.work.contributor-email-empty.xml",
        CREATE,
        &[(
            "orcid.work.contributor-email-empty",
            9020,
            "contributors/contributor/1/contributor-email",
        )],
    ),
    (
        "orcid.external-id.required.work.xml",
        CREATE,
        &[("orcid.external-id.required", 9023, "")],
    ),
    (
        "orcid.external-id.required.funding.xml",
        CREATE,
        &[("orcid.external-id.required", 9023, "external-ids")],
    ),
    (
        "orcid.external-id.required.peer-review.xml",
        CREATE,
        &[("orcid.external-id.required", 9023, "review-identifiers")],
    ),
    (
        "orcid.external-id.type-unknown.xml",
        CREATE,
        &[(
            "orcid.external-id.type-unknown",
            9023,
            "external-ids/external-id/1/external-id-type",
        )],
    ),
    (
        "orcid.external-id.type-unknown.peer-review.xml",
        CREATE,
        &[(
            "orcid.external-id.type-unknown",
            9023,
            "subject-external-identifier/external-id-type",
        )],
    ),
    (
        "orcid.external-id.type-unknown.bulk.xml",
        CREATE,
        &[(
            "orcid.external-id.type-unknown",
            9023,
            "bulk/1/work/external-ids/external-id/0/external-id-type",
        )],
    ),
    (
        "orcid.external-id.value-empty.xml",
        CREATE,
        &[(
            "orcid.external-id.value-empty",
            9023,
            "external-ids/external-id/0/external-id-value",
        )],
    ),
    (
        "orcid.external-id.relationship-missing.xml",
        CREATE,
        &[(
            "orcid.external-id.relationship-missing",
            9023,
            "external-ids/external-id/0",
        )],
    ),
    (
        "orcid.external-id.relationship-missing.json",
        CREATE,
        &[(
            "orcid.external-id.relationship-missing",
            9023,
            "external-ids/external-id/1",
        )],
    ),
    (
        "orcid.date.day-without-month.xml",
        CREATE,
        &[("orcid.date.day-without-month", 9049, "publication-date/day")],
    ),
    (
        "orcid.date.invalid.xml",
        CREATE,
        &[("orcid.date.invalid", 9049, "publication-date")],
    ),
    (
        "orcid.date.invalid.education.xml",
        CREATE,
        &[("orcid.date.invalid", 9049, "start-date")],
    ),
    (
        "orcid.date.invalid.peer-review.xml",
        CREATE,
        &[("orcid.date.invalid", 9049, "review-completion-date")],
    ),
    (
        "orcid.funding.title-required.xml",
        CREATE,
        &[("orcid.funding.title-required", 9022, "")],
    ),
    (
        "orcid.funding.title-required.empty.xml",
        CREATE,
        &[("orcid.funding.title-required", 9022, "title/title")],
    ),
    (
        "orcid.funding.amount-currency.xml",
        CREATE,
        &[("orcid.funding.amount-currency", 9020, "amount")],
    ),
    (
        "orcid.funding.end-before-start.xml",
        CREATE,
        &[("orcid.funding.end-before-start", 9055, "end-date")],
    ),
    (
        "orcid.affiliation.end-before-start.xml",
        CREATE,
        &[("orcid.affiliation.end-before-start", 9055, "end-date")],
    ),
    (
        "orcid.peer-review.group-id-unknown.xml",
        CREATE,
        &[(
            "orcid.peer-review.group-id-unknown",
            9026,
            "review-group-id",
        )],
    ),
    (
        "orcid.peer-review.group-id-pattern.group-id-record.xml",
        CREATE,
        &[("orcid.peer-review.group-id-pattern", 9020, "group-id")],
    ),
    (
        "orcid.bulk.too-many-works.xml",
        CREATE,
        &[("orcid.bulk.too-many-works", 9006, "bulk/100")],
    ),
    (
        "orcid.bulk.duplicate.xml",
        CREATE,
        &[(
            "orcid.bulk.duplicate",
            9021,
            "bulk/2/work/external-ids/external-id/0",
        )],
    ),
    (
        "orcid.researcher-url.url.xml",
        CREATE,
        &[("orcid.researcher-url.url", 9020, "url")],
    ),
    (
        "orcid.researcher-url.url.too-long.xml",
        CREATE,
        &[("orcid.researcher-url.url", 9020, "url")],
    ),
    (
        "orcid.researcher-url.url-name.xml",
        CREATE,
        &[("orcid.researcher-url.url-name", 9020, "url-name")],
    ),
    (
        "orcid.external-identifier.type.xml",
        CREATE,
        &[("orcid.external-identifier.type", 9020, "external-id-type")],
    ),
    (
        "orcid.external-identifier.value.xml",
        CREATE,
        &[("orcid.external-identifier.value", 9020, "external-id-value")],
    ),
    (
        "orcid.external-identifier.relationship-self.xml",
        CREATE,
        &[(
            "orcid.external-identifier.relationship-self",
            9020,
            "external-id-relationship",
        )],
    ),
    (
        "orcid.external-identifier.url.xml",
        CREATE,
        &[("orcid.external-identifier.url", 9020, "")],
    ),
    (
        "orcid.keyword.content-required.xml",
        CREATE,
        &[("orcid.keyword.content-required", 9020, "content")],
    ),
];

/// Fixtures of rules the typed model enforces: reading fails, with an
/// error naming the field.
const MODEL_ENFORCED: &[(&str, &str, &str)] = &[
    (
        "orcid.work.language-code.xml",
        "orcid.work.language-code",
        "language-code",
    ),
    (
        "orcid.work.type-required.xml",
        "orcid.work.type-required",
        "type",
    ),
    (
        "orcid.translated-title.language-code.xml",
        "orcid.translated-title.language-code",
        "language-code",
    ),
    (
        "orcid.work.citation-type-required.xml",
        "orcid.work.citation-type-required",
        "citation-type",
    ),
    (
        "orcid.peer-review.type-required.xml",
        "orcid.peer-review.type-required",
        "review-type",
    ),
    (
        "orcid.address.country-required.xml",
        "orcid.address.country-required",
        "country",
    ),
];

fn invalid_dir() -> PathBuf {
    root().join("fixtures/invalid/rules")
}

#[test]
fn invalid_fixtures_give_exactly_the_expected_findings() {
    for (file, ctx, expected) in CASES {
        let path = invalid_dir().join(file);
        let d = doc(&path);
        let findings = check(&d, ctx);
        // Every finding's rule applies to the section and the operation (a
        // bulk is always a create).
        let section = d.root().local_name();
        let op = if d.root() == Root::BulkBulk {
            Operation::Create
        } else {
            ctx.operation
        };
        for f in &findings {
            assert!(
                f.rule.applies_to(d.root(), op),
                "{file}: {} on {section}",
                f.rule.id
            );
        }
        let got: Vec<(&str, u16, NodePath)> = findings
            .iter()
            .map(|f| (f.rule.id, f.rule.orcid_code, f.node.clone()))
            .collect();
        let want: Vec<(&str, u16, NodePath)> = expected
            .iter()
            .map(|(id, code, n)| (*id, *code, node(n)))
            .collect();
        assert_eq!(got, want, "{file}: {:#?}", show(&findings));
        for f in &findings {
            assert!(!f.message.is_empty(), "{file}: empty message");
            assert_eq!(
                rule_by_id(f.rule.id),
                Some(f.rule),
                "{file}: rule not in RULES"
            );
        }
    }
}

#[test]
fn model_enforced_rules_are_refused_when_reading() {
    for (file, id, field) in MODEL_ENFORCED {
        let rule = rule_by_id(id).unwrap_or_else(|| panic!("no rule {id}"));
        assert!(
            rule.is_model_enforced(orcid_model::Version::V2_1),
            "{id} is not marked model_enforced in v2.1"
        );
        // The model reader refuses a wrong value; an absent required one
        // reads (the model holds it as `Option`), and the XSD layer of
        // validation refuses it, naming the element.
        let path = invalid_dir().join(file);
        match load(&path) {
            Err(err) => assert!(
                err.to_string().contains(field),
                "{file}: error `{err}` does not name `{field}`"
            ),
            Ok(_) => {
                let text = std::fs::read_to_string(&path).unwrap();
                let report = orcid_validate::validate_str(&text, None, &Context::default());
                assert!(!report.is_valid(), "{file}: validation accepts it");
                assert!(
                    report
                        .diagnostics
                        .iter()
                        .any(|d| d.severity == Severity::Error
                            && d.code.to_string().starts_with("xsd.")
                            && d.message.contains(field)),
                    "{file}: no schema error names `{field}`: {:#?}",
                    report.diagnostics
                );
            }
        }
    }
}

#[test]
fn every_rule_and_every_fixture_is_covered() {
    let mut covered: BTreeSet<&str> = BTreeSet::new();
    let mut files: BTreeSet<String> = BTreeSet::new();
    for (file, _, expected) in CASES {
        files.insert(file.to_string());
        for (id, _, _) in expected.iter() {
            assert!(
                file.starts_with(&format!("{id}.")),
                "{file} is not named after {id}"
            );
            covered.insert(id);
        }
    }
    for (file, id, _) in MODEL_ENFORCED {
        assert!(file.starts_with(&format!("{id}.")));
        files.insert(file.to_string());
        covered.insert(id);
    }
    // Rules of v3.0 only are covered by tests/rules_v3_0.rs.
    for r in RULES.iter().filter(|r| !r.sections.is_empty()) {
        assert!(covered.contains(r.id), "rule {} has no fixture", r.id);
    }
    for e in std::fs::read_dir(invalid_dir()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            files.contains(&name),
            "fixture {name} is not in a test table"
        );
    }
}

#[test]
fn valid_fixtures_give_no_findings() {
    let dir = root().join("fixtures/valid");
    let mut sections: BTreeSet<Root> = BTreeSet::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = e.path();
        let d = doc(&path);
        sections.insert(d.root());
        let findings = check(&d, &CREATE);
        assert!(
            findings.is_empty(),
            "{}: {:#?}",
            path.display(),
            show(&findings)
        );
    }
    for s in WRITE_ROOTS {
        assert!(sections.contains(s), "no valid fixture for {s:?}");
    }
}

#[test]
fn valid_fixtures_as_updates() {
    // A valid item PUT with a matching put-code and unchanged visibility
    // passes; a bulk is always checked as a create.
    let dir = root().join("fixtures/valid");
    let keyword = doc(&dir.join("keyword.xml"));
    let Document::KeywordKeyword(mut k) = keyword else {
        panic!("not a keyword")
    };
    k.put_code = Some(PutCode(5));
    k.visibility = Some(Visibility::Limited);
    let d = Document::KeywordKeyword(k);
    assert!(check(&d, &update_stored(5, Visibility::Limited)).is_empty());
    assert!(check(&d, &update(5)).is_empty());
    let f = check(&d, &CREATE);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule.id, "orcid.item.put-code-on-create");
    let bulk = doc(&dir.join("bulk.xml"));
    assert!(check(&bulk, &update(1)).is_empty());
}

#[test]
fn only_what_orcid_accepts_is_a_warning() {
    // Flag nothing ORCID accepts: this one is known not to be refused.
    let warnings = ["orcid.funding.end-before-start"];
    for r in RULES {
        let want = if warnings.contains(&r.id) {
            Severity::Warning
        } else {
            Severity::Error
        };
        assert_eq!(r.severity, want, "{}", r.id);
    }
}

#[test]
fn messages_are_concrete() {
    let msg = |file: &str, ctx: &Context| -> String {
        check(&doc(&invalid_dir().join(file)), ctx)
            .into_iter()
            .map(|f| f.message)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        msg("orcid.external-id.type-unknown.xml", &CREATE),
        "external-id-type `doix` is not in ORCID's identifier list (did you mean `doi`?)"
    );
    assert_eq!(
        msg("orcid.external-id.type-unknown.bulk.xml", &CREATE),
        "external-id-type `Handle` is not in ORCID's identifier list (did you mean `handle`?)"
    );
    assert_eq!(
        msg("orcid.item.put-code-mismatch.xml", &update(222)),
        "the put-code in the URL is 222 but the one in the body is 111"
    );
    assert!(msg(
        "orcid.item.put-code-mismatch.no-body-put-code.xml",
        &update(7)
    )
    .contains("\"null\""));
    assert_eq!(
        msg("orcid.date.invalid.xml", &CREATE),
        "publication-date `2019-02-29` is not a valid date as ORCID parses it (yyyy, yyyy-MM or \
         yyyy-MM-dd, a real calendar date)"
    );
    assert_eq!(
        msg("orcid.date.day-without-month.xml", &CREATE),
        "publication-date has a day but no month; ORCID reads it as `2019-null-05`"
    );
    assert_eq!(
        msg("orcid.bulk.duplicate.xml", &CREATE),
        "the work at bulk/2 repeats the self doi `10.5555/1` of the work at bulk/0"
    );
    assert_eq!(
        msg("orcid.bulk.too-many-works.xml", &CREATE),
        "the bulk has 101 works; ORCID accepts at most 100 per request"
    );
    assert_eq!(
        msg(
            "orcid.item.visibility-changed.xml",
            &update_stored(5, Visibility::Private)
        ),
        "visibility `public` differs from the stored `private`; a client cannot change an \
         item's visibility"
    );
    assert_eq!(
        msg("orcid.affiliation.end-before-start.xml", &CREATE),
        "end-date 2015-12 is before start-date 2016"
    );
    assert_eq!(
        msg("orcid.researcher-url.url.too-long.xml", &CREATE),
        "url has 2014 characters; ORCID allows at most 2000"
    );
}

/// The upstream write samples (read-only data in the schema cache) and the
/// findings each gets: none on create (none carries a put-code); on an
/// update whose URL put-code is 1, every item gets 9019 "null" at its root
/// (none carries a put-code), and the bulk (always a create) nothing.
#[test]
fn upstream_write_samples() {
    let dir = root().join("schemas/cache/record_2.1/samples/write_sample");
    assert!(dir.is_dir(), "run `cargo xtask sync-schemas` first");
    let expected_create: &[(&str, Expected)] = &[
        ("address-2.1.xml", &[]),
        ("bulk-work-2.1.json", &[]),
        ("bulk-work-2.1.xml", &[]),
        ("education-2.1.xml", &[]),
        ("employment-2.1.xml", &[]),
        ("external-identifier-2.1.xml", &[]),
        ("funding-2.1.xml", &[]),
        ("keyword-2.1.xml", &[]),
        ("other-name-2.1.xml", &[]),
        ("peer-review-full-2.1.xml", &[]),
        ("peer-review-simple-2.1.xml", &[]),
        ("researcher-url-2.1.xml", &[]),
        ("work-full-2.1.xml", &[]),
        ("work-simple-2.1.xml", &[]),
    ];
    let mut seen = BTreeSet::new();
    for e in std::fs::read_dir(&dir).unwrap().flatten() {
        seen.insert(e.file_name().to_string_lossy().into_owned());
    }
    let listed: BTreeSet<String> = expected_create.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(seen, listed, "the upstream write samples changed");
    for (file, expected) in expected_create {
        let d = doc(&dir.join(file));
        let findings = check(&d, &CREATE);
        let got: Vec<(&str, u16, NodePath)> = findings
            .iter()
            .map(|f| (f.rule.id, f.rule.orcid_code, f.node.clone()))
            .collect();
        let want: Vec<(&str, u16, NodePath)> = expected
            .iter()
            .map(|(id, c, n)| (*id, *c, node(n)))
            .collect();
        assert_eq!(got, want, "{file} (create): {:#?}", show(&findings));

        let findings = check(&d, &update(1));
        let got: Vec<(&str, u16, NodePath)> = findings
            .iter()
            .map(|f| (f.rule.id, f.rule.orcid_code, f.node.clone()))
            .collect();
        let want: Vec<(&str, u16, NodePath)> = if file.starts_with("bulk-") {
            vec![]
        } else {
            vec![("orcid.item.put-code-mismatch", 9019, NodePath::root())]
        };
        assert_eq!(got, want, "{file} (update): {:#?}", show(&findings));
    }
}

/// Reading documents that clients do not write (records, summaries, lists)
/// gives no findings and does not panic.
#[test]
fn read_only_documents_give_no_findings() {
    let mut stack = vec![root().join("schemas/cache/record_2.1/samples/read_samples")];
    let mut n = 0;
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "xml") {
                continue;
            }
            let Ok(d) = load(&p) else { continue };
            n += 1;
            let f = check(&d, &CREATE);
            if !WRITE_ROOTS.contains(&d.root()) {
                assert!(f.is_empty(), "{}: {:#?}", p.display(), show(&f));
            }
            let _ = check(&d, &update(1));
        }
    }
    assert!(n > 20, "only {n} read samples could be read");
}

#[test]
fn rule_table_is_consistent() {
    let id_re = regex::Regex::new(r"^orcid\.[a-z0-9-]+\.[a-z0-9-]+$").unwrap();
    let mut ids = BTreeSet::new();
    for r in RULES {
        assert!(ids.insert(r.id), "duplicate id {}", r.id);
        assert!(id_re.is_match(r.id), "bad id {}", r.id);
        assert!(
            !r.versions().is_empty() && !r.operations.is_empty(),
            "{}",
            r.id
        );
        for s in r.sections {
            assert!(WRITE_ROOTS.contains(s), "{}: unknown section {s:?}", r.id);
        }
        for s in r.sections_v3_0 {
            assert!(
                orcid_validate::rules::WRITE_ROOTS_V3_0.contains(s),
                "{}: unknown v3.0 section {s:?}",
                r.id
            );
        }
        // A rule v3.0 added says so in its summary.
        assert_eq!(
            r.sections.is_empty(),
            r.summary.starts_with("(v3.0)"),
            "{}: a v3.0-only rule's summary starts with (v3.0)",
            r.id
        );
        assert!(!r.summary.is_empty() && !r.hint.is_empty(), "{}", r.id);
        assert!(r.reference.contains('§'), "{}: cite the section", r.id);
        let code = orcid_codes::lookup(r.orcid_code)
            .unwrap_or_else(|| panic!("{}: code {} not in the table", r.id, r.orcid_code));
        assert!(
            code.http == r.http || code.other_http.contains(&r.http),
            "{}: HTTP {} but {} is {}",
            r.id,
            r.http,
            r.orcid_code,
            code.http
        );
        assert!(orcid_codes::rules_for_code(r.orcid_code).contains(&r));
    }
    let ext: Vec<&str> = orcid_codes::rules_for_code(9023)
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(
        ext,
        [
            "orcid.external-id.required",
            "orcid.external-id.type-unknown",
            "orcid.external-id.value-empty",
            "orcid.external-id.relationship-missing",
            "orcid.work.self-id-required",
            "orcid.external-id.version-of-without-self",
        ]
    );
    assert!(orcid_codes::rules_for_code(9016).is_empty());
}

#[test]
fn rules_doc_is_fresh() {
    let path = root().join("docs/rules.md");
    let want = rules_markdown();
    if std::env::var("UPDATE_RULES_DOC").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let got = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "docs/rules.md is stale: run `UPDATE_RULES_DOC=1 cargo test -p orcid-validate --test rules`"
    );
    for r in RULES {
        assert!(want.contains(&format!("## `{}`", r.id)));
    }
}

/// The findings of the valid fixture `name` after replacing `from` by `to`.
fn check_edited(name: &str, from: &str, to: &str) -> Vec<(String, u16, String, String)> {
    let text = std::fs::read_to_string(root().join("fixtures/valid").join(name)).unwrap();
    assert!(text.contains(from), "{name} has no {from}");
    let d = Document::from_xml(&text.replace(from, to)).unwrap();
    show(&check(&d, &CREATE))
}

#[test]
fn what_orcid_v2_1_accepts_after_its_2_0_conversion() {
    // ORCID converts a 2.1 payload to 2.0 before validating it
    // (`MemberV2ApiServiceVersionedDelegatorImpl#processObject`): month and
    // day are left-padded (`Month#setValue`), the contributor uri is rebuilt
    // from the path.
    assert_eq!(
        check_edited(
            "work.xml",
            "<common:month>02</common:month>\n        <common:day>29</common:day>",
            "<common:month>2</common:month>\n        <common:day>9</common:day>"
        ),
        []
    );
    assert_eq!(
        check_edited(
            "work.xml",
            "<common:uri>https://orcid.org/0000-0002-1825-0097</common:uri>",
            "<common:uri>https://example.org/not-an-orcid-uri</common:uri>"
        ),
        []
    );
    // Still refused: a month of three digits, and Feb 30 after padding.
    let f = check_edited(
        "work.xml",
        "<common:month>02</common:month>\n        <common:day>29</common:day>",
        "<common:month>2</common:month>\n        <common:day>30</common:day>",
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(
        (f[0].0.as_str(), f[0].2.as_str()),
        ("orcid.date.invalid", "/publication-date")
    );
    assert!(f[0].3.contains("`2020-02-30`"), "{}", f[0].3);
}

#[test]
fn a_funding_title_of_spaces_is_accepted() {
    // `validateFunding` tests the title with `StringUtils.isEmpty`, not
    // `isBlank` (unlike works).
    let text =
        std::fs::read_to_string(invalid_dir().join("orcid.funding.title-required.empty.xml"))
            .unwrap()
            .replace(
                "<common:title></common:title>",
                "<common:title>   </common:title>",
            );
    let f = check(&Document::from_xml(&text).unwrap(), &CREATE);
    assert!(
        f.iter()
            .all(|f| f.rule.id != "orcid.funding.title-required"),
        "{:?}",
        show(&f)
    );
}

#[test]
fn a_bulk_work_orcid_does_not_store_duplicates_nothing() {
    // `WorkManagerImpl#createWorks` remembers the ids of a work only once
    // it is stored: a work that fails validation cannot be duplicated.
    let text = std::fs::read_to_string(invalid_dir().join("orcid.bulk.duplicate.xml"))
        .unwrap()
        .replace(
            "<common:title>Paper one</common:title>",
            "<common:title></common:title>",
        );
    let f = show(&check(&Document::from_xml(&text).unwrap(), &CREATE));
    assert_eq!(
        f.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(),
        ["orcid.work.title-required"],
        "{f:?}"
    );
}
