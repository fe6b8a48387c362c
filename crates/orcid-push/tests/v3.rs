//! Pushing with the member API v3.0 against a canned server (the kit's
//! `TestServer`): v3.0 paths, one registry entry per item across versions
//! (a v2.1 push then a v3.0 one updates, never duplicates). The sections
//! only v3.0 has are pushed in `v3_only.rs`.

use orcid_client::{ClientConfig, Environment, OrcidClient, SecretString};
use orcid_model::scalar::OrcidId;
use orcid_model::{ItemSection, Version};
use orcid_push::{load_as, registry_key, KeyMode, PushOptions, Pusher, Quiet};
use orcid_store::Store;
use orcid_test_kit::http::{Canned, Recorded, TestServer};
use orcid_test_kit::paths::schema_cache;

const ORCID: &str = "0000-0002-1825-0097";
const CLIENT_ID: &str = "APP-TESTCLIENT0001";

const WORK: &str = r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">
  <work:title><common:title>Field Notes</common:title></work:title>
  <work:type>report</work:type>
  <common:external-ids><common:external-id>
    <common:external-id-type>doi</common:external-id-type>
    <common:external-id-value>DOI</common:external-id-value>
    <common:external-id-relationship>self</common:external-id-relationship>
  </common:external-id></common:external-ids>
</work:work>"#;

const KEYWORD: &str = r#"<keyword:keyword xmlns:keyword="http://www.orcid.org/ns/keyword"><keyword:content>metadata</keyword:content></keyword:keyword>"#;

/// Answers like ORCID: 201 with a Location for a POST (put-codes from 11
/// up, by request index), the body back for a PUT.
fn server() -> TestServer {
    TestServer::start(|r: &Recorded, i| match r.method.as_str() {
        "POST" => Canned::new(201).header(
            "Location",
            &format!("https://api.example.org{}/{}", r.path(), 11 + i),
        ),
        "PUT" => Canned::new(200).xml(&r.body),
        _ => Canned::new(404),
    })
}

fn client(server: &TestServer) -> OrcidClient {
    OrcidClient::new(
        ClientConfig::new(
            CLIENT_ID,
            "test-secret",
            "https://app.example.org/cb",
            Environment::custom(&server.base),
        )
        .with_rate_limit(None),
    )
    .unwrap()
}

fn requests(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path()))
        .collect()
}

fn folder(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn options(api: Version) -> PushOptions {
    PushOptions {
        api,
        ..PushOptions::default()
    }
}

#[test]
fn a_v2_1_push_then_v3_0_ones_keep_the_registry_entries_and_duplicate_nothing() {
    let server = server();
    let client = client(&server);
    let token = SecretString::from("token-1");
    let db = tempfile::tempdir().unwrap();
    let store = Store::open(db.path().join("s.sqlite3")).unwrap();
    let items_dir = folder(&[
        ("paper.xml", WORK.replace("DOI", "10.1/a")),
        ("kw.xml", KEYWORD.to_string()),
    ]);
    let orcid = OrcidId(ORCID.into());
    let paths = [items_dir.path().to_path_buf()];
    let push = |api: Version| {
        let items = load_as(&paths, KeyMode::File, api).unwrap();
        assert!(items.iter().all(|i| i.doc.version() == api));
        Pusher::new(client.member(&token), &store, CLIENT_ID, options(api))
            .push(&orcid, &items, &mut Quiet)
            .unwrap()
    };

    let first = push(Version::V2_1);
    assert!(first.is_success(), "{first:#?}");
    assert_eq!(first.counts().created, 2);
    assert_eq!(
        requests(&server),
        [
            format!("POST /v2.1/{ORCID}/keywords"),
            format!("POST /v2.1/{ORCID}/work"),
        ]
    );
    let pc = |kind, key: &str| {
        store
            .put_code(ORCID, kind, &registry_key("default", key))
            .unwrap()
            .expect("registered")
            .put_code
    };
    let (kw_pc, work_pc) = (
        pc(ItemSection::Keyword, "kw"),
        pc(ItemSection::Work, "paper"),
    );

    // The same folder with v3.0: these items write the same XML in both
    // versions, so the same registry entries are unchanged.
    let second = push(Version::V3_0);
    assert_eq!(second.counts().unchanged, 2, "{second:#?}");
    assert_eq!(server.count(), 2);

    // Changed, they are updated in v3.0 on their put-codes: no POST.
    std::fs::write(
        items_dir.path().join("paper.xml"),
        WORK.replace("DOI", "10.1/a")
            .replace("Field Notes", "Revised Notes"),
    )
    .unwrap();
    std::fs::write(
        items_dir.path().join("kw.xml"),
        KEYWORD.replace("metadata", "identifiers"),
    )
    .unwrap();
    let third = push(Version::V3_0);
    assert!(third.is_success(), "{third:#?}");
    assert_eq!(third.counts().updated, 2, "{third:#?}");
    assert_eq!(
        requests(&server)[2..],
        [
            format!("PUT /v3.0/{ORCID}/keywords/{kw_pc}"),
            format!("PUT /v3.0/{ORCID}/work/{work_pc}"),
        ]
    );
    assert_eq!(pc(ItemSection::Keyword, "kw"), kw_pc);
    assert_eq!(pc(ItemSection::Work, "paper"), work_pc);
    let sent = &server.requests()[3].body;
    assert!(
        sent.contains(&format!("put-code=\"{work_pc}\"")) && sent.contains("Revised Notes"),
        "{sent}"
    );

    // And then nothing to do.
    let fourth = push(Version::V3_0);
    assert_eq!(fourth.counts().unchanged, 2, "{fourth:#?}");
    assert_eq!(server.count(), 4);
}

#[test]
fn works_are_created_one_by_one_in_v3_0_and_v2_1_files_are_upgraded() {
    let server = server();
    let client = client(&server);
    let token = SecretString::from("token-1");
    let db = tempfile::tempdir().unwrap();
    let store = Store::open(db.path().join("s.sqlite3")).unwrap();
    // The JSON work spells its enum the v2.1 way: read as v2.1, upgraded.
    let v2_json = r#"{"title": {"title": {"value": "Old style"}}, "type": "REPORT",
        "external-ids": {"external-id": [{"external-id-type": "doi",
        "external-id-value": "10.1/c", "external-id-relationship": "SELF"}]}}"#;
    let items_dir = folder(&[
        ("a.xml", WORK.replace("DOI", "10.1/a")),
        ("b.xml", WORK.replace("DOI", "10.1/b")),
        ("c.work.json", v2_json.to_string()),
    ]);
    let items = load_as(
        &[items_dir.path().to_path_buf()],
        KeyMode::File,
        Version::V3_0,
    )
    .unwrap();
    assert!(items.iter().all(|i| i.doc.version() == Version::V3_0));
    let report = Pusher::new(
        client.member(&token),
        &store,
        CLIENT_ID,
        options(Version::V3_0),
    )
    .push(&OrcidId(ORCID.into()), &items, &mut Quiet)
    .unwrap();
    assert_eq!(report.counts().created, 3, "{report:#?}");
    assert_eq!(
        requests(&server),
        vec![format!("POST /v3.0/{ORCID}/work"); 3]
    );
    let sent_c = &server.requests()[2].body;
    assert!(
        sent_c.contains("Old style") && sent_c.contains(">self<"),
        "{sent_c}"
    );
}

