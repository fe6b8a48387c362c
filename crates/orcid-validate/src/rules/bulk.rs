//! Bulk of works (`docs/orcid-api.md` §4.3).

use std::collections::HashMap;

use orcid_model::identifiers::{compared_value, ComparedValue, IdPlace};
use orcid_model::v2_1::bulk::{Bulk, BulkItem};
use orcid_model::v2_1::common::{ExternalId, RelationshipType};
use orcid_model::v3_0;
use orcid_model::v3_0::Root as V3;
use orcid_model::Root;

use super::common::{show, IdView, Sink, NOT_MODEL};
use super::{work, Context, Finding, Operation, Rule};
use crate::diagnostic::{NodePath, Severity};

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
    sections_v3_0: &[V3::BulkBulk],
    operations: &[Operation::Create],
    summary: "A bulk may hold at most 100 works; ORCID refuses the whole request: \"You are \
              allowed to add up to 100 elements per request.\" (a proxy may answer 413 \
              instead).",
    hint: "split the works into bulks of at most 100",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §4.3, §4.2 (9006), §8, §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/impl/WorkManagerImpl.java \
                (constructor line 107, org.orcid.core.works.bulk.write.max default 100; \
                createWorks lines 238-241); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/impl/WorkManagerImpl.java \
                (lines 121, 254-257); IllegalArgumentException → 9006 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 59)",
};

/// Two works of one bulk share an external id.
///
/// `docs/orcid-api.md` §4.3: a work whose `self` external id equals one of an
/// earlier work in the same bulk becomes an error 9021/409
/// (per item; the HTTP status stays 200). `WorkManagerImpl#createWorks`
/// (both versions) looks a later work's `self` ids up among the ids of the
/// earlier works it stored, leaving out their `part-of` and `funded-by`
/// ids; a work that fails validation is not stored. Equal = same type and
/// value (exact in v2.1; v3.0 compares normalized values).
pub const DUPLICATE: Rule = Rule {
    id: "orcid.bulk.duplicate",
    orcid_code: 9021,
    http: 409,
    sections: &[Root::BulkBulk],
    sections_v3_0: &[V3::BulkBulk],
    operations: &[Operation::Create],
    summary: "A work of a bulk with a `self` external id whose type and value (in v3.0 the \
              value as ORCID normalizes it: `https://doi.org/10.1/ABC` is `10.1/abc`) are \
              those of an id (not `part-of` or `funded-by`) of an earlier work of the same \
              bulk that ORCID stores (one that passes validation) is refused as a duplicate \
              (its bulk item becomes an error 9021/409).",
    hint: "merge the two works, or drop the later one; if they are distinct works, give \
           each its own self identifier",
    severity: Severity::Error,
    model_enforced: NOT_MODEL,
    reference: "docs/orcid-api.md §4.3, §4.2 (9021), §10; ORCID-Source@cac0eca \
                orcid-core/src/main/java/org/orcid/core/manager/impl/WorkManagerImpl.java \
                (createWorks lines 248-262: a self id found among the ids of earlier stored \
                works, addExternalIdsToExistingSet line 346 leaves out part-of and funded-by; \
                a work that fails validateWork is not stored); \
                orcid-core/src/main/java/org/orcid/core/manager/v3/impl/WorkManagerImpl.java \
                (lines 268-283, normalized ids); OrcidDuplicatedActivityException → 9021/409 \
                (orcid-core/src/main/java/org/orcid/core/exception/OrcidCoreExceptionMapper.java \
                line 115)",
};

/// Whether two external ids make two activities duplicates: the same type
/// and value (exact, case-sensitive) and the same relationship, not both
/// `part-of` (`docs/orcid-api.md` §5.9; ORCID-Source `ActivityValidator`
/// `areRelationshipsSameButNotBothPartOf`). ORCID applies it against a
/// client's v2 items already on the record (`checkExternalIdentifiersForDuplicates`);
/// within one bulk `createWorks` compares otherwise ([`BulkCheck`]).
pub fn ids_clash(a: &ExternalId, b: &ExternalId) -> bool {
    a.external_id_type == b.external_id_type
        && a.external_id_value == b.external_id_value
        && a.external_id_relationship == b.external_id_relationship
        && a.external_id_relationship != Some(RelationshipType::PartOf)
}

