//! Layer 2 on API v3.0: one or more hand-written negative fixtures per rule
//! that applies to v3.0 (`fixtures/invalid/rules-v3.0/<rule-id>[.<case>].xml`)
//! with the exact rule id, ORCID code and node path; valid v3.0 fixtures
//! (`fixtures/valid-v3.0/`, one per section a client writes) and ORCID's
//! 3.0 write samples with exactly the findings they get.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use orcid_model::scalar::PutCode;
use orcid_model::v2_1::common::Visibility;
use orcid_model::v3_0::{Document, Root};
use orcid_model::Version;
use orcid_test_kit::paths::workspace_root as root;
use orcid_validate::rules::{check_v3_0, Context, Finding, Operation, WRITE_ROOTS_V3_0};
use orcid_validate::{validate_text, NodePath, Step, RULES};

fn doc(path: &Path) -> Document {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Document::from_xml(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

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

fn show(f: &[Finding]) -> Vec<(String, String, String)> {
    f.iter()
        .map(|f| {
            (
                f.rule.id.to_string(),
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

type Expected = &'static [(&'static str, u16, &'static str)];

/// Fixture (under `fixtures/invalid/rules-v3.0/`) and every finding it
/// gives as a create: (rule id, ORCID code, node path).
const CASES: &[(&str, Expected)] = &[
    ("orcid.address.country-required.v3.xml", &[("orcid.address.country-required", 9020, "country")]),
    // v3.0 validates the month as written: `3` is "invalid date: 2017-3"
    // (v2.1 pads it to `03` first).
    ("orcid.date.invalid.one-digit-month.xml", &[("orcid.date.invalid", 9049, "publication-date")]),
    ("orcid.affiliation.end-before-start.v3.xml", &[("orcid.affiliation.end-before-start", 9055, "end-date")]),
    ("orcid.bulk.duplicate.v3.xml", &[("orcid.bulk.duplicate", 9021, "bulk/1/work/external-ids/external-id/0")]),
    (
        "orcid.contributor.role.funding.xml",
        &[("orcid.contributor.role", 9058, "contributors/contributor/0/contributor-attributes/contributor-role")],
    ),
    (
        "orcid.contributor.role.xml",
        &[("orcid.contributor.role", 9058, "contributors/contributor/0/contributor-attributes/contributor-role")],
    ),
    ("orcid.date.end-without-start.research-resource.xml", &[("orcid.date.end-without-start", 9050, "proposal/end-date")]),
    ("orcid.date.end-without-start.xml", &[("orcid.date.end-without-start", 9050, "end-date")]),
    ("orcid.external-id.required.work-v3.xml", &[("orcid.external-id.required", 9023, "")]),
    (
        "orcid.external-id.version-of-without-self.xml",
        &[("orcid.external-id.version-of-without-self", 9023, "review-identifiers/external-id/0")],
    ),
    ("orcid.funding.amount-number.xml", &[("orcid.funding.amount-number", 9054, "amount")]),
    ("orcid.organization.city-and-country.xml", &[("orcid.organization.city-and-country", 9060, "organization/address")]),
    ("orcid.organization.country-for-region.xml", &[("orcid.organization.country-for-region", 9061, "organization/address")]),
    ("orcid.organization.disambiguated-required.funding.xml", &[("orcid.organization.disambiguated-required", 9045, "organization")]),
    (
        "orcid.organization.disambiguated-required.peer-review.xml",
        &[(
            "orcid.organization.disambiguated-required",
            9045,
            "convening-organization/disambiguated-organization/disambiguated-organization-identifier",
        )],
    ),
    (
        "orcid.organization.disambiguated-required.research-resource.xml",
        &[("orcid.organization.disambiguated-required", 9045, "proposal/hosts/organization/0")],
    ),
    ("orcid.organization.disambiguated-required.xml", &[("orcid.organization.disambiguated-required", 9045, "organization")]),
    ("orcid.organization.id-or-external-id.xml", &[("orcid.organization.id-or-external-id", 9062, "")]),
    (
        "orcid.organization.required.xml",
        &[("orcid.organization.required", 9046, ""), ("orcid.organization.id-or-external-id", 9062, "")],
    ),
    (
        "orcid.translated-title.language-code.v3.xml",
        &[("orcid.translated-title.language-code", 9037, "title/translated-title/language-code")],
    ),
    ("orcid.value.unknown.country.xml", &[("orcid.value.unknown", 9051, "country")]),
    (
        "orcid.value.unknown.funding.xml",
        &[("orcid.value.unknown", 9051, "type"), ("orcid.value.unknown", 9051, "amount/currency-code")],
    ),
    (
        "orcid.value.unknown.peer-review.xml",
        &[("orcid.value.unknown", 9051, "reviewer-role"), ("orcid.value.unknown", 9051, "subject-type")],
    ),
    (
        "orcid.value.unknown.relationship.xml",
        &[("orcid.value.unknown", 9051, "external-ids/external-id/1/external-id-relationship")],
    ),
    (
        "orcid.value.unknown.research-resource.xml",
        &[("orcid.value.unknown", 9051, "resource-items/resource-item/0/resource-type")],
    ),
    ("orcid.value.unknown.work-type.xml", &[("orcid.value.unknown", 9051, "type")]),
    ("orcid.work.funded-by-type.xml", &[("orcid.work.funded-by-type", 9020, "external-ids/external-id/1/external-id-type")]),
    ("orcid.work.language-code.xml", &[("orcid.work.language-code", 9037, "language-code")]),
    ("orcid.work.self-id-required.bulk.xml", &[("orcid.work.self-id-required", 9023, "bulk/1/work/external-ids")]),
    ("orcid.work.self-id-required.xml", &[("orcid.work.self-id-required", 9023, "external-ids")]),
];

fn invalid_dir() -> PathBuf {
    root().join("fixtures/invalid/rules-v3.0")
}

fn valid_dir() -> PathBuf {
    root().join("fixtures/valid-v3.0")
}

#[test]
fn invalid_v3_fixtures_give_exactly_the_expected_findings() {
    for (file, expected) in CASES {
        let path = invalid_dir().join(file);
        let d = doc(&path);
        let findings = check_v3_0(&d, &CREATE);
        for f in &findings {
            assert!(
                f.rule.applies_to_v3_0(d.root(), Operation::Create),
                "{file}: {} does not apply to v3.0 {:?}",
                f.rule.id,
                d.root()
            );
            assert!(!f.message.is_empty());
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
        // The fixture is schema-valid: only the rule breaks it.
        let text = std::fs::read_to_string(&path).unwrap();
        let report = validate_text(&text, None, Version::V3_0, &CREATE);
        let schema: Vec<_> = report
            .diagnostics
            .iter()
            .filter(|d| !d.code.as_str().starts_with("orcid."))
            .collect();
        assert!(schema.is_empty(), "{file}: {schema:#?}");
        assert_eq!(report.diagnostics.len(), expected.len(), "{file}");
    }
}

#[test]
fn every_v3_rule_and_every_v3_fixture_is_covered() {
    let mut covered: BTreeSet<&str> = BTreeSet::new();
    let mut files: BTreeSet<&str> = BTreeSet::new();
    for (file, expected) in CASES {
        files.insert(file);
        let first = expected.first().expect("a case expects a finding").0;
        assert!(
            file.starts_with(&format!("{first}.")),
            "{file} is not named after {first}"
        );
        covered.extend(expected.iter().map(|e| e.0));
    }
    for r in RULES {
        let checked = !r.sections_v3_0.is_empty() && !r.is_model_enforced(Version::V3_0);
        // Rules on updates only are covered by `update_rules_on_v3_0`.
        let update_only = !r.operations.contains(&Operation::Create);
        let shared_with_v2_1 = !r.sections.is_empty();
        if checked && !update_only && !shared_with_v2_1 {
            assert!(
                covered.contains(r.id),
                "v3.0 rule {} has no v3.0 fixture",
                r.id
            );
        }
    }
    for e in std::fs::read_dir(invalid_dir()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        assert!(
            files.contains(name.as_str()),
            "fixture {name} is not in CASES"
        );
    }
}

#[test]
fn valid_v3_fixtures_give_no_findings() {
    let mut sections: BTreeSet<Root> = BTreeSet::new();
    for e in std::fs::read_dir(valid_dir()).unwrap().flatten() {
        let path = e.path();
        let text = std::fs::read_to_string(&path).unwrap();
        let report = validate_text(&text, None, Version::V3_0, &CREATE);
        assert!(
            report.diagnostics.is_empty(),
            "{}: {:#?}",
            path.display(),
            report.diagnostics
        );
        sections.insert(doc(&path).root());
    }
    for s in WRITE_ROOTS_V3_0 {
        assert!(sections.contains(s), "no valid v3.0 fixture for {s:?}");
    }
}

#[test]
fn update_rules_on_v3_0() {
    let text = std::fs::read_to_string(valid_dir().join("distinction.xml")).unwrap();
    let Document::DistinctionDistinction(mut d) = Document::from_xml(&text).unwrap() else {
        panic!("not a distinction")
    };
    d.put_code = Some(PutCode(9));
    d.visibility = Some(orcid_model::v3_0::common::Visibility::Public);
    let doc = Document::DistinctionDistinction(d);
    let update = |url: i64, stored: Option<Visibility>| Context {
        operation: Operation::Update,
        url_put_code: Some(PutCode(url)),
        stored_visibility: stored,
    };
    assert!(check_v3_0(&doc, &update(9, Some(Visibility::Public))).is_empty());
    let ids = |f: Vec<Finding>| f.iter().map(|f| f.rule.id).collect::<Vec<_>>();
    assert_eq!(
        ids(check_v3_0(&doc, &update(8, None))),
        ["orcid.item.put-code-mismatch"]
    );
    assert_eq!(
        ids(check_v3_0(&doc, &update(9, Some(Visibility::Private)))),
        ["orcid.item.visibility-changed"]
    );
    assert_eq!(
        ids(check_v3_0(&doc, &CREATE)),
        ["orcid.item.put-code-on-create"]
    );
}

/// ORCID's 3.0 write samples: the root of a JSON sample, from its name.
fn sample_root(name: &str) -> Option<Root> {
    let lists = [
        ("keywords", "keywords"),
        ("other-names", "other-names"),
        ("peer-review-group-id", "group-id-record"),
    ];
    if let Some((_, r)) = lists.iter().find(|(p, _)| name.starts_with(p)) {
        return Root::from_name(r).ok();
    }
    let mut best: Option<&str> = None;
    for r in WRITE_ROOTS_V3_0 {
        let n = r.local_name();
        if name.starts_with(n) && best.is_none_or(|b| n.len() > b.len()) {
            best = Some(n);
        }
    }
    best.and_then(|n| Root::from_name(n).ok())
}

#[test]
fn upstream_v3_write_samples() {
    // Every sample passes but one: the second work of `bulk-work-3.0.json`
    // has only a part-of id, which ORCID's v3 ExternalIDValidator refuses.
    let expected: &[(&str, &str, &str)] = &[(
        "bulk-work-3.0.json",
        "orcid.work.self-id-required",
        "/bulk/1/work/external-ids",
    )];
    let dir =
        orcid_test_kit::paths::shared_dir().join("orcid-model/record_3.0/samples/write_samples");
    let mut got = Vec::new();
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&p).unwrap();
        let root = if name.ends_with(".json") {
            sample_root(&name)
        } else {
            None
        };
        let Ok((d, _)) = Document::from_any(&text, root) else {
            continue; // an ambiguous JSON root (employment vs the other affiliations)
        };
        n += 1;
        for f in check_v3_0(&d, &CREATE) {
            got.push((name.clone(), f.rule.id, f.node.to_json_pointer()));
        }
    }
    assert!(n >= 40, "only {n} samples read");
    let want: Vec<(String, &str, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), *b, c.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn professional_affiliations_need_an_identifier_or_an_id_not_a_valid_one() {
    // A service never reaches `validateDisambiguatedOrg` (9045); with no
    // identifier (`String.isEmpty`) and no external id it is 9062, and a
    // blank identifier counts as one.
    let text = std::fs::read_to_string(valid_dir().join("service.xml")).unwrap();
    let with = |id: &str| {
        let t = text.replace(
            "<common:disambiguated-organization-identifier>https://ror.org/018mejw64<",
            &format!("<common:disambiguated-organization-identifier>{id}<"),
        );
        check_v3_0(&Document::from_xml(&t).unwrap(), &CREATE)
            .iter()
            .map(|f| (f.rule.id, f.rule.orcid_code))
            .collect::<Vec<_>>()
    };
    assert_eq!(with(""), [("orcid.organization.id-or-external-id", 9062)]);
    assert_eq!(with("  "), []);
}

#[test]
fn a_v3_researcher_url_name_may_be_absent_but_not_too_long() {
    let text = std::fs::read_to_string(valid_dir().join("researcher-url.xml")).unwrap();
    let named = |name: &str| {
        let t = text.replace(
            "<researcher-url:url>",
            &format!(
                "<researcher-url:url-name>{name}</researcher-url:url-name><researcher-url:url>"
            ),
        );
        check_v3_0(&Document::from_xml(&t).unwrap(), &CREATE)
            .iter()
            .map(|f| (f.rule.id, f.node.to_json_pointer()))
            .collect::<Vec<_>>()
    };
    assert_eq!(named(" "), []);
    assert_eq!(named(&"a".repeat(2000)), []);
    assert_eq!(
        named(&"a".repeat(2001)),
        [("orcid.researcher-url.url-name", "/url-name".to_string())]
    );
}

/// A month sent as a JSON number reaches ORCID's date check as its text
/// (`3`): v3.0 answers 9049, v2.1 pads it first and accepts it
/// (docs/orcid-api.md §2.3).
#[test]
fn a_json_number_month_is_9049_in_v3_0_and_accepted_in_v2_1() {
    let work = |types: (&str, &str)| {
        format!(
            r#"{{"title": {{"title": {{"value": "Numbers"}}}}, "type": "{}",
            "publication-date": {{"year": {{"value": 2017}}, "month": {{"value": 3}}}},
            "external-ids": {{"external-id": [{{"external-id-type": "doi",
                "external-id-value": "10.5555/3", "external-id-relationship": "{}"}}]}}}}"#,
            types.0, types.1
        )
    };
    let root = orcid_model::AnyRoot::from_name("work").unwrap();
    let codes = |text: &str, version: Version| {
        validate_text(text, Some(root), version, &CREATE)
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.code.to_string(),
                    d.location.as_ref().map(|l| l.path.clone()),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&work(("journal-article", "self")), Version::V3_0),
        [(
            "orcid.date.invalid".to_string(),
            Some("/publication-date".to_string())
        )]
    );
    assert_eq!(codes(&work(("JOURNAL_ARTICLE", "SELF")), Version::V2_1), []);
}

/// A v3.0 bulk compares ids as ORCID's normalization gives them
/// (`WorkManagerImpl#createWorks`, `orcid_model::identifiers`): a DOI given
/// as a URL in capitals repeats the same DOI in lower case; v2.1 compares
/// the raw values.
#[test]
fn a_v3_0_bulk_compares_normalized_ids() {
    let text = std::fs::read_to_string(valid_dir().join("bulk.xml"))
        .unwrap()
        .replace(
            "<common:external-id-value>10.5555/12345</common:external-id-value>",
            "<common:external-id-value>https://doi.org/10.5555/ABC</common:external-id-value>",
        )
        .replace(
            "<common:external-id-value>10.5555/2</common:external-id-value>",
            "<common:external-id-value>10.5555/abc</common:external-id-value>",
        );
    let f = check_v3_0(&Document::from_xml(&text).unwrap(), &CREATE);
    assert_eq!(
        f.iter()
            .map(|f| (f.rule.id, f.node.to_json_pointer()))
            .collect::<Vec<_>>(),
        [(
            "orcid.bulk.duplicate",
            "/bulk/1/work/external-ids/external-id/0".to_string()
        )],
        "{:?}",
        show(&f)
    );
}
