//! Layer 2: what ORCID's server rejects beyond the XSD
//! (`docs/orcid-api.md` §4 and §5), checked on the typed
//! model. Every rule has a stable id, the ORCID error code and HTTP status it
//! predicts, the sections and operations it applies to, a message and a hint.
//! `docs/rules.md` is generated from [`RULES`] by [`rules_markdown`].
//!
//! One table, [`RULES`], holds the rules of both API versions: each rule
//! names the sections it applies to in v2.1 ([`Rule::sections`]) and in
//! v3.0 ([`Rule::sections_v3_0`]); a rule v3.0 added has no v2.1 section,
//! a rule v3.0 dropped no v3.0 section. [`check`] checks a v2.1 document,
//! [`check_v3_0`] a v3.0 one; the checks of a section are written once, over
//! a view both versions' types give (`common::IdView`, `work::WorkView`, …).
//!
//! The typed model already refuses some payloads that ORCID's validators
//! would refuse too (a work without `type`, a citation without
//! `citation-type`, …). Those rules are still listed, with the versions in
//! [`Rule::model_enforced`], so that every ORCID code maps to its causes
//! (`orcid explain`); the checks never report them in those versions, since
//! a document that breaks them cannot be read in the first place.

use orcid_model::scalar::PutCode;
use orcid_model::v2_1::common::Visibility;
use orcid_model::v3_0;
use orcid_model::{Document, ItemSection, Root, Version};

use crate::diagnostic::{NodePath, OrcidError, Severity};

mod affiliation;
mod bulk;
pub use bulk::{ids_clash, BulkCheck, MAX_BULK_WORKS};
mod common;

pub use common::show;
mod funding;
pub mod identifiers;
mod item;
mod organization;
mod peer_review;
mod person;
mod research_resource;
mod values;
mod work;

use common::Sink;

/// What the payload is sent for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    /// POST: a new item (or a bulk of works).
    #[default]
    Create,
    /// PUT: an update of an existing item.
    Update,
}

impl Operation {
    /// `create` or `update`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
        }
    }
}

/// Facts about the request that the payload alone does not carry.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// POST or PUT.
    pub operation: Operation,
    /// The put-code in the URL of a PUT (rule for 9019).
    pub url_put_code: Option<PutCode>,
    /// The visibility of the stored item, for an update (rule for 9035).
    pub stored_visibility: Option<Visibility>,
}

/// A rule of ORCID's server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, e.g. `orcid.work.title-required`.
    pub id: &'static str,
    /// ORCID error code it predicts.
    pub orcid_code: u16,
    /// HTTP status that comes with it.
    pub http: u16,
    /// The v2.1 roots of the documents it applies to, e.g. `[Root::WorkWork,
    /// Root::BulkBulk]`; empty for a rule of v3.0 only.
    pub sections: &'static [Root],
    /// The v3.0 roots of the documents it applies to; empty for a rule v3.0
    /// dropped.
    pub sections_v3_0: &'static [v3_0::Root],
    /// Operations it applies to.
    pub operations: &'static [Operation],
    /// One-line summary (for docs/rules.md and `orcid explain`).
    pub summary: &'static str,
    /// How to fix a payload that breaks it.
    pub hint: &'static str,
    /// [`Severity::Error`] when ORCID rejects the payload;
    /// [`Severity::Warning`] when ORCID is not known to reject it but the
    /// data is almost certainly wrong.
    pub severity: Severity,
    /// The API versions whose typed model or XSD already refuse a payload
    /// that breaks this rule, so that the checks never report it there; it
    /// is listed so that the ORCID code maps to its cause. A wrong value
    /// is refused by the model's reader; an absent required element reads
    /// (the model holds every XSD-required property as `Option`) and is
    /// reported by the XSD layer.
    pub model_enforced: &'static [Version],
    /// Where the behaviour is documented: the section of `docs/orcid-api.md`
    /// and the ORCID-Source file (and method) it comes from.
    pub reference: &'static str,
}

impl Rule {
    /// The ORCID error the rule predicts.
    pub fn orcid_error(&self) -> OrcidError {
        OrcidError {
            code: self.orcid_code,
            http: self.http,
        }
    }

    /// Whether the rule applies to v2.1 documents of this root sent with
    /// this operation.
    pub fn applies_to(&self, root: Root, operation: Operation) -> bool {
        self.sections.contains(&root) && self.operations.contains(&operation)
    }

    /// Whether the rule applies to v3.0 documents of this root sent with
    /// this operation.
    pub fn applies_to_v3_0(&self, root: v3_0::Root, operation: Operation) -> bool {
        self.sections_v3_0.contains(&root) && self.operations.contains(&operation)
    }

