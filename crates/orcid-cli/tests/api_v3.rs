//! `orcid item` and `orcid record get` speaking the member API v3.0, end to
//! end: the binary against a canned server (the kit's `TestServer`) that
//! records each request and answers as ORCID's v3.0 would.

use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use orcid_model::v3_0;
use orcid_model::ItemSection;
use orcid_store::{Store, StoredToken, Timestamp};
use orcid_test_kit::http::{Canned, Recorded, TestServer};
use orcid_test_kit::paths::schema_cache;
use secrecy::SecretString;

const ORCID: &str = "0000-0002-1825-0097";
const CLIENT_ID: &str = "APP-TESTCLIENT0001";
const TOKEN: &str = "a3f7e2b0-1111-2222-3333-444455556666";

fn sample(rel: &str) -> String {
    std::fs::read_to_string(schema_cache().join(rel)).expect("run `cargo xtask sync-schemas`")
}

/// A server answering as ORCID's v3.0 (and v2.1 for works), with a store
/// holding a token of the researcher.
struct Fixture {
    server: TestServer,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let distinctions_xml = sample("record_3.0/samples/read_samples/distinctions-3.0.xml");
        let distinctions_json = v3_0::Document::from_xml(&distinctions_xml)
            .unwrap()
            .to_json(false)
            .unwrap();
        let answers = Arc::new((distinctions_xml, distinctions_json));
        let server = TestServer::start(move |r: &Recorded, _| {
            let path = r.path().to_string();
            let json = r.header("accept") == Some("application/vnd.orcid+json");
            match (r.method.as_str(), path.as_str()) {
                ("POST", p) if p.starts_with("/v3.0/") || p.starts_with("/v2.1/") => {
                    let pc = if p.ends_with("/work") { 99 } else { 4242 };
                    Canned::new(201).header("Location", &format!("https://api.example.org{p}/{pc}"))
                }
                ("PUT", p) if p.starts_with("/v3.0/") => {
                    Canned::new(200).body(r.header("content-type").unwrap_or(""), &r.body)
                }
                ("DELETE", p) if p.starts_with("/v3.0/") => Canned::new(204),
                ("GET", p) if p.ends_with("/distinctions") && p.starts_with("/v3.0/") => {
                    if json {
                        Canned::new(200).body("application/vnd.orcid+json", &answers.1)
                    } else {
                        Canned::new(200).xml(&answers.0)
                    }
                }
                _ => Canned::new(404),
            }
        });
        let dir = tempfile::tempdir().unwrap();
        let now = Timestamp::now();
        Store::open(dir.path().join("store.sqlite3"))
            .unwrap()
            .put_token(&StoredToken {
                client_id: CLIENT_ID.into(),
                orcid: ORCID.into(),
                name: None,
                access_token: SecretString::from(TOKEN),
                refresh_token: None,
                scopes: vec!["/read-limited".into(), "/activities/update".into()],
                issued_at: now,
                expires_at: now.saturating_add_secs(3600),
            })
            .unwrap();
        Fixture { server, dir }
    }

    fn store(&self) -> Store {
        Store::open(self.dir.path().join("store.sqlite3")).unwrap()
    }

    fn write(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }

    fn orcid(&self, args: &[&str]) -> Output {
        self.orcid_with(args, &[])
    }

    fn orcid_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_orcid"))
            .args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("share"))
            .env("ORCID_ENVIRONMENT", &self.server.base)
            .env("ORCID_CLIENT_ID", CLIENT_ID)
            .env("ORCID_CLIENT_SECRET", "test-secret")
            .env("ORCID_STORE", self.dir.path().join("store.sqlite3"))
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Runs and expects success; returns (stdout, stderr).
    fn ok(&self, args: &[&str]) -> (String, String) {
        let o = self.orcid(args);
        let (out, err) = (
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        );
        assert!(o.status.success(), "orcid {args:?}: {out}{err}");
        (out, err)
    }

    fn paths(&self) -> Vec<String> {
        self.server
            .requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path()))
            .collect()
    }
}

fn distinction_xml() -> String {
    sample("record_3.0/samples/write_samples/distinction-3.0.xml")
}

