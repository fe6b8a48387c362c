//! The member API against canned answers: paths, formats, reads and writes of every section.

mod common;

use common::*;
use orcid_client::{BulkAddOutcome, Deleted, Error, ErrorKind, SecretString, Section, WireFormat};
use orcid_model::scalar::{OrcidId, PutCode};
use orcid_model::v2_1::bulk::{Bulk, BulkItem};
use orcid_model::v2_1::error::OrcidError;
use orcid_model::ItemSection;
use orcid_model::{Document, Root};

fn token() -> SecretString {
    SecretString::from(ACCESS_TOKEN)
}

#[test]
fn add_posts_xml_and_reads_the_put_code_from_location() {
    let server = TestServer::always(Canned::new(201).header(
        "Location",
        &format!("https://api.sandbox.orcid.org/v2.1/{ORCID}/work/1234567"),
    ));
    let client = server.client();
    let t = token();
    let pc = client
        .member(&t)
        .add(&orcid(), &work_doc("On ORCID", "10.5555/1", None))
        .unwrap();
    assert_eq!(pc, PutCode(1234567));

    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path(), format!("/v2.1/{ORCID}/work"));
    assert_eq!(r.header("accept"), Some("application/vnd.orcid+xml"));
    assert_eq!(r.header("content-type"), Some("application/vnd.orcid+xml"));
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {ACCESS_TOKEN}").as_str())
    );
    let sent = Document::from_xml(&r.body).unwrap();
    assert_eq!(sent, work_doc("On ORCID", "10.5555/1", None));
}

#[test]
fn add_in_json_uses_json_media_types() {
    let server = TestServer::always(
        Canned::new(201).header("Location", &format!("/v2.1/{ORCID}/keywords/42")),
    );
    let client =
        orcid_client::OrcidClient::new(server.config().with_wire_format(WireFormat::Json)).unwrap();
    let t = token();
    let kw = Document::from_xml(
        r#"<keyword:keyword xmlns:keyword="http://www.orcid.org/ns/keyword" xmlns:common="http://www.orcid.org/ns/common"><keyword:content>metadata</keyword:content></keyword:keyword>"#,
    )
    .unwrap();
    assert_eq!(client.member(&t).add(&orcid(), &kw).unwrap(), PutCode(42));
    let r = &server.requests()[0];
    assert_eq!(r.path(), format!("/v2.1/{ORCID}/keywords"));
    assert_eq!(r.header("accept"), Some("application/vnd.orcid+json"));
    assert_eq!(r.header("content-type"), Some("application/vnd.orcid+json"));
    let back = Document::from_json(&r.body, Some(Root::KeywordKeyword)).unwrap();
    assert_eq!(back, kw);
}

#[test]
fn add_without_location_is_unexpected() {
    let server = TestServer::always(Canned::new(201));
    let t = token();
    let err = server
        .client()
        .member(&t)
        .add(&orcid(), &work_doc("T", "10.5555/1", None))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unexpected);
}

#[test]
fn update_refuses_a_put_code_mismatch_before_sending() {
    let server = TestServer::always(Canned::new(200));
    let client = server.client();
    let t = token();
    let api = client.member(&t);
    let err = api
        .update(&orcid(), PutCode(5), &work_doc("T", "10.5555/1", Some(6)))
        .unwrap_err();
    assert!(matches!(
        err,
        Error::PutCodeMismatch {
            url: PutCode(5),
            body: Some(PutCode(6))
        }
    ));
    let err = api
        .update(&orcid(), PutCode(5), &work_doc("T", "10.5555/1", None))
        .unwrap_err();
    assert!(matches!(err, Error::PutCodeMismatch { body: None, .. }));
    assert_eq!(err.kind(), ErrorKind::FixPayload);
    assert_eq!(server.count(), 0);
}

#[test]
fn update_puts_and_returns_the_stored_item() {
    let stored = work_xml("Updated", "10.5555/1", Some(5));
    let server = TestServer::always(Canned::new(200).xml(&stored));
    let t = token();
    let doc = server
        .client()
        .member(&t)
        .update(
            &orcid(),
            PutCode(5),
            &work_doc("Updated", "10.5555/1", Some(5)),
        )
        .unwrap();
    assert_eq!(doc, Document::from_xml(&stored).unwrap());
    let r = &server.requests()[0];
    assert_eq!(r.method, "PUT");
    assert_eq!(r.path(), format!("/v2.1/{ORCID}/work/5"));
}

