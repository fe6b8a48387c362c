//! Peer reviews and group-id records (`docs/orcid-api.md` §5.7,
//! `ActivityValidator#validatePeerReview/validateGroupIdRecord`).

use std::sync::LazyLock;

use orcid_model::v2_1::group_id::GroupIdRecord;
use orcid_model::v2_1::peer_review::PeerReview;
use regex::Regex;

use super::common::{
    check_date, check_external_id, check_external_ids, check_version_of, ids_of, ids_of_v3_0, show,
    DateParts, IdView, Sink, BOTH, EXTERNAL_ID_RELATIONSHIP_MISSING, NOT_MODEL,
};
use super::organization::{check_organization, OrgRules};
use super::values::{check_relationships, check_value, Value};
use super::{item, Context, Rule};
use crate::diagnostic::{NodePath, Severity};
use orcid_model::v3_0;
use orcid_model::v3_0::Root as V3;
use orcid_model::{Root, Version};

/// A peer review needs a type.
///
/// `docs/orcid-api.md` §5.7 (`type` required, 9037). The 2.1 XSD makes
/// `review-type` required and enumerated, so the XSD layer refuses a peer
/// review without one (and the typed model a wrong value).
pub const TYPE_REQUIRED: Rule = Rule {
    id: "orcid.peer-review.type-required",
    orcid_code: 9037,
    http: 400,
    sections: &[Root::PeerReviewPeerReview],
    sections_v3_0: &[V3::PeerReviewPeerReview],
    operations: BOTH,
    summary: "A peer review needs a `review-type` (`review` or `evaluation`).",
    hint: "add <peer-review:review-type>review</peer-review:review-type>",
    severity: Severity::Error,
    model_enforced: &[Version::V2_1, Version::V3_0],
    reference: "docs/orcid-api.md §5.7, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validatePeerReview lines 419-424); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validatePeerReview 491-496); ActivityTypeValidationException → 9037 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 70)",
};

/// A group-id record's `group-id` (and a v3.0 peer review's
/// `review-group-id`) must have the form ORCID accepts.
///
/// `docs/orcid-api.md` §5.7, §10: `ActivityValidator#validateGroupIdRecord`
/// (both versions, create and update) matches the group-id against
/// `(ringgold:|issn:|orcid-generated:|fundref:|publons:)` + at least two URI
/// characters and throws `OrcidValidationException` (9020). A peer review's
/// group-id is not matched against the pattern: `PeerReviewManagerImpl`
/// (v3) refuses one with no group-id record with 9020; one that does not
/// have the form can have no record (ORCID creates only `issn:` groups on
/// demand, and only records that pass the pattern).
pub const GROUP_ID_PATTERN: Rule = Rule {
    id: "orcid.peer-review.group-id-pattern",
    orcid_code: 9020,
    http: 400,
    sections: &[Root::GroupIdGroupIdRecord],
    sections_v3_0: &[V3::PeerReviewPeerReview, V3::GroupIdGroupIdRecord],
    operations: BOTH,
    summary: "A group-id record's `group-id` (and a v3.0 peer review's `review-group-id`) \
              must be `ringgold:`, `issn:`, `orcid-generated:`, `fundref:` or `publons:` \
              followed by at least two URI characters; ORCID answers \"Invalid group-id\" \
              (for a peer review: the group-id is not valid).",
    hint: "use e.g. issn:1741-4857 (ISSN groups are created on demand) or the group-id of \
           a group-id record you created",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.7, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateGroupIdRecord lines 457-461); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateGroupIdRecord lines 532-536); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/impl/PeerReviewManagerImpl.java \
                (validateGroupId line 229: OrcidValidationException → 9020)",
};

