//! v3.0: research resources (`docs/orcid-api.md` §9.2, the v3
//! `ActivityValidator#validateResearchResource`): the proposal's and each
//! item's hosts and external ids, an end date without a start date, the item types.

use orcid_model::v3_0;
use orcid_model::v3_0::research_resource::Hosts;

use super::common::{
    check_external_ids, check_version_of, ids_of_v3_0, Sink, END_WITHOUT_START,
    EXTERNAL_ID_RELATIONSHIP_MISSING,
};
use super::organization::{check_organization, OrgRules};
use super::values::{check_relationships, check_value, Value};
use super::{item, Context};
use crate::diagnostic::NodePath;

/// Checks a research resource at `at`.
pub(crate) fn check_research_resource(
    sink: &mut Sink,
    ctx: &Context,
    r: &v3_0::research_resource::ResearchResource,
    at: &NodePath,
) {
    item::check_envelope_v3_0(sink, ctx, r.put_code, r.visibility, at);
    let p = &r.proposal;
    let at_p = at.key("proposal");
    check_hosts(sink, &p.hosts, &at_p);
    check_ids(sink, &p.external_ids, &at_p);
    // ORCID never validates a proposal's dates themselves
    // (`validateResearchResource` calls no `validateFuzzyDate`); it only
    // refuses an end without a start.
    if p.start_date.is_none() && p.end_date.is_some() {
        sink.push(
            &END_WITHOUT_START,
            at_p.key("end-date"),
            "there is an end-date but no start-date".to_string(),
        );
    }
    for (i, it) in r.resource_items.resource_item.iter().enumerate() {
        let at_i = at.key("resource-items").key("resource-item").index(i);
        check_value(
            sink,
            Value::ResourceType,
            &it.resource_type,
            &at_i.key("resource-type"),
        );
        check_hosts(sink, &it.hosts, &at_i);
        check_ids(sink, &it.external_ids, &at_i);
    }
}

/// Every host organization of a proposal or item under `parent` needs a
/// disambiguated organization.
fn check_hosts(sink: &mut Sink, hosts: &Hosts, parent: &NodePath) {
    for (i, org) in hosts.organization.iter().enumerate() {
        let at = parent.key("hosts").key("organization").index(i);
        check_organization(sink, Some(org), OrgRules::DISAMBIGUATED, &at, parent);
    }
}

/// The external ids of a proposal or item under `parent`.
fn check_ids(sink: &mut Sink, ids: &v3_0::common::ExternalIds, parent: &NodePath) {
    let wrapper = parent.key("external-ids");
    let ids = ids_of_v3_0(Some(ids)).unwrap_or_default();
    check_external_ids(
        sink,
        Some(&ids),
        &wrapper,
        parent,
        true,
        &EXTERNAL_ID_RELATIONSHIP_MISSING,
    );
    check_relationships(sink, &ids, &wrapper);
    check_version_of(sink, &ids, &wrapper);
}