#[test]
fn delete_404_is_already_gone() {
    let server = TestServer::start(|r, _| {
        if r.path().ends_with("/7") {
            Canned::new(204)
        } else {
            Canned::new(404).xml(r#"<error:error xmlns:error="http://www.orcid.org/ns/error"><error:response-code>404</error:response-code><error:developer-message>404 Not Found: The resource was not found.</error:developer-message><error:user-message>The resource was not found.</error:user-message><error:error-code>9016</error:error-code><error:more-info>https://members.orcid.org/api/resources/troubleshooting</error:more-info></error:error>"#)
        }
    });
    let client = server.client();
    let t = token();
    let api = client.member(&t);
    assert_eq!(
        api.delete(&orcid(), ItemSection::ResearcherUrl, PutCode(7))
            .unwrap(),
        Deleted::Deleted
    );
    assert_eq!(
        api.delete(&orcid(), ItemSection::Work, PutCode(8)).unwrap(),
        Deleted::AlreadyGone
    );
    let reqs = server.requests();
    assert_eq!(reqs[0].method, "DELETE");
    assert_eq!(reqs[0].path(), format!("/v2.1/{ORCID}/researcher-urls/7"));
    assert_eq!(reqs[1].path(), format!("/v2.1/{ORCID}/work/8"));
}

#[test]
fn delete_by_another_source_is_forbidden() {
    let server = TestServer::always(Canned::new(403).json(
        r#"{"response-code":403,"developer-message":"403 Forbidden: You are not the source of the work, so you are not allowed to update it.","user-message":"The client application is forbidden to perform the action.","error-code":9010,"more-info":"https://members.orcid.org/api/resources/troubleshooting"}"#,
    ));
    let t = token();
    let err = server
        .client()
        .member(&t)
        .delete(&orcid(), ItemSection::Funding, PutCode(3))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(err.api().unwrap().error_code(), Some(9010));
}

#[test]
fn item_and_section_paths() {
    let expected = [
        (ItemSection::Work, "work"),
        (ItemSection::Funding, "funding"),
        (ItemSection::Education, "education"),
        (ItemSection::Employment, "employment"),
        (ItemSection::PeerReview, "peer-review"),
        (ItemSection::ResearcherUrl, "researcher-urls"),
        (ItemSection::OtherName, "other-names"),
        (ItemSection::Keyword, "keywords"),
        (ItemSection::Address, "address"),
        (ItemSection::ExternalIdentifier, "external-identifiers"),
    ];
    for (k, s) in expected {
        assert_eq!(k.item_path(), s);
        assert_eq!(ItemSection::of_root(k.root()), Some(k));
    }
    assert_eq!(Section::Emails.path_segment(), "email");
    assert_eq!(
        Section::List(ItemSection::Address).path_segment(),
        "address"
    );
    assert_eq!(
        Section::List(ItemSection::PeerReview).path_segment(),
        "peer-reviews"
    );
}

#[test]
fn reads_item_section_and_record_in_both_formats() {
    let work = work_xml("Read me", "10.5555/2", Some(11));
    let work_json = work_doc("Read me", "10.5555/2", Some(11))
        .to_json(false)
        .unwrap();
    let record = format!(
        r#"<record:record xmlns:record="http://www.orcid.org/ns/record" xmlns:common="http://www.orcid.org/ns/common" path="/{ORCID}"><common:orcid-identifier><common:uri>https://orcid.org/{ORCID}</common:uri><common:path>{ORCID}</common:path><common:host>orcid.org</common:host></common:orcid-identifier></record:record>"#
    );
    let server = TestServer::start(move |r, _| {
        let json = r.header("accept") == Some("application/vnd.orcid+json");
        if r.path().ends_with("/work/11") {
            if json {
                Canned::new(200).body("application/vnd.orcid+json", &work_json)
            } else {
                Canned::new(200).xml(&work)
            }
        } else if r.path().ends_with("/record") {
            Canned::new(200).xml(&record)
        } else if r.path().ends_with("/keywords") {
            Canned::new(200).xml(r#"<keyword:keywords xmlns:keyword="http://www.orcid.org/ns/keyword" path="/0000-0002-1825-0097/keywords"/>"#)
        } else {
            Canned::new(404)
        }
    });
    let t = token();
    let xml_client = server.client();
    let json_client =
        orcid_client::OrcidClient::new(server.config().with_wire_format(WireFormat::Json)).unwrap();
    for c in [&xml_client, &json_client] {
        let w = c.member(&t).read_work(&orcid(), PutCode(11)).unwrap();
        assert_eq!(w.put_code, Some(PutCode(11)));
    }
    let rec = xml_client.member(&t).read_record(&orcid()).unwrap();
    assert_eq!(rec.path.as_deref(), Some("/0000-0002-1825-0097"));
    let kws = xml_client
        .member(&t)
        .read_section(&orcid(), Section::List(ItemSection::Keyword))
        .unwrap();
    assert_eq!(kws.root(), Root::KeywordKeywords);
    let paths: Vec<String> = server.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        paths,
        vec![
            format!("/v2.1/{ORCID}/work/11"),
            format!("/v2.1/{ORCID}/work/11"),
            format!("/v2.1/{ORCID}/record"),
            format!("/v2.1/{ORCID}/keywords"),
        ]
    );
    assert!(server.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn malformed_orcid_is_refused_locally() {
    let server = TestServer::always(Canned::new(200));
    let t = token();
    let bad = OrcidId("0000-0002-1825-0098".into());
    let err = server
        .client()
        .member(&t)
        .read_section(&bad, Section::List(ItemSection::Work))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)));
    assert_eq!(server.count(), 0);
}