#[test]
fn a_409_in_v3_0_adopts_the_named_item_and_affiliations_are_looked_for_in_v3_0() {
    let conflict = r#"<error:error xmlns:error="http://www.orcid.org/ns/error">
  <error:response-code>409</error:response-code>
  <error:developer-message>409 Conflict: You have already added this activity (matched by external identifiers), please see element with put-code 77.</error:developer-message>
  <error:error-code>9021</error:error-code>
</error:error>"#;
    let employments = std::fs::read_to_string(
        schema_cache().join("record_3.0/samples/read_samples/employments-3.0.xml"),
    )
    .unwrap();
    let server = TestServer::start(move |r: &Recorded, _| {
        match (r.method.as_str(), r.path().rsplit('/').next().unwrap_or("")) {
            ("POST", "work") => Canned::new(409).xml(conflict),
            ("POST", "employment") => Canned::new(201).header(
                "Location",
                &format!("https://api.example.org/v3.0/{ORCID}/employment/5"),
            ),
            ("GET", "employments") => Canned::new(200).xml(&employments),
            ("PUT", _) => Canned::new(200).xml(&r.body),
            _ => Canned::new(404),
        }
    });
    let client = client(&server);
    let token = SecretString::from("token-1");
    let db = tempfile::tempdir().unwrap();
    let store = Store::open(db.path().join("s.sqlite3")).unwrap();
    let employment = std::fs::read_to_string(
        schema_cache().join("record_3.0/samples/write_samples/employment-3.0.xml"),
    )
    .unwrap();
    let items_dir = folder(&[
        ("paper.xml", WORK.replace("DOI", "10.1/a")),
        ("job.xml", employment),
    ]);
    let items = load_as(
        &[items_dir.path().to_path_buf()],
        KeyMode::File,
        Version::V3_0,
    )
    .unwrap();
    let report = Pusher::new(
        client.member(&token),
        &store,
        CLIENT_ID,
        options(Version::V3_0),
    )
    .push(&OrcidId(ORCID.into()), &items, &mut Quiet)
    .unwrap();
    assert!(report.is_success(), "{report:#?}");
    assert_eq!(report.counts().created, 1, "{report:#?}");
    assert_eq!(report.counts().adopted, 1, "{report:#?}");
    assert_eq!(
        requests(&server),
        [
            format!("GET /v3.0/{ORCID}/employments"),
            format!("POST /v3.0/{ORCID}/employment"),
            format!("POST /v3.0/{ORCID}/work"),
            format!("PUT /v3.0/{ORCID}/work/77"),
        ]
    );
    let work = store
        .put_code(ORCID, ItemSection::Work, &registry_key("default", "paper"))
        .unwrap()
        .expect("registered");
    assert_eq!(work.put_code, 77);
}
