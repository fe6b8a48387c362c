//! ORCID's per-type normalization of external-id values (API v3.0): what
//! ORCID shows as `common:external-id-normalized` or, when it fails,
//! `common:external-id-normalized-error` (error code 8001), and what its
//! v3.0 duplicate check (409/9021) compares.
//!
//! Re-implemented from what ORCID's code does (ORCID-Source @ `cac0eca2`,
//! no code copied):
//!
//! - `orcid-core/src/main/java/org/orcid/core/utils/v3/identifiers/PIDNormalizationService.java`
//!   runs, for a type of ORCID's identifier-type table, the normalizers
//!   registered for it, in their order: first the case step
//!   (`normalizers/CaseSensitiveNormalizer.java`, registered for every
//!   type: the value is lower-cased unless the type is case-sensitive),
//!   then the type's own normalizer (`normalizers/ArxivNormalizer.java`,
//!   `BibcodeNormalizer`, `CurieNormalizer` for `rrid`, `DOINormalizer`,
//!   `ISBNNormalizer`, `ISSNNormalizer`, `PMCNormalizer`, `PMIDNormalizer`,
//!   `URINormalizer`). A normalizer that does not recognise the value gives
//!   the empty string. A type that is not in the table (e.g. the
//!   `peer-review` ids of a peer-review group) is not normalized at all:
//!   the value comes back unchanged.
//! - `orcid-core/src/main/java/org/orcid/core/adapter/jsonidentifier/converter/JSONWorkExternalIdentifiersConverterV3.java`
//!   and `JSONExternalIdentifiersConverterV3.java` (registered in
//!   `orcid-core/src/main/java/org/orcid/core/adapter/v3/impl/MapperFacadeFactory.java`
//!   for works, peer-review `review-identifiers`, research resources and
//!   affiliations, full items and summaries alike) show the result as
//!   `external-id-normalized` (`transient="true"`) when it is not blank,
//!   else `external-id-normalized-error` with code 8001 and the message
//!   "Cannot normalize identifier value {type}:{value}"
//!   (`orcid-core/src/main/resources/i18n/api_en.properties`:241-242).
//!   Funding ids (`JSONFundingExternalIdentifiersConverterV3`) and the
//!   peer-review subject id (`JSONPeerReviewWorkExternalIdentifierConverterV3`)
//!   get neither; person external identifiers have no such fields.
//! - The case-sensitive types are the rows of the `identifier_type` table
//!   with `case_sensitive = true` (`docker-entrypoint-initdb.d/4-orcid-schema.sql`,
//!   `orcid-persistence/src/main/resources/db/updates/identifier-types/*.xml`,
//!   `uri_id_type_case_sensitive.xml`); API names are the table's names
//!   lower-cased with `_` -> `-`, except `grant_number`
//!   (`orcid-core/.../jsonidentifier/converter/ExternalIdentifierTypeConverter.java`).
//! - Duplicates: `orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java#checkExternalIdentifiersForDuplicates`
//!   normalizes both ids (not for fundings) and compares them with
//!   orcid-model's `ExternalID#equals`: same type, then the normalized
//!   values if the new id's is not empty, else the raw values ([`same_id`]).
//!
//! The patterns below follow ORCID's Java regular expressions with Java's
//! meaning of `\d`, `\w`, `\s` (ASCII), `.` (no line terminator) and `$`
//! (end of input, or before a final line terminator).
//!
//! ```
//! use orcid_model::identifiers::{normalize, Normalized};
//!
//! assert_eq!(normalize("doi", "https://doi.org/10.1000/ABC"), Normalized::Value("10.1000/abc".into()));
//! assert_eq!(normalize("isbn", "ISBN: 123-456-7-89x junk").shown(), Some("123456789X"));
//! let failed = normalize("doi", "not a doi");
//! assert_eq!(failed.failure().map(|f| f.code), Some(8001));
//! assert_eq!(normalize("peer-review", "issn:0000-0001"), Normalized::NoNormalizer("issn:0000-0001".into()));
//! ```

use std::sync::LazyLock;

use fancy_regex::Regex;

use crate::v3_0::common::{ExternalId, ExternalIds, TransientError, TransientNonEmptyString};
use crate::v3_0::Document as V3Document;

