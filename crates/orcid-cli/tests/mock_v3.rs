//! The create-on-demand flow in the member API v3.0, end to end: the
//! binary against the ORCID mock (which serves `/v3.0/` beside `/v2.1/`
//! over one record store), on the CLI's default API version.

mod common;

use common::Env;
use orcid_mock::DEMO_ORCID;
use orcid_model::v3_0::section::ItemSection as V3Section;
use orcid_model::ItemSection;

use orcid_test_kit::payloads::affiliation;

/// A work with the DOI `doi` as `relationship` (`self`, `part-of`).
fn work(title: &str, doi: &str, relationship: &str) -> String {
    format!(
        r#"<work:work xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">
  <work:title><common:title>{title}</common:title></work:title>
  <work:type>report</work:type>
  <common:external-ids>
    <common:external-id>
      <common:external-id-type>doi</common:external-id-type>
      <common:external-id-value>{doi}</common:external-id-value>
      <common:external-id-relationship>{relationship}</common:external-id-relationship>
    </common:external-id>
  </common:external-ids>
</work:work>"#
    )
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn a_distinction_is_added_read_updated_and_deleted_in_v3_0() {
    let env = Env::v3_0();
    let file = env.write("d.xml", &affiliation("distinction", "D-1", "Prize"));

    // add: the put-code on stdout.
    let add = env
        .run(&["item", "add", "--api", "3.0", "distinction", &file])
        .ok();
    let pc: i64 = add.stdout.trim().parse().expect("a put-code");
    let pcs = pc.to_string();
    // Recorded in the put-code registry under the organisation and role.
    let key = "Example University|Prize";
    assert!(
        add.stderr.contains(&format!("registry key `{key}`")),
        "{}",
        add.stderr
    );
    let entry = env
        .store()
        .put_code(DEMO_ORCID, V3Section::Distinction, key)
        .unwrap()
        .expect("registered");
    assert_eq!(
        (entry.put_code, entry.last_result.as_str()),
        (pc, "created")
    );

    // The section, grouped as v3.0 groups affiliations.
    let got = env
        .run(&[
            "record",
            "get",
            "--api",
            "3.0",
            "distinctions",
            "--format",
            "json",
        ])
        .ok();
    let v = json(&got.stdout);
    let groups = v["affiliation-group"]
        .as_array()
        .expect("affiliation groups");
    assert_eq!(groups.len(), 1, "{v}");
    let summary = &groups[0]["summaries"][0]["distinction-summary"];
    assert_eq!(summary["put-code"], pc, "{v}");
    assert_eq!(summary["role-title"], "Prize", "{v}");
    assert_eq!(
        groups[0]["external-ids"]["external-id"][0]["external-id-value"], "D-1",
        "{v}"
    );
    // Nothing of it in v2.1, which has no distinctions.
    let v2 = env.run(&["record", "get", "--api", "2.1", "distinctions"]);
    assert_eq!(v2.code, Some(2), "{}", v2.stderr);

    // update (the default API version is v3.0: no `--api`), the put-code
    // from the registry (same key), then the item.
    let revised = env.write(
        "d2.xml",
        &affiliation("distinction", "D-1", "Prize").replace(
            "<common:start-date><common:year>2020</common:year>",
            "<common:start-date><common:year>2021</common:year>",
        ),
    );
    let upd = env.run(&["item", "update", "distinction", &revised]).ok();
    assert_eq!(upd.stdout.trim(), pcs);
    let entry = env
        .store()
        .put_code(DEMO_ORCID, V3Section::Distinction, key)
        .unwrap()
        .unwrap();
    assert_eq!(
        (entry.put_code, entry.last_result.as_str()),
        (pc, "updated")
    );
    // A new role is another key: its put-code is given.
    let renamed = env.write("d3.xml", &affiliation("distinction", "D-1", "Grand Prize"));
    let upd = env
        .run(&[
            "item",
            "update",
            "distinction",
            &renamed,
            "--put-code",
            &pcs,
        ])
        .ok();
    assert_eq!(upd.stdout.trim(), pcs);
    let item = env
        .run(&["record", "get", "distinction", &pcs, "--format", "json"])
        .ok();
    assert_eq!(json(&item.stdout)["role-title"], "Grand Prize");

    // delete, then the section is empty.
    let del = env.run(&["item", "delete", "distinction", &pcs]).ok();
    assert!(
        del.stdout
            .starts_with(&format!("Deleted distinction {pcs}")),
        "{}",
        del.stdout
    );
    let got = env
        .run(&["record", "get", "distinctions", "--format", "json"])
        .ok();
    let v = json(&got.stdout);
    assert!(
        v["affiliation-group"]
            .as_array()
            .is_none_or(|g| g.is_empty()),
        "{v}"
    );
    let again = env.run(&["item", "delete", "distinction", &pcs]).ok();
    assert!(again.stdout.contains("already gone"), "{}", again.stdout);
    // The registry forgot it.
    assert!(env
        .store()
        .entries(DEMO_ORCID)
        .unwrap()
        .iter()
        .all(|e| e.section != V3Section::Distinction));
}

#[test]
fn a_v3_0_rule_code_comes_back_from_the_mock() {
    let env = Env::v3_0();
    // A work whose only id is `part-of`: v3.0 wants a `self` id (9023),
    // v2.1 does not.
    let file = env.write("w.xml", &work("Part", "10.4/part", "part-of"));
    let sent = env
        .run(&["item", "add", "work", &file, "--no-validate"])
        .fails(1);
    assert!(sent.stderr.contains("error 9023"), "{}", sent.stderr);
    assert!(sent.stderr.contains("HTTP 400"), "{}", sent.stderr);
    let entry = env
        .store()
        .put_code(DEMO_ORCID, ItemSection::Work, "file:w.xml")
        .unwrap();
    assert_eq!(entry, None, "a failed create registers no put-code");
    // The same work in v2.1 is accepted.
    let pc = env
        .run(&[
            "item",
            "add",
            "--api",
            "2.1",
            "work",
            &file,
            "--no-validate",
        ])
        .ok()
        .stdout;
    assert!(pc.trim().parse::<i64>().is_ok(), "{pc}");
}

#[test]
fn a_work_added_in_v2_1_is_updated_in_v3_0_without_a_duplicate() {
    let env = Env::v3_0();
    let first = env.write("w.xml", &work("First Title", "10.5/twin", "self"));
    let pc = env
        .run(&["item", "add", "--api", "2.1", "work", &first])
        .ok()
        .stdout
        .trim()
        .to_string();
    // The registry key is the DOI, whichever version wrote it.
    let revised = env.write("w2.xml", &work("Second Title", "10.5/twin", "self"));
    let upd = env.run(&["item", "update", "work", &revised]).ok();
    assert_eq!(upd.stdout.trim(), pc, "{}", upd.stderr);
    let entry = env
        .store()
        .put_code(DEMO_ORCID, ItemSection::Work, "doi:10.5/twin")
        .unwrap()
        .expect("registered");
    assert_eq!(entry.put_code.to_string(), pc);
    assert_eq!(entry.last_result, "updated");

    // One work, in one group, with the new title, read in v3.0…
    let got = env
        .run(&["record", "get", "works", "--format", "json"])
        .ok();
    let v = json(&got.stdout);
    let groups = v["group"].as_array().expect("work groups");
    assert_eq!(groups.len(), 1, "{v}");
    let summaries = groups[0]["work-summary"].as_array().unwrap();
    assert_eq!(summaries.len(), 1, "{v}");
    assert_eq!(summaries[0]["put-code"].to_string(), pc);
    assert_eq!(summaries[0]["title"]["title"]["value"], "Second Title");
    // …and in v2.1.
    let got = env.run(&["record", "get", "--api", "2.1", "works"]).ok();
    assert_eq!(got.stdout.matches("<work:work-summary").count(), 1);
    assert!(got.stdout.contains("Second Title"), "{}", got.stdout);
}

#[test]
fn orcid_push_pushes_v3_only_sections_in_v3_0() {
    let env = Env::v3_0();
    let dir = env.dir.path().join("items");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("prize.xml"),
        affiliation("distinction", "D-7", "Prize"),
    )
    .unwrap();
    std::fs::write(dir.join("paper.xml"), work("Paper", "10.6/push", "self")).unwrap();
    let items = dir.display().to_string();
    let first = env.run(&["push", &items]).ok();
    assert!(
        first.stdout.contains("2 created") && first.stdout.contains("distinction"),
        "{}",
        first.stdout
    );
    let again = env.run(&["push", &items]).ok();
    assert!(
        again.stdout.contains("2 unchanged") && again.stdout.contains("(0 write calls)"),
        "{}",
        again.stdout
    );
    let status = env.run(&["push", "status"]).ok();
    assert!(
        status.stdout.contains("distinction prize"),
        "{}",
        status.stdout
    );
    // v2.1 cannot read the distinction: nothing is sent.
    let v2 = env.run(&["push", "--api", "2.1", &items]);
    assert_ne!(v2.code, Some(0), "{}", v2.stdout);
    assert!(v2.stderr.contains("prize.xml"), "{}", v2.stderr);
}
