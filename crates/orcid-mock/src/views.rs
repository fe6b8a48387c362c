//! Read views: summaries, grouped sections, the person, the record.
//!
//! Works and fundings are grouped as ORCID does in spirit: items that share
//! an external id (same type and value, relationship not `part-of`) fall in
//! one group, transitively; an item without such ids is a group of its own.
//! Peer reviews are grouped by `review-group-id` (the group's external id is
//! `peer-review:<group-id>`). Groups come in the order of their oldest item.
//!
//! What both versions build alike is here once, for [`crate::views3`] too:
//! the grouping (`group_by`, `grouped_by`, `by_key`), the summaries
//! of items (`summaries`), the grouped activity lists (`grouped_list!`)
//! and the person lists (`person_list_doc!`); each version brings its
//! types and its test of when two ids are the same.

use orcid_model::scalar::{DateTime, OrcidId};
use orcid_model::v2_1::activities::{
    ActivitiesSummary, Educations, Employments, FundingGroup, Fundings, PeerReviewGroup,
    PeerReviews, WorkGroup, Works,
};
use orcid_model::v2_1::address::Addresses;
use orcid_model::v2_1::common::{
    ClientId, ExternalId, ExternalIds, Locale, OrcidIdentifier, RelationshipType, Source,
    Visibility,
};
use orcid_model::v2_1::education::EducationSummary;
use orcid_model::v2_1::email::{Email, Emails};
use orcid_model::v2_1::employment::EmploymentSummary;
use orcid_model::v2_1::external_identifier::ExternalIdentifiers;
use orcid_model::v2_1::funding::{FundingSummary, FundingTitle};
use orcid_model::v2_1::history::{CreationMethod, History};
use orcid_model::v2_1::keyword::Keywords;
use orcid_model::v2_1::other_name::OtherNames;
use orcid_model::v2_1::peer_review::PeerReviewSummary;
use orcid_model::v2_1::person::Person;
use orcid_model::v2_1::personal_details::{Biography, Name, PersonalDetails};
use orcid_model::v2_1::preferences::Preferences;
use orcid_model::v2_1::record::Record;
use orcid_model::v2_1::researcher_url::ResearcherUrls;
use orcid_model::v2_1::work::WorkSummary;
use orcid_model::Document;

use crate::store::{Researcher, Stored, StoredItem};
use orcid_model::ItemSection;

/// The host written in ORCID URIs.
pub const ORCID_HOST: &str = "orcid.org";

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
    }
}

/// `common:orcid-identifier` of an iD.
pub fn orcid_identifier(orcid: &str) -> OrcidIdentifier {
    OrcidIdentifier {
        uri: Some(format!("https://{ORCID_HOST}/{orcid}")),
        path: Some(OrcidId(orcid.to_string())),
        host: Some(ORCID_HOST.into()),
    }
}

fn user_source(r: &Researcher) -> Source {
    Source {
        source_orcid: Some(orcid_identifier(&r.profile.orcid)),
        source_client_id: None,
        source_name: Some(r.display_name()),
    }
}

fn dt(ms: i64) -> Option<DateTime> {
    Some(DateTime::from_epoch_millis(ms))
}

/// The latest of some dates.
pub(crate) fn latest<'a>(
    items: impl IntoIterator<Item = &'a Option<DateTime>>,
) -> Option<DateTime> {
    items
        .into_iter()
        .flatten()
        .max_by_key(|d| d.epoch_millis())
        .cloned()
}

/// The latest `last_modified_date` of some optional parts, in either
/// version.
macro_rules! latest_of {
    ($($x:expr),*) => {
        $crate::views::latest([$(&$x.as_ref().and_then(|x| x.last_modified_date.clone())),*])
    };
}
pub(crate) use latest_of;