#[test]
fn pre_send_validation_refuses_an_invalid_work_without_a_request() {
    let server = TestServer::always(Canned::new(201).header("Location", "/x/1"));
    let t = token();
    let invalid = work_doc("   ", "10.5555/1", None); // blank title: ORCID 9022
    let err = server
        .client()
        .member(&t)
        .add(&orcid(), &invalid)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::FixPayload);
    let report = err.report().expect("a validation report");
    assert!(!report.is_valid());
    assert!(report
        .diagnostics
        .iter()
        .any(|d| d.orcid_error.map(|e| e.code) == Some(9022)));
    // A put-code on create (9024) too.
    let err = server
        .client()
        .member(&t)
        .add(&orcid(), &work_doc("T", "10.5555/1", Some(3)))
        .unwrap_err();
    assert!(matches!(err, Error::Invalid(_)));
    assert_eq!(server.count(), 0);

    // With validation off the same payload is sent.
    let client = orcid_client::OrcidClient::new(server.config().with_validation(false)).unwrap();
    assert_eq!(
        client.member(&t).add(&orcid(), &invalid).unwrap(),
        PutCode(1)
    );
    assert_eq!(server.count(), 1);
}

/// Answers a bulk POST like ORCID: each work created with a put-code, or
/// an error for works titled "dup …" (9021) and "bad …" (9037).
fn bulk_answer(body: &str, first_pc: i64) -> String {
    let Document::BulkBulk(bulk) = Document::from_xml(body).unwrap() else {
        panic!("not a bulk")
    };
    let items = bulk
        .bulk
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let BulkItem::Work(mut w) = item else { panic!() };
            let title = w.title.as_ref().unwrap().title.clone().unwrap();
            if title.starts_with("dup") {
                BulkItem::Error(Box::new(OrcidError {
                    response_code: Some(409),
                    developer_message: Some("409 Conflict: You have already added this activity (matched by external identifiers), please see element with put-code 777. If you are trying to edit the item, please use PUT instead of POST.".into()),
                    user_message: Some("There was an error when updating the record. Please try again. If the error persists, please contact the client application.".into()),
                    error_code: Some(9021),
                    more_info: Some("https://members.orcid.org/api/resources/troubleshooting".into()),
                }))
            } else if title.starts_with("bad") {
                BulkItem::Error(Box::new(OrcidError {
                    response_code: Some(400),
                    developer_message: Some("400 Bad Request: Invalid work type, valid values are: …".into()),
                    user_message: None,
                    error_code: Some(9037),
                    more_info: None,
                }))
            } else {
                w.put_code = Some(PutCode(first_pc + i as i64));
                BulkItem::Work(w)
            }
        })
        .collect();
    Document::BulkBulk(Box::new(Bulk { bulk: items })).to_xml(false)
}