/// What identifies an external id in a bulk: type and value (in v3.0 the
/// value as ORCID's normalization compares it).
type IdKey = (String, ComparedValue);

/// The rules across the works of one bulk, checked work by work as they
/// come ([`TOO_MANY_WORKS`], [`DUPLICATE`]), in memory that grows with the
/// works' external ids, not with the works.
///
/// ```
/// use orcid_model::Document;
/// use orcid_validate::rules::BulkCheck;
///
/// let xml = r#"<common:external-id xmlns:common="http://www.orcid.org/ns/common">
///   <common:external-id-type>doi</common:external-id-type>
///   <common:external-id-value>10.5555/1</common:external-id-value>
///   <common:external-id-relationship>self</common:external-id-relationship>
/// </common:external-id>"#;
/// let Document::CommonExternalId(doi) = Document::from_xml(xml)? else { unreachable!() };
/// let mut bulk = BulkCheck::new();
/// assert!(bulk.push_work(0, std::slice::from_ref(&doi), true).is_none());
/// let dup = bulk.push_work(1, std::slice::from_ref(&doi), true).unwrap();
/// assert_eq!(dup.rule.orcid_code, 9021);
/// assert!(bulk.finish().is_empty()); // 2 works: not too many
/// # Ok::<(), orcid_model::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct BulkCheck {
    works: usize,
    first_over: Option<usize>,
    seen: HashMap<IdKey, usize>,
    /// v3.0: values compared as normalized (`orcid_model::identifiers`).
    normalized: bool,
}

impl BulkCheck {
    /// A v2.1 bulk with no works yet (raw values compared).
    pub fn new() -> Self {
        Self::default()
    }

    /// A v3.0 bulk with no works yet: values compared as ORCID's v3.0
    /// normalization gives them (`https://doi.org/10.1/ABC` is `10.1/abc`).
    pub fn v3_0() -> Self {
        Self {
            normalized: true,
            ..Self::default()
        }
    }

    /// The key of `id` in [`BulkCheck::seen`]; none for an id without a
    /// type or value (which the XSD layer reports): it compares with none.
    fn key(&self, id: &IdView<'_>) -> Option<IdKey> {
        let (ty, value) = (id.ty?, id.value?);
        let value = if self.normalized {
            compared_value(IdPlace::Work, ty, value)
        } else {
            ComparedValue::Raw(value.to_owned())
        };
        Some((ty.to_owned(), value))
    }

    /// The next work of the bulk, at `index` among the bulk's children,
    /// with its external ids (empty when the work could not be read: it
    /// still counts). Returns the duplicate finding, at its first id that
    /// clashes with an id of an earlier stored work. `stored` says whether
    /// ORCID would store the work, i.e. it has no error of its own: a work
    /// ORCID refuses is not stored, so a later work cannot duplicate it
    /// (`WorkManagerImpl#createWorks`).
    pub fn push_work(&mut self, index: usize, ids: &[ExternalId], stored: bool) -> Option<Finding> {
        let views: Vec<IdView<'_>> = ids.iter().map(IdView::from).collect();
        self.push_ids(index, &views, stored)
    }