/// ORCID's error code of a failed normalization (`transientError.normalization_failed.code`).
pub const NORMALIZATION_FAILED_CODE: u32 = 8001;

/// One of ORCID's external-identifier types: its API name and whether ORCID
/// keeps the case of its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdType {
    /// The API name (`doi`, `other-id`, `grant_number`, …).
    pub name: &'static str,
    /// `case_sensitive` of ORCID's `identifier_type` table: `false` means
    /// ORCID lower-cases the value before its type's own normalizer.
    pub case_sensitive: bool,
}

const fn t(name: &'static str, case_sensitive: bool) -> IdType {
    IdType {
        name,
        case_sensitive,
    }
}

/// ORCID's identifier types (the rows of its `identifier_type` table, by API
/// name), sorted by name. The same names as
/// `crates/orcid-validate/data/identifier-types.txt` (a test checks it).
pub const IDENTIFIER_TYPES: &[IdType] = &[
    t("agr", false),
    t("ark", true),
    t("arxiv", false),
    t("asin", false),
    t("asin-tld", false),
    t("authenticusid", false),
    t("bibcode", true),
    t("cba", false),
    t("cgn", true),
    t("cienciaiul", false),
    t("cit", false),
    t("cstr", false),
    t("ctx", false),
    t("dnb", false),
    t("doi", false),
    t("eid", false),
    t("emdb", true),
    t("empiar", true),
    t("ethos", true),
    t("grant_number", false),
    t("hal", false),
    t("handle", false),
    t("hir", false),
    t("isbn", false),
    t("ismn", false),
    t("issn", false),
    t("jfm", false),
    t("jstor", false),
    t("k10plus", true),
    t("kuid", false),
    t("lccn", false),
    t("lensid", false),
    t("mr", false),
    t("oclc", false),
    t("ol", true),
    t("osti", false),
    t("other-id", false),
    t("pat", false),
    t("pdb", false),
    t("pmc", false),
    t("pmid", false),
    t("ppr", false),
    t("proposal-id", false),
    t("raid", false),
    t("rfc", false),
    t("rrid", true),
    t("source-work-id", false),
    t("ssrn", false),
    t("uri", true),
    t("urn", false),
    t("wosuid", false),
    t("zbl", false),
];

/// The types with a normalizer of their own (after the case step): each
/// type's ORCID class is named in the module docs.
pub const TYPES_WITH_NORMALIZER: &[&str] = &[
    "arxiv", "bibcode", "doi", "isbn", "issn", "pmc", "pmid", "rrid", "uri",
];

/// ORCID's identifier type of an API name (exact spelling), if it has one.
pub fn id_type(name: &str) -> Option<IdType> {
    IDENTIFIER_TYPES
        .binary_search_by(|t| t.name.cmp(name))
        .ok()
        .map(|i| IDENTIFIER_TYPES[i])
}

/// Where an external id sits, for the two questions ORCID answers per place:
/// does a read show its normalization, and does the v3.0 duplicate check
/// compare normalized values?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdPlace {
    /// A work's `external-ids` (full work, summaries and work groups).
    Work,
    /// A peer review's `review-identifiers` (and its summary's ids).
    PeerReview,
    /// A peer review's `subject-external-identifier`.
    PeerReviewSubject,
    /// A research resource's proposal and resource-item `external-ids`.
    ResearchResource,
    /// The `external-ids` of any of the seven affiliation types.
    Affiliation,
    /// A funding's `external-ids`.
    Funding,
    /// A person's external identifier (`external-identifiers` section).
    PersonExternalIdentifier,
}

impl IdPlace {
    /// Every place, for tables.
    pub const ALL: [IdPlace; 7] = [
        IdPlace::Work,
        IdPlace::PeerReview,
        IdPlace::PeerReviewSubject,
        IdPlace::ResearchResource,
        IdPlace::Affiliation,
        IdPlace::Funding,
        IdPlace::PersonExternalIdentifier,
    ];

    /// Whether ORCID's v3.0 reads fill `external-id-normalized` /
    /// `external-id-normalized-error` here (`MapperFacadeFactory.java`:555,
    /// 967, 1020, 1084 use the normalizing converters; fundings and the
    /// subject id do not; person identifiers have no such fields).
    pub const fn normalized_on_read(self) -> bool {
        matches!(
            self,
            IdPlace::Work | IdPlace::PeerReview | IdPlace::ResearchResource | IdPlace::Affiliation
        )
    }