    /// The API versions the rule applies to.
    pub fn versions(&self) -> Vec<Version> {
        let mut v = Vec::new();
        if !self.sections.is_empty() {
            v.push(Version::V2_1);
        }
        if !self.sections_v3_0.is_empty() {
            v.push(Version::V3_0);
        }
        v
    }

    /// Whether the typed model or the XSD of `version` already refuses what
    /// the rule checks.
    pub fn is_model_enforced(&self, version: Version) -> bool {
        self.model_enforced.contains(&version)
    }

    /// The local names of the v2.1 roots it applies to (`work, bulk`).
    pub fn section_names(&self) -> String {
        self.sections
            .iter()
            .map(|r| r.local_name())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The local names of the v3.0 roots it applies to.
    pub fn section_names_v3_0(&self) -> String {
        self.sections_v3_0
            .iter()
            .map(|r| r.local_name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One rule broken at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// Where, relative to the document root.
    pub node: NodePath,
    /// The specific message.
    pub message: String,
}

/// `items` followed by `more`, as an array of roots (in a constant).
macro_rules! with_roots {
    ($root:ty, $items:expr, $more:expr) => {{
        const ITEMS: &[$root] = $items;
        const MORE: &[$root] = &$more;
        let mut out = [<$root>::BulkBulk; ITEMS.len() + MORE.len()];
        let mut i = 0;
        while i < ITEMS.len() {
            out[i] = ITEMS[i];
            i += 1;
        }
        let mut j = 0;
        while j < MORE.len() {
            out[ITEMS.len() + j] = MORE[j];
            j += 1;
        }
        out
    }};
}

/// The roots a client writes: one item of every section
/// ([`ItemSection::ROOTS`]), the group-id record and the bulk of works.
pub const WRITE_ROOTS: &[Root] = &WRITE_ROOTS_ARRAY;
/// The roots a client updates with PUT: every item and the group-id record.
pub const UPDATE_ROOTS: &[Root] = &UPDATE_ROOTS_ARRAY;

const WRITE_ROOTS_ARRAY: [Root; ItemSection::ROOTS.len() + 2] = with_roots!(
    Root,
    ItemSection::ROOTS,
    [Root::GroupIdGroupIdRecord, Root::BulkBulk]
);
const UPDATE_ROOTS_ARRAY: [Root; ItemSection::ROOTS.len() + 1] =
    with_roots!(Root, ItemSection::ROOTS, [Root::GroupIdGroupIdRecord]);

/// The v3.0 roots a client writes ([`v3_0::section::ItemSection::ROOTS`], the
/// group-id record and the bulk of works).
pub const WRITE_ROOTS_V3_0: &[v3_0::Root] = &WRITE_ROOTS_V3_0_ARRAY;
/// The v3.0 roots a client updates with PUT.
pub const UPDATE_ROOTS_V3_0: &[v3_0::Root] = &UPDATE_ROOTS_V3_0_ARRAY;

const WRITE_ROOTS_V3_0_ARRAY: [v3_0::Root; v3_0::section::ItemSection::ROOTS.len() + 2] = with_roots!(
    v3_0::Root,
    v3_0::section::ItemSection::ROOTS,
    [v3_0::Root::GroupIdGroupIdRecord, v3_0::Root::BulkBulk]
);
const UPDATE_ROOTS_V3_0_ARRAY: [v3_0::Root; v3_0::section::ItemSection::ROOTS.len() + 1] = with_roots!(
    v3_0::Root,
    v3_0::section::ItemSection::ROOTS,
    [v3_0::Root::GroupIdGroupIdRecord]
);

/// Every rule.
pub static RULES: &[Rule] = &[
    item::PUT_CODE_ON_CREATE,
    item::PUT_CODE_MISMATCH,
    item::VISIBILITY_CHANGED,
    work::TITLE_REQUIRED,
    work::TYPE_REQUIRED,
    common::TRANSLATED_TITLE_LANGUAGE,
    work::TRANSLATED_TITLE_EMPTY,
    work::CITATION_TYPE_REQUIRED,
    work::CITATION_EMPTY,
    work::CONTRIBUTOR_ORCID_PATH,
    work::CONTRIBUTOR_ORCID_URI,
    work::CONTRIBUTOR_CREDIT_NAME_EMPTY,
    work::CONTRIBUTOR_EMAIL_EMPTY,
    common::EXTERNAL_IDS_REQUIRED,
    common::EXTERNAL_ID_TYPE_UNKNOWN,
    common::EXTERNAL_ID_VALUE_EMPTY,
    common::EXTERNAL_ID_RELATIONSHIP_MISSING,
    common::DATE_DAY_WITHOUT_MONTH,
    common::DATE_INVALID,
    funding::TITLE_REQUIRED,
    funding::AMOUNT_CURRENCY,
    funding::END_BEFORE_START,
    affiliation::END_BEFORE_START,
    peer_review::TYPE_REQUIRED,
    peer_review::GROUP_ID_PATTERN,
    peer_review::GROUP_ID_UNKNOWN,
    bulk::TOO_MANY_WORKS,
    bulk::DUPLICATE,
    person::RESEARCHER_URL_URL,
    person::RESEARCHER_URL_NAME,
    person::EXTERNAL_IDENTIFIER_TYPE,
    person::EXTERNAL_IDENTIFIER_VALUE,
    person::EXTERNAL_IDENTIFIER_RELATIONSHIP,
    person::EXTERNAL_IDENTIFIER_URL,
    person::KEYWORD_CONTENT,
    person::ADDRESS_COUNTRY,
    work::LANGUAGE_CODE,
    work::SELF_ID_REQUIRED,
    work::FUNDED_BY_TYPE,
    common::VERSION_OF_WITHOUT_SELF,
    values::UNKNOWN_VALUE,
    values::CONTRIBUTOR_ROLE,
    organization::REQUIRED,
    organization::DISAMBIGUATED_REQUIRED,
    organization::CITY_AND_COUNTRY,
    organization::COUNTRY_FOR_REGION,
    organization::ID_REQUIRED,
    common::END_WITHOUT_START,
    funding::AMOUNT_NUMBER,
];

/// The rule with this id.
pub fn rule_by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Checks `doc` against every rule that applies to its section and the
/// operation in `ctx`. A bulk is only ever POSTed, so its works are checked
/// as creates whatever `ctx.operation` says. Documents that are not written
/// by clients (summaries, records, lists, …) give no findings.
pub fn check(doc: &Document, ctx: &Context) -> Vec<Finding> {
    let mut sink = Sink::new(ctx.operation);
    let root = NodePath::root();
    match doc {
        Document::WorkWork(w) => work::check_work(&mut sink, ctx, w, &root),
        Document::FundingFunding(f) => funding::check_funding(&mut sink, ctx, f, &root),
        Document::EducationEducation(e) => {
            item::check_envelope(&mut sink, ctx, e.put_code, e.visibility, &root);
            affiliation::check_dates(&mut sink, &e.start_date, &e.end_date, &root);
        }
        Document::EmploymentEmployment(e) => {
            item::check_envelope(&mut sink, ctx, e.put_code, e.visibility, &root);
            affiliation::check_dates(&mut sink, &e.start_date, &e.end_date, &root);
        }
        Document::PeerReviewPeerReview(p) => {
            peer_review::check_peer_review(&mut sink, ctx, p, &root)
        }
        Document::GroupIdGroupIdRecord(g) => {
            peer_review::check_group_id_record(&mut sink, ctx, g, &root)
        }
        Document::ResearcherUrlResearcherUrl(r) => {
            person::check_researcher_url(&mut sink, ctx, r, &root)
        }
        Document::ExternalIdentifierExternalIdentifier(e) => {
            person::check_external_identifier(&mut sink, ctx, e, &root)
        }
        Document::KeywordKeyword(k) => person::check_keyword(&mut sink, ctx, k, &root),
        Document::OtherNameOtherName(o) => {
            item::check_envelope(&mut sink, ctx, o.put_code, o.visibility, &root)
        }
        Document::AddressAddress(a) => {
            item::check_envelope(&mut sink, ctx, a.put_code, a.visibility, &root)
        }
        Document::BulkBulk(b) => bulk::check_bulk(&mut sink, b),
        _ => {}
    }
    sink.findings
}

/// Checks a v3.0 `doc` against every rule that applies to its section in
/// v3.0 ([`Rule::sections_v3_0`]) and the operation in `ctx`, as [`check`]
/// does for v2.1.
pub fn check_v3_0(doc: &v3_0::Document, ctx: &Context) -> Vec<Finding> {
    use v3_0::Document as D;
    let mut sink = Sink::new(ctx.operation);
    let root = NodePath::root();
    let at = &root;
    match doc {
        D::WorkWork(w) => work::check_work_v3_0(&mut sink, ctx, w, at),
        D::FundingFunding(f) => funding::check_funding_v3_0(&mut sink, ctx, f, at),
        D::DistinctionDistinction(a)
        | D::InvitedPositionInvitedPosition(a)
        | D::MembershipMembership(a)
        | D::QualificationQualification(a)
        | D::ServiceService(a) => affiliation::check_affiliation_v3_0(
            &mut sink,
            ctx,
            a,
            affiliation::Kind::Professional,
            at,
        ),
        D::EducationEducation(a) | D::EmploymentEmployment(a) => {
            affiliation::check_affiliation_v3_0(
                &mut sink,
                ctx,
                a,
                affiliation::Kind::EducationOrEmployment,
                at,
            )
        }
        D::PeerReviewPeerReview(p) => peer_review::check_peer_review_v3_0(&mut sink, ctx, p, at),
        D::ResearchResourceResearchResource(r) => {
            research_resource::check_research_resource(&mut sink, ctx, r, at)
        }
        D::GroupIdGroupIdRecord(g) => {
            peer_review::check_group_id_record_v3_0(&mut sink, ctx, g, at)
        }
        D::ResearcherUrlResearcherUrl(r) => {
            person::check_researcher_url_v3_0(&mut sink, ctx, r, at)
        }
        D::ExternalIdentifierExternalIdentifier(e) => {
            person::check_external_identifier_v3_0(&mut sink, ctx, e, at)
        }
        D::KeywordKeyword(k) => person::check_keyword_v3_0(&mut sink, ctx, k, at),
        D::OtherNameOtherName(o) => {
            item::check_envelope_v3_0(&mut sink, ctx, o.put_code, o.visibility, at)
        }
        D::AddressAddress(a) => person::check_address_v3_0(&mut sink, ctx, a, at),
        D::BulkBulk(b) => bulk::check_bulk_v3_0(&mut sink, ctx, b),
        _ => {}
    }
    sink.findings
}

/// `docs/rules.md`: every rule of [`RULES`], grouped by ORCID code.
pub fn rules_markdown() -> String {
    let mut out = String::new();
    out.push_str("# ORCID server rules (Layer 2)\n\n");
    out.push_str(
        "<!-- GENERATED from `RULES` in crates/orcid-validate/src/rules/mod.rs by \
         `rules_markdown()`; do not edit. Refresh with \
         `UPDATE_RULES_DOC=1 cargo test -p orcid-validate --test rules`. -->\n\n",
    );
    out.push_str(
        "What ORCID's member API (v2.1 and v3.0) rejects beyond the XSD, each rule with \
         the ORCID \
         error code and HTTP status it predicts. Evidence: \
         [`docs/orcid-api.md`](orcid-api.md) §4 (error codes §4.2, bulk §4.3, put-codes \
         §4.4, fields the server sets §4.5) and §5 (validation beyond the XSD); \
         ORCID-Source paths are relative to https://github.com/ORCID/ORCID-Source.\n\n",
    );
    out.push_str(
        "Both API versions are in one table: *v2.1 sections* and *v3.0 sections* say \
         where a rule applies in each (empty: not in that version). The rules v3.0 adds \
         are marked (v3.0); their evidence is [`docs/orcid-api.md`](orcid-api.md) §9.2 and \
         ORCID-Source's v3 validators (`orcid-core/.../manager/v3/validator/`). \
         `orcid validate --api 2.1|3.0` checks a payload in either version.\n\n",
    );
    out.push_str(
        "* **Severity** `error`: ORCID rejects the payload; `warning`: ORCID is not known \
         to reject it, but the data is almost certainly wrong.\n\
         * **Model**: the versions whose typed model (and XSD) already refuse such a \
         payload, so `orcid validate` reports it as a schema error there; the rule is \
         listed so that the ORCID code maps to its cause.\n\n",
    );
    out.push_str(
        "| Rule | Code | HTTP | Severity | Model | v2.1 sections | v3.0 sections | Operations |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    let mut sorted: Vec<&Rule> = RULES.iter().collect();
    sorted.sort_by(|a, b| (a.orcid_code, a.id).cmp(&(b.orcid_code, b.id)));
    for r in &sorted {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} | {} | {} | {} | {} | {} |\n",
            r.id,
            anchor(r.id),
            r.orcid_code,
            r.http,
            severity_name(r.severity),
            model_names(r),
            r.section_names(),
            r.section_names_v3_0(),
            r.operations
                .iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }
    out.push('\n');
    for r in &sorted {
        out.push_str(&format!("## `{}`\n\n", r.id));
        out.push_str(&format!(
            "ORCID {} / HTTP {} ({}){}.\n\n",
            r.orcid_code,
            r.http,
            severity_name(r.severity),
            if r.model_enforced.is_empty() {
                String::new()
            } else {
                format!(
                    "; already refused by the typed model or the XSD of {}",
                    model_names(r)
                )
            }
        ));
        out.push_str(&format!("{}\n\n", r.summary));
        out.push_str(&format!("*Fix:* {}\n\n", r.hint));
        out.push_str(&format!("*Evidence:* {}\n\n", r.reference));
    }
    out
}

/// `v2.1, v3.0`, or `no`.
fn model_names(r: &Rule) -> String {
    if r.model_enforced.is_empty() {
        "no".to_string()
    } else {
        r.model_enforced
            .iter()
            .map(|v| format!("v{v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// GitHub's heading anchor for `` ## `id` ``.
fn anchor(id: &str) -> String {
    id.chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}
