//! Read views of the member API v3.0: summaries and the grouped sections
//! (`docs/orcid-v3.md` §1, §3).
//!
//! * Works, fundings and research resources are grouped by shared external
//!   ids (same type and value, relationship neither `part-of` nor
//!   `funded-by`), transitively, as in v2.1.
//! * The seven affiliation sections come as `affiliation-group`s: items
//!   that share an external id fall in one group; an item without ids is a
//!   group of its own with empty `external-ids` (what ORCID does).
//! * Peer reviews are grouped by `review-group-id` (`peer-review:<id>`),
//!   and inside by shared review identifiers (`peer-review-group`).
//!
//! Groups come in the order of their oldest item. The person sections are
//! the v3.0 items themselves; the name, biography, e-mails and the
//! record's history are v2.1's views upgraded ([`orcid_model::convert`]),
//! being the same in both versions.

use orcid_model::identifiers;
use orcid_model::scalar::DateTime;
use orcid_model::v3_0::activities::{
    ActivitiesSummary, AffiliationGroup, Distinctions, Educations, Employments, FundingGroup,
    Fundings, InvitedPositions, Memberships, PeerReviewDuplicates, PeerReviewGroup, PeerReviews,
    Qualifications, ResearchResourceGroup, ResearchResources, Services, WorkGroup, Works,
};
use orcid_model::v3_0::common::{AffiliationSummary, ClientId, ExternalId, ExternalIds, Source};
use orcid_model::v3_0::funding::{FundingSummary, FundingTitle};
use orcid_model::v3_0::peer_review::PeerReviewSummary;
use orcid_model::v3_0::research_resource::ResearchResourceSummary;
use orcid_model::v3_0::section::ItemSection as Section3;
use orcid_model::v3_0::work::WorkSummary;
use orcid_model::v3_0::Document as Doc3;

use crate::store::StoredItemV3;
use crate::views::{
    by_key, group_by, grouped_by, grouped_list, latest, latest_of, person_list_doc, ORCID_HOST,
};

/// `common:source` for a client.
pub fn client_source(client_id: &str, name: &str) -> Source {
    Source {
        source_orcid: None,
        source_client_id: Some(ClientId {
            uri: Some(format!("https://{ORCID_HOST}/client/{client_id}")),
            path: Some(client_id.to_string()),
            host: Some(ORCID_HOST.into()),
        }),
        source_name: Some(name.to_string()),
        assertion_origin_orcid: None,
        assertion_origin_client_id: None,
        assertion_origin_name: None,
    }
}