    /// Whether the v3.0 duplicate check (409/9021) compares normalized
    /// values here: every activity's ids but fundings', which compare raw
    /// values (`ActivityValidator.java#checkExternalIdentifiersForDuplicates`).
    /// The peer-review subject id and person identifiers are not part of
    /// that check (`false`).
    pub const fn duplicates_compare_normalized(self) -> bool {
        matches!(
            self,
            IdPlace::Work | IdPlace::PeerReview | IdPlace::ResearchResource | IdPlace::Affiliation
        )
    }
}

/// A failed normalization as ORCID reports it in
/// `external-id-normalized-error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct NormalizationFailure {
    /// Always [`NORMALIZATION_FAILED_CODE`].
    pub code: u32,
    /// "Cannot normalize identifier value {type}:{value}".
    pub message: String,
}

impl NormalizationFailure {
    fn new(id_type: &str, value: &str) -> Self {
        NormalizationFailure {
            code: NORMALIZATION_FAILED_CODE,
            message: format!("Cannot normalize identifier value {id_type}:{value}"),
        }
    }
}

/// What ORCID makes of an external id's value ([`normalize`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Normalized {
    /// The normalizers of a known type gave this (not blank) value.
    Value(String),
    /// ORCID has no normalizer for the type (it is not in
    /// [`IDENTIFIER_TYPES`]): the value comes back unchanged, and ORCID
    /// shows it as the normalized value.
    NoNormalizer(String),
    /// Normalization gave a blank value: ORCID shows error 8001 instead.
    Failed(NormalizationFailure),
}

impl Normalized {
    /// The value ORCID shows as `external-id-normalized`, if any.
    pub fn shown(&self) -> Option<&str> {
        match self {
            Normalized::Value(v) | Normalized::NoNormalizer(v) => Some(v),
            Normalized::Failed(_) => None,
        }
    }

    /// The failure ORCID shows as `external-id-normalized-error`, if any.
    pub fn failure(&self) -> Option<&NormalizationFailure> {
        match self {
            Normalized::Failed(f) => Some(f),
            _ => None,
        }
    }
}

/// The normalization ORCID shows for an id of type `id_type` (API name) and
/// value `value` where [`IdPlace::normalized_on_read`] holds.
pub fn normalize(id_type: &str, value: &str) -> Normalized {
    let out = normalise_value(id_type, value);
    if java_trim(&out).is_empty() {
        Normalized::Failed(NormalizationFailure::new(id_type, value))
    } else if self::id_type(id_type).is_some() {
        Normalized::Value(out)
    } else {
        Normalized::NoNormalizer(out)
    }
}

/// ORCID's normalization service itself: the normalized value, the empty
/// string when a normalizer did not recognise the value, the value as given
/// for a type ORCID does not know.
pub fn normalise_value(id_type: &str, value: &str) -> String {
    let Some(t) = self::id_type(id_type) else {
        return value.to_string();
    };
    let cased = if t.case_sensitive {
        value.to_string()
    } else {
        value.to_lowercase()
    };
    type_normalizer(id_type, &cased).unwrap_or(cased)
}

/// What a v3.0 duplicate check compares of an id's value ([`compared_value`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ComparedValue {
    /// The normalization (not empty).
    Normalized(String),
    /// The value as given: the normalization was empty, or the place
    /// compares raw values (fundings).
    Raw(String),
}

/// What ORCID's v3.0 duplicate checks compare of an id at `place`, beside
/// its exact type: orcid-model's `ExternalID#equals` and `#hashCode` after
/// the validator set the normalization (`ActivityValidator.java`:539-574,
/// and the bulk's set of existing ids in
/// `orcid-core/.../manager/v3/impl/WorkManagerImpl.java`:242-357). Two ids
/// of one type clash when these are equal; `(type, compared_value)` is a
/// key for a map of ids seen.
pub fn compared_value(place: IdPlace, id_type: &str, value: &str) -> ComparedValue {
    if place.duplicates_compare_normalized() {
        let n = normalise_value(id_type, value);
        if !n.is_empty() {
            return ComparedValue::Normalized(n);
        }
    }
    ComparedValue::Raw(value.to_string())
}