#[test]
fn bulk_add_chunks_250_works_into_100_100_50_and_maps_item_errors() {
    let server = TestServer::start(|r, i| {
        Canned::new(200).xml(&bulk_answer(&r.body, 1000 * (i as i64 + 1)))
    });
    let mut works: Vec<_> = (0..250)
        .map(|i| work(&format!("Work {i}"), &format!("10.5555/{i}")))
        .collect();
    works[3] = work("dup of an existing one", "10.5555/dup");
    works[120] = work("bad type", "10.5555/bad");
    let t = token();
    let out = server.client().member(&t).add_works_bulk(&orcid(), &works);

    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    let sizes: Vec<usize> = reqs
        .iter()
        .map(|r| match Document::from_xml(&r.body).unwrap() {
            Document::BulkBulk(b) => b.bulk.len(),
            _ => 0,
        })
        .collect();
    assert_eq!(sizes, vec![100, 100, 50]);
    for r in &reqs {
        assert_eq!(r.method, "POST");
        assert_eq!(r.path(), format!("/v2.1/{ORCID}/works"));
        assert_eq!(r.header("content-type"), Some("application/vnd.orcid+xml"));
    }

    assert_eq!(out.len(), 250);
    assert_eq!(out[0].put_code(), Some(PutCode(1000)));
    assert_eq!(out[99].put_code(), Some(PutCode(1099)));
    assert_eq!(out[100].put_code(), Some(PutCode(2000)));
    assert_eq!(out[249].put_code(), Some(PutCode(3049)));
    match &out[3] {
        BulkAddOutcome::Rejected(e) => {
            assert_eq!(e.status, 409);
            assert_eq!(e.error_code(), Some(9021));
            assert_eq!(e.kind, ErrorKind::Conflict);
            assert_eq!(e.conflicting_put_code(), Some(PutCode(777)));
        }
        other => panic!("{other:?}"),
    }
    match &out[120] {
        BulkAddOutcome::Rejected(e) => assert_eq!(e.kind, ErrorKind::FixPayload),
        other => panic!("{other:?}"),
    }
    assert_eq!(out.iter().filter(|o| o.put_code().is_some()).count(), 248);
}

#[test]
fn bulk_add_keeps_invalid_works_local_and_stops_after_an_auth_failure() {
    let server = TestServer::start(|r, i| {
        if i == 0 {
            Canned::new(200).xml(&bulk_answer(&r.body, 1))
        } else {
            Canned::new(401).json(&format!(
                r#"{{"error":"invalid_token","error_description":"Invalid access token: {ACCESS_TOKEN}"}}"#
            ))
        }
    });
    let client = orcid_client::OrcidClient::new(server.config().with_rate_limit(None)).unwrap();
    let mut cfg = client.config().clone();
    cfg.bulk_write_max = 2;
    let client = orcid_client::OrcidClient::new(cfg).unwrap();
    let mut works: Vec<_> = (0..7)
        .map(|i| work(&format!("W{i}"), &format!("10.5555/{i}")))
        .collect();
    works[1] = work("  ", "10.5555/blank"); // invalid locally
    let t = token();
    let out = client.member(&t).add_works_bulk(&orcid(), &works);
    assert!(matches!(out[0], BulkAddOutcome::Created { .. }));
    assert!(matches!(out[1], BulkAddOutcome::Invalid(_)));
    assert!(matches!(out[2], BulkAddOutcome::Created { .. }));
    match &out[3] {
        BulkAddOutcome::RequestFailed(e) => {
            assert_eq!(e.kind(), ErrorKind::Reauthorize);
            assert!(!format!("{e} {e:?}").contains(ACCESS_TOKEN));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(out[4], BulkAddOutcome::RequestFailed(_)));
    assert!(matches!(out[5], BulkAddOutcome::NotSent));
    assert!(matches!(out[6], BulkAddOutcome::NotSent));
    assert_eq!(server.count(), 2);
}

#[test]
fn bulk_read_chunks_put_codes_and_maps_item_errors() {
    let server = TestServer::start(|r, _| {
        let list = r.path().rsplit('/').next().unwrap().to_string();
        let items = list
            .split(',')
            .map(|pc| {
                let pc: i64 = pc.parse().unwrap();
                if pc == 13 {
                    BulkItem::Error(Box::new(OrcidError {
                        response_code: Some(400),
                        developer_message: Some(
                            "400 Bad Request: '13' is not a valid put code".into(),
                        ),
                        user_message: None,
                        error_code: Some(9034),
                        more_info: None,
                    }))
                } else {
                    let Document::WorkWork(w) =
                        work_doc(&format!("W{pc}"), &format!("10.5555/{pc}"), Some(pc))
                    else {
                        unreachable!()
                    };
                    BulkItem::Work(w)
                }
            })
            .collect();
        Canned::new(200).xml(&Document::BulkBulk(Box::new(Bulk { bulk: items })).to_xml(false))
    });
    let codes: Vec<PutCode> = (1..=150).map(PutCode).collect();
    let t = token();
    let out = server
        .client()
        .member(&t)
        .read_works_bulk(&orcid(), &codes)
        .unwrap();
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        reqs[0]
            .path()
            .rsplit('/')
            .next()
            .unwrap()
            .split(',')
            .count(),
        100
    );
    assert!(reqs[1]
        .path()
        .starts_with(&format!("/v2.1/{ORCID}/works/101,102,")));
    assert_eq!(out.len(), 150);
    assert_eq!(out[0].result.as_ref().unwrap().put_code, Some(PutCode(1)));
    let e = out[12].result.as_ref().unwrap_err();
    assert_eq!(out[12].put_code, PutCode(13));
    assert_eq!(e.error_code(), Some(9034));
    assert_eq!(e.kind, ErrorKind::NotFound);
}

