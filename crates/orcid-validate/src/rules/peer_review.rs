//! Peer reviews and group-id records (`docs/orcid-api.md` §5.7,
//! `ActivityValidator#validatePeerReview/validateGroupIdRecord`).

use std::sync::LazyLock;

use orcid_model::v2_1::group_id::GroupIdRecord;
use orcid_model::v2_1::peer_review::PeerReview;
use regex::Regex;

use super::common::{
    check_date, check_external_id, check_external_ids, show, DateParts, Sink, BOTH,
};
use super::{item, Context, Rule};
use crate::diagnostic::{NodePath, Severity};
use orcid_model::Root;

/// A peer review needs a type.
///
/// `docs/orcid-api.md` §5.7 (`type` required, 9037). The 2.1 XSD makes
/// `review-type` required and enumerated, so the typed model refuses a
/// peer review without one.
pub const TYPE_REQUIRED: Rule = Rule {
    id: "orcid.peer-review.type-required",
    orcid_code: 9037,
    http: 400,
    sections: &[Root::PeerReviewPeerReview],
    operations: BOTH,
    summary: "A peer review needs a `review-type` (`review` or `evaluation`).",
    hint: "add <peer-review:review-type>review</peer-review:review-type>",
    severity: Severity::Error,
    model_enforced: true,
    reference: "docs/orcid-api.md §5.7; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validatePeerReview)",
};

/// A group id must carry one of ORCID's prefixes.
///
/// `docs/orcid-api.md` §5.7: the group id must match
/// `(ringgold:|issn:|orcid-generated:|fundref:|publons:)…{2,}`, else 9020
/// (`ActivityValidator#validateGroupIdRecord`: the characters after the
/// prefix are `[0-9a-zA-Z^._~:/?#\[\]@!$&'()*+,;=-]`, at least two).
pub const GROUP_ID_PATTERN: Rule = Rule {
    id: "orcid.peer-review.group-id-pattern",
    orcid_code: 9020,
    http: 400,
    sections: &[Root::PeerReviewPeerReview, Root::GroupIdGroupIdRecord],
    operations: BOTH,
    summary: "A peer review's `review-group-id` (and a group-id record's `group-id`) must be \
              `ringgold:`, `issn:`, `orcid-generated:`, `fundref:` or `publons:` followed \
              by at least two URI characters; ORCID answers \"Invalid group-id\".",
    hint: "use e.g. issn:1741-4857 (ISSN groups are created on demand) or the group-id of \
           a group-id record you created",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §5.7; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateGroupIdRecord)",
};

static GROUP_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:ringgold:|issn:|orcid-generated:|fundref:|publons:)[0-9a-zA-Z\^._~:/?#\[\]@!$&'()*+,;=-]{2,}$",
    )
    .expect("valid regex")
});
thread_local! {
    // Each thread matches with a clone: a Regex used by several threads at
    // once hands out its match caches under a lock.
    static GROUP_ID_HERE: Regex = GROUP_ID.clone();
}

/// Checks a peer review at `at`.
pub(crate) fn check_peer_review(sink: &mut Sink, ctx: &Context, p: &PeerReview, at: &NodePath) {
    item::check_envelope(sink, ctx, p.put_code, p.visibility, at);
    check_external_ids(
        sink,
        Some(&p.review_identifiers),
        &at.key("review-identifiers"),
        at,
        true,
    );
    if let Some(s) = &p.subject_external_identifier {
        check_external_id(sink, s, &at.key("subject-external-identifier"));
    }
    check_date(
        sink,
        DateParts::of(&p.review_completion_date),
        &at.key("review-completion-date"),
    );
    check_group_id(sink, &p.review_group_id, &at.key("review-group-id"));
}

/// Checks a group-id record at `at`.
pub(crate) fn check_group_id_record(
    sink: &mut Sink,
    ctx: &Context,
    g: &GroupIdRecord,
    at: &NodePath,
) {
    item::check_put_code(sink, ctx, g.put_code, at);
    check_group_id(sink, &g.group_id, &at.key("group-id"));
}

fn check_group_id(sink: &mut Sink, id: &str, at: &NodePath) {
    if !GROUP_ID_HERE.with(|re| re.is_match(id)) {
        sink.push(
            &GROUP_ID_PATTERN,
            at.clone(),
            format!(
                "group-id {} does not start with ringgold:, issn:, orcid-generated:, fundref: \
                 or publons: followed by at least two URI characters",
                show(id)
            ),
        );
    }
}
