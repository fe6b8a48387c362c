//! Pushing with the member API v3.0 against a canned server (the kit's
//! `TestServer`): v3.0 paths, works in v3.0 bulk requests, one registry
//! entry per item across versions (a v2.1 push then a v3.0 one updates,
//! never duplicates); and against the mock: works in bulk, no duplicates
//! on a second push, with a lost registry, or after a crash at any point.
//! The sections only v3.0 has are pushed in `v3_only.rs`.

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use orcid_client::{ClientConfig, Environment, OrcidClient, SecretString};
use orcid_model::scalar::{OrcidId, PutCode};
use orcid_model::{v3_0, ItemSection, Version};
use orcid_push::{
    load_as, registry_key, Checkpoint, KeyMode, LocalItem, Observer, PushOptions, Pusher, Quiet,
};
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
/// up, by request index), the body back for a PUT, and for a v3.0 bulk
/// POST (`/works`) the works back with put-codes from `100 × (index + 1)`.
fn server() -> TestServer {
    TestServer::start(|r: &Recorded, i| match r.method.as_str() {
        "POST" if r.path().ends_with("/works") => bulk_answer(&r.body, 100 * (i as i64 + 1)),
        "POST" => Canned::new(201).header(
            "Location",
            &format!("https://api.example.org{}/{}", r.path(), 11 + i),
        ),
        "PUT" => Canned::new(200).xml(&r.body),
        _ => Canned::new(404),
    })
}

/// The v3.0 bulk `body` back, its works given put-codes from `first` up.
fn bulk_answer(body: &str, first: i64) -> Canned {
    let Ok(v3_0::Document::BulkBulk(mut bulk)) = v3_0::Document::from_xml(body) else {
        return Canned::new(400);
    };
    for (k, item) in bulk.bulk.iter_mut().enumerate() {
        if let v3_0::bulk::BulkItem::Work(w) = item {
            w.put_code = Some(PutCode(first + k as i64));
        }
    }
    Canned::new(200).xml(&v3_0::Document::BulkBulk(bulk).to_xml(false))
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
fn works_are_created_in_one_v3_0_bulk_and_v2_1_files_are_upgraded() {
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
    assert!(report.is_success(), "{report:#?}");
    assert_eq!(report.counts().created, 3, "{report:#?}");
    assert_eq!(report.writes, 1);
    assert_eq!(requests(&server), [format!("POST /v3.0/{ORCID}/works")]);
    let sent = &server.requests()[0].body;
    let Ok(v3_0::Document::BulkBulk(bulk)) = v3_0::Document::from_xml(sent) else {
        panic!("not a v3.0 bulk: {sent}");
    };
    assert_eq!(bulk.bulk.len(), 3, "{sent}");
    assert!(
        sent.contains("Old style") && sent.contains(">self<"),
        "{sent}"
    );
    // Each work registered under the put-code of its place in the answer.
    let mut codes: Vec<i64> = ["a", "b", "c"]
        .iter()
        .map(|key| {
            store
                .put_code(ORCID, ItemSection::Work, &registry_key("default", key))
                .unwrap()
                .unwrap_or_else(|| panic!("{key} is not registered"))
                .put_code
        })
        .collect();
    codes.sort();
    assert_eq!(codes, [100, 101, 102]);
    assert!(store.pending_intents().unwrap().is_empty());
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

// ----- against the mock -----

fn v3_options() -> PushOptions {
    PushOptions {
        prune: true,
        ..options(Version::V3_0)
    }
}

/// The fixture set (four works, an employment, a keyword) loaded as v3.0.
fn v3_items(dir: &std::path::Path) -> Vec<LocalItem> {
    load_as(&[dir.to_path_buf()], KeyMode::File, Version::V3_0).expect("fixtures load")
}

#[test]
fn v3_0_works_go_in_one_bulk_and_pushing_again_duplicates_nothing() {
    let env = common::Env::new();
    let dir = common::fixture_copy(env.dir.path());
    let items = v3_items(&dir);
    assert_eq!(items.len(), 6);
    assert_eq!(
        items
            .iter()
            .filter(|i| i.kind == v3_0::section::ItemSection::Work)
            .count(),
        4
    );

    let first = env.push(&items, v3_options());
    assert!(first.is_success(), "{first:#?}");
    assert_eq!(first.counts().created, 6, "{first:#?}");
    // The employment, the keyword, then the four works in one POST.
    assert_eq!(first.writes, 3);
    let counts = env.server.state().request_counts();
    assert_eq!(counts.post, 3, "{counts:?}");
    assert_eq!(counts.writes(), 3, "{counts:?}");
    env.assert_converged_v3(&env.store, &items);

    // Again: nothing sent.
    env.reset_counts();
    let again = env.push(&items, v3_options());
    assert_eq!(again.counts().unchanged, 6, "{again:#?}");
    assert_eq!(env.writes(), 0);

    // A store that forgot every put-code: the works come back as 409/9021
    // in the v3.0 bulk answer and are adopted, not created twice.
    let fresh = Store::open(env.dir.path().join("fresh.sqlite3")).unwrap();
    let adopted = env.push_with(&fresh, &items, v3_options(), &mut Quiet);
    assert!(adopted.is_success(), "{adopted:#?}");
    assert_eq!(adopted.counts().adopted, 6, "{adopted:#?}");
    env.assert_converged_v3(&fresh, &items);
}

/// Counts checkpoints and panics at number `stop_at` (0-based).
struct CrashAt {
    seen: usize,
    stop_at: usize,
}

impl Observer for CrashAt {
    fn checkpoint(&mut self, point: Checkpoint) {
        if self.stop_at == self.seen {
            panic!("injected crash at checkpoint {} ({point:?})", self.seen);
        }
        self.seen += 1;
    }
}

#[test]
fn a_v3_0_push_killed_anywhere_converges_on_rerun_without_duplicates() {
    std::panic::set_hook(Box::new(|_| {}));
    let mut n = 0;
    loop {
        let env = common::Env::new();
        let dir = common::fixture_copy(env.dir.path());
        let items = v3_items(&dir);
        let mut crash = CrashAt {
            seen: 0,
            stop_at: n,
        };
        let crashed = catch_unwind(AssertUnwindSafe(|| {
            env.push_with(&env.store, &items, v3_options(), &mut crash)
        }))
        .is_err();
        if !crashed {
            break;
        }
        let report = env.push(&items, v3_options());
        assert!(report.is_success(), "crash at {n}: {report:#?}");
        // The journal resolved the interrupted writes: no 409 was needed.
        assert_eq!(report.counts().adopted, 0, "crash at {n}: {report:#?}");
        if n % 2 == 1 {
            // Stopped after ORCID answered: found on the record by what
            // was sent (all four works of the bulk at the last point).
            let expected = if n == 5 { 4 } else { 1 };
            assert_eq!(
                report.recovered.len(),
                expected,
                "crash at {n}: {report:#?}"
            );
            assert!(
                report.recovered.iter().all(|r| r.found.is_some()),
                "crash at {n}: {report:#?}"
            );
        }
        env.assert_converged_v3(&env.store, &items);
        env.reset_counts();
        let third = env.push(&items, v3_options());
        assert_eq!(third.writes, 0, "crash at {n}: {third:#?}");
        n += 1;
    }
    // The employment, the keyword and the bulk of four works: 3 writes,
    // 2 points each.
    assert_eq!(n, 6);
}
