//! The client against the ORCID mock, over real HTTP on loopback: the
//! create-on-demand flow, every writable section in XML and JSON, bulk
//! works, each error path as a typed error, and retries (never for POST).

mod common;

use std::time::Duration;

use orcid_client::{
    AuthorizationCallback, BulkAddOutcome, ClientConfig, Deleted, Error, ErrorKind, OrcidClient,
    RateLimit, RetryPolicy, Scope, SecretString, Section, WireFormat,
};
use orcid_mock::{
    FaultConfig, MockHandle, MockServer, RateLimitConfig, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET,
    DEMO_ORCID,
};
use orcid_model::scalar::{OrcidId, PutCode};
use orcid_model::v2_1::work::Work;
use orcid_model::ItemSection;
use orcid_model::{v3_0, AnyDocument, Document, Root, Version};
use orcid_test_kit::mock::{
    client_config, connect, follow_authorize, mock_config_with_others, OTHER_CLIENT, OTHER_ORCID,
    OTHER_SECRET, REDIRECT, WRITE_SCOPES,
};

use common::fast_retry;

/// Auto-approve, no rate limit, a second member client and researcher.
fn mock() -> MockHandle {
    MockServer::start(mock_config_with_others()).expect("mock starts")
}

fn config_for(server: &MockHandle, id: &str, secret: &str) -> ClientConfig {
    client_config(server.base_url(), id, secret).with_retry(fast_retry())
}

fn client(server: &MockHandle) -> OrcidClient {
    OrcidClient::new(config_for(server, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)).unwrap()
}

fn other_client(server: &MockHandle) -> OrcidClient {
    OrcidClient::new(config_for(server, OTHER_CLIENT, OTHER_SECRET)).unwrap()
}

fn json_client(server: &MockHandle) -> OrcidClient {
    OrcidClient::new(
        config_for(server, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET).with_wire_format(WireFormat::Json),
    )
    .unwrap()
}

fn no_validation(server: &MockHandle) -> OrcidClient {
    OrcidClient::new(config_for(server, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET).with_validation(false))
        .unwrap()
}

/// The whole flow with the library: authorize URL → auto-approve → code → token.
fn login(
    client: &OrcidClient,
    scopes: &[Scope],
    prefill: impl FnOnce(orcid_client::AuthorizeRequest) -> orcid_client::AuthorizeRequest,
) -> orcid_client::TokenResponse {
    orcid_test_kit::mock::login(client, prefill(client.authorize(scopes.iter().copied())))
}

fn demo_token(client: &OrcidClient) -> SecretString {
    connect(client).access_token
}

fn demo() -> OrcidId {
    OrcidId(DEMO_ORCID.into())
}

fn api_error(e: &Error) -> &orcid_client::ApiError {
    e.api()
        .unwrap_or_else(|| panic!("not an ORCID answer: {e:?}"))
}

fn work_xml(doi: &str) -> String {
    include_str!("../../orcid-mock/tests/data/work.xml").replace("DOI_VALUE", doi)
}

fn work_doc(doi: &str) -> Document {
    Document::from_xml(&work_xml(doi)).unwrap()
}

fn work(doi: &str) -> Work {
    match work_doc(doi) {
        Document::WorkWork(w) => *w,
        _ => unreachable!(),
    }
}

/// The same work read as v3.0 (its XML is valid in both versions).
fn work3(doi: &str) -> v3_0::work::Work {
    match v3_0::Document::from_xml(&work_xml(doi)).unwrap() {
        v3_0::Document::WorkWork(w) => *w,
        _ => unreachable!(),
    }
}