/// The summary of an activity item; `None` for person items.
pub fn summary(doc: &Doc3) -> Option<Doc3> {
    fn aff(a: &orcid_model::v3_0::common::Affiliation) -> Box<AffiliationSummary> {
        Box::new(AffiliationSummary {
            created_date: a.created_date.clone(),
            last_modified_date: a.last_modified_date.clone(),
            source: a.source.clone(),
            department_name: a.department_name.clone(),
            role_title: a.role_title.clone(),
            start_date: a.start_date.clone(),
            end_date: a.end_date.clone(),
            organization: a.organization.clone(),
            url: a.url.clone(),
            external_ids: a.external_ids.clone(),
            put_code: a.put_code,
            visibility: a.visibility,
            display_index: a.display_index.clone(),
            path: a.path.clone(),
        })
    }
    Some(match doc {
        Doc3::WorkWork(w) => Doc3::WorkWorkSummary(Box::new(WorkSummary {
            created_date: w.created_date.clone(),
            last_modified_date: w.last_modified_date.clone(),
            source: w.source.clone(),
            // ORCID's work summaries carry no subtitle (null in every real
            // payload of the corpus; the summary is built from a minimized work).
            title: w.title.clone().map(|mut t| {
                t.subtitle = None;
                t
            }),
            external_ids: w.external_ids.clone(),
            url: w.url.clone(),
            r#type: w.r#type.clone(),
            publication_date: w.publication_date.clone(),
            journal_title: w.journal_title.clone(),
            put_code: w.put_code,
            visibility: w.visibility,
            display_index: w.display_index.clone(),
            path: w.path.clone(),
        })),
        Doc3::FundingFunding(f) => Doc3::FundingFundingSummary(Box::new(FundingSummary {
            created_date: f.created_date.clone(),
            last_modified_date: f.last_modified_date.clone(),
            source: f.source.clone(),
            title: Some(f.title.clone().unwrap_or(FundingTitle {
                title: Some(String::new()),
                translated_title: None,
            })),
            external_ids: f.external_ids.clone(),
            url: f.url.clone(),
            r#type: f.r#type.clone(),
            start_date: f.start_date.clone(),
            end_date: f.end_date.clone(),
            organization: f.organization.clone(),
            put_code: f.put_code,
            visibility: f.visibility,
            display_index: f.display_index.clone(),
            path: f.path.clone(),
        })),
        Doc3::DistinctionDistinction(a) => Doc3::DistinctionDistinctionSummary(aff(a)),
        Doc3::EducationEducation(a) => Doc3::EducationEducationSummary(aff(a)),
        Doc3::EmploymentEmployment(a) => Doc3::EmploymentEmploymentSummary(aff(a)),
        Doc3::InvitedPositionInvitedPosition(a) => {
            Doc3::InvitedPositionInvitedPositionSummary(aff(a))
        }
        Doc3::MembershipMembership(a) => Doc3::MembershipMembershipSummary(aff(a)),
        Doc3::QualificationQualification(a) => Doc3::QualificationQualificationSummary(aff(a)),
        Doc3::ServiceService(a) => Doc3::ServiceServiceSummary(aff(a)),
        Doc3::PeerReviewPeerReview(p) => {
            Doc3::PeerReviewPeerReviewSummary(Box::new(PeerReviewSummary {
                created_date: p.created_date.clone(),
                last_modified_date: p.last_modified_date.clone(),
                source: p.source.clone(),
                reviewer_role: p.reviewer_role.clone(),
                external_ids: p.review_identifiers.clone(),
                review_url: p.review_url.clone(),
                review_type: p.review_type.clone(),
                completion_date: p.review_completion_date.clone(),
                review_group_id: p.review_group_id.clone(),
                convening_organization: p.convening_organization.clone(),
                put_code: p.put_code,
                visibility: p.visibility,
                display_index: p.display_index.clone(),
                path: p.path.clone(),
            }))
        }
        Doc3::ResearchResourceResearchResource(r) => {
            Doc3::ResearchResourceResearchResourceSummary(Box::new(ResearchResourceSummary {
                created_date: r.created_date.clone(),
                last_modified_date: r.last_modified_date.clone(),
                source: r.source.clone(),
                proposal: r.proposal.clone(),
                put_code: r.put_code,
                visibility: r.visibility,
                display_index: r.display_index.clone(),
                path: r.path.clone(),
            }))
        }
        _ => return None,
    })
}

/// Whether an id takes part in grouping (v3.0: `self` and `version-of`,
/// or no relationship; `part-of` and `funded-by` do not).
fn groupable(id: &ExternalId) -> bool {
    !matches!(
        id.external_id_relationship.as_deref(),
        Some("part-of") | Some("funded-by")
    ) && id
        .external_id_value
        .as_deref()
        .is_some_and(|v| !v.trim().is_empty())
}

/// Whether two ids group together: the same type and the same group value
/// (the normalization ORCID shows, else the raw value; orcid-model's
/// `ExternalID#getGroupId`); an id without a type or value matches none.
fn same_id(a: &ExternalId, b: &ExternalId) -> bool {
    match (
        &a.external_id_type,
        &a.external_id_value,
        &b.external_id_type,
        &b.external_id_value,
    ) {
        (Some(at), Some(av), Some(bt), Some(bv)) => {
            at == bt && identifiers::group_value(at, av) == identifiers::group_value(bt, bv)
        }
        _ => false,
    }
}

