//! `orcid item add|update|delete` and `orcid record get` end to end: the
//! binary against the ORCID mock over real HTTP on loopback.

mod common;

use common::{Env, Run};
use orcid_mock::{DEMO_CLIENT_ID, DEMO_ORCID};
use orcid_model::ItemSection;
use secrecy::SecretString;

fn work_xml(doi: &str) -> String {
    include_str!("../../orcid-mock/tests/data/work.xml").replace("DOI_VALUE", doi)
}

#[test]
fn add_read_update_delete_a_work() {
    let env = Env::new();
    let file = env.write("work.xml", &work_xml("10.1/cli"));

    // add: prints the put-code, records it under the work's DOI.
    let add = env
        .run(&["item", "add", "work", &file, "--orcid", DEMO_ORCID])
        .ok();
    let pc: i64 = add.stdout.trim().parse().expect("a put-code");
    assert!(
        add.stderr.contains("registry key `doi:10.1/cli`"),
        "{}",
        add.stderr
    );
    let entry = env
        .store()
        .put_code(DEMO_ORCID, ItemSection::Work, "doi:10.1/cli")
        .unwrap()
        .expect("registered");
    assert_eq!(entry.put_code, pc);
    assert_eq!(entry.last_result, "created");
    assert!(entry.content_hash.starts_with("sha256:"));
    assert!(env.store().pending_intents().unwrap().is_empty());

    // record get: the item (JSON), its section and the record (XML).
    let pcs = pc.to_string();
    let got = env
        .run(&[
            "record", "get", "work", &pcs, "--orcid", DEMO_ORCID, "--format", "json",
        ])
        .ok();
    let json: serde_json::Value = serde_json::from_str(&got.stdout).unwrap();
    assert_eq!(json["put-code"], pc);
    assert_eq!(json["visibility"], "LIMITED");
    assert_eq!(
        json["title"]["title"]["value"],
        "Field Notes on Persistent Identifiers"
    );
    let works = env.run(&["record", "get", "works"]).ok();
    assert!(works.stdout.starts_with("<?xml"), "{}", works.stdout);
    assert!(works.stdout.contains(&format!("put-code=\"{pc}\"")));
    let record = env.run(&["record", "get"]).ok();
    assert!(
        record.stdout.contains("<record:record"),
        "{}",
        record.stdout
    );
    assert!(record.stdout.contains("Carberry"));

    // update: the put-code comes from the registry (same DOI); the file
    // leaves the visibility out, so the stored one is kept.
    let revised = env.write(
        "work2.xml",
        &work_xml("10.1/cli")
            .replace(" visibility=\"public\"", "")
            .replace("Field Notes", "Revised Notes"),
    );
    let upd = env.run(&["item", "update", "work", &revised]).ok();
    assert_eq!(upd.stdout.trim(), pcs);
    let got = env.run(&["record", "get", "work", &pcs]).ok();
    assert!(
        got.stdout.contains("Revised Notes on Persistent"),
        "{}",
        got.stdout
    );
    let entry = env
        .store()
        .put_code(DEMO_ORCID, ItemSection::Work, "doi:10.1/cli")
        .unwrap()
        .unwrap();
    assert_eq!(entry.last_result, "updated");

    // delete: gone from ORCID and from the registry.
    let del = env.run(&["item", "delete", "work", &pcs]).ok();
    assert!(
        del.stdout.contains(&format!("Deleted work {pc}")),
        "{}",
        del.stdout
    );
    assert!(env
        .store()
        .put_code(DEMO_ORCID, ItemSection::Work, "doi:10.1/cli")
        .unwrap()
        .is_none());
    let again = env.run(&["item", "delete", "work", &pcs]).ok();
    assert!(again.stdout.contains("already gone"), "{}", again.stdout);
    let gone = env.run(&["record", "get", "work", &pcs]).fails(1);
    assert!(gone.stderr.contains("error 9016"), "{}", gone.stderr);
    assert!(
        gone.stderr.contains("classification: not found"),
        "{}",
        gone.stderr
    );

    let actions: Vec<String> = env
        .server
        .state()
        .inbox(DEMO_ORCID)
        .iter()
        .map(|n| n.items[0].action.clone())
        .collect();
    assert_eq!(actions, ["CREATE", "UPDATE", "DELETE"]);
}