#[test]
fn a_distinction_is_added_updated_and_deleted_with_api_v3_0() {
    let f = Fixture::new();
    let file = f.write("d.xml", &distinction_xml());
    let (out, err) = f.ok(&["item", "add", "--api", "3.0", "distinction", &file]);
    assert_eq!(out.trim(), "4242");
    // Kept in the put-code registry like any item (its key: organisation
    // and role).
    assert!(err.contains("API v3.0, registry key `"), "{err}");
    let entries = f.store().entries(ORCID).unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(
        (entries[0].section.name(), entries[0].put_code),
        ("distinction", 4242)
    );
    let r = &f.server.requests()[0];
    assert_eq!(r.path(), format!("/v3.0/{ORCID}/distinction"));
    assert_eq!(
        r.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(r.body.contains("distinction:distinction"), "{}", r.body);

    // The distinction namespace says v3.0 without --api; the put-code is
    // given.
    let (out, _) = f.ok(&[
        "item",
        "update",
        "distinctions",
        &file,
        "--put-code",
        "4242",
    ]);
    assert_eq!(out.trim(), "4242");
    let (out, _) = f.ok(&["item", "delete", "--api", "3.0", "distinction", "4242"]);
    assert!(out.starts_with("Deleted distinction 4242"), "{out}");
    assert_eq!(
        f.paths()[1..],
        [
            format!("PUT /v3.0/{ORCID}/distinction/4242"),
            format!("DELETE /v3.0/{ORCID}/distinction/4242"),
        ]
    );
}

#[test]
fn a_v3_only_json_item_is_read_as_v3_0_whatever_the_configured_version() {
    let f = Fixture::new();
    let json = sample("record_3.0/samples/write_samples/membership-3.0.json");
    let file = f.write("m.json", &json);
    let o = f.orcid_with(
        &["item", "add", "membership", &file],
        &[("ORCID_API_VERSION", "2.1")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "4242");
    assert_eq!(f.paths(), [format!("POST /v3.0/{ORCID}/membership")]);
}

#[test]
fn a_v3_only_section_is_refused_with_api_2_1() {
    let f = Fixture::new();
    let file = f.write("d.xml", &distinction_xml());
    let o = f.orcid(&["item", "add", "--api", "2.1", "distinction", &file]);
    assert!(!o.status.success());
    let o = f.orcid(&["record", "get", "--api", "2.1", "distinctions"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--api 3.0"));
    let o = f.orcid(&["item", "delete", "--api", "2.1", "service", "7"]);
    assert!(!o.status.success());
    assert_eq!(f.server.count(), 0, "nothing sent: {:?}", f.paths());
}

#[test]
fn record_get_prints_orcid_v3_0_json_of_the_distinctions() {
    let f = Fixture::new();
    let (out, _) = f.ok(&[
        "record",
        "get",
        "--api",
        "3.0",
        "distinctions",
        "--format",
        "json",
    ]);
    let r = &f.server.requests()[0];
    assert_eq!(r.path(), format!("/v3.0/{ORCID}/distinctions"));
    assert_eq!(r.header("accept"), Some("application/vnd.orcid+json"));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let groups = v["affiliation-group"]
        .as_array()
        .expect("affiliation groups");
    assert!(!groups.is_empty());
    // v3.0's affiliation groups carry `summaries`.
    assert!(groups[0]["summaries"].is_array(), "{out}");
    // XML output by default, and the configured version is 3.0.
    let (out, _) = f.ok(&["record", "get", "distinctions"]);
    assert!(out.contains("<activities:distinctions"), "{out}");
}

#[test]
fn a_work_goes_to_the_configured_version_and_keeps_one_registry_entry() {
    let f = Fixture::new();
    let work = include_str!("../../orcid-mock/tests/data/work.xml").replace("DOI_VALUE", "10.1/v3");
    let file = f.write("w.xml", &work);
    // Nothing in the file says the version: the default, 3.0, with a note.
    let (out, err) = f.ok(&["item", "add", "work", &file]);
    assert_eq!(out.trim(), "99");
    assert!(err.contains("shows no API version; sent as v3.0"), "{err}");
    assert!(err.contains("registry key `doi:10.1/v3`"), "{err}");
    // --api 2.1 sends it to v2.1, registered under the same key.
    let (_, err) = f.ok(&["item", "add", "--api", "2.1", "work", &file]);
    assert!(err.contains("already recorded as work 99"), "{err}");
    assert_eq!(
        f.paths(),
        [
            format!("POST /v3.0/{ORCID}/work"),
            format!("POST /v2.1/{ORCID}/work"),
        ]
    );
    let entry = f
        .store()
        .put_code(ORCID, ItemSection::Work, "doi:10.1/v3")
        .unwrap()
        .expect("registered");
    assert_eq!(entry.put_code, 99);
}

#[test]
fn the_version_comes_from_the_config_file_given_with_config() {
    let f = Fixture::new();
    let config = f.write("orcid.toml", "api_version = \"2.1\"\n");
    let work = include_str!("../../orcid-mock/tests/data/work.xml").replace("DOI_VALUE", "10.1/c");
    let file = f.write("w.xml", &work);
    let (out, err) = f.ok(&["item", "add", "--config", &config, "work", &file]);
    assert_eq!(out.trim(), "99");
    assert!(!err.contains("note: "), "the file said it: {err}");
    let (out, _) = f.ok(&[
        "record",
        "get",
        "--config",
        &config,
        "distinctions",
        "--api",
        "3.0",
    ]);
    assert!(out.contains("<activities:distinctions"), "{out}");
    assert_eq!(
        f.paths(),
        [
            format!("POST /v2.1/{ORCID}/work"),
            format!("GET /v3.0/{ORCID}/distinctions"),
        ]
    );
    let (out, _) = f.ok(&["config", "show", "--config", &config]);
    assert!(out.contains("api version    2.1  [config file]"), "{out}");
    assert!(out.contains("/v2.1)"), "{out}");
    let (out, _) = f.ok(&["config", "show"]);
    assert!(out.contains("api version    3.0  [default]"), "{out}");
}