/// Groups items by shared groupable ids, oldest first.
fn group_by_ids(ids: &[Vec<ExternalId>]) -> Vec<Vec<usize>> {
    group_by(ids.len(), |i, j| {
        ids[i]
            .iter()
            .any(|a| groupable(a) && ids[j].iter().any(|b| groupable(b) && same_id(a, b)))
    })
}

/// The group's external ids: every groupable id of its members, once.
fn group_ids(members: &[&Vec<ExternalId>]) -> ExternalIds {
    let mut out: Vec<ExternalId> = Vec::new();
    for ids in members {
        for id in ids.iter().filter(|i| groupable(i)) {
            if !out.iter().any(|o| same_id(o, id)) {
                let mut id = id.clone();
                // Group ids carry no item envelope.
                id.put_code = None;
                id.visibility = None;
                id.source = None;
                id.created_date = None;
                id.last_modified_date = None;
                id.path = None;
                id.display_index = None;
                out.push(id);
            }
        }
    }
    ExternalIds { external_id: out }
}

fn ids(e: &Option<ExternalIds>) -> Vec<ExternalId> {
    e.as_ref()
        .map(|e| e.external_id.clone())
        .unwrap_or_default()
}

/// Summaries of items.
fn summaries<T>(items: &[&StoredItemV3], pick: impl Fn(Doc3) -> Option<T>) -> Vec<T> {
    crate::views::summaries(items, summary, pick)
}

/// Groups v3.0 summaries by their groupable ids.
fn grouped<T: Clone>(
    sums: &[T],
    ids_of: impl Fn(&T) -> Vec<ExternalId>,
    modified: impl Fn(&T) -> &Option<DateTime>,
) -> Vec<(Option<DateTime>, ExternalIds, Vec<T>)> {
    grouped_by(sums, ids_of, modified, group_by_ids, group_ids)
}

/// `activities:works` of the visible works.
pub fn works(orcid: &str, items: &[&StoredItemV3]) -> Works {
    grouped_list!(
        Doc3,
        items,
        WorkWorkSummary,
        Works,
        WorkGroup,
        work_summary,
        |s| ids(&s.external_ids),
        format!("/{orcid}/works")
    )
}

/// `activities:fundings` of the visible fundings.
pub fn fundings(orcid: &str, items: &[&StoredItemV3]) -> Fundings {
    grouped_list!(
        Doc3,
        items,
        FundingFundingSummary,
        Fundings,
        FundingGroup,
        funding_summary,
        |s| ids(&s.external_ids),
        format!("/{orcid}/fundings")
    )
}

/// `activities:research-resources`, grouped by the proposals' ids.
pub fn research_resources(orcid: &str, items: &[&StoredItemV3]) -> ResearchResources {
    grouped_list!(
        Doc3,
        items,
        ResearchResourceResearchResourceSummary,
        ResearchResources,
        ResearchResourceGroup,
        research_resource_summary,
        |s| s
            .proposal
            .as_ref()
            .and_then(|p| p.external_ids.as_ref())
            .map(|e| e.external_id.clone())
            .unwrap_or_default(),
        format!("/{orcid}/research-resources")
    )
}

/// `activities:peer-reviews`: a group per review group id, inside it a
/// `peer-review-group` per set of reviews sharing review identifiers.
pub fn peer_reviews(orcid: &str, items: &[&StoredItemV3]) -> PeerReviews {
    let sums: Vec<PeerReviewSummary> = summaries(items, |d| match d {
        Doc3::PeerReviewPeerReviewSummary(s) => Some(*s),
        _ => None,
    });
    PeerReviews {
        last_modified_date: latest(sums.iter().map(|s| &s.last_modified_date)),
        group: by_key(&sums, |s| &s.review_group_id)
            .into_iter()
            .map(|(gid, v)| PeerReviewGroup {
                last_modified_date: latest(v.iter().map(|s| &s.last_modified_date)),
                external_ids: Some(ExternalIds {
                    external_id: vec![ExternalId {
                        created_date: None,
                        last_modified_date: None,
                        source: None,
                        external_id_type: Some("peer-review".into()),
                        external_id_value: gid,
                        external_id_normalized: None,
                        external_id_normalized_error: None,
                        external_id_url: None,
                        external_id_relationship: None,
                        put_code: None,
                        visibility: None,
                        display_index: None,
                        path: None,
                    }],
                }),
                peer_review_group: grouped(&v, |s| ids(&s.external_ids), |s| &s.last_modified_date)
                    .into_iter()
                    .map(
                        |(lm, external_ids, peer_review_summary)| PeerReviewDuplicates {
                            last_modified_date: lm,
                            external_ids: Some(external_ids),
                            peer_review_summary,
                        },
                    )
                    .collect(),
            })
            .collect(),
        path: Some(format!("/{orcid}/peer-reviews")),
    }
}

