//! The member API v3.0 against canned answers: `/v3.0/` paths, the
//! sections only v3.0 has, put-codes from `Location`, v3.0 lists and
//! error bodies, and the v2.1 methods staying at v2.1.

mod common;

use common::*;
use orcid_client::{
    ApiSection, ClientConfig, Deleted, Error, ErrorKind, OrcidClient, SecretString, WireFormat,
};
use orcid_model::scalar::PutCode;
use orcid_model::v3_0::section::ItemSection as Section3;
use orcid_model::{v3_0, AnyDocument, Version};
use orcid_test_kit::paths::schema_cache;

fn token() -> SecretString {
    SecretString::from(ACCESS_TOKEN)
}

fn sample(rel: &str) -> String {
    std::fs::read_to_string(schema_cache().join(rel)).expect("run `cargo xtask sync-schemas`")
}

fn v3_doc(xml: &str) -> AnyDocument {
    AnyDocument::V3_0(v3_0::Document::from_xml(xml).unwrap())
}

fn distinction() -> AnyDocument {
    v3_doc(&sample(
        "record_3.0/samples/write_samples/distinction-3.0.xml",
    ))
}

#[test]
fn the_default_version_is_3_0() {
    let server = TestServer::always(Canned::new(500));
    assert_eq!(server.config().api_version, Version::V3_0);
    let client = server.client();
    let t = token();
    assert_eq!(client.member(&t).version(), Version::V3_0);
    let v2 = OrcidClient::new(server.config().with_api_version(Version::V2_1)).unwrap();
    assert_eq!(v2.member(&t).version(), Version::V2_1);
}

#[test]
fn a_distinction_is_posted_to_v3_0_and_its_put_code_read_from_location() {
    let server = TestServer::always(Canned::new(201).header(
        "Location",
        &format!("https://api.sandbox.orcid.org/v3.0/{ORCID}/distinction/777"),
    ));
    let client = server.client();
    let t = token();
    let pc = client.member(&t).add_any(&orcid(), &distinction()).unwrap();
    assert_eq!(pc, PutCode(777));
    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path(), format!("/v3.0/{ORCID}/distinction"));
    assert_eq!(r.header("content-type"), Some("application/vnd.orcid+xml"));
    assert!(r.body.contains("http://www.orcid.org/ns/distinction"));
    assert_eq!(v3_doc(&r.body), distinction());
}

#[test]
fn a_v3_item_in_json_is_sent_as_v3_json() {
    let server = TestServer::always(
        Canned::new(201).header("Location", &format!("/v3.0/{ORCID}/service/8")),
    );
    let client = OrcidClient::new(server.config().with_wire_format(WireFormat::Json)).unwrap();
    let t = token();
    let service = v3_doc(&sample("record_3.0/samples/write_samples/service-3.0.xml"));
    assert_eq!(
        client.member(&t).add_any(&orcid(), &service).unwrap(),
        PutCode(8)
    );
    let r = &server.requests()[0];
    assert_eq!(r.path(), format!("/v3.0/{ORCID}/service"));
    assert_eq!(r.header("content-type"), Some("application/vnd.orcid+json"));
    let (back, _, _) = AnyDocument::read(
        &r.body,
        Some(orcid_model::AnyRoot::from_name("service").unwrap()),
        Some(Version::V3_0),
        Version::V3_0,
    )
    .unwrap();
    assert_eq!(back, service);
}

#[test]
fn a_v2_1_document_goes_to_v2_1_whatever_the_configured_version() {
    let server =
        TestServer::always(Canned::new(201).header("Location", &format!("/v2.1/{ORCID}/work/5")));
    let client = server.client();
    let t = token();
    let work = AnyDocument::V2_1(work_doc("T", "10.5555/1", None));
    assert_eq!(
        client.member(&t).add_any(&orcid(), &work).unwrap(),
        PutCode(5)
    );
    // The typed v2.1 method as well.
    client
        .member(&t)
        .add(&orcid(), &work_doc("T", "10.5555/2", None))
        .unwrap();
    let reqs = server.requests();
    assert_eq!(reqs[0].path(), format!("/v2.1/{ORCID}/work"));
    assert_eq!(reqs[1].path(), format!("/v2.1/{ORCID}/work"));
}