/// v3.0's duplicate test of two ids at `place`, each `(type, value)`
/// (relationships aside, which the caller checks: both `self` or both
/// absent): the same type, exactly, and the same [`compared_value`].
pub fn same_id(place: IdPlace, new: (&str, &str), existing: (&str, &str)) -> bool {
    new.0 == existing.0
        && compared_value(place, new.0, new.1) == compared_value(place, existing.0, existing.1)
}

/// The value an id groups by in v3.0 reads (orcid-model's
/// `ExternalID#getGroupId`): its shown normalization, else the raw value.
pub fn group_value(id_type: &str, value: &str) -> String {
    match normalize(id_type, value) {
        Normalized::Value(v) | Normalized::NoNormalizer(v) => v,
        Normalized::Failed(_) => value.to_string(),
    }
}

/// Calls `f` on every external id of an item document (a work, funding,
/// peer review, research resource or any affiliation) with its place.
pub fn for_each_item_id(doc: &mut V3Document, mut f: impl FnMut(&mut ExternalId, IdPlace)) {
    fn all(
        ids: Option<&mut ExternalIds>,
        place: IdPlace,
        f: &mut dyn FnMut(&mut ExternalId, IdPlace),
    ) {
        for id in ids.into_iter().flat_map(|i| i.external_id.iter_mut()) {
            f(id, place);
        }
    }
    match doc {
        V3Document::WorkWork(w) => all(w.external_ids.as_mut(), IdPlace::Work, &mut f),
        V3Document::FundingFunding(x) => all(x.external_ids.as_mut(), IdPlace::Funding, &mut f),
        V3Document::PeerReviewPeerReview(p) => {
            all(p.review_identifiers.as_mut(), IdPlace::PeerReview, &mut f);
            if let Some(id) = p.subject_external_identifier.as_mut() {
                f(id, IdPlace::PeerReviewSubject);
            }
        }
        V3Document::ResearchResourceResearchResource(r) => {
            if let Some(proposal) = r.proposal.as_mut() {
                all(
                    proposal.external_ids.as_mut(),
                    IdPlace::ResearchResource,
                    &mut f,
                );
            }
            let items = r
                .resource_items
                .iter_mut()
                .flat_map(|i| i.resource_item.iter_mut());
            for item in items {
                all(
                    item.external_ids.as_mut(),
                    IdPlace::ResearchResource,
                    &mut f,
                );
            }
        }
        V3Document::DistinctionDistinction(a)
        | V3Document::EducationEducation(a)
        | V3Document::EmploymentEmployment(a)
        | V3Document::InvitedPositionInvitedPosition(a)
        | V3Document::MembershipMembership(a)
        | V3Document::QualificationQualification(a)
        | V3Document::ServiceService(a) => {
            all(a.external_ids.as_mut(), IdPlace::Affiliation, &mut f)
        }
        _ => {}
    }
}

/// Sets `external-id-normalized` (`transient="true"`) or
/// `external-id-normalized-error` on an item's external ids as ORCID's
/// v3.0 reads show them, and clears both where ORCID shows neither.
pub fn set_normalized(doc: &mut V3Document) {
    for_each_item_id(doc, |id, place| {
        id.external_id_normalized = None;
        id.external_id_normalized_error = None;
        if !place.normalized_on_read() {
            return;
        }
        // An id without type or value (the XSD layer refuses it) has
        // nothing to normalize.
        let (Some(ty), Some(value)) = (&id.external_id_type, &id.external_id_value) else {
            return;
        };
        match normalize(ty, value) {
            Normalized::Value(v) | Normalized::NoNormalizer(v) => {
                id.external_id_normalized = Some(TransientNonEmptyString {
                    value: v,
                    transient: Some(true),
                });
            }
            Normalized::Failed(f) => {
                id.external_id_normalized_error = Some(TransientError {
                    error_code: Some(f.code.to_string()),
                    error_message: Some(f.message),
                    transient: Some(true),
                });
            }
        }
    });
}

/// Removes the transient `external-id-normalized(-error)` of an item's
/// external ids: what a client sends, to compare with what a read shows.
pub fn clear_normalized(doc: &mut V3Document) {
    for_each_item_id(doc, |id, _| {
        id.external_id_normalized = None;
        id.external_id_normalized_error = None;
    });
}