#[test]
fn create_on_demand_flow_end_to_end() {
    let server = mock();
    let client = client(&server);

    // Authorize URL → authorize page (auto-approve) → redirect with code and state.
    let auth = client
        .authorize(WRITE_SCOPES)
        .show_login(true)
        .build()
        .unwrap();
    assert!(auth.url.starts_with(&format!(
        "{}/oauth/authorize?client_id={DEMO_CLIENT_ID}&response_type=code",
        server.base_url()
    )));
    let redirect = follow_authorize(&auth.url);
    assert!(redirect.starts_with(REDIRECT), "{redirect}");
    let callback = AuthorizationCallback::parse(&redirect);
    assert_eq!(callback.state.as_deref(), Some(auth.state.as_str()));

    // A wrong state is rejected before anything is exchanged.
    assert!(matches!(
        callback.clone().into_code("another-state"),
        Err(Error::StateMismatch)
    ));
    assert_eq!(
        callback.clone().into_code("").unwrap_err().kind(),
        ErrorKind::Reauthorize
    );

    // Exchange → token for the demo researcher, kept whole.
    let code = callback.into_code(&auth.state).unwrap();
    let token = client.exchange_code(&code).unwrap();
    assert_eq!(token.orcid, Some(demo()));
    assert_eq!(token.name.as_deref(), Some("Josiah Carberry"));
    assert_eq!(token.token_type.to_ascii_lowercase(), "bearer");
    for s in WRITE_SCOPES {
        assert!(token.has_scope(s), "{s}");
    }
    assert!(token.refresh_token.is_some());
    assert!(token.expires_in.unwrap() > 600_000_000);
    assert!(
        !format!("{token:?}").contains(secrecy::ExposeSecret::expose_secret(&token.access_token))
    );
    // The token works.
    let works = client
        .member(&token.access_token)
        .read_section(&demo(), Section::List(ItemSection::Work))
        .unwrap();
    assert_eq!(works.root(), Root::ActivitiesWorks);

    // The code is single use: a second exchange is refused, typed, and
    // (as at ORCID) revokes the tokens issued from it.
    let reused = client.exchange_code(&code).unwrap_err();
    assert_eq!(reused.kind(), ErrorKind::Reauthorize, "{reused}");
    assert_eq!(api_error(&reused).oauth_error(), Some("invalid_grant"));
    assert!(!reused.to_string().contains(&code), "{reused}");
    let after = client
        .member(&token.access_token)
        .read_section(&demo(), Section::List(ItemSection::Work))
        .unwrap_err();
    assert_eq!(api_error(&after).status, 401);

    // Create on demand: a new researcher registers, pre-filled.
    let fresh = login(&client, &WRITE_SCOPES, |r| {
        r.given_names("Sofia")
            .family_names("Garcia")
            .email("sofia@example.org")
            .show_login(false)
    });
    let new_id = fresh.orcid.clone().expect("an iD");
    assert!(new_id.is_valid(), "{new_id:?}");
    assert_ne!(new_id.0, DEMO_ORCID);
    assert_eq!(fresh.name.as_deref(), Some("Sofia Garcia"));
    assert!(server.state().researcher(&new_id.0).is_some());

    // Refresh (revoking the old token), then revoke.
    let refresh = fresh.refresh_token.clone().unwrap();
    let renewed = client
        .refresh(&refresh, &[], Some(&fresh.access_token))
        .unwrap();
    assert_eq!(renewed.orcid.as_ref(), Some(&new_id));
    let api = client.member(&fresh.access_token);
    assert_eq!(
        api.read_section(&new_id, Section::List(ItemSection::Work))
            .unwrap_err()
            .kind(),
        ErrorKind::Reauthorize
    );
    let api = client.member(&renewed.access_token);
    api.read_section(&new_id, Section::List(ItemSection::Work))
        .unwrap();
    client.revoke(&renewed.access_token).unwrap();
    assert_eq!(
        api.read_section(&new_id, Section::List(ItemSection::Work))
            .unwrap_err()
            .kind(),
        ErrorKind::Reauthorize
    );
}

/// One writable section: the sample to add and a change for the update.
struct Case {
    kind: ItemSection,
    xml: &'static str,
    from: &'static str,
    to: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            kind: ItemSection::Work,
            xml: include_str!("../../orcid-mock/tests/data/work.xml"),
            from: "Field Notes",
            to: "Revised Notes",
        },
        Case {
            kind: ItemSection::Funding,
            xml: include_str!("../../orcid-mock/tests/data/funding.xml"),
            from: "Three-year programme.",
            to: "Four-year programme.",
        },
        Case {
            kind: ItemSection::Education,
            xml: include_str!("../../orcid-mock/tests/data/education.xml"),
            from: ">PhD<",
            to: ">MSc<",
        },
        Case {
            kind: ItemSection::Employment,
            xml: include_str!("../../orcid-mock/tests/data/employment.xml"),
            from: ">Research Fellow<",
            to: ">Senior Research Fellow<",
        },
        Case {
            kind: ItemSection::PeerReview,
            xml: include_str!("../../orcid-mock/tests/data/peer-review.xml"),
            from: "A paper under review",
            to: "A revised paper",
        },
        Case {
            kind: ItemSection::ResearcherUrl,
            xml: include_str!("../../orcid-mock/tests/data/researcher-url.xml"),
            from: "Lab homepage",
            to: "Group homepage",
        },
        Case {
            kind: ItemSection::OtherName,
            xml: include_str!("../../orcid-mock/tests/data/other-name.xml"),
            from: "J. Carberry",
            to: "Jos. Carberry",
        },
        Case {
            kind: ItemSection::Keyword,
            xml: include_str!("../../orcid-mock/tests/data/keyword.xml"),
            from: "persistent identifiers",
            to: "research data",
        },
        Case {
            kind: ItemSection::Address,
            xml: include_str!("../../orcid-mock/tests/data/address.xml"),
            from: ">NZ<",
            to: ">AU<",
        },
        Case {
            kind: ItemSection::ExternalIdentifier,
            xml: include_str!("../../orcid-mock/tests/data/external-identifier.xml"),
            from: "7004212345",
            to: "7004299999",
        },
    ]
}

