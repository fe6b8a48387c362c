//! v3.0: research resources (`docs/orcid-api.md` §9.2, the v3
//! `ActivityValidator#validateResearchResource`): the proposal's and each
//! item's hosts and external ids, the proposal's dates, the item types.

use orcid_model::v3_0;
use orcid_model::v3_0::research_resource::Hosts;

use super::common::{
    check_date_range, check_external_ids, check_version_of, ids_of_v3_0, DateParts, Sink,
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
    check_date_range(
        sink,
        p.start_date.as_ref().map(DateParts::of_v3_0),
        p.end_date.as_ref().map(DateParts::of_v3_0),
        &at_p,
        None,
        true,
    );
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
    check_external_ids(sink, Some(&ids), &wrapper, parent, true);
    check_relationships(sink, &ids, &wrapper);
    check_version_of(sink, &ids, &wrapper);
}
