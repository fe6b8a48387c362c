//! Rules on every item a client writes: put-code and visibility.

use orcid_model::scalar::PutCode;
use orcid_model::v2_1::common::Visibility;

use super::common::{Sink, NOT_MODEL};
use super::{
    Context, Operation, Rule, UPDATE_ROOTS, UPDATE_ROOTS_V3_0, WRITE_ROOTS, WRITE_ROOTS_V3_0,
};
use crate::diagnostic::{NodePath, Severity};
use orcid_model::v3_0;
use orcid_model::ItemSection;

/// A create (POST) must not carry a put-code.
///
/// `docs/orcid-api.md` §4.4 (a POST must not carry `put-code`: 400/9024, from
/// all activity and person validators), §4.2, and §4.3 (each bulk item is
/// validated as a create).
pub const PUT_CODE_ON_CREATE: Rule = Rule {
    id: "orcid.item.put-code-on-create",
    orcid_code: 9024,
    http: 400,
    sections: WRITE_ROOTS,
    sections_v3_0: WRITE_ROOTS_V3_0,
    operations: &[Operation::Create],
    summary: "A new item (POST, and every work of a bulk) must not carry a `put-code`; \
              ORCID answers \"Put-code is included when not expected\".",
    hint: "remove put-code when creating; ORCID assigns it (to update an existing item, \
           PUT it to its URL instead)",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §4.4, §4.2 (9024), §4.3, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateWork line 270, validateFunding 322, validateEmployment 349, \
                validateEducation 379, validatePeerReview 413, validateGroupIdRecord 448); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (validateWork 287, validateFunding 341, validateAffiliation 448, \
                validatePeerReview 487, validateGroupIdRecord 523, validateResearchResource \
                608); \
                orcid-core/src/main/java/org/orcid/core/manager/validator/PersonValidator.java \
                and \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/PersonValidator.java \
                (every validate* method, createFlag branch); InvalidPutCodeException → 9024 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 63)",
};

/// On a PUT the body's put-code must equal the URL's.
///
/// `docs/orcid-api.md` §4.4 (the PUT body's put-code must equal the URL's:
/// 400/9019) and §4.2 (a body without put-code reads as `null`)
/// (`MemberV2ApiServiceDelegatorImpl#update*`). This pre-empts 9031
/// (person item without put-code).
pub const PUT_CODE_MISMATCH: Rule = Rule {
    id: "orcid.item.put-code-mismatch",
    orcid_code: 9019,
    http: 400,
    sections: UPDATE_ROOTS,
    sections_v3_0: UPDATE_ROOTS_V3_0,
    operations: &[Operation::Update],
    summary: "On an update (PUT) the body's `put-code` must be present and equal the \
              put-code in the URL; ORCID answers \"The put code in the URL was X whereas \
              the one in the body was Y\" (Y = `null` when the body has none).",
    hint: "set put-code in the body to the put-code of the URL you PUT to",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §4.4, §4.2 (9019), §10; ORCID-Source@cac0eca \
                orcid-api-web/src/main/java/org/orcid/api/memberV2/server/delegator/impl/MemberV2ApiServiceDelegatorImpl.java \
                (updateWork line 329 and the 10 other update* methods: \
                `!putCode.equals(body.getPutCode())`, so a body without put-code fails too); \
                orcid-api-web/src/main/java/org/orcid/api/memberV3/server/delegator/impl/MemberV3ApiServiceDelegatorImpl.java \
                (updateWork line 315 and the 16 other update* methods); \
                MismatchedPutCodeException → 9019 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 62). It pre-empts PersonValidator's PutCodeRequiredException (9031)",
};