#[test]
fn add_read_update_delete_every_section_in_xml_and_json() {
    let server = mock();
    let xml = client(&server);
    let json = json_client(&server);
    let token = demo_token(&xml);
    let cases = cases();
    assert_eq!(cases.len(), ItemSection::ALL.len());
    for (format, client) in [(WireFormat::Xml, &xml), (WireFormat::Json, &json)] {
        let api = client.member(&token);
        for case in &cases {
            let what = format!("{} in {format:?}", case.kind);
            let item = Document::from_xml(case.xml).unwrap();
            assert_eq!(ItemSection::of_root(item.root()), Some(case.kind));

            // Add: 201, put-code from Location.
            let pc = api
                .add(&demo(), &item)
                .unwrap_or_else(|e| panic!("{what}: {e}"));

            // Read: the stored copy, with the server's put-code and the
            // researcher's default visibility.
            let stored = api
                .read_item(&demo(), case.kind, pc)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(stored.root(), case.kind.root(), "{what}");
            assert_eq!(orcid_client::put_code_of(&stored), Some(pc), "{what}");
            let stored_xml = stored.to_xml(false);
            assert!(
                stored_xml.contains("visibility=\"limited\""),
                "{what}: {stored_xml}"
            );
            if let Some(summary) = case.kind.summary_root() {
                let s = api.read_summary(&demo(), case.kind, pc).unwrap();
                assert_eq!(s.root(), summary, "{what}");
            }

            // Update: the stored copy, changed.
            assert!(stored_xml.contains(case.from), "{what}: {stored_xml}");
            let changed = Document::from_xml(&stored_xml.replace(case.from, case.to)).unwrap();
            let answer = api
                .update(&demo(), pc, &changed)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(answer.to_xml(false).contains(case.to), "{what}");
            let again = api.read_item(&demo(), case.kind, pc).unwrap();
            assert!(again.to_xml(false).contains(case.to), "{what}");

            // Delete: 204, then 404 is "already gone", and reads say not found.
            assert_eq!(
                api.delete(&demo(), case.kind, pc).unwrap(),
                Deleted::Deleted,
                "{what}"
            );
            assert_eq!(
                api.delete(&demo(), case.kind, pc).unwrap(),
                Deleted::AlreadyGone,
                "{what}"
            );
            let gone = api.read_item(&demo(), case.kind, pc).unwrap_err();
            assert_eq!(gone.kind(), ErrorKind::NotFound, "{what}: {gone}");
            assert_eq!(api_error(&gone).error_code(), Some(9016), "{what}");
        }
    }
    // Every activity write reached the inbox (create, update, delete).
    let inbox = server.state().inbox(DEMO_ORCID);
    assert_eq!(inbox.len(), 2 * 5 * 3, "{inbox:?}");
    // Sections read back in both formats.
    for client in [&xml, &json] {
        let record = client.member(&token).read_record(&demo()).unwrap();
        assert!(record.person.is_some());
        for section in Section::all() {
            let doc = client
                .member(&token)
                .read_section(&demo(), section)
                .unwrap_or_else(|e| panic!("{section}: {e}"));
            assert_eq!(doc.root(), section.root(), "{section}");
        }
    }
}