/// The summary of an activity item; `None` for person items.
pub fn summary(doc: &Document) -> Option<Document> {
    macro_rules! affiliation_summary {
        ($variant:ident, $ty:ident, $e:expr) => {
            Document::$variant(Box::new($ty {
                created_date: $e.created_date.clone(),
                last_modified_date: $e.last_modified_date.clone(),
                source: $e.source.clone(),
                department_name: $e.department_name.clone(),
                role_title: $e.role_title.clone(),
                start_date: $e.start_date.clone(),
                end_date: $e.end_date.clone(),
                organization: $e.organization.clone(),
                put_code: $e.put_code,
                visibility: $e.visibility,
                // v2.x affiliation summaries carry no display-index.
                display_index: None,
                path: $e.path.clone(),
            }))
        };
    }
    Some(match doc {
        Document::WorkWork(w) => Document::WorkWorkSummary(Box::new(WorkSummary {
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
            r#type: w.r#type,
            publication_date: w.publication_date.clone(),
            put_code: w.put_code,
            visibility: w.visibility,
            display_index: w.display_index.clone(),
            path: w.path.clone(),
        })),
        Document::FundingFunding(f) => Document::FundingFundingSummary(Box::new(FundingSummary {
            created_date: f.created_date.clone(),
            last_modified_date: f.last_modified_date.clone(),
            source: f.source.clone(),
            title: Some(f.title.clone().unwrap_or(FundingTitle {
                title: Some(String::new()),
                translated_title: None,
            })),
            external_ids: f.external_ids.clone(),
            r#type: f.r#type,
            start_date: f.start_date.clone(),
            end_date: f.end_date.clone(),
            organization: f.organization.clone(),
            put_code: f.put_code,
            visibility: f.visibility,
            display_index: f.display_index.clone(),
            path: f.path.clone(),
        })),
        Document::EducationEducation(e) => {
            affiliation_summary!(EducationEducationSummary, EducationSummary, e)
        }
        Document::EmploymentEmployment(e) => {
            affiliation_summary!(EmploymentEmploymentSummary, EmploymentSummary, e)
        }
        Document::PeerReviewPeerReview(p) => {
            Document::PeerReviewPeerReviewSummary(Box::new(PeerReviewSummary {
                created_date: p.created_date.clone(),
                last_modified_date: p.last_modified_date.clone(),
                source: p.source.clone(),
                external_ids: p.review_identifiers.clone(),
                completion_date: p.review_completion_date.clone(),
                review_group_id: p.review_group_id.clone(),
                convening_organization: p.convening_organization.clone(),
                put_code: p.put_code,
                visibility: p.visibility,
                display_index: p.display_index.clone(),
                path: p.path.clone(),
            }))
        }
        _ => return None,
    })
}