/// An update must not change the stored visibility.
///
/// `docs/orcid-api.md` §4.5 (`visibility` on update: absent keeps the stored
/// one, present and different is 403/9035;
/// `ActivityValidator#validateVisibilityDoesntChange`,
/// `PersonValidator#validateAndFixVisibility`) and §4.2. Checked only
/// when [`Context::stored_visibility`] is known.
pub const VISIBILITY_CHANGED: Rule = Rule {
    id: "orcid.item.visibility-changed",
    orcid_code: 9035,
    http: 403,
    // Every item has a visibility; the group-id record and the bulk have none.
    sections: ItemSection::ROOTS,
    sections_v3_0: v3_0::section::ItemSection::ROOTS,
    operations: &[Operation::Update],
    summary: "On an update (PUT) a `visibility` that differs from the stored item's is \
              refused: only the record owner changes visibility; ORCID answers \"You can't \
              change the visibility of an item\".",
    hint: "remove the visibility attribute from the update, or set it to the stored value",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §4.5, §4.2 (9035), §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (validateVisibilityDoesntChange line 501, called on API updates from every \
                validate* method, e.g. validateWork 279-281); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/ActivityValidator.java \
                (line 576, e.g. validateWork 292-294); \
                orcid-core/src/main/java/org/orcid/core/manager/validator/PersonValidator.java \
                (validateAndFixVisibility line 225: an absent visibility takes the stored \
                one); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/validator/PersonValidator.java \
                (line 202); VisibilityMismatchException → 9035/403 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 98)",
};

/// Put-code and visibility of an item at `at`.
pub(crate) fn check_envelope(
    sink: &mut Sink,
    ctx: &Context,
    put_code: Option<PutCode>,
    visibility: Option<Visibility>,
    at: &NodePath,
) {
    check_put_code(sink, ctx, put_code, at);
    check_visibility(sink, ctx, visibility.map(Visibility::as_xml), at);
}

/// [`check_envelope`] of a v3.0 item.
pub(crate) fn check_envelope_v3_0(
    sink: &mut Sink,
    ctx: &Context,
    put_code: Option<PutCode>,
    visibility: Option<v3_0::common::Visibility>,
    at: &NodePath,
) {
    check_put_code(sink, ctx, put_code, at);
    check_visibility(sink, ctx, visibility.map(|v| v.as_xml()), at);
}

/// The visibility sent on an update (its XML spelling, the same in both
/// versions) against the stored one.
fn check_visibility(sink: &mut Sink, ctx: &Context, visibility: Option<&str>, at: &NodePath) {
    if sink.operation == Operation::Update {
        if let (Some(sent), Some(stored)) =
            (visibility, ctx.stored_visibility.map(Visibility::as_xml))
        {
            if sent != stored {
                sink.push(
                    &VISIBILITY_CHANGED,
                    at.key("visibility"),
                    format!(
                        "visibility `{sent}` differs from the stored `{stored}`; a client \
                         cannot change an item's visibility",
                    ),
                );
            }
        }
    }
}

/// Put-code of an item at `at` (9024 on create, 9019 on update).
pub(crate) fn check_put_code(
    sink: &mut Sink,
    ctx: &Context,
    put_code: Option<PutCode>,
    at: &NodePath,
) {
    match sink.operation {
        Operation::Create => {
            if let Some(pc) = put_code {
                sink.push(
                    &PUT_CODE_ON_CREATE,
                    at.key("put-code"),
                    format!("put-code {pc} is set on a create (POST); ORCID assigns put-codes"),
                );
            }
        }
        Operation::Update => match (ctx.url_put_code, put_code) {
            (Some(url), Some(body)) if url != body => sink.push(
                &PUT_CODE_MISMATCH,
                at.key("put-code"),
                format!("the put-code in the URL is {url} but the one in the body is {body}"),
            ),
            (Some(url), None) => sink.push(
                &PUT_CODE_MISMATCH,
                at.clone(),
                format!(
                    "the body has no put-code; ORCID compares it with the URL's ({url}) and \
                     reports the body's as \"null\""
                ),
            ),
            (None, None) => sink.push(
                &PUT_CODE_MISMATCH,
                at.clone(),
                "the body has no put-code; ORCID compares it with the URL's and reports the \
                 body's as \"null\""
                    .to_string(),
            ),
            _ => {}
        },
    }
}