#[test]
fn permission_notification_is_posted() {
    let server = TestServer::always(Canned::new(201).header(
        "Location",
        &format!("http://127.0.0.1/v2.1/{ORCID}/notification-permission/55"),
    ));
    let n = Document::from_xml(
        r#"<notification:notification xmlns:notification="http://www.orcid.org/ns/notification" xmlns:common="http://www.orcid.org/ns/common">
  <notification:notification-type>permission</notification:notification-type>
  <notification:authorization-url><notification:uri>https://orcid.org/oauth/authorize?client_id=APP-1&amp;response_type=code&amp;scope=/activities/update&amp;redirect_uri=https://app.example.org</notification:uri></notification:authorization-url>
  <notification:notification-subject>Connect your iD</notification:notification-subject>
  <notification:notification-intro>We would like to add your works.</notification:notification-intro>
  <notification:items><notification:item><notification:item-type>work</notification:item-type><notification:item-name>On ORCID</notification:item-name></notification:item></notification:items>
</notification:notification>"#,
    )
    .unwrap();
    let Document::NotificationNotification(n) = n else {
        unreachable!()
    };
    let t = token();
    let pc = server
        .client()
        .member(&t)
        .send_permission_notification(&orcid(), &n)
        .unwrap();
    assert_eq!(pc, PutCode(55));
    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path(), format!("/v2.1/{ORCID}/notification-permission"));
}

#[test]
fn bulk_add_in_json() {
    let server = TestServer::start(|r, _| {
        let Document::BulkBulk(bulk) = Document::from_json(&r.body, Some(Root::BulkBulk)).unwrap()
        else {
            panic!()
        };
        let items = bulk
            .bulk
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                BulkItem::Work(mut w) => {
                    w.put_code = Some(PutCode(50 + i as i64));
                    BulkItem::Work(w)
                }
                e => e,
            })
            .collect();
        Canned::new(200).body(
            "application/vnd.orcid+json",
            &Document::BulkBulk(Box::new(Bulk { bulk: items }))
                .to_json(false)
                .unwrap(),
        )
    });
    let client =
        orcid_client::OrcidClient::new(server.config().with_wire_format(WireFormat::Json)).unwrap();
    let t = token();
    let works = vec![work("A", "10.5555/a"), work("B", "10.5555/b")];
    let out = client.member(&t).add_works_bulk(&orcid(), &works);
    assert_eq!(
        out.iter().map(|o| o.put_code()).collect::<Vec<_>>(),
        vec![Some(PutCode(50)), Some(PutCode(51))]
    );
    let r = &server.requests()[0];
    assert_eq!(r.header("content-type"), Some("application/vnd.orcid+json"));
    assert!(r.body.starts_with(r#"{"bulk":[{"work":"#), "{}", r.body);
}