/// Java's `String#trim`: strips every char up to U+0020 at both ends.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// The type's own normalizer, run on an already cased value; `None` for a
/// type without one.
fn type_normalizer(id_type: &str, value: &str) -> Option<String> {
    Some(match id_type {
        "arxiv" => group1(&ARXIV, value)
            .map(|n| format!("arXiv:{n}"))
            .unwrap_or_default(),
        "bibcode" => group1(&BIBCODE, value).unwrap_or_default(),
        "doi" => group1(&DOI, &unescape_repeatedly(value)).unwrap_or_default(),
        "isbn" => isbn(value),
        "issn" => issn(value),
        "pmc" => group1(&PMC, value).unwrap_or_default(),
        "pmid" => group1(&PMID, value).unwrap_or_default(),
        "rrid" => group1(&RRID, value)
            .map(|n| format!("RRID:{n}"))
            .unwrap_or_default(),
        "uri" => uri(value),
        _ => return None,
    })
}

/// The first capture group of the first match (Java's `Matcher#find`);
/// a match the engine gives up on counts as no match.
fn group1(re: &Regex, value: &str) -> Option<String> {
    re.captures(value)
        .ok()
        .flatten()
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}

fn regex(p: &str) -> Regex {
    Regex::new(p).expect("a valid constant pattern")
}

// Java's meanings, spelled out: `\s` = [ \t\n\x0B\f\r]; `.` = any char but
// a line terminator; `$` = end of input or before a final line terminator.

/// arXiv ids, old (`archive/YYMMNNN`) and new (`YYMM.NNNNN`) style, with an
/// optional `arXiv:` prefix in any case and version (`ArxivNormalizer`).
static ARXIV: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?:(?i:arXiv:))?([0-9]{4}\.[0-9]{4,5}(?:v[0-9])?|[A-Za-z0-9_.\-]+/[0-9]{7}(?:v[0-9])?)\b",
    )
});

/// 19-character bibcodes: four digits then 15 of `[.a-zA-Z0-9]`, at the
/// start, after a `bibcode` label (ORCID's class spells its fourth letter
/// `[Bc]`, so `BIBCODE` is only found through the separator branch) or after
/// any other separator, and followed by the end or a separator
/// (`BibcodeNormalizer`).
static BIBCODE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?:^|[Bb][Ii][Bb][Bc][Oo][Dd][Ee]:?[ \t\n\x0B\x0C\r]*|[^a-zA-Z0-9.])([0-9]{4}[.a-zA-Z0-9]{15})(?:(?=(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z)|[^a-zA-Z0-9.])",
    )
});

/// `10.` prefix segments, `/`, then anything up to a space, `"`, `&` or `'`
/// (`DOINormalizer`).
static DOI: LazyLock<Regex> =
    LazyLock::new(|| regex(r#"(10(?:\.[0-9a-zA-Z]+)+/[^"&' \t\n\x0B\x0C\r]+)"#));

/// A run of 10 to 17 digits, hyphens and spaces ending in a digit or `X`
/// (`ISBNNormalizer`; only 10 or 13 characters after clean-up count).
static ISBN: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"([0-9][-0-9 ]{8,15}[0-9xX])(?:(?=(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z)|[^0-9])")
});

/// Four digits, an optional hyphen or en dash with optional spaces around
/// it, three digits and a digit or `X`, not inside a longer run of digits
/// or hyphens (`ISSNNormalizer`).
static ISSN: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?:^|[^0-9])([0-9]{4} ?[-–]? ?[0-9]{3}[0-9Xx])(?:(?=(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z)|[^\-0-9])",
    )
});

/// 5 to 9 digits at the start or after `PMC` (any case, optional `-`, `/`,
/// spaces), not followed later by `PMC` in capitals (`PMCNormalizer`).
static PMC: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?:^|[Pp][Mm][Cc]-?/?)[ \t\n\x0B\x0C\r]*([0-9]{5,9}(?![^\n\r\x{85}\x{2028}\x{2029}]+PMC))(?:(?=(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z)|\b)",
    )
});