#[test]
fn the_distinctions_list_is_read_as_v3_0_affiliation_groups() {
    let list = sample("record_3.0/samples/read_samples/distinctions-3.0.xml");
    let server = TestServer::always(Canned::new(200).xml(&list));
    let client = server.client();
    let t = token();
    let doc = client
        .member(&t)
        .read_section_any(&orcid(), ApiSection::List(Section3::Distinction))
        .unwrap();
    assert_eq!(
        server.requests()[0].path(),
        format!("/v3.0/{ORCID}/distinctions")
    );
    let AnyDocument::V3_0(v3_0::Document::ActivitiesDistinctions(d)) = doc else {
        panic!("not a v3.0 activities:distinctions: {doc:?}");
    };
    assert!(!d.affiliation_group.is_empty());
}

#[test]
fn peer_review_groups_and_the_summary_are_read_in_v3_0() {
    // Upstream's peer-reviews-3.0.xml predates v3.0's peer-review-group;
    // the peer reviews of its activities sample are current.
    let activities = sample("record_3.0/samples/read_samples/activities-3.0.xml");
    let Ok(v3_0::Document::ActivitiesActivitiesSummary(a)) = v3_0::Document::from_xml(&activities)
    else {
        panic!("activities-3.0.xml is an activities summary")
    };
    let groups = a.peer_reviews.expect("peer reviews in the sample");
    let reviews = v3_0::Document::ActivitiesPeerReviews(Box::new(groups.clone())).to_xml(false);
    let summary = sample("summary_3.0/samples/summary-3.0.xml");
    let server = TestServer::start(move |r, _| {
        if r.path().ends_with("/summary") {
            Canned::new(200).xml(&summary)
        } else {
            Canned::new(200).xml(&reviews)
        }
    });
    let client = server.client();
    let t = token();
    let api = client.member(&t);
    let doc = api
        .read_section_any(&orcid(), ApiSection::List(Section3::PeerReview))
        .unwrap();
    assert_eq!(
        doc,
        AnyDocument::V3_0(v3_0::Document::ActivitiesPeerReviews(Box::new(groups)))
    );
    let doc = api.read_section_any(&orcid(), ApiSection::Summary).unwrap();
    assert_eq!(doc.root_name(), "summary:record-summary");
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.path().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            format!("/v3.0/{ORCID}/peer-reviews"),
            format!("/v3.0/{ORCID}/summary")
        ]
    );
}

#[test]
fn a_v3_item_is_read_in_json_typed_as_v3_0() {
    let json = sample("record_3.0/samples/write_samples/distinction-3.0.json");
    let server = TestServer::always(Canned::new(200).body("application/vnd.orcid+json", &json));
    let client = OrcidClient::new(server.config().with_wire_format(WireFormat::Json)).unwrap();
    let t = token();
    let doc = client
        .member(&t)
        .read_item_any(&orcid(), Section3::Distinction, PutCode(12))
        .unwrap();
    let r = &server.requests()[0];
    assert_eq!(r.path(), format!("/v3.0/{ORCID}/distinction/12"));
    assert_eq!(r.header("accept"), Some("application/vnd.orcid+json"));
    assert!(matches!(
        doc,
        AnyDocument::V3_0(v3_0::Document::DistinctionDistinction(_))
    ));
}

#[test]
fn an_update_puts_to_v3_0_and_returns_the_stored_v3_copy() {
    let mut item = distinction();
    let AnyDocument::V3_0(d) = &mut item else {
        unreachable!()
    };
    *d.item_envelope_mut().unwrap().put_code = Some(PutCode(31));
    let stored = item.to_xml(false);
    let server = TestServer::always(Canned::new(200).xml(&stored));
    let client = server.client();
    let t = token();
    let back = client
        .member(&t)
        .update_any(&orcid(), PutCode(31), &item)
        .unwrap();
    assert_eq!(back, item);
    let r = &server.requests()[0];
    assert_eq!(r.method, "PUT");
    assert_eq!(r.path(), format!("/v3.0/{ORCID}/distinction/31"));
    // A put-code that differs from the body's is refused before sending.
    let e = client
        .member(&t)
        .update_any(&orcid(), PutCode(32), &item)
        .unwrap_err();
    assert!(matches!(e, Error::PutCodeMismatch { .. }), "{e:?}");
    assert_eq!(server.count(), 1);
}