/// Groups `n` items by a relation (`shares(i, j)`, `j < i`), taken
/// transitively (union-find); groups in the order of their first item.
pub(crate) fn group_by(n: usize, shares: impl Fn(usize, usize) -> bool) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for i in 0..n {
        for j in 0..i {
            if shares(i, j) {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        match groups.iter_mut().find(|(root, _)| *root == r) {
            Some((_, g)) => g.push(i),
            None => groups.push((r, vec![i])),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Groups items by shared external ids (same type and value, not
/// `part-of`), oldest first.
fn group_by_ids(ids: &[Vec<ExternalId>]) -> Vec<Vec<usize>> {
    group_by(ids.len(), |i, j| {
        ids[i].iter().any(|a| {
            a.external_id_relationship != Some(RelationshipType::PartOf)
                && ids[j].iter().any(|b| {
                    b.external_id_relationship != Some(RelationshipType::PartOf)
                        && a.external_id_type == b.external_id_type
                        && a.external_id_value == b.external_id_value
                })
        })
    })
}

/// The group's external ids: every non-`part-of` id of its members, once.
fn group_ids(members: &[&Vec<ExternalId>]) -> ExternalIds {
    let mut out: Vec<ExternalId> = Vec::new();
    for ids in members {
        for id in ids.iter() {
            if id.external_id_relationship == Some(RelationshipType::PartOf) {
                continue;
            }
            if !out.iter().any(|o| {
                o.external_id_type == id.external_id_type
                    && o.external_id_value == id.external_id_value
            }) {
                out.push(id.clone());
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

/// The summaries (`pick` of [`summary`]s) of some items, in either version.
pub(crate) fn summaries<S, D, T>(
    items: &[&Stored<S, D>],
    summary: impl Fn(&D) -> Option<D>,
    pick: impl Fn(D) -> Option<T>,
) -> Vec<T> {
    items
        .iter()
        .filter_map(|i| summary(&i.doc).and_then(&pick))
        .collect()
}

/// Groups `sums` by their ids (`ids_of`), in either version: `group_by_ids`
/// makes the groups, `group_ids` their ids; each as (latest modification,
/// group ids, members).
pub(crate) fn grouped_by<T: Clone, I, G>(
    sums: &[T],
    ids_of: impl Fn(&T) -> Vec<I>,
    modified: impl Fn(&T) -> &Option<DateTime>,
    group_by_ids: impl Fn(&[Vec<I>]) -> Vec<Vec<usize>>,
    group_ids: impl Fn(&[&Vec<I>]) -> G,
) -> Vec<(Option<DateTime>, G, Vec<T>)> {
    let ids: Vec<Vec<I>> = sums.iter().map(&ids_of).collect();
    group_by_ids(&ids)
        .into_iter()
        .map(|g| {
            (
                latest(g.iter().map(|&i| modified(&sums[i]))),
                group_ids(&g.iter().map(|&i| &ids[i]).collect::<Vec<_>>()),
                g.iter().map(|&i| sums[i].clone()).collect(),
            )
        })
        .collect()
}

/// Groups v2.1 summaries by their external ids.
fn grouped<T: Clone>(
    sums: &[T],
    ids_of: impl Fn(&T) -> Vec<ExternalId>,
    modified: impl Fn(&T) -> &Option<DateTime>,
) -> Vec<(Option<DateTime>, ExternalIds, Vec<T>)> {
    grouped_by(sums, ids_of, modified, group_by_ids, group_ids)
}

/// A grouped activity list (`$list`, groups `$group` holding `$field`) of
/// the `$summary` summaries of `$items`, grouped by `$ids`; the same shape
/// in both versions (`$doc`: the version's document type; `summary` and
/// `grouped` are the version's).
macro_rules! grouped_list {
    ($doc:ident, $items:expr, $summary:ident, $list:ident, $group:ident, $field:ident, $ids:expr, $path:expr) => {{
        let sums = $crate::views::summaries($items, summary, |d| match d {
            $doc::$summary(s) => Some(*s),
            _ => None,
        });
        $list {
            last_modified_date: $crate::views::latest(sums.iter().map(|s| &s.last_modified_date)),
            group: grouped(&sums, $ids, |s| &s.last_modified_date)
                .into_iter()
                .map(|(last_modified_date, external_ids, $field)| $group {
                    last_modified_date,
                    external_ids: Some(external_ids),
                    $field,
                })
                .collect(),
            path: Some($path),
        }
    }};
}
pub(crate) use grouped_list;

/// `activities:works` of the visible works.
pub fn works(orcid: &str, items: &[&StoredItem]) -> Works {
    grouped_list!(
        Document,
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
pub fn fundings(orcid: &str, items: &[&StoredItem]) -> Fundings {
    grouped_list!(
        Document,
        items,
        FundingFundingSummary,
        Fundings,
        FundingGroup,
        funding_summary,
        |s| ids(&s.external_ids),
        format!("/{orcid}/fundings")
    )
}

/// An ungrouped activity list (`$list` holding `$field`) of the
/// `$summary` summaries of `items`.
macro_rules! flat_list {
    ($items:expr, $summary:ident, $list:ident, $field:ident, $path:expr) => {{
        let sums = summaries($items, summary, |d| match d {
            Document::$summary(s) => Some(*s),
            _ => None,
        });
        $list {
            last_modified_date: latest(sums.iter().map(|s| &s.last_modified_date)),
            $field: sums,
            path: Some($path),
        }
    }};
}

/// `activities:educations`.
pub fn educations(orcid: &str, items: &[&StoredItem]) -> Educations {
    flat_list!(
        items,
        EducationEducationSummary,
        Educations,
        education_summary,
        format!("/{orcid}/educations")
    )
}

/// `activities:employments`.
pub fn employments(orcid: &str, items: &[&StoredItem]) -> Employments {
    flat_list!(
        items,
        EmploymentEmploymentSummary,
        Employments,
        employment_summary,
        format!("/{orcid}/employments")
    )
}

/// `sums` by a key (peer reviews by `review-group-id`), the keys in the
/// order of their first summary; in either version.
pub(crate) fn by_key<T: Clone, K: PartialEq + Clone>(
    sums: &[T],
    key: impl Fn(&T) -> &K,
) -> Vec<(K, Vec<T>)> {
    let mut groups: Vec<(K, Vec<T>)> = Vec::new();
    for s in sums {
        match groups.iter_mut().find(|(g, _)| g == key(s)) {
            Some((_, v)) => v.push(s.clone()),
            None => groups.push((key(s).clone(), vec![s.clone()])),
        }
    }
    groups
}

/// `activities:peer-reviews`, grouped by review group id.
pub fn peer_reviews(orcid: &str, items: &[&StoredItem]) -> PeerReviews {
    let sums: Vec<PeerReviewSummary> = summaries(items, summary, |d| match d {
        Document::PeerReviewPeerReviewSummary(s) => Some(*s),
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
                        external_id_url: None,
                        external_id_relationship: None,
                        put_code: None,
                        visibility: None,
                        display_index: None,
                        path: None,
                    }],
                }),
                peer_review_summary: v,
            })
            .collect(),
        path: Some(format!("/{orcid}/peer-reviews")),
    }
}

/// The visible items of each activity section.
pub struct ActivityItems<'a> {
    /// Works.
    pub works: Vec<&'a StoredItem>,
    /// Fundings.
    pub fundings: Vec<&'a StoredItem>,
    /// Educations.
    pub educations: Vec<&'a StoredItem>,
    /// Employments.
    pub employments: Vec<&'a StoredItem>,
    /// Peer reviews.
    pub peer_reviews: Vec<&'a StoredItem>,
}

/// `activities:activities-summary`.
pub fn activities(orcid: &str, a: &ActivityItems<'_>) -> ActivitiesSummary {
    let works = works(orcid, &a.works);
    let fundings = fundings(orcid, &a.fundings);
    let educations = educations(orcid, &a.educations);
    let employments = employments(orcid, &a.employments);
    let peer_reviews = peer_reviews(orcid, &a.peer_reviews);
    ActivitiesSummary {
        last_modified_date: latest([
            &works.last_modified_date,
            &fundings.last_modified_date,
            &educations.last_modified_date,
            &employments.last_modified_date,
            &peer_reviews.last_modified_date,
        ]),
        educations: Some(educations),
        employments: Some(employments),
        fundings: Some(fundings),
        peer_reviews: Some(peer_reviews),
        works: Some(works),
        path: Some(format!("/{orcid}/activities")),
    }
}

/// The name, when visible.
pub fn name(r: &Researcher) -> Name {
    Name {
        created_date: dt(r.created_ms),
        last_modified_date: dt(r.modified_ms),
        given_names: Some(r.profile.given_names.clone()),
        family_name: r.profile.family_name.clone(),
        credit_name: r.profile.credit_name.clone(),
        visibility: Some(r.name_visibility()),
        path: Some(r.profile.orcid.clone()),
    }
}

/// The biography, if any.
pub fn biography(r: &Researcher) -> Option<Biography> {
    r.profile.biography.as_ref().map(|b| Biography {
        created_date: dt(r.created_ms),
        last_modified_date: dt(r.modified_ms),
        content: Some(b.clone()),
        visibility: Some(r.biography_visibility()),
        path: Some(format!("/{}/biography", r.profile.orcid)),
    })
}

/// The e-mails (`all`: regardless of visibility, for `/email/read-private`).
pub fn emails(r: &Researcher, visible: bool) -> Emails {
    let email: Vec<Email> = match (&r.profile.email, visible) {
        (Some(e), true) => vec![Email {
            created_date: dt(r.created_ms),
            last_modified_date: dt(r.modified_ms),
            source: Some(user_source(r)),
            email: Some(e.clone()),
            put_code: None,
            visibility: Some(r.email_visibility()),
            display_index: None,
            path: None,
            verified: Some(true),
            primary: Some(true),
        }],
        _ => Vec::new(),
    };
    Emails {
        last_modified_date: latest(email.iter().map(|e| &e.last_modified_date)),
        email,
        path: Some(format!("/{}/email", r.profile.orcid)),
    }
}

/// A person section list (`researcher-urls`, `other-names`, `keywords`,
/// `address`, `external-identifiers`) of the visible `$items` of
/// `$section`, `None` for activity sections: the same in both versions
/// (`$doc` and `$sec` are the version's document and section types, the
/// list types are the version's in scope).
macro_rules! person_list_doc {
    (@list $doc:ident, $docs:expr, $path:expr, $item:ident, $list:ident, $ty:ident, $field:ident) => {{
        let v: Vec<_> = $docs
            .filter_map(|d| match d {
                $doc::$item(x) => Some((**x).clone()),
                _ => None,
            })
            .collect();
        Some($doc::$list(Box::new($ty {
            last_modified_date: $crate::views::latest(v.iter().map(|x| &x.last_modified_date)),
            $field: v,
            path: $path,
        })))
    }};
    ($doc:ident, $sec:ident, $orcid:expr, $section:expr, $items:expr) => {{
        let section = $section;
        let docs = $items.iter().filter(|i| i.section == section).map(|i| &i.doc);
        let path = Some(format!("/{}/{}", $orcid, section.list_path()));
        match section {
            $sec::ResearcherUrl => person_list_doc!(
                @list $doc, docs, path,
                ResearcherUrlResearcherUrl, ResearcherUrlResearcherUrls, ResearcherUrls, researcher_url
            ),
            $sec::OtherName => person_list_doc!(
                @list $doc, docs, path, OtherNameOtherName, OtherNameOtherNames, OtherNames, other_name
            ),
            $sec::Keyword => person_list_doc!(
                @list $doc, docs, path, KeywordKeyword, KeywordKeywords, Keywords, keyword
            ),
            $sec::Address => person_list_doc!(
                @list $doc, docs, path, AddressAddress, AddressAddresses, Addresses, address
            ),
            $sec::ExternalIdentifier => person_list_doc!(
                @list $doc, docs, path,
                ExternalIdentifierExternalIdentifier, ExternalIdentifierExternalIdentifiers,
                ExternalIdentifiers, external_identifier
            ),
            _ => None,
        }
    }};
}
pub(crate) use person_list_doc;

/// A person section list (`researcher-urls`, …) from visible items.
pub fn person_list(orcid: &str, section: ItemSection, items: &[&StoredItem]) -> Option<Document> {
    person_list_doc!(Document, ItemSection, orcid, section, items)
}

/// What of the person the caller may see.
pub struct PersonView<'a> {
    /// The researcher.
    pub researcher: &'a Researcher,
    /// Show the name.
    pub name: bool,
    /// Show the biography.
    pub biography: bool,
    /// Show the e-mail.
    pub email: bool,
    /// Visible person items.
    pub items: Vec<&'a StoredItem>,
}

/// `personal-details:personal-details`.
pub fn personal_details(v: &PersonView<'_>) -> PersonalDetails {
    let orcid = &v.researcher.profile.orcid;
    let other_names = match person_list(orcid, ItemSection::OtherName, &v.items) {
        Some(Document::OtherNameOtherNames(o)) => Some(*o),
        _ => None,
    };
    let name = v.name.then(|| name(v.researcher));
    let bio = if v.biography {
        biography(v.researcher)
    } else {
        None
    };
    PersonalDetails {
        last_modified_date: latest_of!(name, bio, other_names),
        name,
        other_names,
        biography: bio,
        path: Some(format!("/{orcid}/personal-details")),
    }
}

/// `person:person`.
pub fn person(v: &PersonView<'_>) -> Person {
    let orcid = &v.researcher.profile.orcid;
    let pd = personal_details(v);
    macro_rules! list {
        ($section:expr, $variant:ident) => {
            match person_list(orcid, $section, &v.items) {
                Some(Document::$variant(x)) => Some(*x),
                _ => None,
            }
        };
    }
    let researcher_urls = list!(ItemSection::ResearcherUrl, ResearcherUrlResearcherUrls);
    let addresses = list!(ItemSection::Address, AddressAddresses);
    let keywords = list!(ItemSection::Keyword, KeywordKeywords);
    let external_identifiers = list!(
        ItemSection::ExternalIdentifier,
        ExternalIdentifierExternalIdentifiers
    );
    let emails = emails(v.researcher, v.email);
    Person {
        last_modified_date: latest([
            &pd.last_modified_date,
            &emails.last_modified_date,
            &latest_of!(researcher_urls, addresses, keywords, external_identifiers),
        ]),
        name: pd.name,
        other_names: pd.other_names,
        biography: pd.biography,
        researcher_urls,
        emails: Some(emails),
        addresses,
        keywords,
        external_identifiers,
        path: Some(format!("/{orcid}/person")),
    }
}

/// `record:record`.
pub fn record(v: &PersonView<'_>, a: &ActivityItems<'_>) -> Record {
    let r = v.researcher;
    let orcid = &r.profile.orcid;
    Record {
        orcid_identifier: Some(orcid_identifier(orcid)),
        preferences: Some(Preferences {
            locale: Some(Locale::En),
        }),
        history: Some(History {
            creation_method: Some(CreationMethod::Direct),
            completion_date: dt(r.created_ms),
            submission_date: dt(r.created_ms),
            last_modified_date: dt(r.modified_ms),
            claimed: Some(r.profile.claimed),
            source: None,
            deactivation_date: None,
            verified_email: Some(r.profile.email.is_some()),
            verified_primary_email: Some(r.profile.email.is_some()),
            visibility: None::<Visibility>,
        }),
        person: Some(person(v)),
        activities_summary: Some(activities(orcid, a)),
        path: Some(format!("/{orcid}")),
    }
}