/// Digits at the start (after spaces) or after `PMID`, `pubmed/`, `med/` or
/// `pubmed.ncbi.nlm.nih.gov/` (any case), not followed by a letter, digit,
/// `.` or `-` (`PMIDNormalizer`).
static PMID: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?:^[ \t\n\x0B\x0C\r]*|(?i:PMID:?[ \t\n\x0B\x0C\r]*|pubmed/|med/|pubmed[^\n\r\x{85}\x{2028}\x{2029}]ncbi[^\n\r\x{85}\x{2028}\x{2029}]nlm[^\n\r\x{85}\x{2028}\x{2029}]nih[^\n\r\x{85}\x{2028}\x{2029}]gov/))([0-9]+)(?:(?=(?:\r\n|[\n\r\x{85}\x{2028}\x{2029}])?\z)|[^a-zA-Z0-9.\-])",
    )
});

/// The RRID forms ORCID knows (antibodies, cell lines, tools, mice,
/// plasmids, samples, MMRRC strains), with an optional `RRID:` prefix in
/// any case (`CurieNormalizer`).
static RRID: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?:(?i:RRID:))?(AB_[0-9]{6}|CVCL_[0-9A-Z]{4}|SCR_[0-9]{6}|IMSR_JAX:[0-9]{6}|Addgene_[0-9]{5}|SAMN[0-9]{8}|MMRRC_[0-9]{6}-UCD)",
    )
});

/// `ISBNNormalizer`: the first candidate without hyphens and spaces, `x` as
/// `X`, if it has 10 or 13 characters.
fn isbn(value: &str) -> String {
    match group1(&ISBN, value) {
        Some(n) => {
            let n: String = n
                .chars()
                .filter(|c| *c != '-' && *c != ' ')
                .map(|c| if c == 'x' { 'X' } else { c })
                .collect();
            if n.len() == 10 || n.len() == 13 {
                n
            } else {
                String::new()
            }
        }
        None => String::new(),
    }
}

/// `ISSNNormalizer`: the first candidate as `NNNN-NNNC`, `x` as `X`.
fn issn(value: &str) -> String {
    match group1(&ISSN, value) {
        Some(n) => {
            let n: String = n
                .chars()
                .filter(|c| !matches!(c, ' ' | '-' | '–'))
                .map(|c| if c == 'x' { 'X' } else { c })
                .collect();
            // Eight ASCII characters by the pattern.
            match (n.get(..4), n.get(4..8)) {
                (Some(a), Some(b)) => format!("{a}-{b}"),
                _ => String::new(),
            }
        }
        None => String::new(),
    }
}

/// `URINormalizer`: a value not starting with `http://`, `https://`,
/// `ftp://` or `ftps://` (as spelled) gets `http://` in front.
fn uri(value: &str) -> String {
    let has_scheme = ["http://", "https://", "ftp://", "ftps://"]
        .iter()
        .any(|p| value.starts_with(p));
    if has_scheme {
        value.to_string()
    } else {
        format!("http://{value}")
    }
}

/// `DOINormalizer`'s unescaping: a value with `&` and `;` is XML-unescaped
/// again and again while that shortens it.
fn unescape_repeatedly(value: &str) -> String {
    let mut v = value.to_string();
    if v.contains('&') && v.contains(';') {
        loop {
            let next = unescape_xml(&v);
            let shorter = next.len() < v.len();
            v = next;
            if !shorter {
                break;
            }
        }
    }
    v
}

/// XML unescaping as Apache Commons' `StringEscapeUtils#unescapeXml` does
/// it: the five predefined entities and numeric character references
/// (`&#N;`, `&#xH;`); anything else is kept as written.
fn unescape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match entity(tail) {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of an entity at the start of `s` and the entity's length.
fn entity(s: &str) -> Option<(char, usize)> {
    for (name, c) in [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&apos;", '\''),
    ] {
        if s.starts_with(name) {
            return Some((c, name.len()));
        }
    }
    let body = s.strip_prefix("&#")?;
    let (digits, radix, skip) = match body.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16, 3),
        None => (body, 10, 2),
    };
    let end = digits.find(|c: char| !c.is_digit(radix))?;
    if end == 0 || !digits[end..].starts_with(';') {
        return None;
    }
    let code = u32::from_str_radix(&digits[..end], radix).ok()?;
    Some((char::from_u32(code)?, skip + end + 1))
}

#[cfg(test)]
mod tests;