#[test]
fn bulk_works_with_good_and_bad_items() {
    let server = mock();
    let client = OrcidClient::new(ClientConfig {
        // Two works per request: five works make three requests.
        bulk_write_max: 2,
        ..config_for(&server, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    })
    .unwrap();
    let token = demo_token(&client);
    let api = client.member(&token);
    let existing = api.add(&demo(), &work_doc("10.7/existing")).unwrap();

    let mut blank_title = work("10.7/blank");
    blank_title.title.as_mut().unwrap().title = Some("   ".into());
    let works = vec![
        work("10.7/one"),
        blank_title.clone(),
        work("10.7/existing"),
        work("10.7/two"),
        work("10.7/one"),
    ];
    let out = api.add_works_bulk(&demo(), &works);
    assert_eq!(out.len(), 5);
    let one = out[0].put_code().expect("created");
    assert!(
        matches!(&out[1], BulkAddOutcome::Invalid(r) if !r.is_valid()),
        "{:?}",
        out[1]
    );
    match &out[2] {
        BulkAddOutcome::Rejected(e) => {
            assert_eq!(e.kind, ErrorKind::Conflict);
            assert_eq!(e.error_code(), Some(9021));
            assert_eq!(e.conflicting_put_code(), Some(existing));
        }
        other => panic!("{other:?}"),
    }
    assert!(out[3].put_code().is_some(), "{:?}", out[3]);
    match &out[4] {
        BulkAddOutcome::Rejected(e) => assert_eq!(e.conflicting_put_code(), Some(one)),
        other => panic!("{other:?}"),
    }

    // Without local validation the server refuses the bad work itself.
    let raw = no_validation(&server);
    let raw_api = raw.member(&token);
    let out = raw_api.add_works_bulk(&demo(), &[work("10.7/three"), blank_title]);
    assert!(out[0].put_code().is_some(), "{:?}", out[0]);
    match &out[1] {
        BulkAddOutcome::Rejected(e) => {
            assert_eq!(e.kind, ErrorKind::FixPayload, "{e}");
            assert_eq!(e.error_code(), Some(9001), "{e}");
        }
        other => panic!("{other:?}"),
    }

    // Bulk read: a work and an unknown put-code.
    let read = api
        .read_works_bulk(&demo(), &[one, PutCode(424_242)])
        .unwrap();
    assert_eq!(read[0].put_code, one);
    assert_eq!(read[0].result.as_ref().unwrap().put_code, Some(one));
    let missing = read[1].result.as_ref().unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound);
    assert_eq!(missing.error_code(), Some(9034));
}