#[test]
fn json_files_person_items_and_the_json_wire_format() {
    let env = Env::new();
    let kw = env.write("keyword.json", r#"{"content": "psychoceramics"}"#);
    let add = env
        .orcid(&["item", "add", "keywords", &kw, "--key", "kw-1"])
        .env("ORCID_FORMAT", "json")
        .output()
        .unwrap();
    let add = Run::from(add).ok();
    let pc: i64 = add.stdout.trim().parse().unwrap();
    assert_eq!(
        env.store()
            .put_code(DEMO_ORCID, ItemSection::Keyword, "kw-1")
            .unwrap()
            .unwrap()
            .put_code,
        pc
    );
    let list = env
        .run(&["record", "get", "keywords", "--format", "json"])
        .ok();
    let json: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(json["keyword"][0]["content"], "psychoceramics");
    assert_eq!(json["keyword"][0]["put-code"], pc);

    // An address in XML, sent as JSON.
    let addr = env.write(
        "address.xml",
        include_str!("../../orcid-mock/tests/data/address.xml"),
    );
    let pc = env
        .run(&["item", "add", "address", &addr, "--format", "json"])
        .ok()
        .stdout
        .trim()
        .to_string();
    let got = env.run(&["record", "get", "address", &pc]).ok();
    assert!(
        got.stdout.contains("<address:country>NZ</address:country>"),
        "{}",
        got.stdout
    );
    env.run(&["item", "delete", "address", &pc]).ok();
}

#[test]
fn errors_name_the_orcid_code_and_classification_never_the_token() {
    let env = Env::new();
    let file = env.write("work.xml", &work_xml("10.2/err"));
    let pc = env.run(&["item", "add", "work", &file]).ok().stdout;
    let pc = pc.trim();

    // A duplicate: 409/9021 with the put-code to update instead.
    let dup = env.run(&["item", "add", "work", &file]).fails(1);
    assert!(dup.stderr.contains("error 9021"), "{}", dup.stderr);
    assert!(
        dup.stderr
            .contains("classification: conflict (ORCID error 9021, HTTP 409)"),
        "{}",
        dup.stderr
    );
    assert!(
        dup.stderr.contains(&format!("--put-code {pc}")),
        "{}",
        dup.stderr
    );
    let entry = env
        .store()
        .put_code(DEMO_ORCID, ItemSection::Work, "doi:10.2/err")
        .unwrap()
        .unwrap();
    assert_eq!(entry.last_result, "error:9021");
    assert_eq!(entry.put_code.to_string(), pc);

    // Changing the visibility on update: 403/9035.
    let vis = env
        .run(&["item", "update", "work", &file, "--put-code", pc])
        .fails(1);
    assert!(vis.stderr.contains("error 9035"), "{}", vis.stderr);
    assert!(
        vis.stderr.contains("classification: forbidden"),
        "{}",
        vis.stderr
    );

    // Refused before sending: the validator's findings with ORCID's code.
    let blank = env.write(
        "blank.xml",
        &work_xml("10.2/blank").replace("Field Notes on Persistent Identifiers", "   "),
    );
    let local = env.run(&["item", "add", "work", &blank]).fails(1);
    assert!(
        local.stderr.contains("payload refused before sending"),
        "{}",
        local.stderr
    );
    assert!(
        local.stderr.contains("error[xsd.pattern]"),
        "{}",
        local.stderr
    );
    assert!(
        local.stderr.contains("classification: fix the payload"),
        "{}",
        local.stderr
    );
    // …and by ORCID when sent anyway.
    let remote = env
        .run(&["item", "add", "work", &blank, "--no-validate"])
        .fails(1);
    assert!(remote.stderr.contains("error 9001"), "{}", remote.stderr);

    // The file must be what SECTION says.
    let funding = env.write(
        "funding.xml",
        include_str!("../../orcid-mock/tests/data/funding.xml"),
    );
    let wrong = env.run(&["item", "add", "work", &funding]).fails(1);
    assert!(
        wrong.stderr.contains("not a `work:work`"),
        "{}",
        wrong.stderr
    );
    // An update needs a put-code from somewhere.
    let nothing = env.write("w3.xml", &work_xml("10.2/unknown"));
    let which = env.run(&["item", "update", "work", &nothing]).fails(2);
    assert!(which.stderr.contains("--put-code"), "{}", which.stderr);
    // Unknown researcher: no token.
    let none = env
        .run(&["record", "get", "--orcid", "0000-0001-5109-3700"])
        .fails(1);
    assert!(none.stderr.contains("auth login"), "{}", none.stderr);
    let bad = env
        .run(&["record", "get", "--orcid", "0000-0001-5109-3701"])
        .fails(2);
    assert!(bad.stderr.contains("not an ORCID iD"), "{}", bad.stderr);

    // A token ORCID no longer knows: 401, re-authorise; the token is not shown.
    let store = env.store();
    let mut t = store.token(DEMO_CLIENT_ID, DEMO_ORCID).unwrap().unwrap();
    let bogus = "5e1f0b2a-0000-4000-8000-00000000beef";
    t.access_token = SecretString::from(bogus);
    store.put_token(&t).unwrap();
    let denied = env.run(&["record", "get", "works"]).fails(1);
    assert!(denied.stderr.contains("HTTP 401"), "{}", denied.stderr);
    assert!(
        denied
            .stderr
            .contains("classification: needs re-authorisation"),
        "{}",
        denied.stderr
    );
    assert!(!denied.stderr.contains(bogus), "{}", denied.stderr);
}