#[test]
fn deletes_go_to_the_version_of_the_api_and_v3_only_sections_are_refused_in_v2_1() {
    let server = TestServer::always(Canned::new(204));
    let client = server.client();
    let t = token();
    assert_eq!(
        client
            .member(&t)
            .delete_any(&orcid(), Section3::InvitedPosition, PutCode(5))
            .unwrap(),
        Deleted::Deleted
    );
    assert_eq!(
        server.requests()[0].path(),
        format!("/v3.0/{ORCID}/invited-position/5")
    );
    let v2 = client.member(&t).with_version(Version::V2_1);
    let e = v2
        .delete_any(&orcid(), Section3::ResearchResource, PutCode(5))
        .unwrap_err();
    assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
    let e = v2
        .read_section_any(&orcid(), ApiSection::Summary)
        .unwrap_err();
    assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
    assert_eq!(server.count(), 1, "nothing sent for what v2.1 lacks");
    v2.delete_any(&orcid(), Section3::Work, PutCode(6)).unwrap();
    assert_eq!(server.requests()[1].path(), format!("/v2.1/{ORCID}/work/6"));
}

#[test]
fn a_v3_0_error_body_is_the_typed_error() {
    let body = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<error:error xmlns:error="http://www.orcid.org/ns/error">
    <error:response-code>409</error:response-code>
    <error:developer-message>409 Conflict: You have already added this activity (matched by external identifiers), please see element with put-code 1234. If you are trying to edit the item, please use PUT instead of POST.</error:developer-message>
    <error:user-message>There is a duplicated external identifier in your record.</error:user-message>
    <error:error-code>9021</error:error-code>
    <error:more-info>https://members.orcid.org/api/resources/troubleshooting</error:more-info>
</error:error>"#;
    let server = TestServer::always(Canned::new(409).xml(body));
    let client = server.client();
    let t = token();
    let e = client
        .member(&t)
        .add_any(&orcid(), &distinction())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    let api = e.api().expect("an ORCID error");
    assert_eq!(api.status, 409);
    assert_eq!(api.error_code(), Some(9021));
    assert_eq!(api.conflicting_put_code(), Some(PutCode(1234)));
    // The same body in vnd.orcid+json.
    let json = r#"{"response-code":409,"developer-message":"please see element with put-code 99","user-message":"dup","error-code":9021,"more-info":"https://members.orcid.org"}"#;
    let server = TestServer::always(Canned::new(409).body("application/vnd.orcid+json", json));
    let client = OrcidClient::new(server.config().with_wire_format(WireFormat::Json)).unwrap();
    let e = client
        .member(&t)
        .add_any(&orcid(), &distinction())
        .unwrap_err();
    assert_eq!(
        e.api().and_then(|a| a.conflicting_put_code()),
        Some(PutCode(99))
    );
}

#[test]
fn an_invalid_v3_item_is_refused_before_sending() {
    // A put-code in the body of a create: refused by v3.0's put-code rule.
    let mut item = distinction();
    let AnyDocument::V3_0(d) = &mut item else {
        unreachable!()
    };
    *d.item_envelope_mut().unwrap().put_code = Some(PutCode(4));
    let server = TestServer::always(Canned::new(201).header("Location", "/v3.0/x/distinction/1"));
    let client = server.client();
    let t = token();
    let e = client.member(&t).add_any(&orcid(), &item).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::FixPayload, "{e:?}");
    assert!(e.report().is_some());
    assert_eq!(server.count(), 0);
    // With validation off it is sent.
    let config: ClientConfig = server.config().with_validation(false);
    let client = OrcidClient::new(config).unwrap();
    assert_eq!(
        client.member(&t).add_any(&orcid(), &item).unwrap(),
        PutCode(1)
    );
}

/// `work_xml` read as v3.0 (it is valid in both versions).
fn work3(title: &str, doi: &str, put_code: Option<i64>) -> v3_0::work::Work {
    match v3_0::Document::from_xml(&work_xml(title, doi, put_code)).unwrap() {
        v3_0::Document::WorkWork(w) => *w,
        other => panic!("not a work: {other:?}"),
    }
}