#[test]
fn bulk_works_in_v3_0_with_good_and_bad_items() {
    let server = mock();
    let config = ClientConfig {
        // Two per request: the four valid works go in two POSTs, three
        // put-codes in two GETs.
        bulk_write_max: 2,
        bulk_read_max: 2,
        ..config_for(&server, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    };
    let client = OrcidClient::new(config.clone().with_api_version(Version::V3_0)).unwrap();
    let token = demo_token(&client);
    let api = client.member(&token);
    let existing = api
        .add_any(
            &demo(),
            &AnyDocument::V3_0(v3_0::Document::WorkWork(Box::new(work3("10.8/existing")))),
        )
        .unwrap();

    // No `self` id: a rule of v3.0 only (9023), so it is checked in v3.0.
    let no_self =
        match v3_0::Document::from_xml(&work_xml("10.8/no-self").replace(">self<", ">part-of<"))
            .unwrap()
        {
            v3_0::Document::WorkWork(w) => *w,
            _ => unreachable!(),
        };
    let works = vec![
        work3("10.8/one"),
        no_self.clone(),
        work3("10.8/existing"),
        work3("10.8/two"),
        work3("10.8/one"),
    ];
    server.state().reset_request_counts();
    let out = api.add_works_bulk(&demo(), &works);
    assert_eq!(out.len(), 5);
    let counts = server.state().request_counts();
    assert_eq!(counts.post, 2, "the invalid work is not sent: {counts:?}");
    let one = out[0].put_code().expect("created");
    match &out[0] {
        BulkAddOutcome::Created { work, .. } => {
            assert_eq!(work.put_code, Some(one));
            assert!(work.source.is_some(), "ORCID's stored copy: {work:?}");
        }
        other => panic!("{other:?}"),
    }
    match &out[1] {
        BulkAddOutcome::Invalid(r) => {
            assert!(!r.is_valid());
            assert!(
                r.diagnostics
                    .iter()
                    .any(|d| d.code.as_str() == "orcid.work.self-id-required"),
                "{r:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    match &out[2] {
        BulkAddOutcome::Rejected(e) => {
            assert_eq!(e.kind, ErrorKind::Conflict);
            assert_eq!(e.status, 409);
            assert_eq!(e.error_code(), Some(9021));
            assert_eq!(e.conflicting_put_code(), Some(existing));
        }
        other => panic!("{other:?}"),
    }
    let two = out[3].put_code().expect("created");
    match &out[4] {
        BulkAddOutcome::Rejected(e) => assert_eq!(e.conflicting_put_code(), Some(one)),
        other => panic!("{other:?}"),
    }
    // On the record as v3.0 works, once each.
    let own: Vec<i64> = server
        .state()
        .items_v3(DEMO_ORCID)
        .into_iter()
        .filter(|i| i.client_id == DEMO_CLIENT_ID)
        .map(|i| i.put_code)
        .collect();
    let mut want = vec![existing.0, one.0, two.0];
    want.sort();
    let mut own_sorted = own.clone();
    own_sorted.sort();
    assert_eq!(own_sorted, want);

    // Without local validation the server refuses the bad work itself, in
    // its place.
    let raw = OrcidClient::new(
        config
            .clone()
            .with_api_version(Version::V3_0)
            .with_validation(false),
    )
    .unwrap();
    let out = raw
        .member(&token)
        .add_works_bulk(&demo(), &[work3("10.8/three"), no_self]);
    assert!(out[0].put_code().is_some(), "{:?}", out[0]);
    match &out[1] {
        BulkAddOutcome::Rejected(e) => {
            assert_eq!(e.kind, ErrorKind::FixPayload, "{e}");
            assert_eq!(e.error_code(), Some(9023), "{e}");
        }
        other => panic!("{other:?}"),
    }

    // Bulk read in v3.0: a created work, an unknown put-code, the existing
    // one; in input order across two requests.
    server.state().reset_request_counts();
    let read = api
        .read_works_bulk_as::<v3_0::work::Work>(&demo(), &[two, PutCode(424_242), existing])
        .unwrap();
    assert_eq!(server.state().request_counts().get, 2);
    assert_eq!(read.len(), 3);
    assert_eq!(read[0].put_code, two);
    let w = read[0].result.as_ref().unwrap();
    assert_eq!(w.put_code, Some(two));
    assert_eq!(
        w.title.as_ref().unwrap().title.as_deref(),
        Some("Field Notes on Persistent Identifiers")
    );
    let missing = read[1].result.as_ref().unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound);
    assert_eq!(missing.error_code(), Some(9034));
    assert_eq!(read[2].put_code, existing);
    assert_eq!(read[2].result.as_ref().unwrap().put_code, Some(existing));

    // The same in vnd.orcid+json.
    let json = OrcidClient::new(
        config
            .with_api_version(Version::V3_0)
            .with_wire_format(WireFormat::Json),
    )
    .unwrap();
    let json_api = json.member(&token);
    let out = json_api.add_works_bulk(&demo(), &[work3("10.8/json"), work3("10.8/two")]);
    let created = out[0].put_code().expect("created");
    match &out[1] {
        BulkAddOutcome::Rejected(e) => assert_eq!(e.conflicting_put_code(), Some(two)),
        other => panic!("{other:?}"),
    }
    let read = json_api
        .read_works_bulk_as::<v3_0::work::Work>(&demo(), &[created])
        .unwrap();
    assert_eq!(read[0].result.as_ref().unwrap().put_code, Some(created));
}

#[test]
fn every_error_path_is_typed() {
    let server = mock();
    let client = client(&server);
    let token = demo_token(&client);
    let api = client.member(&token);
    let raw = no_validation(&server);
    let raw_api = raw.member(&token);
    let pc = api.add(&demo(), &work_doc("10.8/mine")).unwrap();

    // 9024: a put-code in a POST body. Refused locally (with ORCID's code
    // predicted), and by ORCID when sent anyway.
    let with_pc = Document::from_xml(
        &work_xml("10.8/pc").replace("visibility=\"public\"", "put-code=\"12\""),
    )
    .unwrap();
    let local = api.add(&demo(), &with_pc).unwrap_err();
    assert_eq!(local.kind(), ErrorKind::FixPayload);
    assert!(local
        .report()
        .unwrap()
        .diagnostics
        .iter()
        .any(|d| d.orcid_error.map(|o| o.code) == Some(9024)));
    let remote = raw_api.add(&demo(), &with_pc).unwrap_err();
    assert_eq!(
        (api_error(&remote).status, api_error(&remote).error_code()),
        (400, Some(9024))
    );
    assert_eq!(remote.kind(), ErrorKind::FixPayload);

    // 9019: the put-codes of URL and body differ. The client refuses before
    // sending (what ORCID would answer 400/9019); nothing reaches the mock.
    let notifications = server.state().inbox(DEMO_ORCID).len();
    let other_pc = Document::from_xml(&work_xml("10.8/mine").replace(
        "visibility=\"public\"",
        &format!("put-code=\"{}\"", pc.0 + 1),
    ))
    .unwrap();
    for client in [&api, &raw_api] {
        match client.update(&demo(), pc, &other_pc).unwrap_err() {
            e @ Error::PutCodeMismatch { url, body } => {
                assert_eq!((url, body), (pc, Some(PutCode(pc.0 + 1))));
                assert_eq!(e.kind(), ErrorKind::FixPayload);
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(server.state().inbox(DEMO_ORCID).len(), notifications);

    // 9016: unknown put-code (read and update).
    let e = api
        .read_item(&demo(), ItemSection::Work, PutCode(999_999))
        .unwrap_err();
    assert_eq!(
        (api_error(&e).status, api_error(&e).error_code()),
        (404, Some(9016))
    );
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let unknown = Document::from_xml(
        &work_xml("10.8/mine").replace("visibility=\"public\"", "put-code=\"999999\""),
    )
    .unwrap();
    let e = api.update(&demo(), PutCode(999_999), &unknown).unwrap_err();
    assert_eq!(api_error(&e).error_code(), Some(9016));

    // 9010: a second client may not change the first one's item.
    let other = other_client(&server);
    let other_token = login(&other, &WRITE_SCOPES, |r| r).access_token;
    let mine = |title: &str| {
        Document::from_xml(
            &work_xml("10.8/mine")
                .replace("visibility=\"public\"", &format!("put-code=\"{pc}\""))
                .replace("Field Notes", title),
        )
        .unwrap()
    };
    let e = other
        .member(&other_token)
        .update(&demo(), pc, &mine("Hijacked"))
        .unwrap_err();
    assert_eq!(
        (api_error(&e).status, api_error(&e).error_code()),
        (403, Some(9010))
    );
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    let e = other
        .member(&other_token)
        .delete(&demo(), ItemSection::Work, pc)
        .unwrap_err();
    assert_eq!(api_error(&e).error_code(), Some(9010));
    // An unchanged copy from a non-source is 9014, also forbidden.
    let e = other
        .member(&other_token)
        .update(&demo(), pc, &mine("Field Notes"))
        .unwrap_err();
    assert_eq!(api_error(&e).error_code(), Some(9014));
    assert_eq!(e.kind(), ErrorKind::Forbidden);

    // 9017: a token for another iD.
    let other_id = OrcidId(OTHER_ORCID.into());
    let e = api
        .read_section(&other_id, Section::List(ItemSection::Work))
        .unwrap_err();
    assert_eq!(
        (api_error(&e).status, api_error(&e).error_code()),
        (401, Some(9017))
    );
    assert_eq!(e.kind(), ErrorKind::Reauthorize);
    let e = api.add(&other_id, &work_doc("10.8/theirs")).unwrap_err();
    assert_eq!(api_error(&e).error_code(), Some(9017));

    // 9038: the token lacks the scope.
    let read_only = login(&client, &[Scope::ReadLimited], |r| r).access_token;
    let e = client
        .member(&read_only)
        .add(&demo(), &work_doc("10.8/scope"))
        .unwrap_err();
    assert_eq!(
        (api_error(&e).status, api_error(&e).error_code()),
        (403, Some(9038))
    );
    assert_eq!(e.kind(), ErrorKind::Reauthorize);

    // 401 invalid_token: an unknown token, never repeated in the error.
    let bogus = "0badc0de-0000-4000-8000-000000000000";
    let e = client
        .member(&SecretString::from(bogus))
        .read_section(&demo(), Section::List(ItemSection::Work))
        .unwrap_err();
    assert_eq!(api_error(&e).status, 401);
    assert_eq!(api_error(&e).oauth_error(), Some("invalid_token"));
    assert_eq!(e.kind(), ErrorKind::Reauthorize);
    assert!(!format!("{e} {e:?}").contains(bogus), "{e:?}");

    // 403 without a token.
    let e = client
        .member(&SecretString::from(""))
        .read_section(&demo(), Section::List(ItemSection::Work))
        .unwrap_err();
    assert_eq!(api_error(&e).status, 403);
    assert_eq!(e.kind(), ErrorKind::Reauthorize);

    // 9021: a duplicate from the same source names the existing put-code.
    let e = api.add(&demo(), &work_doc("10.8/mine")).unwrap_err();
    assert_eq!(
        (api_error(&e).status, api_error(&e).error_code()),
        (409, Some(9021))
    );
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(api_error(&e).conflicting_put_code(), Some(pc));

    // 9035: an update may not change the visibility (stored: limited).
    let public = Document::from_xml(&work_xml("10.8/mine").replace(
        "visibility=\"public\"",
        &format!("put-code=\"{pc}\" visibility=\"public\""),
    ))
    .unwrap();
    let e = api.update(&demo(), pc, &public).unwrap_err();
    assert_eq!(
        (api_error(&e).status, api_error(&e).error_code()),
        (403, Some(9035))
    );
    assert_eq!(e.kind(), ErrorKind::Forbidden);

    // No error ever carries the token.
    let secret = secrecy::ExposeSecret::expose_secret(&token).to_string();
    for e in [
        api.read_section(&other_id, Section::List(ItemSection::Work))
            .unwrap_err(),
        api.add(&demo(), &work_doc("10.8/mine")).unwrap_err(),
    ] {
        assert!(!format!("{e} {e:?}").contains(&secret));
    }
}

#[test]
fn retries_go_through_injected_failures_but_post_is_never_retried() {
    let server = mock();
    let client = client(&server);
    let token = demo_token(&client);
    let api = client.member(&token);
    let pc = api.add(&demo(), &work_doc("10.9/retry")).unwrap();
    let state = server.state();
    let faults = |fail_next: u32, drop_next: u32| FaultConfig {
        fail_next,
        drop_next,
        ..FaultConfig::default()
    };

    // GET through two 503s: three requests, the faults are used up.
    state.set_faults(faults(2, 0));
    api.read_item(&demo(), ItemSection::Work, pc).unwrap();
    assert_eq!(state.faults().fail_next, 0);
    // GET through a dropped connection.
    state.set_faults(faults(0, 1));
    api.read_item(&demo(), ItemSection::Work, pc).unwrap();
    assert_eq!(state.faults().drop_next, 0);
    // PUT and DELETE are retried too.
    let stored = api.read_item(&demo(), ItemSection::Work, pc).unwrap();
    state.set_faults(faults(2, 0));
    api.update(&demo(), pc, &stored).unwrap();
    assert_eq!(state.faults().fail_next, 0);
    let doomed = api.add(&demo(), &work_doc("10.9/doomed")).unwrap();
    state.set_faults(faults(2, 0));
    assert_eq!(
        api.delete(&demo(), ItemSection::Work, doomed).unwrap(),
        Deleted::Deleted
    );
    assert_eq!(state.faults().fail_next, 0);
    // More failures than retries: the last answer, typed as retryable.
    state.set_faults(faults(10, 0));
    let e = api.read_item(&demo(), ItemSection::Work, pc).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Retryable);
    assert_eq!(api_error(&e).status, 503);
    assert_eq!(state.faults().fail_next, 10 - 4, "1 try + 3 retries");
    state.set_faults(FaultConfig::default());

    // POST: one request, no retry, and nothing created.
    let before = state.inbox(DEMO_ORCID).len();
    state.set_faults(faults(2, 0));
    let e = api.add(&demo(), &work_doc("10.9/post")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Retryable);
    assert_eq!(state.faults().fail_next, 1, "the POST was sent once");
    let out = api.add_works_bulk(&demo(), &[work("10.9/bulk")]);
    assert!(
        matches!(&out[0], BulkAddOutcome::RequestFailed(e) if e.kind() == ErrorKind::Retryable),
        "{:?}",
        out[0]
    );
    assert_eq!(state.faults().fail_next, 0, "the bulk POST was sent once");
    assert_eq!(state.inbox(DEMO_ORCID).len(), before);
    // A dropped POST is a transport error, not retried either.
    state.set_faults(faults(0, 2));
    let e = api.add(&demo(), &work_doc("10.9/dropped")).unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    assert_eq!(state.faults().drop_next, 1);
    state.set_faults(FaultConfig::default());
    // The token endpoint (a POST) is not retried: the code survives a 503
    // only because it was never received.
    let auth = client.authorize(WRITE_SCOPES).build().unwrap();
    let code = AuthorizationCallback::parse(&follow_authorize(&auth.url))
        .into_code(&auth.state)
        .unwrap();
    state.set_faults(faults(2, 0));
    assert_eq!(
        client.exchange_code(&code).unwrap_err().kind(),
        ErrorKind::Retryable
    );
    assert_eq!(state.faults().fail_next, 1);
    state.set_faults(FaultConfig::default());
    assert!(client.exchange_code(&code).is_ok());
    // After the failures, the same POST goes through.
    api.add(&demo(), &work_doc("10.9/post")).unwrap();
}

#[test]
fn rate_limits_client_side_and_server_side() {
    let server = mock();
    let state = server.state();
    let token = demo_token(&client(&server));

    // The mock's emulation: burst 2, then 503 until the bucket refills
    // (slowly here, so that even a loaded machine exceeds it).
    state.set_rate_limit(RateLimitConfig {
        enabled: true,
        per_second: 2.0,
        burst: 2,
        retry_after_secs: None,
    });
    // Without a client-side limit and without retries, the burst is exceeded.
    let eager = OrcidClient::new(
        config_for(&server, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET).with_retry(RetryPolicy::NONE),
    )
    .unwrap();
    let results: Vec<_> = (0..6)
        .map(|_| {
            eager
                .member(&token)
                .read_section(&demo(), Section::List(ItemSection::Work))
        })
        .collect();
    let limited = results
        .iter()
        .filter(|r| matches!(r, Err(e) if e.kind() == ErrorKind::Retryable))
        .count();
    assert!(limited > 0, "the mock should have answered 503");

    // Retries with backoff get every read through.
    let server_rate = RateLimitConfig {
        enabled: true,
        per_second: 40.0,
        burst: 2,
        retry_after_secs: None,
    };
    state.set_rate_limit(server_rate.clone());
    let patient = OrcidClient::new(
        config_for(&server, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET).with_retry(RetryPolicy {
            max_retries: 6,
            initial_backoff: Duration::from_millis(30),
            max_backoff: Duration::from_millis(200),
            max_retry_after: Duration::from_secs(1),
        }),
    )
    .unwrap();
    for _ in 0..6 {
        patient
            .member(&token)
            .read_section(&demo(), Section::List(ItemSection::Work))
            .unwrap();
    }

    // A client-side limiter below the server's rate never meets a 503.
    state.set_rate_limit(server_rate);
    let polite = OrcidClient::new(
        config_for(&server, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
            .with_retry(RetryPolicy::NONE)
            .with_rate_limit(Some(RateLimit {
                per_second: 20.0,
                burst: 1,
            })),
    )
    .unwrap();
    for _ in 0..6 {
        polite
            .member(&token)
            .read_section(&demo(), Section::List(ItemSection::Work))
            .unwrap();
    }
}

#[test]
fn search_expanded_search_and_csv_search_of_the_mock() {
    let server = mock();
    let client = client(&server);
    let token = demo_token(&client);
    let api = client.member(&token);
    // Plain search in the client's version (v3.0 by default).
    let found = api.search("family-name:Haak", 0, 10).unwrap();
    let orcid_model::AnyDocument::V3_0(orcid_model::v3_0::Document::SearchSearch(s)) = found else {
        panic!("not a v3.0 search")
    };
    assert_eq!(s.num_found, Some(1));
    assert_eq!(s.result.len(), 1);
    // The same in v2.1.
    let v2 = client
        .member(&token)
        .with_version(orcid_model::Version::V2_1);
    let found = v2.search("family-name:Haak", 0, 10).unwrap();
    assert!(matches!(
        found,
        orcid_model::AnyDocument::V2_1(Document::SearchSearch(_))
    ));
    // Expanded search names the researcher.
    let e = api.expanded_search("given-names:Laure", 0, 10).unwrap();
    assert_eq!(e.num_found, Some(1));
    assert_eq!(e.expanded_result[0].given_names.as_deref(), Some("Laure"));
    assert_eq!(e.expanded_result[0].family_names.as_deref(), Some("Haak"));
    // CSV search with two columns.
    let csv = api
        .csv_search("family-name:Haak", &["orcid", "family-name"], 0, 10)
        .unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("orcid,family-name"), "{csv}");
    assert!(csv.contains("Haak"), "{csv}");
    // rows beyond ORCID's limit: 400/9012 as a typed error.
    let err = api.search("family-name:Haak", 0, 5000).unwrap_err();
    assert_eq!(api_error(&err).error_code(), Some(9012), "{err}");
}
