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
    // Absent required parts have nothing to check: the XSD layer reports
    // them.
    if let Some(p) = &r.proposal {
        let at_p = at.key("proposal");
        if let Some(hosts) = &p.hosts {
            check_hosts(sink, hosts, &at_p);
        }
        check_ids(sink, p.external_ids.as_ref(), &at_p);
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
    }
    let items = r.resource_items.iter().flat_map(|i| &i.resource_item);
    for (i, it) in items.enumerate() {
        let at_i = at.key("resource-items").key("resource-item").index(i);
        if let Some(t) = &it.resource_type {
            check_value(sink, Value::ResourceType, t, &at_i.key("resource-type"));
        }
        if let Some(hosts) = &it.hosts {
            check_hosts(sink, hosts, &at_i);
        }
        check_ids(sink, it.external_ids.as_ref(), &at_i);
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
/// Absent external ids (which the XSD layer reports) are no id, as ORCID
/// sees them.
fn check_ids(sink: &mut Sink, ids: Option<&v3_0::common::ExternalIds>, parent: &NodePath) {
    let wrapper = parent.key("external-ids");
    let given = ids_of_v3_0(ids);
    let ids = given.clone().unwrap_or_default();
    check_external_ids(
        sink,
        given.as_deref(),
        &wrapper,
        parent,
        true,
        &EXTERNAL_ID_RELATIONSHIP_MISSING,
    );
    check_relationships(sink, &ids, &wrapper);
    check_version_of(sink, &ids, &wrapper);
}