#[test]
fn v3_0_works_go_in_a_v3_0_bulk_and_v2_1_works_in_a_v2_1_one() {
    // ORCID's answer: the works sent, with put-codes 41, 42, … in order.
    let server = TestServer::start(|r, _| {
        let AnyDocument::V3_0(v3_0::Document::BulkBulk(mut b)) =
            AnyDocument::read(&r.body, None, None, Version::V3_0)
                .map(|(d, _, _)| d)
                .unwrap_or_else(|e| panic!("{e}: {}", r.body))
        else {
            return Canned::new(200).xml(&r.body);
        };
        for (k, item) in b.bulk.iter_mut().enumerate() {
            if let v3_0::bulk::BulkItem::Work(w) = item {
                w.put_code = Some(PutCode(41 + k as i64));
            }
        }
        Canned::new(200).xml(&v3_0::Document::BulkBulk(b).to_xml(false))
    });
    let client = server.client();
    let t = token();
    let api = client.member(&t);
    let works = [work3("A", "10.5555/a", None), work3("B", "10.5555/b", None)];
    let out = api.add_works_bulk(&orcid(), &works);
    let codes: Vec<Option<PutCode>> = out.iter().map(|o| o.put_code()).collect();
    assert_eq!(codes, [Some(PutCode(41)), Some(PutCode(42))]);
    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path(), format!("/v3.0/{ORCID}/works"));
    let sent = AnyDocument::read(&r.body, None, Some(Version::V3_0), Version::V3_0)
        .unwrap()
        .0;
    let AnyDocument::V3_0(v3_0::Document::BulkBulk(b)) = sent else {
        panic!("not a v3.0 bulk: {}", r.body);
    };
    assert_eq!(
        b.bulk,
        works
            .iter()
            .map(|w| v3_0::bulk::BulkItem::Work(Box::new(w.clone())))
            .collect::<Vec<_>>()
    );

    // A v3.0 work with a put-code is refused before sending (v3.0's
    // put-code rule); nothing is sent for it alone.
    let out = api.add_works_bulk(&orcid(), &[work3("C", "10.5555/c", Some(9))]);
    assert!(
        matches!(&out[0], orcid_client::BulkAddOutcome::Invalid(_)),
        "{out:?}"
    );
    assert_eq!(server.count(), 1);

    // v2.1 works, whatever the configured version: a v2.1 bulk.
    api.add_works_bulk(&orcid(), &[work("D", "10.5555/d")]);
    assert_eq!(server.requests()[1].path(), format!("/v2.1/{ORCID}/works"));
}

#[test]
fn a_v3_0_bulk_read_asks_v3_0_and_pairs_answers_with_put_codes() {
    // ORCID answers the works it has, and an error in place of the rest.
    let answer = v3_0::Document::BulkBulk(Box::new(v3_0::bulk::Bulk {
        bulk: vec![
            v3_0::bulk::BulkItem::Error(Box::new(v3_0::error::OrcidError {
                response_code: Some(404),
                developer_message: Some("404 Not Found: '5' is not a valid put code".into()),
                user_message: None,
                error_code: Some(9034),
                more_info: None,
            })),
            v3_0::bulk::BulkItem::Work(Box::new(work3("Seven", "10.5555/7", Some(7)))),
        ],
    }))
    .to_xml(false);
    let server = TestServer::always(Canned::new(200).xml(&answer));
    let client = server.client();
    let t = token();
    let read = client
        .member(&t)
        .read_works_bulk_as::<v3_0::work::Work>(&orcid(), &[PutCode(7), PutCode(5)])
        .unwrap();
    assert_eq!(
        server.requests()[0].path(),
        format!("/v3.0/{ORCID}/works/7,5")
    );
    assert_eq!(read[0].put_code, PutCode(7));
    assert_eq!(
        read[0]
            .result
            .as_ref()
            .unwrap()
            .title
            .as_ref()
            .unwrap()
            .title
            .as_deref(),
        Some("Seven")
    );
    assert_eq!(read[1].put_code, PutCode(5));
    let e = read[1].result.as_ref().unwrap_err();
    assert_eq!((e.kind, e.error_code()), (ErrorKind::NotFound, Some(9034)));
}