/// The `affiliation-group`s of one affiliation section.
fn affiliation_groups(
    section: Section3,
    items: &[&StoredItemV3],
) -> (Option<DateTime>, Vec<AffiliationGroup>) {
    let sums: Vec<AffiliationSummary> = summaries(items, |d| match d {
        Doc3::DistinctionDistinctionSummary(s)
        | Doc3::EducationEducationSummary(s)
        | Doc3::EmploymentEmploymentSummary(s)
        | Doc3::InvitedPositionInvitedPositionSummary(s)
        | Doc3::MembershipMembershipSummary(s)
        | Doc3::QualificationQualificationSummary(s)
        | Doc3::ServiceServiceSummary(s) => Some(*s),
        _ => None,
    });
    let groups = grouped(&sums, |s| ids(&s.external_ids), |s| &s.last_modified_date)
        .into_iter()
        .map(|(lm, external_ids, members)| {
            let mut g = AffiliationGroup {
                last_modified_date: lm,
                external_ids: Some(external_ids),
                distinction_summary: Vec::new(),
                invited_position_summary: Vec::new(),
                education_summary: Vec::new(),
                employment_summary: Vec::new(),
                membership_summary: Vec::new(),
                qualification_summary: Vec::new(),
                service_summary: Vec::new(),
            };
            let slot = match section {
                Section3::Distinction => &mut g.distinction_summary,
                Section3::InvitedPosition => &mut g.invited_position_summary,
                Section3::Education => &mut g.education_summary,
                Section3::Employment => &mut g.employment_summary,
                Section3::Membership => &mut g.membership_summary,
                Section3::Qualification => &mut g.qualification_summary,
                _ => &mut g.service_summary,
            };
            *slot = members;
            g
        })
        .collect();
    (latest(sums.iter().map(|s| &s.last_modified_date)), groups)
}

/// The affiliation of an item of one of the seven affiliation types.
pub fn affiliation(doc: &Doc3) -> Option<&orcid_model::v3_0::common::Affiliation> {
    match doc {
        Doc3::DistinctionDistinction(a)
        | Doc3::EducationEducation(a)
        | Doc3::EmploymentEmployment(a)
        | Doc3::InvitedPositionInvitedPosition(a)
        | Doc3::MembershipMembership(a)
        | Doc3::QualificationQualification(a)
        | Doc3::ServiceService(a) => Some(a),
        _ => None,
    }
}

/// Sets the server-computed `external-id-normalized` (`transient="true"`)
/// or `external-id-normalized-error` (8001) of an item's external ids where
/// ORCID's v3.0 reads show them, and clears both elsewhere (what a client
/// sent there is not kept): works, peer-review `review-identifiers`,
/// research-resource proposal and item ids, affiliation ids are filled;
/// funding ids and the peer-review subject id are not
/// ([`identifiers::set_normalized`]). Summaries and groups copy the item's
/// ids, so they show the same.
pub fn set_normalized(doc: &mut Doc3) {
    identifiers::set_normalized(doc);
}

/// Whether a section is one of the seven affiliation types.
pub fn is_affiliation(section: Section3) -> bool {
    matches!(
        section,
        Section3::Distinction
            | Section3::Education
            | Section3::Employment
            | Section3::InvitedPosition
            | Section3::Membership
            | Section3::Qualification
            | Section3::Service
    )
}