    /// [`BulkCheck::push_work`] over the ids of a work of either version,
    /// as ORCID's `WorkManagerImpl#createWorks` (both versions) compares
    /// them: a `self` id clashes with an earlier stored id of the same
    /// type and value (in v3.0 normalized) whose relationship is not
    /// `part-of` or `funded-by`. The ids
    /// of a work are remembered only when `stored` (ORCID stores a work
    /// only when it passes validation) and the work is no duplicate.
    pub(crate) fn push_ids(
        &mut self,
        index: usize,
        ids: &[IdView<'_>],
        stored: bool,
    ) -> Option<Finding> {
        self.works += 1;
        if self.works == MAX_BULK_WORKS + 1 {
            self.first_over = Some(index);
        }
        let key = |id: &IdView<'_>| self.key(id);
        let kept = |id: &&IdView<'_>| !matches!(id.relationship, Some("part-of" | "funded-by"));
        let found = ids
            .iter()
            .enumerate()
            .filter(|(_, id)| id.relationship == Some("self"))
            .find_map(|(k, id)| Some((k, id, *self.seen.get(&key(id)?)?)));
        let finding = found.map(|(k, id, earlier)| Finding {
            rule: &DUPLICATE,
            node: NodePath::root()
                .key("bulk")
                .index(index)
                .key("work")
                .key("external-ids")
                .key("external-id")
                .index(k),
            message: format!(
                "the work at bulk/{index} repeats the {} {} {} of the work at bulk/{earlier}",
                id.relationship.unwrap_or("(no relationship)"),
                id.ty.unwrap_or_default(),
                show(id.value.unwrap_or_default()),
            ),
        });
        if stored && finding.is_none() {
            for id in ids.iter().filter(kept) {
                if let Some(k) = self.key(id) {
                    self.seen.entry(k).or_insert(index);
                }
            }
        }
        finding
    }

    /// The findings of the bulk as a whole, after its last work: more than
    /// [`MAX_BULK_WORKS`] works (at the first work over).
    pub fn finish(&self) -> Vec<Finding> {
        self.first_over
            .map(|i| Finding {
                rule: &TOO_MANY_WORKS,
                node: NodePath::root().key("bulk").index(i),
                message: format!(
                    "the bulk has {} works; ORCID accepts at most {MAX_BULK_WORKS} per request",
                    self.works
                ),
            })
            .into_iter()
            .collect()
    }
}

/// Checks a bulk at the root: the count, each work (as a create, at
/// `bulk/<i>/work/…`) and duplicates between works.
pub(crate) fn check_bulk(sink: &mut Sink, b: &Bulk) {
    let works = b
        .bulk
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match item {
            BulkItem::Work(w) => Some((i, w.as_ref())),
            BulkItem::Error(_) => None,
        });
    check_works(sink, BulkCheck::new(), works, work::check_work, |w| {
        w.external_ids
            .iter()
            .flat_map(|e| &e.external_id)
            .map(IdView::from)
            .collect()
    });
}

/// [`check_bulk`] of a v3.0 bulk.
pub(crate) fn check_bulk_v3_0(sink: &mut Sink, _ctx: &Context, b: &v3_0::bulk::Bulk) {
    let works = b
        .bulk
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match item {
            v3_0::bulk::BulkItem::Work(w) => Some((i, w.as_ref())),
            v3_0::bulk::BulkItem::Error(_) => None,
        });
    check_works(sink, BulkCheck::v3_0(), works, work::check_work_v3_0, |w| {
        w.external_ids
            .iter()
            .flat_map(|e| &e.external_id)
            .map(IdView::from)
            .collect()
    });
}

/// The works of a bulk of either version, each `(index among the bulk's
/// items, work)`: each checked as a create with `check`, then `across`
/// with its `ids`; the bulk's findings first, then the works', then the
/// duplicates.
fn check_works<'w, W: 'w>(
    sink: &mut Sink,
    mut across: BulkCheck,
    works: impl Iterator<Item = (usize, &'w W)>,
    check: fn(&mut Sink, &Context, &W, &NodePath),
    ids: impl Fn(&'w W) -> Vec<IdView<'w>>,
) {
    let saved = sink.operation;
    sink.operation = Operation::Create;
    let ctx = Context::default();
    let items = NodePath::root().key("bulk");
    let mut findings = Vec::new();
    let mut duplicates = Vec::new();
    for (i, w) in works {
        let mut one = Sink::new(Operation::Create);
        check(&mut one, &ctx, w, &items.index(i).key("work"));
        duplicates.extend(across.push_ids(i, &ids(w), passes(&one.findings)));
        findings.extend(one.findings);
    }
    sink.findings.extend(across.finish());
    sink.findings.extend(findings);
    sink.findings.extend(duplicates);
    sink.operation = saved;
}

/// Whether a work with these findings passes ORCID's validation (and is
/// stored, so that later works of the bulk can duplicate it).
fn passes(findings: &[Finding]) -> bool {
    findings.iter().all(|f| f.rule.severity != Severity::Error)
}
