//! Bulk of works (`docs/orcid-api.md` §4.3).

use orcid_model::v2_1::bulk::{Bulk, BulkItem};
use orcid_model::v2_1::common::RelationshipType;

use super::common::{show, Sink};
use super::{work, Context, Operation, Rule};
use crate::diagnostic::{NodePath, Severity};
use orcid_model::Root;

/// Most works ORCID accepts in one bulk.
pub const MAX_BULK_WORKS: usize = 100;

/// At most 100 works in one bulk.
///
/// `docs/orcid-api.md` §4.3: at most 100 works per bulk write
/// (`org.orcid.core.works.bulk.write.max`); §4.2: 9006 "You are allowed to add
/// up to 100 elements per request."; §8: ORCID's error page says 413 (a proxy
/// limit) instead.
pub const TOO_MANY_WORKS: Rule = Rule {
    id: "orcid.bulk.too-many-works",
    orcid_code: 9006,
    http: 400,
    sections: &[Root::BulkBulk],
    operations: &[Operation::Create],
    summary: "A bulk may hold at most 100 works; ORCID refuses the whole request: \"You are \
              allowed to add up to 100 elements per request.\" (a proxy may answer 413 \
              instead).",
    hint: "split the works into bulks of at most 100",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §4.3, §4.2 (9006), §8; ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/impl/WorkManagerImpl.java \
                (constructor, org.orcid.core.works.bulk.write.max)",
};

/// Two works of one bulk share an external id.
///
/// `docs/orcid-api.md` §4.3: a work whose `self` external id equals one of an
/// earlier work in the same bulk becomes an error 9021/409
/// (per item; the HTTP status stays 200). Equal = same type and value
/// (exact, case-sensitive) and the same relationship, not both `part-of`
/// (`ActivityValidator#areRelationshipsSameButNotBothPartOf`).
pub const DUPLICATE: Rule = Rule {
    id: "orcid.bulk.duplicate",
    orcid_code: 9021,
    http: 409,
    sections: &[Root::BulkBulk],
    operations: &[Operation::Create],
    summary: "A work of a bulk that shares a `self` external id (same type and value) with \
              an earlier work of the same bulk is refused as a duplicate (its bulk item \
              becomes an error 9021/409; `part-of` ids do not count).",
    hint: "merge the two works, or drop the later one; if they are distinct works, give \
           each its own self identifier",
    severity: Severity::Error,
    model_enforced: false,
    reference: "docs/orcid-api.md §4.3, §4.2 (9021); ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/impl/WorkManagerImpl.java \
                (createWorks); ORCID-Source \
                orcid-core/src/main/java/org/orcid/core/manager/validator/ActivityValidator.java \
                (checkExternalIdentifiersForDuplicates)",
};

/// Checks a bulk at `at`: the count, each work (as a create, at
/// `bulk/<i>/work/…`) and duplicates between works.
pub(crate) fn check_bulk(sink: &mut Sink, b: &Bulk, at: &NodePath) {
    let saved = sink.operation;
    sink.operation = Operation::Create;
    let ctx = Context::default();
    let items = at.key("bulk");
    let works: Vec<(usize, &orcid_model::v2_1::work::Work)> = b
        .bulk
        .iter()
        .enumerate()
        .filter_map(|(i, it)| match it {
            BulkItem::Work(w) => Some((i, w.as_ref())),
            BulkItem::Error(_) => None,
        })
        .collect();
    if works.len() > MAX_BULK_WORKS {
        let (first_over, _) = works[MAX_BULK_WORKS];
        sink.push(
            &TOO_MANY_WORKS,
            items.index(first_over),
            format!(
                "the bulk has {} works; ORCID accepts at most {MAX_BULK_WORKS} per request",
                works.len()
            ),
        );
    }
    for &(i, w) in &works {
        work::check_work(sink, &ctx, w, &items.index(i).key("work"));
    }
    // Duplicates: each later work against every earlier one, reported once
    // per later work (at its first clashing external id).
    for (n, &(i, w)) in works.iter().enumerate() {
        let Some(ids) = &w.external_ids else { continue };
        'ids: for (k, id) in ids.external_id.iter().enumerate() {
            for &(j, earlier) in &works[..n] {
                let Some(eids) = &earlier.external_ids else {
                    continue;
                };
                if eids.external_id.iter().any(|e| {
                    e.external_id_type == id.external_id_type
                        && e.external_id_value == id.external_id_value
                        && e.external_id_relationship == id.external_id_relationship
                        && id.external_id_relationship != Some(RelationshipType::PartOf)
                }) {
                    sink.push(
                        &DUPLICATE,
                        items
                            .index(i)
                            .key("work")
                            .key("external-ids")
                            .key("external-id")
                            .index(k),
                        format!(
                            "the work at bulk/{i} repeats the {} {} {} of the work at \
                             bulk/{j}",
                            id.external_id_relationship
                                .map(|r| r.as_xml())
                                .unwrap_or("(no relationship)"),
                            id.external_id_type,
                            show(&id.external_id_value),
                        ),
                    );
                    break 'ids;
                }
            }
        }
    }
    sink.operation = saved;
}