/// The list of an activity section (`activities:works`,
/// `activities:distinctions`, …); `None` for person sections.
pub fn activity_list(orcid: &str, section: Section3, items: &[&StoredItemV3]) -> Option<Doc3> {
    let path = Some(format!("/{orcid}/{}", section.list_path()));
    Some(match section {
        Section3::Work => Doc3::ActivitiesWorks(Box::new(works(orcid, items))),
        Section3::Funding => Doc3::ActivitiesFundings(Box::new(fundings(orcid, items))),
        Section3::PeerReview => Doc3::ActivitiesPeerReviews(Box::new(peer_reviews(orcid, items))),
        Section3::ResearchResource => {
            Doc3::ActivitiesResearchResources(Box::new(research_resources(orcid, items)))
        }
        s if is_affiliation(s) => {
            let (last_modified_date, affiliation_group) = affiliation_groups(s, items);
            macro_rules! wrap {
                ($variant:ident, $ty:ident) => {
                    Doc3::$variant(Box::new($ty {
                        last_modified_date,
                        affiliation_group,
                        path,
                    }))
                };
            }
            match s {
                Section3::Distinction => wrap!(ActivitiesDistinctions, Distinctions),
                Section3::Education => wrap!(ActivitiesEducations, Educations),
                Section3::Employment => wrap!(ActivitiesEmployments, Employments),
                Section3::InvitedPosition => wrap!(ActivitiesInvitedPositions, InvitedPositions),
                Section3::Membership => wrap!(ActivitiesMemberships, Memberships),
                Section3::Qualification => wrap!(ActivitiesQualifications, Qualifications),
                _ => wrap!(ActivitiesServices, Services),
            }
        }
        _ => return None,
    })
}

/// `activities:activities-summary` of the visible activities, by section.
pub fn activities(orcid: &str, items: &dyn Fn(Section3) -> Vec<StoredItemV3>) -> ActivitiesSummary {
    let list = |s: Section3| {
        let v = items(s);
        activity_list(orcid, s, &v.iter().collect::<Vec<_>>())
    };
    macro_rules! take {
        ($section:expr, $variant:ident) => {
            match list($section) {
                Some(Doc3::$variant(x)) => Some(*x),
                _ => None,
            }
        };
    }
    let distinctions = take!(Section3::Distinction, ActivitiesDistinctions);
    let educations = take!(Section3::Education, ActivitiesEducations);
    let employments = take!(Section3::Employment, ActivitiesEmployments);
    let fundings = take!(Section3::Funding, ActivitiesFundings);
    let invited_positions = take!(Section3::InvitedPosition, ActivitiesInvitedPositions);
    let memberships = take!(Section3::Membership, ActivitiesMemberships);
    let peer_reviews = take!(Section3::PeerReview, ActivitiesPeerReviews);
    let qualifications = take!(Section3::Qualification, ActivitiesQualifications);
    let research_resources = take!(Section3::ResearchResource, ActivitiesResearchResources);
    let services = take!(Section3::Service, ActivitiesServices);
    let works = take!(Section3::Work, ActivitiesWorks);
    macro_rules! summary {
        ($($x:ident),*) => {
            ActivitiesSummary {
                last_modified_date: latest_of!($($x),*),
                $($x,)*
                path: Some(format!("/{orcid}/activities")),
            }
        };
    }
    summary!(
        distinctions,
        educations,
        employments,
        fundings,
        invited_positions,
        memberships,
        peer_reviews,
        qualifications,
        research_resources,
        services,
        works
    )
}

/// A person section list (`researcher-urls`, `other-names`, `keywords`,
/// `address`, `external-identifiers`) from visible items; `None` for
/// activity sections.
pub fn person_list(orcid: &str, section: Section3, items: &[&StoredItemV3]) -> Option<Doc3> {
    use orcid_model::v3_0::address::Addresses;
    use orcid_model::v3_0::external_identifier::ExternalIdentifiers;
    use orcid_model::v3_0::keyword::Keywords;
    use orcid_model::v3_0::other_name::OtherNames;
    use orcid_model::v3_0::researcher_url::ResearcherUrls;
    person_list_doc!(Doc3, Section3, orcid, section, items)
}