/// v2.1: a peer review's `review-group-id` that no group-id record can
/// have.
///
/// `docs/orcid-api.md` §5.7, §10: the v2 `PeerReviewManagerImpl#validateGroupId`
/// refuses a group-id without a group-id record with
/// `GroupIdRecordNotFoundException` (9026, not 9020); a group-id that does
/// not have the form of [`GROUP_ID_PATTERN`] can have no record.
pub const GROUP_ID_UNKNOWN: Rule = Rule {
    id: "orcid.peer-review.group-id-unknown",
    orcid_code: 9026,
    http: 400,
    sections: &[Root::PeerReviewPeerReview],
    sections_v3_0: &[],
    operations: BOTH,
    summary: "(v2.1) A peer review's `review-group-id` that does not have the form of a \
              group-id (`ringgold:`, `issn:`, `orcid-generated:`, `fundref:` or `publons:` \
              followed by at least two URI characters) names no group-id record; ORCID \
              answers 9026 \"Group-id does not exist\".",
    hint: "use e.g. issn:1741-4857 (ISSN groups are created on demand) or the group-id of \
           a group-id record you created",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §5.7, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/impl/PeerReviewManagerImpl.java \
                (createPeerReview lines 109-110, updatePeerReview line 154, validateGroupId \
                line 236: GroupIdRecordNotFoundException → 9026, OrcidCoreExceptionMapper \
                line 67)",
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
    // Absent required parts have nothing to check (the XSD layer reports
    // them); absent review-identifiers are no id, as ORCID sees them.
    let ids = ids_of(p.review_identifiers.as_ref());
    check_external_ids(
        sink,
        ids.as_deref(),
        &at.key("review-identifiers"),
        at,
        true,
        &EXTERNAL_ID_RELATIONSHIP_MISSING,
    );
    if let Some(s) = &p.subject_external_identifier {
        check_external_id(
            sink,
            s.into(),
            &at.key("subject-external-identifier"),
            &EXTERNAL_ID_RELATIONSHIP_MISSING,
        );
    }
    if let Some(d) = p.review_completion_date.as_ref().and_then(DateParts::of) {
        check_date(sink, d, &at.key("review-completion-date"));
    }
    if let Some(g) = &p.review_group_id {
        check_group_id(sink, &GROUP_ID_UNKNOWN, g, &at.key("review-group-id"));
    }
}

/// Checks a v3.0 peer review at `at`.
pub(crate) fn check_peer_review_v3_0(
    sink: &mut Sink,
    ctx: &Context,
    p: &v3_0::peer_review::PeerReview,
    at: &NodePath,
) {
    item::check_envelope_v3_0(sink, ctx, p.put_code, p.visibility, at);
    // Absent required parts have nothing to check (the XSD layer reports
    // them); absent review-identifiers are no id, as ORCID sees them.
    if let Some(r) = &p.reviewer_role {
        check_value(sink, Value::ReviewerRole, r, &at.key("reviewer-role"));
    }
    let wrapper = at.key("review-identifiers");
    let given = ids_of_v3_0(p.review_identifiers.as_ref());
    let ids = given.clone().unwrap_or_default();
    check_external_ids(
        sink,
        given.as_deref(),
        &wrapper,
        at,
        true,
        &EXTERNAL_ID_RELATIONSHIP_MISSING,
    );
    check_relationships(sink, &ids, &wrapper);
    check_version_of(sink, &ids, &wrapper);
    if let Some(t) = &p.review_type {
        check_value(sink, Value::ReviewType, t, &at.key("review-type"));
    }
    if let Some(d) = p
        .review_completion_date
        .as_ref()
        .and_then(DateParts::of_v3_0)
    {
        check_date(sink, d, &at.key("review-completion-date"));
    }
    if let Some(g) = &p.review_group_id {
        check_group_id(sink, &GROUP_ID_PATTERN, g, &at.key("review-group-id"));
    }
    if let Some(s) = &p.subject_external_identifier {
        let at_s = at.key("subject-external-identifier");
        let id = IdView::from(s);
        check_external_id(sink, id, &at_s, &EXTERNAL_ID_RELATIONSHIP_MISSING);
        if let Some(r) = id.relationship {
            check_value(
                sink,
                Value::Relationship,
                r,
                &at_s.key("external-id-relationship"),
            );
        }
    }
    if let Some(t) = &p.subject_type {
        check_value(sink, Value::SubjectType, t, &at.key("subject-type"));
    }
    check_organization(
        sink,
        p.convening_organization.as_ref(),
        OrgRules::GIVEN_ONLY,
        &at.key("convening-organization"),
        at,
    );
}

/// Checks a v3.0 group-id record at `at`.
pub(crate) fn check_group_id_record_v3_0(
    sink: &mut Sink,
    ctx: &Context,
    g: &v3_0::group_id::GroupIdRecord,
    at: &NodePath,
) {
    item::check_put_code(sink, ctx, g.put_code, at);
    if let Some(id) = &g.group_id {
        check_group_id(sink, &GROUP_ID_PATTERN, id, &at.key("group-id"));
    }
}

/// Checks a group-id record at `at`.
pub(crate) fn check_group_id_record(
    sink: &mut Sink,
    ctx: &Context,
    g: &GroupIdRecord,
    at: &NodePath,
) {
    item::check_put_code(sink, ctx, g.put_code, at);
    if let Some(id) = &g.group_id {
        check_group_id(sink, &GROUP_ID_PATTERN, id, &at.key("group-id"));
    }
}

fn check_group_id(sink: &mut Sink, rule: &'static Rule, id: &str, at: &NodePath) {
    if !GROUP_ID_HERE.with(|re| re.is_match(id)) {
        sink.push(
            rule,
            at.clone(),
            format!(
                "group-id {} does not start with ringgold:, issn:, orcid-generated:, fundref: \
                 or publons: followed by at least two URI characters",
                show(id)
            ),
        );
    }
}