/// Replaces the person lists of an upgraded v2.1 person with the v3.0
/// items themselves (a v3.0 researcher-url may lack the `url-name` v2.1
/// requires), and its last modification accordingly.
pub fn set_person_lists(
    p: &mut orcid_model::v3_0::person::Person,
    orcid: &str,
    items: &dyn Fn(Section3) -> Vec<StoredItemV3>,
) {
    let list = |s: Section3| {
        let v = items(s);
        person_list(orcid, s, &v.iter().collect::<Vec<_>>())
    };
    if let Some(Doc3::OtherNameOtherNames(x)) = list(Section3::OtherName) {
        p.other_names = Some(*x);
    }
    if let Some(Doc3::ResearcherUrlResearcherUrls(x)) = list(Section3::ResearcherUrl) {
        p.researcher_urls = Some(*x);
    }
    if let Some(Doc3::AddressAddresses(x)) = list(Section3::Address) {
        p.addresses = Some(*x);
    }
    if let Some(Doc3::KeywordKeywords(x)) = list(Section3::Keyword) {
        p.keywords = Some(*x);
    }
    if let Some(Doc3::ExternalIdentifierExternalIdentifiers(x)) = list(Section3::ExternalIdentifier)
    {
        p.external_identifiers = Some(*x);
    }
    p.last_modified_date = latest([
        &p.last_modified_date,
        &latest_of!(
            p.other_names,
            p.researcher_urls,
            p.addresses,
            p.keywords,
            p.external_identifiers
        ),
    ]);
}

/// What the record summary shows of an affiliation: put-code,
/// organization name, role, url, start and end date.
type AffiliationRow = (
    i64,
    String,
    String,
    Option<orcid_model::scalar::Uri>,
    Option<orcid_model::v3_0::common::FuzzyDate>,
    Option<orcid_model::v3_0::common::FuzzyDate>,
);

fn affiliation_row(i: &StoredItemV3) -> Option<AffiliationRow> {
    affiliation(&i.doc).map(|a| {
        (
            i.put_code,
            a.organization
                .as_ref()
                .and_then(|o| o.name.clone())
                .unwrap_or_default(),
            a.role_title.clone().unwrap_or_default(),
            a.url.clone(),
            a.start_date.clone(),
            a.end_date.clone(),
        )
    })
}

/// The public external identifiers of the record summary.
fn summary_external_ids(
    items: Vec<StoredItemV3>,
) -> Vec<orcid_model::v3_0::summary::ExternalIdentifier> {
    items
        .iter()
        .filter_map(|i| match &i.doc {
            Doc3::ExternalIdentifierExternalIdentifier(e) => {
                Some(orcid_model::v3_0::summary::ExternalIdentifier {
                    put_code: Some(i.put_code),
                    external_id_type: e.external_id_type.clone(),
                    external_id_value: e.external_id_value.clone(),
                    external_id_url: e.external_id_url.clone(),
                    validated: Some(true),
                })
            }
            _ => None,
        })
        .collect()
}

/// `summary:record-summary` (`/v3.0/{orcid}/summary`): counts and items of
/// the record's **public** data only, whoever asks. Every item the mock
/// holds was written by a client, so each counts as validated (ORCID:
/// self-asserted means the researcher is the source). An invited position
/// is written `invited-postition`, as the 3.0 XSD spells it.
pub fn record_summary(
    researcher: &crate::store::Researcher,
    public_name: bool,
    items: &dyn Fn(Section3) -> Vec<StoredItemV3>,
) -> orcid_model::v3_0::summary::RecordSummary {
    use orcid_model::v3_0::summary as s;
    let orcid = researcher.profile.orcid.as_str();
    let public = |sec: Section3| -> Vec<StoredItemV3> {
        items(sec)
            .into_iter()
            .filter(|i| {
                i.doc.item_envelope().and_then(|x| *x.visibility)
                    == Some(orcid_model::v3_0::common::Visibility::Public)
            })
            .collect()
    };
    // The rows of a summary block (`$row`) from the public affiliations of
    // some sections, each with its type.
    macro_rules! rows {
        ($row:ident, $(($sec:expr, $ty:expr)),*) => {{
            let mut out = Vec::new();
            $(for (put_code, organization_name, role, url, start_date, end_date) in
                public($sec).iter().filter_map(affiliation_row)
            {
                out.push(s::$row {
                    put_code: Some(put_code),
                    r#type: Some($ty),
                    organization_name: Some(organization_name),
                    role: Some(role),
                    url,
                    start_date,
                    end_date,
                    validated: Some(true),
                });
            })*
            out
        }};
    }
    let employment = rows!(Employment, (Section3::Employment, "employment".into()));
    let professional_activity = rows!(
        ProfessionalActivity,
        (
            Section3::Distinction,
            s::ProfessionalActivityType::Distinction
        ),
        (
            Section3::InvitedPosition,
            s::ProfessionalActivityType::InvitedPostition
        ),
        (
            Section3::Membership,
            s::ProfessionalActivityType::Membership
        ),
        (Section3::Service, s::ProfessionalActivityType::Service)
    );
    let education_qualification = rows!(
        EducationQualification,
        (
            Section3::Education,
            s::EducationQualificationType::Education
        ),
        (
            Section3::Qualification,
            s::EducationQualificationType::Qualification
        )
    );
    let external_identifier = summary_external_ids(public(Section3::ExternalIdentifier));
    let works = public(Section3::Work);
    let fundings = public(Section3::Funding);
    let reviews = public(Section3::PeerReview);
    let resources = public(Section3::ResearchResource);
    let count = |v: &[StoredItemV3]| v.len() as i64;
    fn r(v: &[StoredItemV3]) -> Vec<&StoredItemV3> {
        v.iter().collect()
    }
    s::RecordSummary {
        created_date: Some(DateTime::from_epoch_millis(researcher.created_ms)),
        last_modified_date: Some(DateTime::from_epoch_millis(researcher.modified_ms)),
        credit_name: public_name.then(|| researcher.display_name()),
        orcid_identifier: Some(orcid_model::v3_0::common::OrcidIdentifier {
            uri: Some(format!("https://{ORCID_HOST}/{orcid}")),
            path: Some(orcid_model::scalar::OrcidId(orcid.to_string())),
            host: Some(ORCID_HOST.into()),
        }),
        // The XSD wants at least one identifier in the list.
        external_identifiers: (!external_identifier.is_empty()).then_some(s::ExternalIdentifiers {
            external_identifier,
        }),
        // These blocks hold at least one item in the XSD: an empty one is
        // left out.
        employments: (!employment.is_empty()).then_some(s::Employments {
            count: Some(employment.len() as i64),
            employment,
        }),
        professional_activities: (!professional_activity.is_empty()).then_some(
            s::ProfessionalActivities {
                count: Some(professional_activity.len() as i64),
                professional_activity,
            },
        ),
        fundings: Some(s::Fundings {
            self_asserted_count: Some(0),
            validated_count: Some(self::fundings(orcid, &r(&fundings)).group.len() as i64),
        }),
        works: Some(s::Works {
            self_asserted_count: Some(0),
            validated_count: Some(self::works(orcid, &r(&works)).group.len() as i64),
        }),
        peer_reviews: Some(s::PeerReviews {
            peer_review_publication_grants: Some(
                self::peer_reviews(orcid, &r(&reviews)).group.len() as i64,
            ),
            self_asserted_count: Some(0),
            total: Some(count(&reviews)),
        }),
        education_qualifications: (!education_qualification.is_empty()).then_some(
            s::EducationQualifications {
                count: Some(education_qualification.len() as i64),
                education_qualification,
            },
        ),
        research_resources: Some(s::ResearchResources {
            self_asserted_count: Some(0),
            validated_count: Some(count(&resources)),
        }),
        email_domains: None,
    }
}
